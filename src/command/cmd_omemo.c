/* cmd_omemo.c: /omemo: OMEMO (0.3 and OMEMO:2) end-to-end encryption of
 * one-to-one chats (xmpp/omemo.h): turning it on and off per chat,
 * fingerprints, trust. */
#include <string.h>

#include "command/families.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/omemo.h"

/* The contact of the chat window, or the room of the room window, CALL
 * was typed in, or NULL with ERROR. */
static const char *chat_peer(const CommandCall *call, GError **error)
{
    Buffer *b = call->buffer;
    if (b && (b->kind == BUFFER_CHAT || b->kind == BUFFER_ROOM) && b->peer)
        return b->peer;
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "/omemo on and off work in a chat window (/msg JID opens "
                "one) or a room's window");
    return NULL;
}

static gboolean cmd_omemo(const CommandCall *call, GError **error)
{
    if (!command_need_account(call, error))
        return FALSE;
    const char *what = call->argv[0];
    if (strcmp(what, "on") == 0 || strcmp(what, "off") == 0) {
        gboolean on = what[1] == 'n';
        const char *peer = call->argc == 1 ? chat_peer(call, error) : NULL;
        if (call->argc > 1) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "usage: /omemo %s (in the chat window)", what);
            return FALSE;
        }
        if (!peer)
            return FALSE;
        if (call->buffer->kind == BUFFER_ROOM) {
            if (!omemo_room_set(call->account, peer, on, call->out, error))
                return FALSE;
            command_printf(call, LINE_INFO,
                           on ? "OMEMO on: messages to %s are encrypted to "
                                "every member's devices, or not sent at all"
                              : "OMEMO off: messages to %s are sent in the "
                                "clear",
                           peer);
            return TRUE;
        }
        if (!omemo_chat_set(call->account, peer, on, call->out, error))
            return FALSE;
        command_printf(call, LINE_INFO,
                       on ? "OMEMO on: messages to %s are encrypted, or not "
                            "sent at all"
                          : "OMEMO off: messages to %s are sent in the clear",
                       peer);
        return TRUE;
    }
    if (strcmp(what, "fingerprints") == 0) {
        if (call->argc > 2) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "usage: /omemo fingerprints [JID]");
            return FALSE;
        }
        g_autofree char *jid = call->argc == 2 ? jid_bare(call->argv[1]) : NULL;
        if (call->argc == 2 && !jid) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "not a JID: %s", call->argv[1]);
            return FALSE;
        }
        g_autoptr(GPtrArray) lines =
            omemo_fingerprints(call->account, jid, error);
        if (!lines)
            return FALSE;
        for (guint i = 0; i < lines->len; i++)
            command_print(call, LINE_INFO, lines->pdata[i]);
        return TRUE;
    }
    if (strcmp(what, "trust") == 0 || strcmp(what, "distrust") == 0 ||
        strcmp(what, "untrust") == 0) {
        gboolean trust = what[0] == 't';
        if (call->argc != 3) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "usage: /omemo %s JID FINGERPRINT", what);
            return FALSE;
        }
        g_autofree char *jid = jid_bare(call->argv[1]);
        if (!jid) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "not a JID: %s", call->argv[1]);
            return FALSE;
        }
        if (!omemo_trust(call->account, jid, call->argv[2], trust, error))
            return FALSE;
        command_printf(call, LINE_INFO,
                       trust ? "OMEMO: that device of %s is verified"
                             : "OMEMO: that device of %s is distrusted: "
                               "nothing is encrypted to it and its "
                               "messages are marked untrusted",
                       jid);
        return TRUE;
    }
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "/omemo on, off, fingerprints, trust or distrust; not %s",
                what);
    return FALSE;
}

const CommandDef cmd_omemo_commands[] = {
    {
        .name = "omemo",
        .synopsis =
            (const char *const[]){"/omemo on", "/omemo off",
                                  "/omemo fingerprints [JID]",
                                  "/omemo trust JID FINGERPRINT",
                                  "/omemo distrust JID FINGERPRINT",
                                  "/omemo untrust JID FINGERPRINT", NULL},
        .summary = "end-to-end encryption of a chat or room (OMEMO)",
        .description =
            "OMEMO encrypts a one-to-one chat so that only the devices of "
            "your contact and your own other devices can read it, not the "
            "servers. natter speaks both versions: OMEMO:2 (XEP-0384 v0.8 "
            "and later, urn:xmpp:omemo:2) with a contact who announces it, "
            "and OMEMO 0.3 (eu.siacs.conversations.axolotl, the version "
            "Conversations, Dino, Gajim and Profanity speak) otherwise; "
            "their devices that speak only 0.3 get it in the same message. "
            "One device has one key and one fingerprint in both. The chat's "
            "title says [OMEMO:2] or [OMEMO], and each encrypted line says "
            "which secured it: [OMEMO:2] or [OMEMO] (0.3). Typed in a chat "
            "window, /omemo on "
            "encrypts every message to that contact from now on (kept "
            "across restarts) and fetches their devices and keys; a "
            "message that cannot be encrypted (the contact has no OMEMO "
            "device, or all its keys are distrusted) is not sent and says "
            "why: it is never sent in the clear. /omemo off sends in the "
            "clear again. In a room's window, /omemo on works only when "
            "the room shows everyone's real JID (non-anonymous) and lets "
            "only members in (members-only), as other OMEMO clients "
            "require; it says which the room lacks otherwise. Room "
            "messages are encrypted to every device of every member (the "
            "room's member lists and its occupants) and your other "
            "devices, with OMEMO:2 when all of them announce it and 0.3 "
            "otherwise; a member without OMEMO, or a room "
            "that stops being suitable, makes the message refused, never "
            "sent in the clear. "
            "With /set omemo_policy automatic, a chat you "
            "made no choice for is encrypted as soon as natter finds that "
            "the contact has OMEMO devices (before your first message "
            "there leaves, or when they write encrypted); /omemo on and "
            "off still win. Received OMEMO messages are decrypted whatever "
            "the setting and marked; one that cannot be decrypted shows a "
            "line saying why. Trust: natter trusts a device's key blindly "
            "until you decide (blind trust before verification); compare "
            "the fingerprints /omemo fingerprints JID shows with those "
            "your contact's client shows, then /omemo trust marks a device "
            "verified and /omemo distrust (or untrust) stops encrypting to it "
            "and marks "
            "its messages untrusted. A known device whose key changes is "
            "distrusted until you trust it again. With /set omemo_trust "
            "manual, a device seen for the first time is not encrypted to "
            "until you trust it. A new device of a contact one of whose "
            "devices you verified is announced in red. Without JID, /omemo "
            "fingerprints shows this device's fingerprint (also as an "
            "xmpp: link with omemo-sid-, the form other clients scan as a "
            "QR code) and your other "
            "devices'; each device says which versions it announces. A "
            "device that has answered none of the last 100 messages "
            "encrypted to it (a lost or wiped phone: a live device answers "
            "at least every 53 with an empty message, as natter does) is "
            "stale: natter says so once and leaves it out while the "
            "contact has a live device, until it writes again. Keys "
            "live in omemo.db in the account's data directory.",
        .args = (const CommandArg[]){{"JID", "a contact (bare JID)"},
                                     {"FINGERPRINT",
                                      "a device's fingerprint as /omemo "
                                      "fingerprints shows it (hex; spaces "
                                      "ignored)"},
                                     {NULL, NULL}},
        .examples =
            (const char *const[]){"/omemo on",
                                  "/omemo fingerprints bob@example.org", NULL},
        .min_args = 1,
        .max_args = 3,
        .rest = TRUE,
        .per_account = TRUE,
        .func = cmd_omemo,
    },
    {NULL},
};
