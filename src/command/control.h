/* control.h: the control socket, how scripts drive a running natter. With
 * the setting control_socket on, natter listens on a Unix socket (see
 * control_socket_path()) in a directory of mode 0700, the socket 0600,
 * and refuses connections from any other user (peer credentials). The
 * protocol is one line per request, UTF-8:
 *
 *   cmd LINE                   run LINE as if typed in natter's console
 *   send [-a ACCOUNT] JID TEXT send TEXT (\n a newline, \\ a backslash)
 *                              as a chat message; answered once the server
 *                              acknowledged it
 *   events [bodies]            from now on, one "event JSON" line per
 *                              event; message bodies only with "bodies"
 *
 * and natter answers with lines "info TEXT" and "error TEXT" (output of a
 * command, escaped the same way), then "ok [TEXT]" or "fail TEXT": for a
 * command once it is done, output that comes later (an IQ's answer,
 * /exec) included. The
 * client side is ctlclient.c (natter --send, --ctl, --events). */
#pragma once

#include <glib.h>

/* Where the socket of this data dir is: $XDG_RUNTIME_DIR/natter/ctl for
 * the default data dir, ctl-HASH (of the data dir's path) for another, so
 * two natters with their own data dirs have their own sockets. Without
 * $XDG_RUNTIME_DIR, GLib's fallback (the user's cache dir) stands in.
 * Caller frees. */
char *control_socket_path(void);

/* Listens while the control_socket setting is on, from now on. */
void control_init(void);
void control_shutdown(void);

/* TEXT with backslash and newline escaped (\\, \n): one protocol line.
 * Caller frees. */
char *control_escape(const char *text);
/* The reverse. Caller frees. */
char *control_unescape(const char *text);
