/* pipeline.h: the message pipeline. Every message, in or out, passes an
 * ordered list of named stages; each answers continue, consumed (it took
 * the message: nothing after it runs) or refused (the message goes no
 * further, and the stage says why).
 *
 *   PIPELINE_IN    a received message, parsed: authority -> room ->
 *                  decrypt -> signals (acks, chat states, amendments) ->
 *                  store (duplicates stop here) -> answer (receipts) ->
 *                  deliver (EVENT_MESSAGE_RECEIVED: the view, notifications,
 *                  hooks and plugins subscribe)
 *   PIPELINE_OUT   a message the user typed: store as pending -> deliver
 *                  (EVENT_MESSAGE_SENT)
 *   PIPELINE_SEND  one of ours leaving, now or when the account (or room)
 *                  is back: encrypt -> decorate -> send. A message typed
 *                  offline is thus encrypted with the keys current when it
 *                  leaves, and an encrypt stage that cannot encrypt as
 *                  the conversation requires refuses: it is never sent in
 *                  the clear.
 *
 * Stages are registered at run time (built-in features at init, plugins
 * later) with a priority; equal priorities run in registration order.
 * A stage may send stanzas of its own (OTR answers its key exchange
 * through the session in the item). */
#pragma once

#include <glib.h>

#include "core/message.h"

typedef enum {
    PIPELINE_IN,
    PIPELINE_OUT,
    PIPELINE_SEND,
    PIPELINE_COUNT
} PipelineKind;

typedef enum {
    STAGE_CONTINUE, /* the next stage has it */
    STAGE_CONSUMED, /* this stage took it; nothing after runs */
    STAGE_REFUSED,  /* it goes no further; PipelineItem.reason says why */
} StageVerdict;

/* The priorities of the built-in stages; others fit in between. */
enum {
    STAGE_AUTHORITY = 100, /* IN: may this sender say this? */
    STAGE_ROOM = 150,      /* IN: what a room does with it */
    STAGE_DECRYPT = 200,   /* IN: OMEMO, OTR */
    STAGE_SIGNALS = 300,   /* IN: acks, chat states, amendments */
    STAGE_STORE = 400,     /* IN, OUT: into the history */
    STAGE_ANSWER = 450,    /* IN: receipts */
    STAGE_DELIVER = 500,   /* IN, OUT: the message event */
    STAGE_ENCRYPT = 200,   /* SEND */
    STAGE_DECORATE = 300,  /* SEND: receipt request, markable, chat state */
    STAGE_TRANSMIT = 900,  /* SEND: onto the wire */
};

/* What passes through the stages. */
typedef struct {
    Message *message; /* stages may change it (a decrypted body) */
    /* The protocol layer's stanza (xmpp_stanza_t): the one received, or
     * the one being built to send. Opaque here. */
    gpointer stanza;
    /* The protocol layer's session of the account (xmpp/ Session). */
    gpointer session;
    char *reason;      /* set by a stage that refuses (pipeline_refuse) */
    const char *stage; /* the stage that consumed or refused it */
} PipelineItem;

typedef StageVerdict (*StageFunc)(PipelineItem *item, gpointer data);

void pipeline_init(void);
void pipeline_shutdown(void);

/* Adds a stage; returns an id for pipeline_remove() (never 0). NAME is
 * kept (a literal or a string that outlives the stage). */
guint pipeline_add(PipelineKind kind, int priority, const char *name,
                   StageFunc func, gpointer data, GDestroyNotify destroy);
void pipeline_remove(guint id);

/* Runs ITEM through the stages of KIND. Returns STAGE_CONTINUE when every
 * stage let it through. */
StageVerdict pipeline_run(PipelineKind kind, PipelineItem *item);

/* Sets ITEM's reason (printf-style) and returns STAGE_REFUSED. */
StageVerdict pipeline_refuse(PipelineItem *item, const char *format, ...)
    G_GNUC_PRINTF(2, 3);

/* Frees what a run left in ITEM (the reason). */
void pipeline_item_clear(PipelineItem *item);

/* The names of the stages of KIND in order ("authority, room, ..."), for
 * /help and debugging. Caller frees. */
char *pipeline_describe(PipelineKind kind);
