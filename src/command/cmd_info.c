/* cmd_info.c: asking other entities about themselves: /disco, /caps,
 * /software, /ping, /time, /lastactivity, /vcard, and /browse, the
 * service discovery browser. Each sends its request and
 * returns; the answer appears later in the window the command was typed
 * in. */
#include <string.h>

#include "command/families.h"
#include "util/error.h"
#include "xmpp/info.h"

static const char *arg(const CommandCall *call, int i)
{
    return call->argc > i ? call->argv[i] : NULL;
}

static gboolean cmd_disco(const CommandCall *call, GError **error)
{
    const char *what = call->argv[0];
    if (strcmp(what, "info") == 0)
        return disco_query_info(call->account, arg(call, 1), arg(call, 2),
                                call->out, error);
    if (strcmp(what, "items") == 0)
        return disco_query_items(call->account, arg(call, 1), arg(call, 2),
                                 call->out, error);
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                "usage: /disco info|items [JID [NODE]]");
    return FALSE;
}

static gboolean cmd_caps(const CommandCall *call, GError **error)
{
    if (!command_need_account(call, error))
        return FALSE;
    return caps_show(call->account, call->argv[0], call->out, error);
}

static gboolean cmd_software(const CommandCall *call, GError **error)
{
    return version_query(call->account, call->argv[0], call->out, error);
}

static gboolean cmd_ping(const CommandCall *call, GError **error)
{
    return ping_send(call->account, arg(call, 0), call->out, error);
}

static gboolean cmd_time(const CommandCall *call, GError **error)
{
    return entitytime_query(call->account, call->argv[0], call->out, error);
}

static gboolean cmd_lastactivity(const CommandCall *call, GError **error)
{
    return lastactivity_query(call->account, arg(call, 0), call->out, error);
}

static gboolean cmd_browse(const CommandCall *call, GError **error)
{
    const char *first = arg(call, 0);
    guint64 n;
    if (first && call->argc == 1 &&
        g_ascii_string_to_unsigned(first, 10, 1, G_MAXUINT, &n, NULL))
        return browse_item(call->account, (guint)n, call->out, error);
    return browse_open(call->account, first, arg(call, 1), call->out, error);
}

static gboolean cmd_vcard(const CommandCall *call, GError **error)
{
    if (call->argc >= 1 && strcmp(call->argv[0], "set") == 0) {
        if (call->argc < 2) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "usage: /vcard set FIELD [VALUE]");
            return FALSE;
        }
        return vcard_set(call->account, call->argv[1], arg(call, 2), call->out,
                         error);
    }
    if (call->argc == 1 && strcmp(call->argv[0], "edit") == 0)
        return vcard_edit(call->account, call->out, error);
    if (call->argc > 1) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "usage: /vcard [JID], /vcard set FIELD [VALUE] or "
                    "/vcard edit");
        return FALSE;
    }
    return vcard_show(call->account, arg(call, 0), call->out, error);
}

static const CommandArg jid_arg[] = {
    {"JID", "an address: a server, an account (user@domain) or one client "
            "of it (user@domain/resource)"},
    {NULL, NULL}};

const CommandDef cmd_info_commands[] = {
    {
        .name = "browse",
        .synopsis =
            (const char *const[]){"/browse [JID [NODE]]", "/browse N", NULL},
        .summary = "walk what a server and its services offer",
        .description =
            "Shows what JID (default: your server), or a NODE of it, is "
            "(its identities), does (its features) and lists (its items, "
            "numbered), in a window of its own, browse:JID (service "
            "discovery, XEP-0030). /browse N opens item N of the last "
            "listing: one level down, to find rooms, gateways, upload and "
            "pubsub services.",
        .args = (const CommandArg[]){{"JID", "the entity to look at"},
                                     {"NODE", "a node of that entity"},
                                     {"N", "an item of the last listing"},
                                     {NULL, NULL}},
        .examples =
            (const char *const[]){"/browse", "/browse 2",
                                  "/browse conference.example.org", NULL},
        .min_args = 0,
        .max_args = 2,
        .per_account = TRUE,
        .func = cmd_browse,
    },
    {
        .name = "caps",
        .synopsis = (const char *const[]){"/caps JID", NULL},
        .summary = "show what a contact's client can do",
        .description =
            "Shows the capabilities (XEP-0115) the clients of JID announced "
            "in their presence: identity and features, from natter's cache. "
            "A client's features are asked once and cached in the data "
            "directory (caps.cache) only when they match the hash the "
            "client announced.",
        .args = jid_arg,
        .examples = (const char *const[]){"/caps bob@example.org", NULL},
        .min_args = 1,
        .max_args = 1,
        .per_account = TRUE,
        .func = cmd_caps,
    },
    {
        .name = "disco",
        .synopsis = (const char *const[]){"/disco info [JID [NODE]]",
                                          "/disco items [JID [NODE]]", NULL},
        .summary = "service discovery: what an entity is and offers",
        .description =
            "Asks JID (default: your server) what it is and which features "
            "it supports (info), or which items, such as services, it lists "
            "(items), with service discovery (XEP-0030).",
        .args = (const CommandArg[]){{"JID", "the entity to ask"},
                                     {"NODE", "a node of that entity"},
                                     {NULL, NULL}},
        .examples = (const char *const[]){"/disco info",
                                          "/disco items example.org", NULL},
        .min_args = 1,
        .max_args = 3,
        .per_account = TRUE,
        .func = cmd_disco,
    },
    {
        .name = "lastactivity",
        .synopsis = (const char *const[]){"/lastactivity [JID]", NULL},
        .summary = "idle time, last logout or uptime",
        .description =
            "Asks for the last activity (XEP-0012) of JID: how long a "
            "client (user@domain/resource) has been idle, how long ago an "
            "account (user@domain) was last online, or for how long a "
            "server (the default) has been up. natter answers such "
            "questions with the time since your last key press unless "
            "answer_last_activity is off.",
        .args = jid_arg,
        .examples =
            (const char *const[]){"/lastactivity",
                                  "/lastactivity bob@example.org", NULL},
        .min_args = 0,
        .max_args = 1,
        .per_account = TRUE,
        .func = cmd_lastactivity,
    },
    {
        .name = "vcard",
        .synopsis =
            (const char *const[]){"/vcard [JID]", "/vcard set FIELD [VALUE]",
                                  "/vcard edit", NULL},
        .summary = "show a card, or change a field of your own",
        .description =
            "Shows the card of JID (default: your own) in a window of its "
            "own, vcard:JID: the vCard4 it publishes (XEP-0292) or, when it "
            "has none, its vcard-temp (XEP-0054). /vcard set changes one "
            "field of your own card, or removes it without a VALUE; the "
            "rest of the card (a photo, what other clients wrote) is kept, "
            "and the card is written back in the form it was read. /vcard "
            "edit opens your card in a form window: /form set and /form add "
            "change its fields, /form submit saves it. The "
            "fields: fn (name), given, surname, nickname, bday, email, tel, "
            "impp, url, org, title, role, locality, region, country, tz, "
            "note. Setting a field of several values (email, tel, impp, "
            "url) makes VALUE its only value. The nicknames contacts "
            "publish (XEP-0172) are shown for contacts that have no name in "
            "your roster.",
        .args = (const CommandArg[]){{"JID", "whose card (user@domain)"},
                                     {"FIELD", "a field of the card: fn, "
                                               "email, tel, note..."},
                                     {"VALUE", "its new value, the rest of "
                                               "the line"},
                                     {NULL, NULL}},
        .examples =
            (const char *const[]){"/vcard bob@example.org",
                                  "/vcard set fn Alice Liddell",
                                  "/vcard set email", "/vcard edit", NULL},
        .min_args = 0,
        .max_args = 3,
        .rest = TRUE,
        .per_account = TRUE,
        .func = cmd_vcard,
    },
    {
        .name = "ping",
        .synopsis = (const char *const[]){"/ping [JID]", NULL},
        .summary = "round trip time to an entity",
        .description = "Pings JID (default: your server) with XEP-0199 and "
                       "shows the round trip time, or the error.",
        .args = jid_arg,
        .examples =
            (const char *const[]){"/ping", "/ping bob@example.org/phone", NULL},
        .min_args = 0,
        .max_args = 1,
        .per_account = TRUE,
        .func = cmd_ping,
    },
    {
        .name = "software",
        .synopsis = (const char *const[]){"/software JID", NULL},
        .summary = "which software a client or server runs",
        .description =
            "Asks JID for its software name, version and operating system "
            "(XEP-0092). Ask a client by its full address "
            "(user@domain/resource). natter answers such questions with its "
            "name and version unless answer_version is off; the operating "
            "system only if answer_version_os is on.",
        .args = jid_arg,
        .examples =
            (const char *const[]){"/software example.org",
                                  "/software bob@example.org/phone", NULL},
        .min_args = 1,
        .max_args = 1,
        .per_account = TRUE,
        .func = cmd_software,
    },
    {
        .name = "time",
        .synopsis = (const char *const[]){"/time JID", NULL},
        .summary = "the local time of a client or server",
        .description =
            "Asks JID for its local time and time zone (XEP-0202). natter "
            "answers such questions unless answer_time is off.",
        .args = jid_arg,
        .examples = (const char *const[]){"/time bob@example.org/phone", NULL},
        .min_args = 1,
        .max_args = 1,
        .per_account = TRUE,
        .func = cmd_time,
    },
    {NULL},
};
