/* redact.h: hides secrets in raw XMPP traffic before anyone sees it (the
 * XML console). Pure text processing: it also copes with fragments, such
 * as a stream header or a stanza cut short. */
#pragma once

#include <glib.h>

/* The text shown instead of a secret. */
#define REDACT_MARK "[redacted]"

/* A copy of XML where the contents of SASL elements (<auth>, <response>,
 * <challenge>, <success>), of every <password> element and of a data form
 * field named "password" or of type "text-private" are replaced by
 * REDACT_MARK, whatever their namespace prefix. Empty elements stay as they
 * are. Caller frees. */
char *redact_xml(const char *xml);
