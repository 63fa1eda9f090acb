/* connloop.h: runs one libstrophe connection inside the GLib main loop.
 * Internal to xmpp/.
 *
 * libstrophe is driven from outside: its socket (learnt through the sockopt
 * callback) is watched with g_unix_fd_add, and xmpp_run_once(ctx, 0) runs
 * when it is ready. Output is only written inside xmpp_run_once, so queued
 * stanzas get one idle pass, and a G_IO_OUT watch while the queue stays
 * full. libstrophe's own timeouts (connect, stream negotiation, disconnect)
 * get one GLib timeout armed for the next deadline; an established, idle
 * connection arms none. */
#pragma once

#include <glib.h>
#include <strophe.h>

typedef struct ConnLoop ConnLoop;

ConnLoop *connloop_new(xmpp_ctx_t *ctx, xmpp_conn_t *conn);
/* Removes every source. Never call it from inside libstrophe. */
void connloop_free(ConnLoop *loop);

/* The sockopt callback saw a new socket: watch it instead of the old one. */
void connloop_set_socket(ConnLoop *loop, int fd);
/* libstrophe closed the socket (its disconnect handler ran). */
void connloop_socket_closed(ConnLoop *loop);

/* Stanzas were queued: write them on the next idle pass. */
void connloop_flush_soon(ConnLoop *loop);
/* The one stanza just queued answers nothing received (the request for
 * the next page of an archive): it may leave before the open batch is
 * committed, so the server works on it while the batch commits. */
void connloop_queued_unordered(ConnLoop *loop);

/* The stream is negotiated (XMPP_CONN_CONNECT): no more libstrophe
 * negotiation timeouts to wait for. */
void connloop_set_established(ConnLoop *loop);
/* xmpp_disconnect() was called: libstrophe closes the socket itself if the
 * server does not answer within its disconnect timeout. */
void connloop_disconnect_started(ConnLoop *loop);

/* Drops the connection at once, without a goodbye (it stopped
 * answering); libstrophe then reports the disconnect as usual. */
void connloop_abort(ConnLoop *loop);

/* FN(DATA, TRUE) opens a batch, FN(DATA, FALSE) closes it: one is open
 * around each pump (every pass of xmpp_run_once after a readable socket),
 * and closed early before a pass that will write something that may answer
 * it (libstrophe writes its queue at the start of a pass). The session makes
 * the history writes of a batch one transaction (core/history.h): one commit
 * per burst instead of one per message, and still before anything answers
 * them, so no receipt or stream management ack leaves for a message that is
 * not stored yet. */
typedef void (*ConnLoopBatchFunc)(gpointer data, gboolean begin);
void connloop_set_batch(ConnLoop *loop, ConnLoopBatchFunc fn, gpointer data);

/* Counts stanzas handled, so that the pump knows when a pass did work. */
void connloop_count_stanza(ConnLoop *loop);
