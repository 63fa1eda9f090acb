/* xmlconsole.h: the XML console, a window with an account's raw traffic,
 * passwords and SASL data hidden (util/redact.h). */
#pragma once

#include "core/buffer.h"

/* Opens (or finds) the XML console of ACCOUNT and returns it. Traffic is
 * copied to it only while it is open. */
Buffer *xmlconsole_open(const char *account, GError **error);
