/* otr_stages.c: libotr's callbacks (what OTR tells us, what it sends, its
 * timer) and the two pipeline stages, decrypt and encrypt. */
#include <string.h>

#include <strophe.h>
#include <libotr/privkey.h>
#include <libotr/sm.h>
#include <libotr/tlv.h>

#include "core/account.h"
#include "core/event.h"
#include "core/pipeline.h"
#include "crypto/otr/otr.h"
#include "crypto/otr/otr_internal.h"
#include "xmpp/inject.h"
#include "xmpp/session.h"

#define NS_OTR       "urn:xmpp:otr:0"
#define NS_HINTS_OTR "urn:xmpp:hints"
#define NS_EME_OTR   "urn:xmpp:eme:0"

static guint stages[3];

/* The window of CONTEXT's conversation. */
static Buffer *context_buffer(void *opdata, ConnContext *context)
{
    return otr_buffer(opdata, context->username);
}

static void say(void *opdata, ConnContext *context, LineKind kind,
                const char *text)
{
    Buffer *b = context_buffer(opdata, context);
    buffer_append(b, kind, NULL, text);
    event_emit_buffer(EVENT_BUFFER_CHANGED, b);
}

/* ---- libotr's callbacks ----------------------------------------------- */

static OtrlPolicy op_policy(void *opdata, ConnContext *context)
{
    /* manual: sessions start when asked (/otr start, or the peer's query).
     * opportunistic: plain messages carry OTR's whitespace tag and a
     * peer's tag starts a session. always: as manual, and the encrypt
     * stage refuses plain text and asks for a session itself. */
    const char *policy = otr_policy_of(opdata, context->username);
    if (g_strcmp0(policy, "opportunistic") == 0)
        return OTRL_POLICY_OPPORTUNISTIC;
    if (g_strcmp0(policy, "always") == 0)
        return OTRL_POLICY_MANUAL | OTRL_POLICY_WHITESPACE_START_AKE |
               OTRL_POLICY_ERROR_START_AKE;
    return OTRL_POLICY_MANUAL;
}

static void op_create_privkey(void *opdata, const char *accountname,
                              const char *protocol)
{
    OtrAccount *oa = opdata;
    /* libotr needs it now; it comes later: the session with the peer
     * libotr works for starts once it is there. */
    if (oa->current_peer)
        g_hash_table_add(oa->start_after_key, g_strdup(oa->current_peer));
    otr_generate_key(oa);
}

static int op_is_logged_in(void *opdata, const char *accountname,
                           const char *protocol, const char *recipient)
{
    Account *a = account_find(accountname);
    return a && session_bound_jid(a) ? 1 : 0;
}

static void op_inject_message(void *opdata, const char *accountname,
                              const char *protocol, const char *recipient,
                              const char *message)
{
    g_autoptr(GError) error = NULL;
    if (!inject_message(accountname, recipient, message, NS_OTR, "OTR", &error))
        buffer_appendf(otr_buffer(opdata, recipient), LINE_ERROR,
                       "OTR could not send to %s: %s", recipient,
                       error->message);
}

static void op_new_fingerprint(void *opdata, OtrlUserState us,
                               const char *accountname, const char *protocol,
                               const char *username,
                               unsigned char fingerprint[20])
{
    char human[OTRL_PRIVKEY_FPRINT_HUMAN_LEN];
    otrl_privkey_hash_to_human(human, fingerprint);
    buffer_appendf(otr_buffer(opdata, username), LINE_INFO,
                   "OTR: %s uses a key new to you, fingerprint %s. Check it "
                   "with them (/otr secret, /otr question) or compare it "
                   "another way and /otr trust.",
                   username, human);
}

static void op_write_fingerprints(void *opdata)
{
    otr_write_fingerprints(opdata);
}

static void op_gone_secure(void *opdata, ConnContext *context)
{
    OtrAccount *oa = opdata;
    /* Private now, whoever started it: nothing more goes in the clear
     * until the user says so (/otr end). */
    g_hash_table_add(oa->wanted, g_strdup(context->username));
    gboolean verified =
        otrl_context_is_fingerprint_trusted(context->active_fingerprint);
    g_autofree char *text = g_strdup_printf(
        "OTR: the conversation with %s is private%s", context->username,
        verified ? " and verified."
                 : ", not verified (/otr fingerprint, /otr secret).");
    say(opdata, context, LINE_INFO, text);
}

static void op_gone_insecure(void *opdata, ConnContext *context)
{
    g_autofree char *text =
        g_strdup_printf("OTR: the conversation with %s is no longer private.",
                        context->username);
    say(opdata, context, LINE_INFO, text);
}

static void op_still_secure(void *opdata, ConnContext *context, int is_reply)
{
    g_autofree char *text = g_strdup_printf(
        "OTR: the private session with %s was renewed.", context->username);
    say(opdata, context, LINE_INFO, text);
}

static const char *op_account_name(void *opdata, const char *account,
                                   const char *protocol)
{
    return g_strdup(account);
}

static void op_free_string(void *opdata, const char *text)
{
    g_free((char *)text);
}

static const char *op_error_message(void *opdata, ConnContext *context,
                                    OtrlErrorCode code)
{
    switch (code) {
    case OTRL_ERRCODE_ENCRYPTION_ERROR:
        return g_strdup("an error occurred while encrypting a message");
    case OTRL_ERRCODE_MSG_NOT_IN_PRIVATE:
        return g_strdup("sent an encrypted message to a peer who has no "
                        "private session with us");
    case OTRL_ERRCODE_MSG_UNREADABLE:
        return g_strdup("sent an unreadable encrypted message");
    case OTRL_ERRCODE_MSG_MALFORMED:
        return g_strdup("sent a malformed message");
    default:
        return g_strdup("OTR error");
    }
}

static void op_free_error(void *opdata, const char *text)
{
    g_free((char *)text);
}

static void op_smp_event(void *opdata, OtrlSMPEvent event, ConnContext *context,
                         unsigned short progress, char *question)
{
    OtrAccount *oa = opdata;
    const char *peer = context->username;
    g_autofree char *text = NULL;
    switch (event) {
    case OTRL_SMPEVENT_ASK_FOR_SECRET:
        g_hash_table_add(oa->smp_asked, g_strdup(peer));
        text = g_strdup_printf("OTR: %s wants to check that you share a "
                               "secret: /otr secret SECRET",
                               peer);
        break;
    case OTRL_SMPEVENT_ASK_FOR_ANSWER:
        g_hash_table_add(oa->smp_asked, g_strdup(peer));
        text = g_strdup_printf("OTR: %s asks you: %s -- answer with /otr "
                               "secret ANSWER",
                               peer, question ? question : "");
        break;
    case OTRL_SMPEVENT_SUCCESS:
        /* libotr has marked the fingerprint; the file is ours to write. */
        otr_write_fingerprints(oa);
        text = context->smstate->received_question
                   ? g_strdup_printf("OTR: you answered right; %s may now "
                                     "trust you (ask your own question to "
                                     "verify %s).",
                                     peer, peer)
                   : g_strdup_printf("OTR: %s is verified: the secret "
                                     "matched.",
                                     peer);
        break;
    case OTRL_SMPEVENT_FAILURE:
        text = g_strdup_printf("OTR: verification of %s failed: the secrets "
                               "differ.",
                               peer);
        break;
    case OTRL_SMPEVENT_ABORT:
        g_hash_table_remove(oa->smp_asked, peer);
        text = g_strdup_printf("OTR: %s stopped the verification.", peer);
        break;
    case OTRL_SMPEVENT_CHEATED:
    case OTRL_SMPEVENT_ERROR:
        otrl_message_abort_smp(oa->us, &otr_ops, oa, context);
        text = g_strdup_printf("OTR: verification with %s broke off (a "
                               "protocol error).",
                               peer);
        break;
    default:
        return;
    }
    say(opdata, context,
        event == OTRL_SMPEVENT_FAILURE || event == OTRL_SMPEVENT_CHEATED ||
                event == OTRL_SMPEVENT_ERROR
            ? LINE_ERROR
            : LINE_INFO,
        text);
    /* The exchange is over. libotr 4.1.1 starts the next one over this
     * one's numbers without releasing them (otrl_sm_step1, step2a): we
     * release them now. The state stays usable: freeing re-initialises. */
    if (event == OTRL_SMPEVENT_SUCCESS || event == OTRL_SMPEVENT_FAILURE)
        otrl_sm_state_free(context->smstate);
}

static void op_msg_event(void *opdata, OtrlMessageEvent event,
                         ConnContext *context, const char *message,
                         gcry_error_t err)
{
    const char *peer = context->username;
    g_autofree char *text = NULL;
    LineKind kind = LINE_ERROR;
    switch (event) {
    case OTRL_MSGEVENT_ENCRYPTION_REQUIRED:
        text = g_strdup_printf("OTR: %s needs a private session first.", peer);
        break;
    case OTRL_MSGEVENT_ENCRYPTION_ERROR:
        text = g_strdup_printf("OTR: the message to %s could not be "
                               "encrypted; nothing was sent.",
                               peer);
        break;
    case OTRL_MSGEVENT_CONNECTION_ENDED:
        text = g_strdup_printf("OTR: %s has ended the private session; "
                               "nothing was sent. /otr end to talk in the "
                               "clear, /otr start for a new session.",
                               peer);
        break;
    case OTRL_MSGEVENT_SETUP_ERROR:
        text = g_strdup_printf("OTR: the private session with %s could not "
                               "be set up: %s",
                               peer, err ? gcry_strerror(err) : "error");
        break;
    case OTRL_MSGEVENT_MSG_REFLECTED:
        text = g_strdup_printf("OTR: %s sent back our own OTR message; "
                               "ignored.",
                               peer);
        break;
    case OTRL_MSGEVENT_MSG_RESENT:
        kind = LINE_INFO;
        text = g_strdup_printf("OTR: the last message to %s was sent again.",
                               peer);
        break;
    case OTRL_MSGEVENT_RCVDMSG_NOT_IN_PRIVATE:
        text = g_strdup_printf("OTR: %s sent an encrypted message, but there "
                               "is no private session with them: it cannot "
                               "be read (/otr start).",
                               peer);
        break;
    case OTRL_MSGEVENT_RCVDMSG_UNREADABLE:
        text = g_strdup_printf("OTR: a message from %s could not be "
                               "decrypted.",
                               peer);
        break;
    case OTRL_MSGEVENT_RCVDMSG_MALFORMED:
        text = g_strdup_printf("OTR: %s sent a malformed OTR message; "
                               "ignored.",
                               peer);
        break;
    case OTRL_MSGEVENT_RCVDMSG_GENERAL_ERR:
        text = g_strdup_printf("OTR: %s reports an error: %s", peer,
                               message ? message : "(none given)");
        break;
    case OTRL_MSGEVENT_RCVDMSG_UNENCRYPTED:
        text = g_strdup_printf("OTR: the next message from %s came in the "
                               "clear, although the conversation is "
                               "private.",
                               peer);
        break;
    case OTRL_MSGEVENT_RCVDMSG_UNRECOGNIZED:
        text = g_strdup_printf("OTR: %s sent an OTR message of a kind we do "
                               "not know; ignored.",
                               peer);
        break;
    default:
        return; /* heartbeats, other instances: nothing to tell */
    }
    say(opdata, context, kind, text);
}

static void op_create_instag(void *opdata, const char *accountname,
                             const char *protocol)
{
    otr_make_instag(opdata);
}

static gboolean poll_timer(gpointer data)
{
    OtrAccount *oa = data;
    otrl_message_poll(oa->us, &otr_ops, oa);
    return G_SOURCE_CONTINUE;
}

static void op_timer_control(void *opdata, unsigned int interval)
{
    OtrAccount *oa = opdata;
    g_clear_handle_id(&oa->timer, g_source_remove);
    /* libotr asks for it only while old keys wait to be forgotten. */
    if (interval)
        oa->timer = g_timeout_add_seconds(interval, poll_timer, oa);
}

const OtrlMessageAppOps otr_ops = {
    .policy = op_policy,
    .create_privkey = op_create_privkey,
    .is_logged_in = op_is_logged_in,
    .inject_message = op_inject_message,
    .new_fingerprint = op_new_fingerprint,
    .write_fingerprints = op_write_fingerprints,
    .gone_secure = op_gone_secure,
    .gone_insecure = op_gone_insecure,
    .still_secure = op_still_secure,
    .account_name = op_account_name,
    .account_name_free = op_free_string,
    .otr_error_message = op_error_message,
    .otr_error_message_free = op_free_error,
    .handle_smp_event = op_smp_event,
    .handle_msg_event = op_msg_event,
    .create_instag = op_create_instag,
    .timer_control = op_timer_control,
};

/* ---- the stages ------------------------------------------------------- */

static MessageTrust context_trust(ConnContext *c)
{
    return otrl_context_is_fingerprint_trusted(c->active_fingerprint)
               ? MESSAGE_TRUST_VERIFIED
               : MESSAGE_TRUST_UNDECIDED;
}

static StageVerdict decrypt_stage(PipelineItem *item, gpointer data)
{
    Message *m = item->message;
    if (m->kind != MESSAGE_CHAT || m->direction != MESSAGE_IN || !m->body ||
        !m->peer)
        return STAGE_CONTINUE;
    gboolean otr = strstr(m->body, "?OTR") != NULL;
    if (m->origin != MESSAGE_LIVE)
        /* A copy from another device or an archive: OTR's messages belong
         * to the session they were made for; never shown or stored. */
        return otr ? STAGE_CONSUMED : STAGE_CONTINUE;
    OtrAccount *oa = otr_account(m->account);
    if (!oa)
        return STAGE_CONTINUE;
    if (otr && !otrl_privkey_find(oa->us, m->account, OTR_PROTOCOL)) {
        /* Without our key libotr would start a key exchange it cannot
         * finish; we make the key and then start one of our own. */
        if (!g_hash_table_contains(oa->start_after_key, m->peer))
            buffer_appendf(otr_buffer(oa, m->peer), LINE_INFO,
                           "OTR: %s wants a private session; making your "
                           "key first.",
                           m->peer);
        g_hash_table_add(oa->start_after_key, g_strdup(m->peer));
        otr_generate_key(oa);
        return STAGE_CONSUMED;
    }
    char *text = NULL;
    OtrlTLV *tlvs = NULL;
    ConnContext *c = NULL;
    oa->current_peer = m->peer;
    int internal =
        otrl_message_receiving(oa->us, &otr_ops, oa, m->account, OTR_PROTOCOL,
                               m->peer, m->body, &text, &tlvs, &c, NULL, NULL);
    oa->current_peer = NULL;
    if (tlvs && otrl_tlv_find(tlvs, OTRL_TLV_DISCONNECTED) && c) {
        g_autofree char *line = g_strdup_printf(
            "OTR: %s has ended the private session. Nothing more is sent "
            "to them until /otr end (in the clear) or /otr start.",
            m->peer);
        say(oa, c, LINE_INFO, line);
    }
    otrl_tlv_free(tlvs);
    if (internal) {
        otrl_message_free(text);
        return STAGE_CONSUMED;
    }
    gboolean encrypted = g_str_has_prefix(m->body, "?OTR:") && c &&
                         c->msgstate == OTRL_MSGSTATE_ENCRYPTED;
    if (text) {
        g_free(m->body);
        m->body = g_strdup(text);
        otrl_message_free(text);
    }
    if (encrypted) {
        m->security = MESSAGE_OTR;
        m->trust = context_trust(c);
    }
    return STAGE_CONTINUE;
}

/* Replaces the text of STANZA's <body/> with TEXT. */
static void set_body(xmpp_stanza_t *stanza, const char *text)
{
    xmpp_stanza_t *body = xmpp_stanza_get_child_by_name(stanza, "body");
    xmpp_stanza_t *old = body ? xmpp_stanza_get_children(body) : NULL;
    if (old && xmpp_stanza_is_text(old)) {
        xmpp_stanza_set_text(old, text);
        return;
    }
    if (!body)
        xmpp_message_set_body(stanza, text);
}

static void add_child_ns(xmpp_stanza_t *stanza, const char *name,
                         const char *ns)
{
    xmpp_ctx_t *ctx = xmpp_stanza_get_context(stanza);
    xmpp_stanza_t *child = xmpp_stanza_new(ctx);
    xmpp_stanza_set_name(child, name);
    xmpp_stanza_set_ns(child, ns);
    xmpp_stanza_add_child(stanza, child);
    xmpp_stanza_release(child);
}

static StageVerdict encrypt_stage(PipelineItem *item, gpointer data)
{
    Message *m = item->message;
    if (m->kind != MESSAGE_CHAT || !m->peer)
        return STAGE_CONTINUE;
    OtrAccount *oa = otr_account(m->account);
    if (!oa)
        return STAGE_CONTINUE;
    ConnContext *c =
        otrl_context_find(oa->us, m->peer, m->account, OTR_PROTOCOL,
                          OTRL_INSTAG_BEST, 0, NULL, NULL, NULL);
    OtrlMessageState state = c ? c->msgstate : OTRL_MSGSTATE_PLAINTEXT;
    gboolean wanted = g_hash_table_contains(oa->wanted, m->peer);
    if (state == OTRL_MSGSTATE_FINISHED)
        return pipeline_refuse(item,
                               "%s has ended the OTR session (/otr end to "
                               "talk in the clear, /otr start for a new one)",
                               m->peer);
    if (state != OTRL_MSGSTATE_ENCRYPTED &&
        g_strcmp0(otr_policy_of(oa, m->peer), "always") == 0 && !wanted) {
        /* Nothing in the clear to anyone: ask for a session, once. */
        g_autoptr(GError) error = NULL;
        otr_start(m->account, m->peer, &error);
        wanted = TRUE;
    }
    if (state != OTRL_MSGSTATE_ENCRYPTED && wanted)
        return pipeline_refuse(item,
                               "the conversation with %s is not private yet "
                               "(OTR); send it again once it is, or /otr end",
                               m->peer);
    gboolean tag = state != OTRL_MSGSTATE_ENCRYPTED;
    if (tag && g_strcmp0(otr_policy_of(oa, m->peer), "opportunistic") != 0)
        return STAGE_CONTINUE;
    xmpp_stanza_t *stanza = item->stanza;
    xmpp_stanza_t *body = xmpp_stanza_get_child_by_name(stanza, "body");
    /* OTR carries text only: a reaction or retraction in a private
     * conversation would leave in the clear, so it does not leave. */
    if (!body)
        return tag ? STAGE_CONTINUE
                   : pipeline_refuse(item,
                                     "OTR carries only text: this would go "
                                     "to %s in the clear",
                                     m->peer);
    /* Borrowed, not copied: see lsan_suppressions.c. */
    xmpp_stanza_t *text = xmpp_stanza_get_children(body);
    const char *plain = text && xmpp_stanza_is_text(text)
                            ? xmpp_stanza_get_text_ptr(text)
                            : NULL;
    char *cipher = NULL;
    oa->current_peer = m->peer;
    gcry_error_t err = otrl_message_sending(
        oa->us, &otr_ops, oa, m->account, OTR_PROTOCOL, m->peer,
        OTRL_INSTAG_BEST, plain ? plain : "", NULL, &cipher,
        OTRL_FRAGMENT_SEND_SKIP, NULL, NULL, NULL);
    oa->current_peer = NULL;
    if (tag) {
        /* Plain text, opportunistic: libotr may have added its whitespace
         * tag (the first message of a conversation); nothing else. */
        if (!err && cipher)
            set_body(stanza, cipher);
        otrl_message_free(cipher);
        return STAGE_CONTINUE;
    }
    if (err || !cipher || !g_str_has_prefix(cipher, "?OTR")) {
        otrl_message_free(cipher);
        return pipeline_refuse(item, "OTR could not encrypt it for %s",
                               m->peer);
    }
    set_body(stanza, cipher);
    otrl_message_free(cipher);
    add_child_ns(stanza, "no-copy", NS_HINTS_OTR);
    add_child_ns(stanza, "no-store", NS_HINTS_OTR);
    xmpp_ctx_t *ctx = xmpp_stanza_get_context(stanza);
    xmpp_stanza_t *eme = xmpp_stanza_new(ctx);
    xmpp_stanza_set_name(eme, "encryption");
    xmpp_stanza_set_ns(eme, NS_EME_OTR);
    xmpp_stanza_set_attribute(eme, "namespace", NS_OTR);
    xmpp_stanza_set_attribute(eme, "name", "OTR");
    xmpp_stanza_add_child(stanza, eme);
    xmpp_stanza_release(eme);
    m->security = MESSAGE_OTR;
    m->trust = context_trust(c);
    return STAGE_CONTINUE;
}

/* What we type in a private conversation is stored and shown as OTR
 * (before the store stage); it is encrypted when it leaves, or refused. */
static StageVerdict mark_stage(PipelineItem *item, gpointer data)
{
    Message *m = item->message;
    OtrAccount *oa =
        m->kind == MESSAGE_CHAT && m->peer ? otr_account(m->account) : NULL;
    ConnContext *c =
        oa ? otrl_context_find(oa->us, m->peer, m->account, OTR_PROTOCOL,
                               OTRL_INSTAG_BEST, 0, NULL, NULL, NULL)
           : NULL;
    if (c && c->msgstate == OTRL_MSGSTATE_ENCRYPTED) {
        m->security = MESSAGE_OTR;
        m->trust = context_trust(c);
    }
    return STAGE_CONTINUE;
}

void otr_stages_init(void)
{
    stages[2] = pipeline_add(PIPELINE_OUT, STAGE_STORE - 10, "otr", mark_stage,
                             NULL, NULL);
    stages[0] = pipeline_add(PIPELINE_IN, STAGE_DECRYPT, "otr", decrypt_stage,
                             NULL, NULL);
    stages[1] = pipeline_add(PIPELINE_SEND, STAGE_ENCRYPT, "otr", encrypt_stage,
                             NULL, NULL);
}

void otr_stages_shutdown(void)
{
    for (guint i = 0; i < G_N_ELEMENTS(stages); i++)
        g_clear_handle_id(&stages[i], pipeline_remove);
}
