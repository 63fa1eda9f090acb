/* otr_internal.h: what the files of crypto/otr share: the OTR state of
 * one account and libotr's callbacks. */
#pragma once

#include <glib.h>
#include <libotr/proto.h>
#include <libotr/message.h>

#include "core/buffer.h"

#define OTR_PROTOCOL "xmpp"

/* The OTR state of one account. */
typedef struct {
    char *account;
    OtrlUserState us;
    char *key_path, *fingerprint_path, *instag_path; /* or NULL: no data dir */
    char *policy_path;    /* the contacts' own policies, or NULL */
    GHashTable *policies; /* bare JID -> "manual"... (the contact's own) */
    gboolean generating;  /* our key is being made in a thread */
    /* Peers we send a query to once the key is ready. */
    GHashTable *start_after_key; /* bare JID -> TRUE */
    /* Peers the user wants private: nothing goes to them in the clear. */
    GHashTable *wanted; /* bare JID -> TRUE */
    /* Peers whose SMP question (or request for the secret) is open. */
    GHashTable *smp_asked;    /* bare JID -> TRUE */
    const char *current_peer; /* the peer libotr is working for, or NULL */
    guint timer;              /* libotr's poll timer, or 0 */
} OtrAccount;

extern const OtrlMessageAppOps otr_ops;

/* The OTR state of ACCOUNT, made (and its files read) on first use, or
 * NULL when there is no such account. */
OtrAccount *otr_account(const char *account);

/* Makes our key in a thread, and after it asks the peers in
 * start_after_key for a session. */
void otr_generate_key(OtrAccount *oa);
/* Writes the fingerprints (mode 0600). */
void otr_write_fingerprints(OtrAccount *oa);
/* Makes the instance tag of the account and writes it. */
void otr_make_instag(OtrAccount *oa);

/* The OTR policy for PEER: the contact's own, else the otr_policy
 * setting ("manual", "opportunistic" or "always"). */
const char *otr_policy_of(const OtrAccount *oa, const char *peer);

/* The chat window with PEER, opened if needed. */
Buffer *otr_buffer(const OtrAccount *oa, const char *peer);
/* Sends the OTR query to PEER. */
void otr_send_query(OtrAccount *oa, const char *peer);

/* The pipeline stages (otr_stages.c). */
void otr_stages_init(void);
void otr_stages_shutdown(void);
