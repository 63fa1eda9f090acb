/* omemo_internal.h: what the files of OMEMO (omemo.c: keys, PEP, the
 * encrypt stage; omemo_decrypt.c: the decrypt stage; omemo_trust.c: the
 * commands' side) share. Internal to xmpp/. */
#pragma once

#include <omemo/signal_protocol.h>

#include "core/message.h"
#include "core/pipeline.h"
#include "core/sink.h"
#include "xmpp/omemo_store.h"
#include "xmpp/session_internal.h"

#define NS_OMEMO        "eu.siacs.conversations.axolotl"
#define NODE_DEVICES    NS_OMEMO ".devicelist"
#define NODE_BUNDLES    NS_OMEMO ".bundles:"
#define NS_EME          "urn:xmpp:eme:0"
#define PREKEYS         100
#define SESSION_VERSION 3 /* the Signal wire format: OMEMO 0.3 */
#define FALLBACK                                                               \
    "This message is encrypted with OMEMO, which your client does not seem "   \
    "to support."

typedef struct {
    char *account;
    OmemoStore *store;
    signal_context *ctx;
    signal_protocol_store_context *sctx;
    guint32 device_id;
} OmemoAccount;

/* The OMEMO state of ACCOUNT, opened (and created: identity, device id,
 * prekeys) on first use; NULL with ERROR. */
OmemoAccount *omemo_account(const char *account, GError **error);

/* Adds prekeys until there are 100; TRUE when it added (the bundle must
 * then be published again). */
gboolean omemo_refill_prekeys(OmemoAccount *a);
void omemo_publish_bundle(Session *s, OmemoAccount *a);
gboolean omemo_has_device(const GArray *devices, guint32 id);

/* Fetches PEER's device list and ours, and the bundles of the devices we
 * have no session with; then transmits M again (when not NULL) and says
 * what it found to OUT (when not NULL). */
void omemo_prepare(Session *s, OmemoAccount *a, const char *peer, Message *m,
                   Sink *out);

/* The IN stage (omemo_decrypt.c). */
StageVerdict omemo_decrypt_stage(PipelineItem *item, gpointer data);
