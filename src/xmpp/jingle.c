/* jingle.c: Jingle file transfer (XEP-0234) over in-band bytestreams
 * (XEP-0261, XEP-0047): the sessions under way, the Jingle and IBB
 * requests that arrive, and the receiving side.
 *
 * An offer (session-initiate) is shown in the sender's chat window and
 * waits for /files accept or /files decline: nothing is ever accepted by
 * itself, least of all from someone outside the roster. An accepted file
 * is written to the download directory under a safe new name (the name
 * offered is only a hint: it cannot leave the directory nor overwrite a
 * file), its sha-256 (XEP-0300) is computed as the blocks arrive and
 * checked at the end: a file whose hash or size does not match is
 * deleted. A request about a session or bytestream we do not know, from
 * someone who is not its peer, out of sequence or larger than agreed is
 * answered with an error and said in a line; a broken transfer ends and
 * leaves no partial file. Sending is jingle_send.c. */
#include "xmpp/jingle_internal.h"

#include <string.h>

#include "core/buffer.h"
#include "core/roster.h"
#include "util/error.h"
#include "util/jid.h"
#include "util/sanitize.h"
#include "xmpp/feature.h"
#include "xmpp/iq.h"
#include "xmpp/ns.h"
#include "xmpp/stanza.h"

static GPtrArray *sessions; /* JingleSession *, owned */
static guint next_id;
static guint next_offer;

JingleSession *jingle_new(gboolean outgoing, const char *account,
                          const char *peer)
{
    JingleSession *j = g_new0(JingleSession, 1);
    j->id = ++next_id;
    j->outgoing = outgoing;
    j->offer.account = g_strdup(account);
    j->offer.from = g_strdup(peer);
    j->offer.size = -1;
    j->block_size = JINGLE_BLOCK;
    j->sum = g_checksum_new(G_CHECKSUM_SHA256);
    if (!sessions)
        sessions = g_ptr_array_new();
    g_ptr_array_add(sessions, j);
    return j;
}

JingleSession *jingle_by_id(guint id)
{
    for (guint i = 0; sessions && i < sessions->len; i++) {
        JingleSession *j = g_ptr_array_index(sessions, i);
        if (j->id == id)
            return j;
    }
    return NULL;
}

void jingle_free(JingleSession *j)
{
    if (sessions)
        g_ptr_array_remove(sessions, j);
    if (j->t && j->cancel_handler)
        g_signal_handler_disconnect(j->t->cancel, j->cancel_handler);
    g_clear_handle_id(&j->cancel_idle, g_source_remove);
    g_free(j->offer.account);
    g_free(j->offer.from);
    g_free(j->offer.name);
    g_free(j->sid);
    g_free(j->ibb_sid);
    g_free(j->content);
    g_free(j->creator);
    g_free(j->hash);
    g_checksum_free(j->sum);
    g_free(j->path);
    g_clear_object(&j->in);
    g_clear_object(&j->out);
    g_clear_object(&j->dest);
    g_free(j);
}

void jingle_end(JingleSession *j, gboolean failed, const char *line)
{
    if (j->t && j->cancel_handler) {
        g_signal_handler_disconnect(j->t->cancel, j->cancel_handler);
        j->cancel_handler = 0;
    }
    if (j->t) {
        Transfer *t = j->t;
        j->t = NULL;
        transfer_end(t, failed, line);
    }
    jingle_free(j);
}

char *jingle_size(const JingleSession *j)
{
    return transfer_size(j->offer.size);
}

xmpp_stanza_t *jingle_iq(Session *s, JingleSession *j, const char *action,
                         xmpp_stanza_t **jingle)
{
    xmpp_stanza_t *child = NULL;
    xmpp_stanza_t *iq =
        iq_new(s, "set", j->offer.from, "jingle", NS_JINGLE, &child);
    xmpp_stanza_set_attribute(child, "action", action);
    xmpp_stanza_set_attribute(child, "sid", j->sid);
    if (jingle)
        *jingle = child;
    return iq;
}

void jingle_add_content(Session *s, JingleSession *j, xmpp_stanza_t *jingle,
                        gboolean with_hash)
{
    xmpp_stanza_t *content = stanza_add_child_ns(jingle, "content", NULL);
    xmpp_stanza_set_attribute(content, "creator", j->creator);
    xmpp_stanza_set_attribute(content, "name", j->content);
    xmpp_stanza_set_attribute(content, "senders", "initiator");
    xmpp_stanza_t *desc =
        stanza_add_child_ns(content, "description", NS_JINGLE_FT);
    xmpp_stanza_t *file = stanza_add_child_ns(desc, "file", NULL);
    stanza_add_text_child(file, "name", j->offer.name);
    g_autofree char *size = g_strdup_printf("%" G_GINT64_FORMAT, j->offer.size);
    stanza_add_text_child(file, "size", size);
    if (with_hash) {
        xmpp_stanza_t *hash = stanza_add_child_ns(file, "hash", NS_HASHES);
        xmpp_stanza_set_attribute(hash, "algo", "sha-256");
        xmpp_stanza_t *text = xmpp_stanza_new(s->ctx);
        xmpp_stanza_set_text(text, j->hash);
        xmpp_stanza_add_child(hash, text);
        xmpp_stanza_release(text);
    }
    xmpp_stanza_t *transport =
        stanza_add_child_ns(content, "transport", NS_JINGLE_IBB);
    g_autofree char *block = g_strdup_printf("%u", j->block_size);
    xmpp_stanza_set_attribute(transport, "block-size", block);
    xmpp_stanza_set_attribute(transport, "sid", j->ibb_sid);
}

void jingle_send_terminate(Session *s, JingleSession *j, const char *reason,
                           const char *text)
{
    xmpp_stanza_t *jingle = NULL;
    xmpp_stanza_t *iq = jingle_iq(s, j, "session-terminate", &jingle);
    xmpp_stanza_t *why = stanza_add_child_ns(jingle, "reason", NULL);
    stanza_add_child_ns(why, reason, NULL);
    if (text)
        stanza_add_text_child(why, "text", text);
    iq_send(s, iq, NULL, NULL, NULL);
    xmpp_stanza_release(iq);
}

/* ---- cancelling --------------------------------------------------------
 */

static void jingle_cancelled_now(JingleSession *j)
{
    Session *s = session_find(j->offer.account);
    if (j->outgoing) {
        jingle_send_cancel(s, j);
        return;
    }
    if (s && j->sid)
        jingle_send_terminate(s, j, "cancel", NULL);
    if (j->out)
        g_output_stream_close(j->out, NULL, NULL);
    if (j->dest)
        g_file_delete(j->dest, NULL, NULL);
    g_autofree char *line = g_strdup_printf("%s cancelled", j->t->what);
    jingle_end(j, TRUE, line);
}

static gboolean cancel_idle(gpointer data)
{
    JingleSession *j = jingle_by_id(GPOINTER_TO_UINT(data));
    if (j) {
        j->cancel_idle = 0;
        jingle_cancelled_now(j);
    }
    return G_SOURCE_REMOVE;
}

static void on_cancelled(GCancellable *cancel, gpointer data)
{
    (void)cancel;
    JingleSession *j = jingle_by_id(GPOINTER_TO_UINT(data));
    if (j && !j->cancel_idle)
        j->cancel_idle = g_idle_add(cancel_idle, GUINT_TO_POINTER(j->id));
}

void jingle_watch_cancel(JingleSession *j)
{
    j->cancel_handler =
        g_signal_connect(j->t->cancel, "cancelled", G_CALLBACK(on_cancelled),
                         GUINT_TO_POINTER(j->id));
}

/* ---- errors and lines ---------------------------------------------------
 */

/* An error reply to IQ with CONDITION, and the Jingle condition JINGLE
 * (XEP-0166 10) when not NULL. */
static void reply_error(Session *s, xmpp_stanza_t *iq, const char *type,
                        const char *condition, const char *jingle)
{
    xmpp_stanza_t *reply = xmpp_stanza_reply(iq);
    xmpp_stanza_set_type(reply, "error");
    xmpp_stanza_t *error = stanza_add_child_ns(reply, "error", NULL);
    xmpp_stanza_set_type(error, type);
    stanza_add_child_ns(error, condition, NS_STANZAS);
    if (jingle)
        stanza_add_child_ns(error, jingle, NS_JINGLE_ERRORS);
    session_send(s, reply);
    xmpp_stanza_release(reply);
}

/* A line in the account's console about a stanza we refused. */
static void refused(Session *s, const char *format, ...) G_GNUC_PRINTF(2, 3);
static void refused(Session *s, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    g_autofree char *text = g_strdup_vprintf(format, ap);
    va_end(ap);
    buffer_append(buffer_account_console(s->account), LINE_ERROR, NULL, text);
}

/* The Jingle session SID whose peer is FROM, or NULL. */
static JingleSession *find_session(Session *s, const char *sid,
                                   const char *from)
{
    for (guint i = 0; sessions && i < sessions->len; i++) {
        JingleSession *j = g_ptr_array_index(sessions, i);
        if (j->sid && g_strcmp0(j->sid, sid) == 0 &&
            g_strcmp0(j->offer.account, s->account) == 0 &&
            jid_full_equal(j->offer.from, from))
            return j;
    }
    return NULL;
}

/* The bytestream SID of a session whose peer is FROM, or NULL. */
static JingleSession *find_stream(Session *s, const char *sid, const char *from)
{
    for (guint i = 0; sessions && i < sessions->len; i++) {
        JingleSession *j = g_ptr_array_index(sessions, i);
        if (j->ibb_sid && g_strcmp0(j->ibb_sid, sid) == 0 &&
            g_strcmp0(j->offer.account, s->account) == 0 &&
            jid_full_equal(j->offer.from, from))
            return j;
    }
    return NULL;
}

/* The sink of the chat window with the bare JID of PEER. */
static Sink *peer_sink(const char *account, const char *peer)
{
    g_autofree char *bare = jid_bare(peer);
    return sink_for_buffer(buffer_open(BUFFER_CHAT, account, bare));
}

/* ---- receiving -----------------------------------------------------------
 */

/* A received transfer that failed: the partial file goes, the sender is
 * told (REASON, TEXT) and LINE is shown. */
static void receive_fail(Session *s, JingleSession *j, const char *reason,
                         const char *why)
{
    if (s && reason)
        jingle_send_terminate(s, j, reason, why);
    if (j->out)
        g_output_stream_close(j->out, NULL, NULL);
    if (j->dest)
        g_file_delete(j->dest, NULL, NULL);
    g_autofree char *line = g_strdup_printf(
        "%s failed: %s; the partial file is deleted", j->t->what, why);
    jingle_end(j, TRUE, line);
}

/* The base64 sha-256 of <file/> FILE, or NULL. */
static char *offered_hash(xmpp_stanza_t *file)
{
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(file); c;
         c = xmpp_stanza_get_next(c)) {
        if (g_strcmp0(xmpp_stanza_get_name(c), "hash") == 0 &&
            g_strcmp0(xmpp_stanza_get_ns(c), NS_HASHES) == 0 &&
            g_strcmp0(xmpp_stanza_get_attribute(c, "algo"), "sha-256") == 0)
            return stanza_text(c);
    }
    return NULL;
}

/* A block size attribute: 1..65535, or 0 when missing or bad. */
static guint block_size_of(xmpp_stanza_t *e)
{
    const char *v = xmpp_stanza_get_attribute(e, "block-size");
    guint64 n = 0;
    if (!v || !g_ascii_string_to_unsigned(v, 10, 1, 65535, &n, NULL))
        return 0;
    return (guint)n;
}

/* The offers to ACCOUNT waiting for an answer. */
static guint offers_waiting(const char *account)
{
    guint n = 0;
    for (guint i = 0; sessions && i < sessions->len; i++) {
        JingleSession *j = g_ptr_array_index(sessions, i);
        n += !j->outgoing && j->state == JINGLE_OFFERED &&
             g_strcmp0(j->offer.account, account) == 0;
    }
    return n;
}

static void on_initiate(Session *s, xmpp_stanza_t *iq, xmpp_stanza_t *jingle,
                        const char *from, const char *sid)
{
    if (find_session(s, sid, from)) {
        reply_error(s, iq, "cancel", "conflict", NULL);
        refused(s,
                "Refused a second Jingle offer from %s with the session "
                "id of one under way.",
                from);
        return;
    }
    xmpp_stanza_t *content = xmpp_stanza_get_child_by_name(jingle, "content");
    xmpp_stanza_t *desc = content ? xmpp_stanza_get_child_by_name_and_ns(
                                        content, "description", NS_JINGLE_FT)
                                  : NULL;
    xmpp_stanza_t *file =
        desc ? xmpp_stanza_get_child_by_name(desc, "file") : NULL;
    xmpp_stanza_t *transport =
        content ? xmpp_stanza_get_child_by_name_and_ns(content, "transport",
                                                       NS_JINGLE_IBB)
                : NULL;
    const char *name_attr =
        content ? xmpp_stanza_get_attribute(content, "name") : NULL;
    if (!content || !name_attr) {
        reply_error(s, iq, "modify", "bad-request", NULL);
        refused(s, "Refused a Jingle offer from %s without a content.", from);
        return;
    }
    /* Well-formed: acknowledged, then answered as XEP-0166 says. */
    JingleSession *j = jingle_new(FALSE, s->account, from);
    j->sid = g_strdup(sid);
    j->content = g_strdup(name_attr);
    const char *creator = xmpp_stanza_get_attribute(content, "creator");
    j->creator = g_strdup(creator ? creator : "initiator");
    iq_reply_result(s, iq);
    if (!file) {
        jingle_send_terminate(s, j, "unsupported-applications", NULL);
        refused(s,
                "Declined a Jingle session from %s: not a file transfer "
                "natter knows.",
                from);
        jingle_free(j);
        return;
    }
    g_autofree char *size_text = stanza_child_text(file, "size", NULL);
    guint64 size = 0;
    if (!size_text || !g_ascii_string_to_unsigned(g_strstrip(size_text), 10, 0,
                                                  G_MAXINT64, &size, NULL)) {
        jingle_send_terminate(s, j, "failed-application",
                              "the offer gives no size");
        refused(s, "Declined a file from %s: the offer gives no valid size.",
                from);
        jingle_free(j);
        return;
    }
    if (!transport || !xmpp_stanza_get_attribute(transport, "sid") ||
        !block_size_of(transport)) {
        jingle_send_terminate(s, j, "unsupported-transports", NULL);
        refused(s,
                "Declined a file from %s: it is not offered over in-band "
                "bytestreams (XEP-0261).",
                from);
        jingle_free(j);
        return;
    }
    if (offers_waiting(s->account) >= JINGLE_OFFERS_MAX) {
        /* A flood of offers cannot pile up windows and memory. */
        jingle_send_terminate(s, j, "decline", "too many offers waiting");
        refused(s,
                "Declined a file from %s: %u offers already wait for an "
                "answer (/files).",
                from, JINGLE_OFFERS_MAX);
        jingle_free(j);
        return;
    }
    j->ibb_sid = g_strdup(xmpp_stanza_get_attribute(transport, "sid"));
    j->block_size = MIN(block_size_of(transport), JINGLE_BLOCK_MAX);
    g_autofree char *name = stanza_child_text(file, "name", NULL);
    /* One line: a name cannot draw lines of its own in the window. */
    j->offer.name =
        text_sanitize(name && *name ? name : "file", -1, SANITIZE_LINE);
    j->offer.size = (gint64)size;
    j->hash = offered_hash(file);
    if (j->hash)
        g_strstrip(j->hash);
    g_autofree char *bare = jid_bare(from);
    j->offer.in_roster = roster_find_contact(s->account, bare) != NULL;
    j->offer.number = ++next_offer;
    j->state = JINGLE_OFFERED;
    g_autofree char *shown_size = jingle_size(j);
    g_autoptr(Sink) out = peer_sink(s->account, from);
    sink_printf(out, LINE_INFO,
                "%s offers the file %s (%s)%s%s: /files accept %u or "
                "/files decline %u",
                from, j->offer.name, shown_size,
                j->offer.in_roster ? "" : " - not in your roster",
                j->hash ? "" : " - without a sha-256 to check it",
                j->offer.number, j->offer.number);
}

static void on_accept_answered(Session *s, xmpp_stanza_t *result, gpointer data)
{
    JingleSession *j = jingle_by_id(GPOINTER_TO_UINT(data));
    if (!j || !j->t || !result || iq_is_result(result))
        return;
    g_autofree char *why = stanza_error_describe(result);
    g_autofree char *text =
        g_strdup_printf("the sender refused our acceptance: %s", why);
    receive_fail(s, j, NULL, text);
}

GPtrArray *files_jingle_offers(void)
{
    GPtrArray *out = g_ptr_array_new();
    for (guint i = 0; sessions && i < sessions->len; i++) {
        JingleSession *j = g_ptr_array_index(sessions, i);
        if (!j->outgoing && j->state == JINGLE_OFFERED)
            g_ptr_array_add(out, &j->offer);
    }
    return out;
}

static JingleSession *offer_numbered(guint number, GError **error)
{
    for (guint i = 0; sessions && i < sessions->len; i++) {
        JingleSession *j = g_ptr_array_index(sessions, i);
        if (!j->outgoing && j->state == JINGLE_OFFERED &&
            j->offer.number == number)
            return j;
    }
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                "no file offer %u waits for an answer (/files lists them)",
                number);
    return NULL;
}

gboolean files_jingle_accept(guint number, const char *window, Sink *out,
                             GError **error)
{
    JingleSession *j = offer_numbered(number, error);
    if (!j)
        return FALSE;
    Session *s = session_online(j->offer.account, error);
    if (!s)
        return FALSE;
    g_autofree char *dir = files_download_dir();
    if (g_mkdir_with_parents(dir, 0700) != 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "cannot make the directory %s", dir);
        return FALSE;
    }
    g_autofree char *name = files_safe_name(j->offer.name);
    j->out = files_create_new(dir, name, &j->dest, error);
    if (!j->out)
        return FALSE;
    g_autofree char *path = g_file_get_path(j->dest);
    g_autofree char *saved = g_path_get_basename(path);
    g_autofree char *what =
        g_strdup_printf("Jingle transfer of %s from %s", saved, j->offer.from);
    j->t = transfer_new(FALSE, j->offer.account, window, what, out, saved,
                        j->offer.from, path);
    j->t->total = j->offer.size;
    jingle_watch_cancel(j);
    j->state = JINGLE_ACCEPTED;
    xmpp_stanza_t *jingle = NULL;
    xmpp_stanza_t *iq = jingle_iq(s, j, "session-accept", &jingle);
    xmpp_stanza_set_attribute(jingle, "responder", s->bound_jid);
    jingle_add_content(s, j, jingle, FALSE);
    iq_send(s, iq, on_accept_answered, GUINT_TO_POINTER(j->id), NULL);
    xmpp_stanza_release(iq);
    g_autofree char *shown = jingle_size(j);
    sink_printf(out, LINE_INFO, "%s: accepted (%s), saving as %s", what, shown,
                path);
    return TRUE;
}

gboolean files_jingle_decline(guint number, Sink *out, GError **error)
{
    JingleSession *j = offer_numbered(number, error);
    if (!j)
        return FALSE;
    Session *s = session_online(j->offer.account, error);
    if (!s)
        return FALSE;
    jingle_send_terminate(s, j, "decline", NULL);
    sink_printf(out, LINE_INFO, "Declined the file %s from %s", j->offer.name,
                j->offer.from);
    jingle_free(j);
    return TRUE;
}

static void receive_done(Session *s, JingleSession *j);

/* The sender's session-terminate. */
static void on_terminate(Session *s, JingleSession *j, xmpp_stanza_t *jingle)
{
    xmpp_stanza_t *reason = xmpp_stanza_get_child_by_name(jingle, "reason");
    const char *why = NULL;
    g_autofree char *text = NULL;
    for (xmpp_stanza_t *c = reason ? xmpp_stanza_get_children(reason) : NULL; c;
         c = xmpp_stanza_get_next(c)) {
        const char *n = xmpp_stanza_get_name(c);
        if (!n)
            continue;
        if (strcmp(n, "text") == 0)
            text = stanza_text(c);
        else if (!why)
            why = n;
    }
    if (!why)
        why = "no reason given";
    if (j->outgoing) {
        jingle_send_terminated(j, why, text);
        return;
    }
    if (j->state == JINGLE_RECEIVED) {
        jingle_free(j); /* the end of a transfer already done */
        return;
    }
    if (j->state == JINGLE_OFFERED) {
        g_autoptr(Sink) out = peer_sink(s->account, j->offer.from);
        sink_printf(out, LINE_INFO, "%s withdrew the offer of %s (%s%s%s)",
                    j->offer.from, j->offer.name, why, text ? ": " : "",
                    text ? text : "");
        jingle_free(j);
        return;
    }
    if (j->state == JINGLE_OPEN && strcmp(why, "success") == 0 &&
        j->moved == j->offer.size) {
        /* Every byte came and the sender ends without closing the
         * bytestream first: the file is checked as at a close. */
        guint id = j->id;
        receive_done(s, j);
        JingleSession *left = jingle_by_id(id);
        if (left)
            jingle_free(left);
        return;
    }
    g_autofree char *line =
        g_strdup_printf("the sender ended the session (%s%s%s)", why,
                        text ? ": " : "", text ? text : "");
    receive_fail(NULL, j, NULL, line);
}

static void on_jingle(Session *s, xmpp_stanza_t *iq, xmpp_stanza_t *jingle)
{
    const char *from = xmpp_stanza_get_from(iq);
    const char *action = xmpp_stanza_get_attribute(jingle, "action");
    const char *sid = xmpp_stanza_get_attribute(jingle, "sid");
    if (!from || !jid_is_valid(from) || !strchr(from, '/') || !action || !sid ||
        !*sid) {
        reply_error(s, iq, "modify", "bad-request", NULL);
        refused(s, "Refused a malformed Jingle request from %s.",
                from ? from : "(no sender)");
        return;
    }
    if (strcmp(action, "session-initiate") == 0) {
        on_initiate(s, iq, jingle, from, sid);
        return;
    }
    JingleSession *j = find_session(s, sid, from);
    if (!j) {
        reply_error(s, iq, "cancel", "item-not-found", "unknown-session");
        refused(s, "Refused Jingle %s from %s: no session %s with it.", action,
                from, sid);
        return;
    }
    if (strcmp(action, "session-terminate") == 0) {
        iq_reply_result(s, iq);
        on_terminate(s, j, jingle);
    } else if (strcmp(action, "session-accept") == 0 && j->outgoing &&
               j->state == JINGLE_OFFERED) {
        jingle_send_accepted(s, j, iq, jingle);
    } else if (strcmp(action, "session-info") == 0) {
        iq_reply_result(s, iq); /* checksums, "received": nothing to do */
    } else {
        reply_error(s, iq, "cancel", "feature-not-implemented",
                    "unsupported-info");
        refused(s, "Refused Jingle %s from %s in session %s: not expected now.",
                action, from, sid);
    }
}

/* ---- the in-band bytestream, receiving ----------------------------------
 */

static void on_ibb_open(Session *s, xmpp_stanza_t *iq, xmpp_stanza_t *open,
                        const char *from)
{
    const char *sid = xmpp_stanza_get_attribute(open, "sid");
    JingleSession *j = sid ? find_stream(s, sid, from) : NULL;
    if (!j || j->outgoing || j->state != JINGLE_ACCEPTED) {
        reply_error(s, iq, "cancel", "not-acceptable", NULL);
        refused(s,
                "Refused an in-band bytestream from %s: no accepted file "
                "transfer with its id.",
                from);
        return;
    }
    guint block = block_size_of(open);
    const char *stanza = xmpp_stanza_get_attribute(open, "stanza");
    if (!block || block > j->block_size ||
        (stanza && strcmp(stanza, "iq") != 0)) {
        reply_error(s, iq, "modify", "resource-constraint", NULL);
        g_autofree char *why = g_strdup_printf(
            "the sender opened the bytestream with %s (we agreed on blocks "
            "of %u bytes in IQs)",
            !block                           ? "no valid block size"
            : stanza && strcmp(stanza, "iq") ? "data in messages"
                                             : "larger blocks",
            j->block_size);
        receive_fail(s, j, "failed-transport", why);
        return;
    }
    j->block_size = block;
    j->state = JINGLE_OPEN;
    j->seq = 0;
    iq_reply_result(s, iq);
}

static void on_ibb_data(Session *s, xmpp_stanza_t *iq, xmpp_stanza_t *data,
                        const char *from)
{
    const char *sid = xmpp_stanza_get_attribute(data, "sid");
    JingleSession *j = sid ? find_stream(s, sid, from) : NULL;
    if (!j || j->outgoing || j->state != JINGLE_OPEN) {
        reply_error(s, iq, "cancel", "item-not-found", NULL);
        refused(s,
                "Refused in-band data from %s: no open bytestream %s with "
                "it.",
                from, sid ? sid : "(no id)");
        return;
    }
    const char *seq_text = xmpp_stanza_get_attribute(data, "seq");
    guint64 seq = 0;
    if (!seq_text ||
        !g_ascii_string_to_unsigned(seq_text, 10, 0, 65535, &seq, NULL) ||
        (guint16)seq != j->seq) {
        reply_error(s, iq, "cancel", "unexpected-request", NULL);
        g_autofree char *why =
            g_strdup_printf("block %s came where block %u was due",
                            seq_text ? seq_text : "(no number)", j->seq);
        receive_fail(s, j, "failed-transport", why);
        return;
    }
    g_autofree char *text = stanza_text(data);
    /* Whitespace is no part of the data (a sender may wrap lines). */
    char *w = text;
    for (const char *r = text; *r; r++)
        if (!g_ascii_isspace(*r))
            *w++ = *r;
    *w = '\0';
    /* Refused before decoding: base64 of a block is at most 4/3 of it. */
    gsize len = 0;
    g_autofree guchar *bytes = NULL;
    gboolean fits = strlen(text) <= (gsize)(j->block_size + 2) / 3 * 4;
    if (fits && *text) {
        bytes = g_base64_decode(text, &len);
        /* GLib skips what is not base64: what decodes must re-encode. */
        g_autofree char *again = bytes ? g_base64_encode(bytes, len) : NULL;
        if (!again || strcmp(again, text) != 0) {
            reply_error(s, iq, "modify", "bad-request", NULL);
            receive_fail(s, j, "failed-transport", "a block was not base64");
            return;
        }
    }
    if (!fits || len > j->block_size) {
        reply_error(s, iq, "modify", "bad-request", NULL);
        g_autofree char *why = g_strdup_printf(
            "a block larger than the %u bytes agreed", j->block_size);
        receive_fail(s, j, "failed-transport", why);
        return;
    }
    if (j->moved + (gint64)len > j->offer.size) {
        reply_error(s, iq, "cancel", "not-acceptable", NULL);
        g_autofree char *size = jingle_size(j);
        g_autofree char *why =
            g_strdup_printf("the sender sent more than the %s offered", size);
        receive_fail(s, j, "media-error", why);
        return;
    }
    g_autoptr(GError) error = NULL;
    /* A block is small and the file local: written at once. */
    if (len &&
        !g_output_stream_write_all(j->out, bytes, len, NULL, NULL, &error)) {
        reply_error(s, iq, "wait", "resource-constraint", NULL);
        receive_fail(s, j, "media-error", error->message);
        return;
    }
    g_checksum_update(j->sum, bytes, len);
    j->moved += (gint64)len;
    j->seq++;
    iq_reply_result(s, iq);
    transfer_progress(j->t, (gint64)len);
}

/* The whole file came: its size and sha-256 decide whether it stays. */
static void receive_done(Session *s, JingleSession *j)
{
    g_autoptr(GError) error = NULL;
    if (!g_output_stream_close(j->out, NULL, &error)) {
        receive_fail(s, j, "media-error", error->message);
        return;
    }
    g_clear_object(&j->out);
    if (j->moved != j->offer.size) {
        g_autofree char *size = jingle_size(j);
        g_autofree char *got = transfer_size(j->moved);
        g_autofree char *why =
            g_strdup_printf("the sender offered %s but sent %s", size, got);
        receive_fail(s, j, "media-error", why);
        return;
    }
    guint8 digest[32];
    gsize n = sizeof digest;
    g_checksum_get_digest(j->sum, digest, &n);
    g_autofree char *hash = g_base64_encode(digest, n);
    if (j->hash && strcmp(hash, j->hash) != 0) {
        receive_fail(s, j, "media-error",
                     "its sha-256 does not match the one offered");
        return;
    }
    g_autofree char *path = g_file_get_path(j->dest);
    g_autofree char *size = transfer_size(j->moved);
    g_autofree char *line = g_strdup_printf(
        "%s done (%s, sha-256 %s): saved as %s", j->t->what, size,
        j->hash ? "checked" : "not offered, so not checked", path);
    if (j->cancel_handler) {
        g_signal_handler_disconnect(j->t->cancel, j->cancel_handler);
        j->cancel_handler = 0;
    }
    Transfer *t = j->t;
    j->t = NULL;
    transfer_end(t, FALSE, line);
    /* Kept until the sender's session-terminate. */
    j->state = JINGLE_RECEIVED;
}

static void on_ibb_close(Session *s, xmpp_stanza_t *iq, xmpp_stanza_t *close,
                         const char *from)
{
    const char *sid = xmpp_stanza_get_attribute(close, "sid");
    JingleSession *j = sid ? find_stream(s, sid, from) : NULL;
    if (!j || j->outgoing || j->state != JINGLE_OPEN) {
        reply_error(s, iq, "cancel", "item-not-found", NULL);
        refused(s, "Refused to close in-band bytestream %s of %s: none open.",
                sid ? sid : "(no id)", from);
        return;
    }
    iq_reply_result(s, iq);
    receive_done(s, j);
}

static void on_ibb(Session *s, xmpp_stanza_t *iq, xmpp_stanza_t *child)
{
    const char *from = xmpp_stanza_get_from(iq);
    const char *name = xmpp_stanza_get_name(child);
    if (!from || !jid_is_valid(from)) {
        reply_error(s, iq, "modify", "bad-request", NULL);
        return;
    }
    if (g_strcmp0(name, "open") == 0)
        on_ibb_open(s, iq, child, from);
    else if (g_strcmp0(name, "data") == 0)
        on_ibb_data(s, iq, child, from);
    else if (g_strcmp0(name, "close") == 0)
        on_ibb_close(s, iq, child, from);
    else
        reply_error(s, iq, "cancel", "feature-not-implemented", NULL);
}

/* ---- the feature ---------------------------------------------------------
 */

static void jingle_attach(Session *s)
{
    iq_handle(s, "set", NS_JINGLE, on_jingle);
    iq_handle(s, "set", NS_IBB, on_ibb);
}

/* The connection is gone: every session of the account ends. */
static void jingle_ended(Session *s)
{
    for (guint i = sessions ? sessions->len : 0; i > 0; i--) {
        if (!sessions || i > sessions->len)
            continue;
        JingleSession *j = g_ptr_array_index(sessions, i - 1);
        if (g_strcmp0(j->offer.account, s->account) != 0)
            continue;
        if (!j->t) {
            jingle_free(j);
            continue;
        }
        if (j->out)
            g_output_stream_close(j->out, NULL, NULL);
        if (j->dest && !j->outgoing)
            g_file_delete(j->dest, NULL, NULL);
        g_autofree char *line =
            g_strdup_printf("%s failed: the connection was lost", j->t->what);
        jingle_end(j, TRUE, line);
    }
}

static void jingle_shutdown(void)
{
    while (sessions && sessions->len) {
        JingleSession *j = g_ptr_array_index(sessions, 0);
        /* natter quits in the middle of a file: no partial file stays. */
        if (j->out) {
            g_output_stream_close(j->out, NULL, NULL);
            if (j->dest)
                g_file_delete(j->dest, NULL, NULL);
        }
        jingle_free(j);
    }
    g_clear_pointer(&sessions, g_ptr_array_unref);
}

static const char *const jingle_disco[] = {
    NS_JINGLE, NS_JINGLE_FT,   NS_JINGLE_IBB, NS_IBB,
    NS_HASHES, NS_HASH_SHA256, NULL,
};

const Feature feature_jingle = {
    .name = "jingle",
    .disco = jingle_disco,
    .attach = jingle_attach,
    .ended = jingle_ended,
    .shutdown = jingle_shutdown,
};
