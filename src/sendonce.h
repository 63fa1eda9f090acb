/* sendonce.h: natter --send when no natter runs on the data dir: this
 * natter stands in for a front end, logs in the one account, sends the
 * message, and quits once the server has closed the stream after it (the
 * server handles a stream in order, so it then has the message). */
#pragma once

#include <glib.h>

/* Picks the account (ACCOUNT, else the only account, else the only
 * enabled one) and starts waiting for it to be ready; the caller then
 * connects it (sendonce_account()) and runs the loop. FALSE with ERROR
 * when there is no account to use. JID and TEXT are copied. */
gboolean sendonce_init(const char *account, const char *jid, const char *text,
                       GError **error);
/* The account chosen (borrowed). */
const char *sendonce_account(void);
/* After the loop: 0 when the message was sent and the server closed the
 * stream after it, 1 otherwise (the reason printed on stderr). */
int sendonce_finish(void);
void sendonce_shutdown(void);
