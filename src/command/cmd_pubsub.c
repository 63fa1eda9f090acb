/* cmd_pubsub.c: /pubsub, publish-subscribe (XEP-0060) for feeds and
 * devices: what a service offers, a node's items, following a node,
 * publishing to it, creating and deleting nodes. */
#include <string.h>

#include "command/families.h"
#include "util/error.h"
#include "xmpp/pubsub.h"

static gboolean cmd_pubsub(const CommandCall *call, GError **error)
{
    static const struct {
        const char *word;
        PubsubAction action;
    } actions[] = {
        {"nodes", PUBSUB_NODES},         {"items", PUBSUB_ITEMS},
        {"subscribe", PUBSUB_SUBSCRIBE}, {"unsubscribe", PUBSUB_UNSUBSCRIBE},
        {"create", PUBSUB_CREATE},       {"delete", PUBSUB_DELETE},
    };
    const char *what = call->argv[0];
    const char *service = call->argc > 1 ? call->argv[1] : NULL;
    const char *node = call->argc > 2 ? call->argv[2] : NULL;
    if (!command_need_account(call, error))
        return FALSE;
    if (strcmp(what, "publish") == 0)
        return pubsub_publish(call->account, service, node,
                              call->argc > 3 ? call->argv[3] : NULL, call->out,
                              error);
    for (guint i = 0; i < G_N_ELEMENTS(actions); i++) {
        if (strcmp(what, actions[i].word) != 0)
            continue;
        if (call->argc > (actions[i].action == PUBSUB_NODES ? 2 : 3)) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "too many words for /pubsub %s (see /help pubsub)",
                        what);
            return FALSE;
        }
        return pubsub_request(call->account, actions[i].action, service, node,
                              call->out, error);
    }
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "/pubsub %s: not a pubsub action (nodes, items, subscribe, "
                "unsubscribe, publish, create, delete)",
                what);
    return FALSE;
}

const CommandDef cmd_pubsub_commands[] = {
    {
        .name = "pubsub",
        .synopsis =
            (const char *const[]){"/pubsub nodes SERVICE",
                                  "/pubsub items SERVICE NODE",
                                  "/pubsub subscribe|unsubscribe SERVICE NODE",
                                  "/pubsub publish SERVICE NODE PAYLOAD",
                                  "/pubsub create|delete SERVICE NODE", NULL},
        .summary = "publish-subscribe: feeds and devices",
        .description =
            "Publish-subscribe (XEP-0060), how XMPP carries feeds and the "
            "readings of devices. nodes lists the nodes SERVICE offers; "
            "items shows the items of NODE in a window of its own, "
            "pubsub:SERVICE/NODE; subscribe follows NODE, whose new items "
            "then appear in that window as they are published (and raise "
            "the pubsub-item event for hooks), unsubscribe stops; publish "
            "publishes PAYLOAD, an XML element when it starts with '<', "
            "otherwise text; create and delete make and remove a node (as "
            "its owner). SERVICE is a pubsub service (pubsub.example.org) "
            "or an account's address for its personal nodes (PEP). Items "
            "are shown as their text, or as their XML when they hold "
            "elements.",
        .args =
            (const CommandArg[]){
                {"SERVICE", "a pubsub service or an account (a JID)"},
                {"NODE", "a node of that service"},
                {"PAYLOAD", "the rest of the line: text, or one XML element"},
                {NULL, NULL}},
        .examples =
            (const char *const[]){
                "/pubsub nodes pubsub.example.org",
                "/pubsub subscribe pubsub.example.org sensors/kitchen",
                "/pubsub publish pubsub.example.org notes Milk is out",
                "/pubsub publish pubsub.example.org sensors/kitchen "
                "<reading xmlns='urn:example:sensor' unit='C'>21.5</reading>",
                NULL},
        .min_args = 1,
        .max_args = 4,
        .rest = TRUE,
        .per_account = TRUE,
        .func = cmd_pubsub,
    },
    {NULL},
};
