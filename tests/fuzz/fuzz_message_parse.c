/* fuzz_message_parse.c: libFuzzer harness for message_parse() (src/xmpp/
 * message_parse.c), the one place every received <message/> becomes a
 * Message, and for message_build() (message_build.c) on what it parsed.
 *
 * The input is XML text (a NUL ends it). Whatever libstrophe makes of it
 * is parsed as a live message, a sent carbon and an archived one, with a
 * room known; a parsed message must name its account, have a state that
 * fits its direction, and build into a stanza again. Invalid addresses
 * must be refused with an error, never crash. Built with configure
 * --enable-fuzzing; see fuzz_sanitize.c for long runs by hand. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmpp/message_build.h"
#include "xmpp/message_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static xmpp_ctx_t *ctx;

static void check(gboolean ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "invariant broken: %s\n", what);
        abort();
    }
}

static gboolean is_room(const char *bare, gpointer data)
{
    return strcmp(bare, "room@muc.x") == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx) {
        xmpp_initialize();
        ctx = xmpp_ctx_new(NULL, NULL);
    }
    g_autofree char *xml = g_strndup((const char *)data, size);
    xmpp_stanza_t *stanza = xmpp_stanza_new_from_string(ctx, xml);
    if (!stanza)
        return 0;
    static const MessageOrigin origins[] = {MESSAGE_LIVE, MESSAGE_CARBON_SENT,
                                            MESSAGE_ARCHIVED};
    for (guint i = 0; i < G_N_ELEMENTS(origins); i++) {
        MessageParseContext c = {.account = "work",
                                 .own_bare = "me@x",
                                 .origin = origins[i],
                                 .archive_id = "a1",
                                 .is_room = is_room};
        GError *error = NULL;
        Message *m = message_parse(stanza, &c, &error);
        check((m == NULL) == (error != NULL), "an error exactly on failure");
        if (!m) {
            check(error->message && *error->message, "the error says why");
            g_error_free(error);
            continue;
        }
        check(g_strcmp0(m->account, "work") == 0, "the account is set");
        check(m->direction == MESSAGE_OUT || m->state == MESSAGE_RECEIVED,
              "received messages are received");
        check(!m->body || g_utf8_validate(m->body, -1, NULL),
              "the body is UTF-8");
        if (m->peer && !m->error) {
            xmpp_stanza_t *built = message_build(ctx, m);
            check(built != NULL, "what parses builds");
            xmpp_stanza_release(built);
        }
        message_unref(m);
    }
    xmpp_stanza_release(stanza);
    return 0;
}
