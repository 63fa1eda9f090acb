/* pubsub.h: publish-subscribe (XEP-0060) for the command layer: a
 * service's nodes and a node's items, subscribing, publishing, creating
 * and deleting nodes. SERVICE is a pubsub service's JID (a component such
 * as pubsub.example.org, or an account's bare JID for its PEP nodes).
 * Each call sends its request and returns; the answer is printed to OUT,
 * items into the node's view window "pubsub:SERVICE/NODE". FALSE with
 * ERROR set when it cannot be sent (offline, bad address). */
#pragma once

#include "core/sink.h"

typedef enum {
    PUBSUB_NODES,
    PUBSUB_ITEMS,
    PUBSUB_SUBSCRIBE,
    PUBSUB_UNSUBSCRIBE,
    PUBSUB_CREATE,
    PUBSUB_DELETE,
} PubsubAction;

/* ACTION on NODE of SERVICE (NODE unused for PUBSUB_NODES). */
gboolean pubsub_request(const char *account, PubsubAction action,
                        const char *service, const char *node, Sink *out,
                        GError **error);

/* Publishes one item to NODE: PAYLOAD is XML (one element) when it starts
 * with '<', otherwise text, carried in <text xmlns="urn:natter:text"/>. */
gboolean pubsub_publish(const char *account, const char *service,
                        const char *node, const char *payload, Sink *out,
                        GError **error);
