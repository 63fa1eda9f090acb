/* ctlclient.h: natter as a client of a running natter's control socket
 * (command/control.h): natter --send, --ctl and --events. */
#pragma once

#include <glib.h>

/* Sends the request REQUEST (one protocol line, escaped) to the natter of
 * this data dir and prints its answer: info lines on stdout, error lines
 * on stderr. With EVENTS, prints the event lines (their JSON) until the
 * connection ends. Returns the exit status: 0 when natter answered ok, 1
 * when it answered fail, 3 when no natter listens (said on stderr unless
 * QUIET). */
int ctlclient_run(const char *request, gboolean events, gboolean quiet);
