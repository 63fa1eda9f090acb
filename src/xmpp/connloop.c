/* connloop.c: see connloop.h.
 *
 * Two traps of libstrophe 0.12 shape the pump:
 *  - xmpp_run_once reads at most 4 KiB per call, and OpenSSL may hold the
 *    rest of a 16 KiB TLS record already decrypted, where poll() cannot see
 *    it. So after a readable event we keep calling xmpp_run_once(ctx, 0)
 *    until IDLE_PASSES passes in a row handled no stanza: enough to drain a
 *    partly read record plus a whole one (5 x 4 KiB), with margin.
 *  - a flood must not starve the keyboard: after MAX_PASSES passes, or
 *    PUMP_BUDGET_US of work (fifty rooms' occupants and archive pages
 *    arriving together are slower per pass than chat messages), the pump
 *    yields to the main loop and continues from an idle callback (poll
 *    would not wake us for data OpenSSL already holds).
 *
 * A pump is one history batch (connloop_set_batch): one commit for a
 * whole burst instead of one per read. What answers a stored message must
 * not leave before that message is committed, and libstrophe writes its
 * queue at the start of each pass: so when a pass leaves something queued
 * (a receipt, a marker) or saw the server ask for a stream management ack
 * (libstrophe queues the <a/> where xmpp_conn_send_queue_len cannot see
 * it), the batch is committed before the next pass.
 *
 * libstrophe's internal timeouts are not visible through its API, so the
 * deadlines below mirror its constants (src/auth.c, src/conn.c of 0.12):
 * firing a little late is harmless, they only matter when a server stops
 * answering. */
#include "xmpp/connloop.h"

#include <sys/socket.h>
#include <glib-unix.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#define IDLE_PASSES 8
#define MAX_PASSES  512
/* Well under the 50 ms in which a key should show. */
#define PUMP_BUDGET_US 20000
/* libstrophe: CONNECT_TIMEOUT, FEATURES/BIND/SESSION_TIMEOUT,
 * DISCONNECT_TIMEOUT, in milliseconds; plus a margin so the handler is due
 * when we run it. */
#define STROPHE_CONNECT_MS     5000
#define STROPHE_NEGOTIATION_MS 15000
#define STROPHE_DISCONNECT_MS  2000
#define MARGIN_MS              20

struct ConnLoop {
    xmpp_ctx_t *ctx;
    xmpp_conn_t *conn;

    int fd;
    guint read_watch;
    guint write_watch;
    guint pump_idle;  /* continues a pump (output, or a yielded burst) */
    guint timer;      /* next libstrophe deadline */
    gint64 timer_due; /* monotonic µs; 0 when no timer */

    ConnLoopBatchFunc batch;
    gpointer batch_data;

    gboolean established;
    gboolean disconnecting;
    gboolean ack_requested; /* an <r/> came in this pass */
    guint unordered;        /* queued in this pass, answering nothing */
    guint64 stanzas;
};

static void update_watches(ConnLoop *loop);
static void update_timer(ConnLoop *loop);

/* Runs before libstrophe's own handling of the <r/>, which queues the ack. */
static int on_ack_request(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *data)
{
    ConnLoop *loop = data;
    loop->ack_requested = TRUE;
    return 1;
}

ConnLoop *connloop_new(xmpp_ctx_t *ctx, xmpp_conn_t *conn)
{
    ConnLoop *loop = g_new0(ConnLoop, 1);
    loop->ctx = ctx;
    loop->conn = conn;
    loop->fd = -1;
    xmpp_handler_add(conn, on_ack_request, XMPP_NS_SM, "r", NULL, loop);
    return loop;
}

static void remove_socket_watches(ConnLoop *loop)
{
    g_clear_handle_id(&loop->read_watch, g_source_remove);
    g_clear_handle_id(&loop->write_watch, g_source_remove);
    loop->fd = -1;
}

void connloop_free(ConnLoop *loop)
{
    if (!loop)
        return;
    remove_socket_watches(loop);
    g_clear_handle_id(&loop->pump_idle, g_source_remove);
    g_clear_handle_id(&loop->timer, g_source_remove);
    g_free(loop);
}

void connloop_count_stanza(ConnLoop *loop)
{
    loop->stanzas++;
}

void connloop_set_batch(ConnLoop *loop, ConnLoopBatchFunc fn, gpointer data)
{
    loop->batch = fn;
    loop->batch_data = data;
}

static void batch(ConnLoop *loop, gboolean begin)
{
    if (loop->batch)
        loop->batch(loop->batch_data, begin);
}

/* One pass of libstrophe. In the sanitizer build, what is allocated in a
 * pass before the stream is established is not checked for leaks:
 * libstrophe 0.12.2 loses its SCRAM login state (a 16-byte record and the
 * client-first message) when the connection ends before the server
 * answers the challenge, as quitting while connecting can, and its stack
 * has no symbol LeakSanitizer could be told to skip. valgrind (test_valgrind)
 * still checks those passes. */
static void run_once(ConnLoop *loop)
{
#if defined(__SANITIZE_ADDRESS__)
    gboolean unchecked = !loop->established;
    if (unchecked)
        __lsan_disable();
    xmpp_run_once(loop->ctx, 0);
    if (unchecked)
        __lsan_enable();
#else
    xmpp_run_once(loop->ctx, 0);
#endif
}

/* Runs libstrophe until it has nothing more to do right now, or until the
 * pass budget is spent (then an idle callback continues). */
static void pump(ConnLoop *loop)
{
    int quiet = 0;
    int passes = 0;
    gint64 deadline = g_get_monotonic_time() + PUMP_BUDGET_US;
    gboolean spent = FALSE;
    batch(loop, TRUE);
    while (quiet < IDLE_PASSES && !spent) {
        guint64 before = loop->stanzas;
        run_once(loop);
        passes++;
        if (xmpp_conn_is_disconnected(loop->conn))
            break;
        quiet = loop->stanzas == before ? quiet + 1 : 0;
        /* The next pass starts by writing what is queued, which may answer
         * what was stored so far: commit it first, unless all of it answers
         * nothing (connloop_queued_unordered). A batch that stored nothing
         * commits nothing. */
        int queued = xmpp_conn_send_queue_len(loop->conn);
        if (loop->ack_requested || queued > (int)loop->unordered) {
            loop->ack_requested = FALSE;
            batch(loop, FALSE);
            batch(loop, TRUE);
        }
        /* What stays queued after the next pass is counted as ordered
         * again: committing before a later pass is never wrong. */
        loop->unordered = 0;
        spent = passes >= MAX_PASSES || g_get_monotonic_time() >= deadline;
    }
    batch(loop, FALSE);

    if (xmpp_conn_is_disconnected(loop->conn))
        remove_socket_watches(loop);
    else if (spent)
        connloop_flush_soon(loop);
    update_watches(loop);
    update_timer(loop);
}

static gboolean on_socket(gint fd, GIOCondition condition, gpointer data)
{
    pump(data);
    return G_SOURCE_CONTINUE;
}

static gboolean on_pump_idle(gpointer data)
{
    ConnLoop *loop = data;
    loop->pump_idle = 0;
    pump(loop);
    return G_SOURCE_REMOVE;
}

static gboolean on_timer(gpointer data)
{
    ConnLoop *loop = data;
    loop->timer = 0;
    loop->timer_due = 0;
    pump(loop);
    return G_SOURCE_REMOVE;
}

/* G_IO_OUT is watched only while it means something: the TCP connect is in
 * progress, or output is waiting; otherwise it would fire constantly. */
static void update_watches(ConnLoop *loop)
{
    if (loop->fd < 0)
        return;
    gboolean want_out = xmpp_conn_is_connecting(loop->conn) ||
                        xmpp_conn_send_queue_len(loop->conn) > 0;
    if (want_out && !loop->write_watch)
        loop->write_watch = g_unix_fd_add(loop->fd, G_IO_OUT, on_socket, loop);
    else if (!want_out)
        g_clear_handle_id(&loop->write_watch, g_source_remove);
}

static void arm_timer(ConnLoop *loop, gint64 due)
{
    g_clear_handle_id(&loop->timer, g_source_remove);
    gint64 now = g_get_monotonic_time();
    guint ms = due > now ? (guint)((due - now + 999) / 1000) : 0;
    loop->timer_due = due;
    loop->timer = g_timeout_add(ms, on_timer, loop);
}

static void update_timer(ConnLoop *loop)
{
    gint64 now = g_get_monotonic_time();
    if (xmpp_conn_is_disconnected(loop->conn) ||
        (loop->established && !loop->disconnecting)) {
        g_clear_handle_id(&loop->timer, g_source_remove);
        loop->timer_due = 0;
        return;
    }
    if (loop->disconnecting || xmpp_conn_is_connecting(loop->conn)) {
        /* Deadlines fixed when the phase began (see below). */
        if (!loop->timer)
            arm_timer(loop, now + (STROPHE_NEGOTIATION_MS + MARGIN_MS) * 1000);
        return;
    }
    /* Negotiating: every step may add a libstrophe timeout running from
     * now; keep the earliest pending deadline, else one from now. */
    gint64 due = now + (STROPHE_NEGOTIATION_MS + MARGIN_MS) * 1000;
    if (!loop->timer || loop->timer_due > due)
        arm_timer(loop, due);
}

void connloop_set_socket(ConnLoop *loop, int fd)
{
    remove_socket_watches(loop);
    loop->fd = fd;
    loop->established = FALSE;
    loop->disconnecting = FALSE;
    loop->read_watch =
        g_unix_fd_add(fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_socket, loop);
    /* The socket is not connected yet: libstrophe checks its connect
     * timeout only when run. */
    loop->write_watch = g_unix_fd_add(fd, G_IO_OUT, on_socket, loop);
    arm_timer(loop,
              g_get_monotonic_time() + (STROPHE_CONNECT_MS + MARGIN_MS) * 1000);
}

void connloop_socket_closed(ConnLoop *loop)
{
    remove_socket_watches(loop);
}

void connloop_flush_soon(ConnLoop *loop)
{
    if (!loop->pump_idle)
        loop->pump_idle = g_idle_add(on_pump_idle, loop);
}

void connloop_queued_unordered(ConnLoop *loop)
{
    loop->unordered++;
    connloop_flush_soon(loop);
}

void connloop_set_established(ConnLoop *loop)
{
    loop->established = TRUE;
}

void connloop_disconnect_started(ConnLoop *loop)
{
    loop->disconnecting = TRUE;
    arm_timer(loop, g_get_monotonic_time() +
                        (STROPHE_DISCONNECT_MS + MARGIN_MS) * 1000);
    connloop_flush_soon(loop);
}

void connloop_abort(ConnLoop *loop)
{
    /* libstrophe has no call to drop a connection without a goodbye, and
     * releasing it would lose the stream management state. Shutting the
     * socket down makes its next read fail, as when the network cuts it,
     * and libstrophe closes the connection the usual way. */
    if (loop->fd >= 0)
        shutdown(loop->fd, SHUT_RDWR);
    connloop_flush_soon(loop);
}
