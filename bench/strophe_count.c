/* strophe_count: the bare libstrophe ends of the burst, backlog, big room
 * and roster benchmarks (bench/run.py). Not part of the tests.
 *
 *   strophe_count JID PASSWORD HOST PORT CAFILE COUNT
 *   strophe_count JID PASSWORD HOST PORT CAFILE COUNT TO PREFIX
 *   strophe_count JID PASSWORD HOST PORT CAFILE COUNT ROOM/NICK
 *   strophe_count JID PASSWORD HOST PORT CAFILE COUNT roster
 *   strophe_count JID PASSWORD HOST PORT CAFILE COUNT rooms FILE START
 *   strophe_count JID PASSWORD HOST PORT CAFILE COUNT archive START
 *
 * The receiver (first form) is the floor: it logs in, sends its presence
 * and counts incoming <message/> stanzas with a body; nothing else (no UI,
 * no storage), so what it costs is what the network and the XML parsing
 * alone cost. The sender (second form) sends COUNT chat messages to TO,
 * bodies "PREFIX-1" ... "PREFIX-COUNT", as fast as libstrophe writes them,
 * once a line arrives on its stdin: a Python bot is far slower than
 * Prosody and would set the pace of a burst instead of the client. The
 * room receiver (third form) joins ROOM as NICK once a line arrives on its
 * stdin, and then counts the room's messages with a body. The roster
 * receiver (fourth form) asks for its roster before its presence, as a
 * client does, and counts the available presences of others. The rooms
 * receiver (fifth form) is the floor of an autojoin at login: it joins at
 * once every room of FILE (one ROOM/NICK a line, at most MAX_ROOMS), and
 * as each join is answered asks the room's archive (XEP-0313) for what
 * was said since START (an XEP-0082 time), page by page (100 a page, as
 * natter), counting the results. The archive receiver (sixth form) is
 * the floor of a catch-up after a week away: once online it asks its own
 * account's archive for what came since START, page by page (250 a page,
 * as natter), counting the results.
 *
 * stdout (ns = CLOCK_MONOTONIC, comparable with time.monotonic_ns()):
 * "READY <ns>" once online; the receiver then prints "DONE <ns>" when the
 * COUNT-th message arrived (the room receiver first "JOINED <ns> <N>" when
 * its own presence came back after those of the N others; the roster
 * receiver "ROSTER <ns>" when the roster came, and "DONE <ns>" at the
 * COUNT-th presence; the rooms receiver "JOINED <ns> <N>" once all N
 * rooms answered its join and "DONE <ns> <SEEN>" once every archive said
 * it is complete, with the number of results; the archive receiver
 * "DONE <ns> <SEEN>" once its archive said it is complete); the sender
 * "FIRST <ns>" before its first send,
 * "SENT <ns>" once all are written to the socket, and "SYNCED <ns>" when
 * the server answered a ping sent after them (it has routed them all).
 * Both then wait for stdin to close before exiting, so the runner can
 * still read their /proc counters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strophe.h>
#include <time.h>
#include <unistd.h>

static long want, seen;
static int done, ready;
static const char *send_to, *send_prefix, *room_nick;
static int roster_mode;
static long occupants;

#define MAX_ROOMS 1000
#define NS_MAM    "urn:xmpp:mam:2"
static char *rooms[MAX_ROOMS]; /* ROOM/NICK */
static int nrooms, rooms_joined, rooms_done;
static const char *rooms_file, *since;
static int archive_mode; /* page through our own archive, not rooms' */

static unsigned long handled; /* stanzas seen, by count_stanza() */

static int count_stanza(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *data)
{
    (void)conn;
    (void)stanza;
    (void)data;
    handled++;
    return 1;
}

/* One wait for the socket, then passes that do not wait, until 8 in a row
 * handled nothing: libstrophe 0.12 selects with the full timeout even when
 * OpenSSL holds decrypted bytes (up to a 16 KiB record, read 4 KiB a pass)
 * that select cannot see, so without them the tail of a burst could sit
 * there for a whole second, and a long flood (fifty rooms' occupants)
 * would crawl at 32 KiB a second. natter's pump does the same. */
static void run(xmpp_ctx_t *ctx)
{
    unsigned long before;
    int i;

    xmpp_run_once(ctx, 1000);
    do {
        before = handled;
        for (i = 0; i < 8; i++)
            xmpp_run_once(ctx, 0);
    } while (handled != before);
}

static long long now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Tells the runner that EVENT happened now: "EVENT <monotonic ns>". */
static void report(const char *event)
{
    printf("%s %lld\n", event, now_ns());
    fflush(stdout);
}

static int on_message(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *data)
{
    (void)conn;
    (void)data;
    if (xmpp_stanza_get_child_by_name(stanza, "body") == NULL)
        return 1;
    if (++seen == want) {
        report("DONE");
        done = 1;
    }
    return 1;
}

/* The room answers a join with everyone's presence, ours last. */
static int on_presence(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *data)
{
    const char *from = xmpp_stanza_get_from(stanza);

    (void)conn;
    (void)data;
    if (xmpp_stanza_get_type(stanza) != NULL || from == NULL)
        return 1;
    if (strcmp(from, room_nick) != 0) {
        occupants++;
        return 1;
    }
    printf("JOINED %lld %ld\n", now_ns(), occupants);
    fflush(stdout);
    return 0;
}

/* ---- the rooms receiver ---- */

static int room_index(const char *from)
{
    int i;
    size_t n;

    for (i = 0; i < nrooms; i++) {
        n = strcspn(rooms[i], "/");
        if (strncmp(rooms[i], from, n) == 0 &&
            (from[n] == '/' || from[n] == '\0'))
            return i;
    }
    return -1;
}

static void add_text_child(xmpp_ctx_t *ctx, xmpp_stanza_t *parent,
                           const char *name, const char *text)
{
    xmpp_stanza_t *c = xmpp_stanza_new(ctx), *t = xmpp_stanza_new(ctx);

    xmpp_stanza_set_name(c, name);
    xmpp_stanza_set_text(t, text);
    xmpp_stanza_add_child(c, t);
    xmpp_stanza_add_child(parent, c);
    xmpp_stanza_release(t);
    xmpp_stanza_release(c);
}

static xmpp_stanza_t *add_child(xmpp_ctx_t *ctx, xmpp_stanza_t *parent,
                                const char *name, const char *ns)
{
    xmpp_stanza_t *c = xmpp_stanza_new(ctx);

    xmpp_stanza_set_name(c, name);
    if (ns)
        xmpp_stanza_set_ns(c, ns);
    xmpp_stanza_add_child(parent, c);
    xmpp_stanza_release(c);
    return c;
}

static void form_field(xmpp_ctx_t *ctx, xmpp_stanza_t *form, const char *var,
                       const char *value, const char *type)
{
    xmpp_stanza_t *field = add_child(ctx, form, "field", NULL);

    xmpp_stanza_set_attribute(field, "var", var);
    if (type)
        xmpp_stanza_set_type(field, type);
    add_text_child(ctx, field, "value", value);
}

static int on_page(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *data);

static void ask_page(xmpp_conn_t *conn, int i, const char *after)
{
    xmpp_ctx_t *ctx = xmpp_conn_get_context(conn);
    static long pages;
    char id[48], to[1024];
    xmpp_stanza_t *iq, *query, *form, *set;

    /* A new id per page: libstrophe deletes an id handler that returns 0
     * by its id, which would take the next page's handler with it. */
    snprintf(id, sizeof id, "mam-%d-%ld", i, ++pages);
    iq = xmpp_iq_new(ctx, "set", id);
    if (i >= 0) { /* a room's archive; -1 is our own account's */
        snprintf(to, sizeof to, "%.*s", (int)strcspn(rooms[i], "/"), rooms[i]);
        xmpp_stanza_set_to(iq, to);
    }
    query = add_child(ctx, iq, "query", NS_MAM);
    xmpp_stanza_set_attribute(query, "queryid", id);
    form = add_child(ctx, query, "x", "jabber:x:data");
    xmpp_stanza_set_type(form, "submit");
    form_field(ctx, form, "FORM_TYPE", NS_MAM, "hidden");
    form_field(ctx, form, "start", since, NULL);
    set = add_child(ctx, query, "set", "http://jabber.org/protocol/rsm");
    add_text_child(ctx, set, "max", i >= 0 ? "100" : "250");
    if (after)
        add_text_child(ctx, set, "after", after);
    xmpp_id_handler_add(conn, on_page, id, (void *)(long)i);
    xmpp_send(conn, iq);
    xmpp_stanza_release(iq);
}

static int on_page(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *data)
{
    int i = (int)(long)data;
    xmpp_stanza_t *fin =
        xmpp_stanza_get_child_by_name_and_ns(stanza, "fin", NS_MAM);
    xmpp_stanza_t *set = fin ? xmpp_stanza_get_child_by_name(fin, "set") : NULL;
    xmpp_stanza_t *last =
        set ? xmpp_stanza_get_child_by_name(set, "last") : NULL;
    const char *complete =
        fin ? xmpp_stanza_get_attribute(fin, "complete") : NULL;
    int finished = complete != NULL && strcmp(complete, "true") == 0;
    char *after;

    if (!finished && last != NULL) {
        after = xmpp_stanza_get_text(last);
        ask_page(conn, i, after);
        xmpp_free(xmpp_conn_get_context(conn), after);
        return 0;
    }
    if (i < 0 || ++rooms_done == nrooms) {
        printf("DONE %lld %ld\n", now_ns(), seen);
        fflush(stdout);
        done = 1;
    }
    return 0;
}

static int on_archived(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *data)
{
    (void)conn;
    (void)data;
    if (xmpp_stanza_get_child_by_name_and_ns(stanza, "result", NS_MAM))
        seen++;
    return 1;
}

/* Our own presence back from a room (status 110): joined; ask its archive. */
static int on_room_presence(xmpp_conn_t *conn, xmpp_stanza_t *stanza,
                            void *data)
{
    const char *from = xmpp_stanza_get_from(stanza);
    xmpp_stanza_t *x = xmpp_stanza_get_child_by_name_and_ns(
        stanza, "x", "http://jabber.org/protocol/muc#user");
    xmpp_stanza_t *c;
    int i, self = 0;

    (void)data;
    if (xmpp_stanza_get_type(stanza) != NULL || from == NULL || x == NULL)
        return 1;
    for (c = xmpp_stanza_get_children(x); c; c = xmpp_stanza_get_next(c)) {
        const char *code = xmpp_stanza_get_attribute(c, "code");
        if (code && strcmp(code, "110") == 0)
            self = 1;
    }
    i = room_index(from);
    if (!self || i < 0)
        return 1;
    if (++rooms_joined == nrooms) {
        printf("JOINED %lld %d\n", now_ns(), nrooms);
        fflush(stdout);
    }
    ask_page(conn, i, NULL);
    return 1;
}

static void join_rooms(xmpp_ctx_t *ctx, xmpp_conn_t *conn)
{
    char line[1024];
    FILE *f = fopen(rooms_file, "r");
    int i;

    if (f == NULL) {
        perror(rooms_file);
        exit(2);
    }
    while (nrooms < MAX_ROOMS && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (*line)
            rooms[nrooms++] = strdup(line);
    }
    fclose(f);
    xmpp_handler_add(conn, on_room_presence, NULL, "presence", NULL, NULL);
    xmpp_handler_add(conn, on_archived, NULL, "message", NULL, NULL);
    for (i = 0; i < nrooms; i++) {
        xmpp_stanza_t *pres = xmpp_presence_new(ctx);
        xmpp_stanza_t *x =
            add_child(ctx, pres, "x", "http://jabber.org/protocol/muc");
        xmpp_stanza_t *history = add_child(ctx, x, "history", NULL);

        xmpp_stanza_set_attribute(history, "maxstanzas", "0");
        xmpp_stanza_set_to(pres, rooms[i]);
        xmpp_send(conn, pres);
        xmpp_stanza_release(pres);
    }
}

static void join_room(xmpp_ctx_t *ctx, xmpp_conn_t *conn)
{
    char line[64];
    xmpp_stanza_t *pres, *x, *history;

    if (fgets(line, sizeof line, stdin) == NULL)
        exit(0);
    pres = xmpp_presence_new(ctx);
    x = xmpp_stanza_new(ctx);
    history = xmpp_stanza_new(ctx);
    xmpp_stanza_set_to(pres, room_nick);
    xmpp_stanza_set_name(x, "x");
    xmpp_stanza_set_ns(x, "http://jabber.org/protocol/muc");
    xmpp_stanza_set_name(history, "history");
    xmpp_stanza_set_attribute(history, "maxstanzas", "0");
    xmpp_stanza_add_child(x, history);
    xmpp_stanza_add_child(pres, x);
    xmpp_handler_add(conn, on_presence, NULL, "presence", NULL, NULL);
    xmpp_send(conn, pres);
    xmpp_stanza_release(history);
    xmpp_stanza_release(x);
    xmpp_stanza_release(pres);
    /* Out now, not after the next wait of the loop. */
    while (xmpp_conn_send_queue_len(conn) > 0)
        xmpp_run_once(ctx, 10);
}

static int on_roster(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *data)
{
    (void)conn;
    (void)stanza;
    (void)data;
    report("ROSTER");
    return 0;
}

static int on_contact(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *data)
{
    const char *from = xmpp_stanza_get_from(stanza);
    const char *me = xmpp_conn_get_bound_jid(conn);

    (void)data;
    if (xmpp_stanza_get_type(stanza) != NULL || from == NULL ||
        (me != NULL && strcmp(from, me) == 0))
        return 1;
    if (++seen == want) {
        report("DONE");
        done = 1;
    }
    return 1;
}

static void ask_roster(xmpp_ctx_t *ctx, xmpp_conn_t *conn)
{
    xmpp_stanza_t *iq = xmpp_iq_new(ctx, "get", "roster");
    xmpp_stanza_t *query = xmpp_stanza_new(ctx);

    xmpp_stanza_set_name(query, "query");
    xmpp_stanza_set_ns(query, "jabber:iq:roster");
    xmpp_stanza_add_child(iq, query);
    xmpp_id_handler_add(conn, on_roster, "roster", NULL);
    xmpp_handler_add(conn, on_contact, NULL, "presence", NULL, NULL);
    xmpp_send(conn, iq);
    xmpp_stanza_release(query);
    xmpp_stanza_release(iq);
}

static void on_conn(xmpp_conn_t *conn, xmpp_conn_event_t status, int error,
                    xmpp_stream_error_t *stream_error, void *data)
{
    xmpp_ctx_t *ctx = data;

    (void)error;
    (void)stream_error;
    if (status == XMPP_CONN_CONNECT) {
        xmpp_stanza_t *pres = xmpp_presence_new(ctx);

        if (roster_mode)
            ask_roster(ctx, conn);
        else if (rooms_file)
            join_rooms(ctx, conn);
        else if (archive_mode) {
            xmpp_handler_add(conn, on_archived, NULL, "message", NULL, NULL);
            ask_page(conn, -1, NULL);
        } else if (send_to == NULL)
            xmpp_handler_add(conn, on_message, NULL, "message", NULL, ctx);
        xmpp_send(conn, pres);
        xmpp_stanza_release(pres);
        ready = 1;
        report("READY");
    } else if (!done) {
        fprintf(stderr, "strophe_count: disconnected (%d)\n", error);
        exit(3);
    }
}

static int on_pong(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *data)
{
    (void)conn;
    (void)stanza;
    (void)data;
    report("SYNCED");
    done = 1;
    return 0;
}

static void send_all(xmpp_ctx_t *ctx, xmpp_conn_t *conn)
{
    char line[64], body[256];
    long i;

    /* The go signal: everything before it (login) is not timed. */
    if (fgets(line, sizeof line, stdin) == NULL)
        exit(0);
    report("FIRST");
    for (i = 1; i <= want; i++) {
        xmpp_stanza_t *msg = xmpp_message_new(ctx, "chat", send_to, NULL);

        snprintf(body, sizeof body, "%s-%ld", send_prefix, i);
        xmpp_message_set_body(msg, body);
        xmpp_send(conn, msg);
        xmpp_stanza_release(msg);
        /* Let the socket drain now and then, so the queue stays short. */
        if (i % 256 == 0)
            xmpp_run_once(ctx, 0);
    }
    while (xmpp_conn_send_queue_len(conn) > 0)
        xmpp_run_once(ctx, 10);
    report("SENT");
    /* The server handles one stream's stanzas in order: its answer to a
     * ping sent last means all the messages were routed (or stored). */
    {
        xmpp_stanza_t *iq = xmpp_iq_new(ctx, "get", "bench-sync");
        xmpp_stanza_t *ping = xmpp_stanza_new(ctx);

        xmpp_stanza_set_name(ping, "ping");
        xmpp_stanza_set_ns(ping, "urn:xmpp:ping");
        xmpp_stanza_add_child(iq, ping);
        xmpp_stanza_release(ping);
        xmpp_id_handler_add(conn, on_pong, "bench-sync", NULL);
        xmpp_send(conn, iq);
        xmpp_stanza_release(iq);
    }
    while (!done)
        run(ctx);
}

int main(int argc, char **argv)
{
    xmpp_ctx_t *ctx;
    xmpp_conn_t *conn;

    if (argc < 7 || argc > 10 ||
        (argc == 10 && strcmp(argv[7], "rooms") != 0)) {
        fprintf(stderr,
                "usage: %s JID PASSWORD HOST PORT CAFILE COUNT"
                " [TO PREFIX | ROOM/NICK | roster | rooms FILE START"
                " | archive START]\n",
                argv[0]);
        return 2;
    }
    if (argc == 10) {
        rooms_file = argv[8];
        since = argv[9];
    }
    if (argc == 8 && strcmp(argv[7], "roster") == 0)
        roster_mode = 1;
    else if (argc == 8)
        room_nick = argv[7];
    if (argc == 9 && strcmp(argv[7], "archive") == 0) {
        archive_mode = 1;
        since = argv[8];
    } else if (argc == 9) {
        send_to = argv[7];
        send_prefix = argv[8];
    }
    want = atol(argv[6]);
    xmpp_initialize();
    ctx = xmpp_ctx_new(NULL, NULL);
    conn = xmpp_conn_new(ctx);
    xmpp_conn_set_flags(conn, XMPP_CONN_FLAG_MANDATORY_TLS);
    xmpp_conn_set_jid(conn, argv[1]);
    xmpp_conn_set_pass(conn, argv[2]);
    xmpp_conn_set_cafile(conn, argv[5]);
    xmpp_handler_add(conn, count_stanza, NULL, NULL, NULL, NULL);
    if (xmpp_connect_client(conn, argv[3], (unsigned short)atoi(argv[4]),
                            on_conn, ctx) != XMPP_EOK) {
        fprintf(stderr, "strophe_count: cannot connect\n");
        return 3;
    }
    /* Blocks in select() inside libstrophe: no busy loop. */
    while (!done && !((send_to || room_nick) && ready))
        run(ctx);
    if (send_to)
        send_all(ctx, conn);
    if (room_nick) {
        join_room(ctx, conn);
        while (!done)
            run(ctx);
    }
    /* Keep the process (and its counters) until the runner is done. */
    {
        char buf[64];

        while (read(0, buf, sizeof buf) > 0)
            ;
    }
    xmpp_conn_release(conn);
    xmpp_ctx_free(ctx);
    xmpp_shutdown();
    return 0;
}
