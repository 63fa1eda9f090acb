/* backoff.h: how long to wait before the next reconnect attempt. Pure. */
#pragma once

#include <glib.h>

/* Seconds to wait before attempt number ATTEMPT (0 for the first retry):
 * BASE doubled after each failure, never more than MAX. BASE 0 means no
 * retry, and the result is 0. */
guint backoff_delay(guint base, guint max, guint attempt);
