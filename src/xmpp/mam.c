/* mam.c: see mam.h. One catch-up per session at a time: a query with our
 * own queryid, answered by <result/> messages and then the IQ result with
 * <fin/>; while it is not complete, the next page starts after the last
 * id. The last id is saved after each page, so a catch-up cut short (a
 * crash, a lost connection) resumes where it stopped. */
#include "xmpp/feature.h"
#include "xmpp/mam.h"

#include "core/buffer.h"
#include "core/conversation.h"
#include "util/jid.h"
#include "xmpp/iq.h"
#include "xmpp/message_internal.h"
#include "xmpp/stanza.h"
#include "xmpp/ns.h"

#define PAGE_SIZE "250"
/* The archive id to start after next time, in the history's values. */
#define LAST_ID_KEY "mam_last_id"

static void query_page(Session *s, const char *after);

static void set_last_id(Session *s, const char *id)
{
    History *h = conversation_history(s->account);
    if (h && id)
        history_set_value(h, LAST_ID_KEY, id, NULL);
}

static void finish(Session *s, const char *why)
{
    /* What it brought is stored before it is announced (the pump's batch
     * would commit it a moment later: too late for whoever believes the
     * announcement and reads the history). */
    conversation_batch_commit(s->account);
    Buffer *console = buffer_account_console(s->account);
    if (why)
        buffer_appendf(console, LINE_ERROR,
                       "Catching up from the server's archive failed: %s", why);
    else if (s->mam_count)
        buffer_appendf(console, LINE_INFO,
                       "%u message%s from the server's archive.", s->mam_count,
                       s->mam_count == 1 ? "" : "s");
    g_clear_pointer(&s->mam_query, g_free);
}

static void on_page(Session *s, xmpp_stanza_t *result, gpointer data)
{
    g_autofree char *after = data; /* where this page started */
    if (!result || !s->mam_query)
        return; /* the session ended: the next login resumes */
    if (!iq_is_result(result)) {
        g_autofree char *why = stanza_error_describe(result);
        if (after && g_str_has_prefix(why, "item-not-found")) {
            /* Our last id is no longer in the archive (expired): take the
             * newest page instead of nothing. */
            query_page(s, NULL);
            return;
        }
        finish(s, why);
        return;
    }
    xmpp_stanza_t *fin =
        xmpp_stanza_get_child_by_name_and_ns(result, "fin", NS_MAM);
    xmpp_stanza_t *set =
        fin ? xmpp_stanza_get_child_by_name_and_ns(fin, "set", NS_RSM) : NULL;
    g_autofree char *last = set ? stanza_child_text(set, "last", NULL) : NULL;
    set_last_id(s, last);
    gboolean complete =
        !fin ||
        g_strcmp0(xmpp_stanza_get_attribute(fin, "complete"), "true") == 0;
    /* A first catch-up (no id known) takes only the newest page. */
    if (complete || !last || !after) {
        finish(s, NULL);
        return;
    }
    query_page(s, last);
}

static void query_page(Session *s, const char *after)
{
    xmpp_stanza_t *query = NULL;
    xmpp_stanza_t *iq = iq_new(s, "set", NULL, "query", NS_MAM, &query);
    xmpp_stanza_set_attribute(query, "queryid", s->mam_query);
    xmpp_stanza_t *form = stanza_add_child_ns(query, "x", NS_DATA);
    xmpp_stanza_set_type(form, "submit");
    xmpp_stanza_t *field = stanza_add_child_ns(form, "field", NULL);
    xmpp_stanza_set_attribute(field, "var", "FORM_TYPE");
    xmpp_stanza_set_type(field, "hidden");
    stanza_add_text_child(field, "value", NS_MAM);
    xmpp_stanza_t *set = stanza_add_child_ns(query, "set", NS_RSM);
    stanza_add_text_child(set, "max", PAGE_SIZE);
    if (after)
        stanza_add_text_child(set, "after", after);
    else
        stanza_add_child_ns(set, "before", NULL); /* the newest page */
    iq_send(s, iq, on_page, g_strdup(after), NULL);
    /* The server reads the next page while the last one commits. */
    connloop_queued_unordered(s->loop);
    xmpp_stanza_release(iq);
}

void mam_catch_up(Session *s)
{
    if (s->mam_query)
        return;
    mam_flush(s); /* start after what live messages already brought */
    History *h = conversation_history(s->account);
    if (!h)
        return; /* nowhere to keep what it would bring */
    s->mam_query = session_new_id(s);
    s->mam_count = 0;
    g_autofree char *last = history_get_value(h, LAST_ID_KEY);
    query_page(s, last);
}

gboolean mam_take_result(Session *s, xmpp_stanza_t *stanza)
{
    xmpp_stanza_t *result =
        xmpp_stanza_get_child_by_name_and_ns(stanza, "result", NS_MAM);
    if (!result)
        return FALSE;
    const char *from = xmpp_stanza_get_from(stanza);
    const char *own = s->own_bare;
    g_autofree char *resource = from ? jid_resource(from) : NULL;
    const char *queryid = xmpp_stanza_get_attribute(result, "queryid");
    Buffer *console = buffer_account_console(s->account);
    if (from && (!own || !jid_bare_equal(from, own) || resource)) {
        buffer_appendf(console, LINE_ERROR,
                       "Ignored archive results from %s: only your own "
                       "archive is asked.",
                       from);
        return TRUE;
    }
    if (!s->mam_query || g_strcmp0(queryid, s->mam_query) != 0) {
        buffer_appendf(console, LINE_ERROR,
                       "Ignored archive results for a query natter did not "
                       "make (%s).",
                       queryid ? queryid : "no query id");
        return TRUE;
    }
    const char *id = xmpp_stanza_get_id(result);
    xmpp_stanza_t *forwarded =
        xmpp_stanza_get_child_by_name_and_ns(result, "forwarded", NS_FORWARD);
    xmpp_stanza_t *message =
        forwarded ? xmpp_stanza_get_child_by_name(forwarded, "message") : NULL;
    if (!id || !message) {
        buffer_append(console, LINE_ERROR, NULL,
                      "Ignored an archive result without a message or id.");
        return TRUE;
    }
    /* Room messages come from the rooms' own archives (muc_mam.c); a
     * server that also keeps them in ours gives them twice. */
    if (g_strcmp0(xmpp_stanza_get_type(message), "groupchat") == 0)
        return TRUE;
    if (message_receive(s, message, MESSAGE_ARCHIVED, id,
                        stanza_delay_time(forwarded)))
        s->mam_count++;
    return TRUE;
}

void mam_note_live(Session *s, const char *archive_id)
{
    /* During a catch-up the pages say where to go on; a live id would
     * skip what the catch-up has not reached yet. */
    if (!s->mam_query) {
        g_free(s->mam_live_id);
        s->mam_live_id = g_strdup(archive_id);
    }
}

void mam_flush(Session *s)
{
    g_autofree char *id = g_steal_pointer(&s->mam_live_id);
    set_last_id(s, id);
}

void mam_session_ended(Session *s)
{
    mam_flush(s);
    g_clear_pointer(&s->mam_query, g_free);
}

/* A resumed stream lost nothing: only a fresh one catches up. */
static void mam_started(Session *s, gboolean resumed)
{
    if (!resumed)
        mam_catch_up(s);
}

const Feature feature_mam = {
    .name = "mam",
    .started = mam_started,
    .ended = mam_session_ended,
};
