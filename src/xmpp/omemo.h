/* omemo.h: OMEMO end-to-end encryption of one-to-one chats, for the
 * command layer: OMEMO:2 (XEP-0384 v0.8+, urn:xmpp:omemo:2) with contacts
 * who announce it, OMEMO 0.3 (eu.siacs.conversations.axolotl) otherwise. The
 * protocol work (keys, device lists and bundles over PEP, the encrypt and
 * decrypt stages of the message pipeline) is in xmpp/omemo*.c. Trust is
 * blind before verification: a device's key is trusted until the user
 * distrusts it; a key that changes for a known device is not. */
#pragma once

#include <glib.h>

#include "core/sink.h"

/* Turns encryption of the chat with JID on or off. Turning it on also
 * fetches JID's devices and keys when ACCOUNT is online (what it finds is
 * said to OUT). */
gboolean omemo_chat_set(const char *account, const char *jid, gboolean on,
                        Sink *out, GError **error);
gboolean omemo_chat_enabled(const char *account, const char *jid);
/* Whether the chat with JID uses OMEMO:2 (JID announces it) rather than
 * OMEMO 0.3. */
gboolean omemo_chat_v2(const char *account, const char *jid);

/* Turns encryption of ROOM (a room we are in) on or off. On, only in a
 * non-anonymous members-only room: otherwise FALSE with ERROR saying
 * what the room lacks. */
gboolean omemo_room_set(const char *account, const char *room, gboolean on,
                        GError **error);
/* Fetches the member lists of ROOM and the keys of their devices, when
 * ACCOUNT is online and in it. */
void omemo_room_prepare(const char *account, const char *room);

/* Lines describing the fingerprints of JID's devices (JID NULL: our own
 * device and our other devices). Caller frees. */
GPtrArray *omemo_fingerprints(const char *account, const char *jid,
                              GError **error);

/* Trusts (verified) or distrusts the device of JID with FINGERPRINT (hex,
 * spaces ignored). */
gboolean omemo_trust(const char *account, const char *jid,
                     const char *fingerprint, gboolean trust, GError **error);
