/* cmd_otr.c: /otr, Off-the-Record messaging in a one-to-one chat
 * (crypto/otr/otr.h). Built only with OTR (configure --without-otr leaves
 * it out, and the command with it). */
#include <string.h>

#include "command/families.h"
#include "crypto/otr/otr.h"
#include "util/error.h"
#include "util/jid.h"

static gboolean otr_usage(GError **error)
{
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "usage: /otr start|end|trust|distrust, /otr fingerprint "
                "[JID], /otr secret SECRET, /otr question QUESTION ANSWER, "
                "/otr policy [manual|opportunistic|always|default]");
    return FALSE;
}

/* The contact of the chat the command was typed in, or NULL with ERROR
 * set. */
static const char *chat_peer(const CommandCall *call, GError **error)
{
    if (call->buffer && call->buffer->kind == BUFFER_CHAT && call->buffer->peer)
        return call->buffer->peer;
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "OTR is for one-to-one chats: type it in the chat's window");
    return NULL;
}

static gboolean fingerprints(const CommandCall *call, const char *jid,
                             GError **error)
{
    g_autofree char *ours = otr_own_fingerprint(call->account);
    command_printf(call, LINE_INFO, "Your OTR fingerprint (%s): %s",
                   call->account,
                   ours ? ours : "none yet (made at the first /otr start)");
    if (!jid)
        return TRUE;
    g_autoptr(Jid) peer = jid_parse(jid, error);
    if (!peer)
        return FALSE;
    g_autoptr(GPtrArray) theirs = otr_peer_fingerprints(call->account, jid);
    if (theirs->len == 0)
        command_printf(call, LINE_INFO, "No OTR fingerprint known for %s.",
                       peer->bare);
    for (guint i = 0; i < theirs->len; i++)
        command_printf(call, LINE_INFO, "%s: %s", peer->bare,
                       (const char *)g_ptr_array_index(theirs, i));
    return TRUE;
}

/* The words of ARGV from FIRST on, joined by spaces. Caller frees. */
static char *words_from(const CommandCall *call, int first)
{
    return g_strjoinv(" ", call->argv + first);
}

static gboolean cmd_otr(const CommandCall *call, GError **error)
{
    const char *sub = call->argv[0];
    if (!command_need_account(call, error))
        return FALSE;
    if (strcmp(sub, "fingerprint") == 0) {
        if (call->argc > 2)
            return otr_usage(error);
        const char *jid = call->argc > 1 ? call->argv[1] : NULL;
        if (!jid && call->buffer && call->buffer->kind == BUFFER_CHAT)
            jid = call->buffer->peer;
        return fingerprints(call, jid, error);
    }
    if (strcmp(sub, "policy") == 0) {
        if (call->argc > 2)
            return otr_usage(error);
        const char *peer = chat_peer(call, error);
        if (!peer)
            return FALSE;
        if (call->argc == 2) {
            const char *p = call->argv[1];
            if (!otr_set_policy(call->account, peer,
                                strcmp(p, "default") == 0 ? NULL : p, error))
                return FALSE;
        }
        gboolean own = FALSE;
        const char *policy = otr_policy(call->account, peer, &own);
        command_printf(call, LINE_INFO, "OTR policy for %s: %s%s", peer, policy,
                       own ? "" : " (the otr_policy setting)");
        return TRUE;
    }
    gboolean no_args = strcmp(sub, "start") == 0 || strcmp(sub, "end") == 0 ||
                       strcmp(sub, "trust") == 0 ||
                       strcmp(sub, "distrust") == 0;
    if (no_args && call->argc > 1)
        return otr_usage(error);
    if (!no_args && strcmp(sub, "secret") != 0 && strcmp(sub, "question") != 0)
        return otr_usage(error);
    const char *peer = chat_peer(call, error);
    if (!peer)
        return FALSE;
    if (strcmp(sub, "start") == 0)
        return otr_start(call->account, peer, error);
    if (strcmp(sub, "end") == 0)
        return otr_end(call->account, peer, error);
    if (strcmp(sub, "trust") == 0 || strcmp(sub, "distrust") == 0)
        return otr_trust(call->account, peer, strcmp(sub, "trust") == 0, error);
    if (strcmp(sub, "secret") == 0) {
        if (call->argc < 2)
            return otr_usage(error);
        g_autofree char *secret = words_from(call, 1);
        return otr_smp(call->account, peer, NULL, secret, error);
    }
    if (call->argc < 3)
        return otr_usage(error);
    g_autofree char *answer = words_from(call, 2);
    return otr_smp(call->account, peer, call->argv[1], answer, error);
}

const CommandDef cmd_otr_commands[] = {
    {
        .name = "otr",
        .synopsis =
            (const char *const[]){
                "/otr start", "/otr end", "/otr fingerprint [JID]",
                "/otr trust", "/otr distrust", "/otr secret SECRET",
                "/otr question QUESTION ANSWER", "/otr policy",
                "/otr policy "
                "manual|opportunistic|always|default",
                NULL},
        .summary = "Off-the-Record encryption in a one-to-one chat",
        .description =
            "OTR (version 3, libotr) encrypts a one-to-one chat so that only "
            "the two of you can read it, with keys that are forgotten after "
            "the conversation. Typed in a chat: start asks the contact for a "
            "private session (your key is made first if you have none, which "
            "takes a few seconds; the screen does not freeze). From then on, "
            "and whenever the contact started the session, nothing is sent "
            "to that contact in the clear: a message typed before the "
            "session is private, or after the contact ended it, is refused "
            "and marked failed. end ends the session and lets messages go in "
            "the clear again. The otr_policy setting says when sessions "
            "start: manual (when asked), opportunistic (also when both "
            "clients say they can) or always (nothing in the clear to "
            "anyone); policy gives the contact of the chat a policy of its "
            "own (default: the setting's again), kept in otr.policies, and "
            "shows the one in force. The title and the lines of the chat say "
            "whether it is private (OTR) and verified. fingerprint shows "
            "yours and those known of the contact (or of JID). A fingerprint "
            "is verified either by comparing it with the contact another way "
            "and typing trust (distrust takes it back), or by the socialist "
            "millionaires' protocol: secret checks that the contact knows "
            "the same SECRET, question asks them QUESTION whose answer is "
            "ANSWER; when the contact asks you, answer with secret. OTR "
            "messages carry the no-copy and no-store hints, so other devices "
            "and the server's archive do not keep them. The key, "
            "fingerprints and instance tag are in the account's data "
            "directory (otr.private_key, otr.fingerprints, "
            "otr.instance_tags; mode 0600) in libotr's own formats: files "
            "from another libotr client (Pidgin, mcabber, Profanity) can be "
            "copied there once the account name and protocol \"xmpp\" in "
            "them are changed to natter's.",
        .args = (const CommandArg[]){{"JID", "a contact (default: the chat's)"},
                                     {"SECRET", "a secret you both know"},
                                     {"QUESTION", "a question (quoted) only "
                                                  "the contact can answer"},
                                     {"ANSWER", "its answer"},
                                     {NULL, NULL}},
        .examples =
            (const char *const[]){"/otr start", "/otr fingerprint",
                                  "/otr question \"Where did we meet?\" "
                                  "Lisbon",
                                  "/otr secret Lisbon", NULL},
        .min_args = 1,
        .max_args = 3,
        .rest = TRUE,
        .per_account = TRUE,
        .func = cmd_otr,
    },
    {NULL},
};
