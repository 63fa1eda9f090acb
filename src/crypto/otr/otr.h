/* otr.h: Off-the-Record messaging (OTR version 3, with instance tags) on
 * libotr, for the command layer and the UI. One-to-one chats only.
 *
 * OTR is two pipeline stages (core/pipeline.h): on the way in, decrypt
 * turns OTR data into text and consumes OTR's own protocol messages
 * (queries, key exchange, SMP); on the way out, encrypt encrypts every
 * message of a private conversation, and refuses one the user wanted
 * private while the conversation is not (yet): nothing is sent in the
 * clear. What OTR has to say (a session gone private, a new fingerprint,
 * a failed verification) is a line in the conversation's window.
 *
 * Per account, in its data directory (mode 0600, libotr's own formats, so
 * keys can be brought from or to another libotr client): otr.private_key,
 * otr.fingerprints, otr.instance_tags. The key is made when first needed,
 * in a thread: the screen does not freeze. */
#pragma once

#include <glib.h>

void otr_init(void);
void otr_shutdown(void);

/* Asks PEER to start an OTR session (makes our key first if there is
 * none), and from now on refuses to send to PEER in the clear. */
gboolean otr_start(const char *account, const char *peer, GError **error);
/* Ends the OTR session with PEER (tells the peer) and lets messages go in
 * the clear again. */
gboolean otr_end(const char *account, const char *peer, GError **error);

/* Our fingerprint for ACCOUNT ("XXXXXXXX XXXXXXXX ..."), or NULL when we
 * have no key yet. Caller frees. */
char *otr_own_fingerprint(const char *account);
/* The fingerprints we know of PEER, each "FINGERPRINT (verified)" with
 * the one in use marked; an empty array when none. Caller frees. */
GPtrArray *otr_peer_fingerprints(const char *account, const char *peer);

/* Marks the fingerprint PEER uses in the current session as verified
 * (TRUST) or not (FALSE), and saves it. */
gboolean otr_trust(const char *account, const char *peer, gboolean trust,
                   GError **error);

/* The socialist millionaires' protocol: checks that PEER knows SECRET
 * (asked QUESTION, when not NULL), or answers PEER's question with it. */
gboolean otr_smp(const char *account, const char *peer, const char *question,
                 const char *secret, GError **error);

/* The policy for PEER ("manual", "opportunistic", "always"); *OWN says
 * whether it is the contact's own or the otr_policy setting's. */
const char *otr_policy(const char *account, const char *peer, gboolean *own);
/* Gives PEER a policy of its own (POLICY one of the above), or takes it
 * away (POLICY NULL: the setting's again); kept in the account's data
 * directory (otr.policies). */
gboolean otr_set_policy(const char *account, const char *peer,
                        const char *policy, GError **error);

/* "OTR", "OTR verified", "OTR ended" for the title of the chat with PEER,
 * or NULL when the conversation is not OTR. */
const char *otr_status(const char *account, const char *peer);
