/* hooks.c: event hooks (hooks.h): the hooks file, the events they listen
 * to, and running their programs. A running hook is a HookRun: its child
 * (GSubprocess, driven by the main loop), the body written to its stdin,
 * the start of its stderr kept for the report, and its timeout. */
#include "core/hooks.h"

#include <gio/gio.h>
#include <string.h>

#include "core/account.h"
#include "core/buffer.h"
#include "core/event.h"
#include "core/paths.h"
#include "core/roster.h"
#include "core/settings.h"
#include "util/error.h"

#define HOOKS_FILE      "hooks"
#define HOOK_STDERR_MAX 512 /* bytes of a hook's stderr kept for its report */
/* Larger bodies are only on stdin: an environment variable that long
 * could make exec fail (E2BIG). */
#define HOOK_BODY_ENV_MAX 65536

static const char *const events[] = {
    "message-received", "message-sent",
    "presence-changed", "subscription-request",
    "room-invitation",  "room-kicked",
    "account-online",   "account-offline",
    "pubsub-item",      NULL,
};

static GPtrArray *hooks;         /* Hook *, sorted by name */
static char *load_error;         /* why the file could not be read, or NULL */
static GPtrArray *subscriptions; /* event subscription ids */
static GHashTable *runs;         /* HookRun * (owned) */
static guint n_running;
static gboolean drop_reported; /* a drop was reported since the last start */

typedef struct {
    char *name;  /* the hook's */
    char *event; /* what it ran for */
    GSubprocess *child;
    GCancellable *cancel;
    GBytes *body;
    GString *err;  /* the start of its stderr */
    guint pending; /* async operations still running */
    guint timeout, timeout_source;
    gboolean timed_out;
    gboolean verbose; /* /hook test: report success too */
} HookRun;

static void hook_free(gpointer data)
{
    Hook *hook = data;
    g_free(hook->name);
    g_free(hook->event);
    g_free(hook->command);
    g_free(hook->account);
    g_free(hook->peer);
    g_free(hook);
}

static void run_free(gpointer data)
{
    HookRun *run = data;
    if (run->timeout_source)
        g_source_remove(run->timeout_source);
    g_free(run->name);
    g_free(run->event);
    g_clear_object(&run->child);
    g_clear_object(&run->cancel);
    if (run->body)
        g_bytes_unref(run->body);
    g_string_free(run->err, TRUE);
    g_free(run);
}

const char *const *hooks_events(void)
{
    return events;
}

static gboolean known_event(const char *name)
{
    return g_strv_contains(events, name);
}

const GPtrArray *hooks_list(void)
{
    return hooks;
}

static Hook *find_hook(const char *name)
{
    for (guint i = 0; i < hooks->len; i++) {
        Hook *hook = g_ptr_array_index(hooks, i);
        if (!strcmp(hook->name, name))
            return hook;
    }
    return NULL;
}

static gint compare_hooks(gconstpointer a, gconstpointer b)
{
    const Hook *x = *(Hook *const *)a, *y = *(Hook *const *)b;
    return strcmp(x->name, y->name);
}

/* -- running ------------------------------------------------------------ */

static void report(LineKind kind, const char *format, ...) G_GNUC_PRINTF(2, 3);
static void report(LineKind kind, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    g_autofree char *text = g_strdup_vprintf(format, args);
    va_end(args);
    buffer_appendf(buffer_console(), kind, "%s", text);
}

static void run_done(HookRun *run)
{
    if (--run->pending)
        return;
    GSubprocess *child = run->child;
    g_autofree char *how = NULL;
    gboolean ok = FALSE;
    if (run->timed_out)
        how = g_strdup_printf("was killed after %u s", run->timeout);
    else if (g_subprocess_get_if_exited(child)) {
        int status = g_subprocess_get_exit_status(child);
        ok = status == 0;
        how = g_strdup_printf("exited with status %d", status);
    } else if (g_subprocess_get_if_signaled(child))
        how = g_strdup_printf("was killed by signal %d",
                              g_subprocess_get_term_sig(child));
    else
        how = g_strdup("ended");
    if (!ok || run->verbose) {
        g_autofree char *err = g_utf8_make_valid(run->err->str, -1);
        g_strchomp(err);
        report(ok ? LINE_INFO : LINE_ERROR, "hook %s (%s) %s%s%s", run->name,
               run->event, how, *err ? ": " : "", err);
    }
    n_running--;
    g_hash_table_remove(runs, run);
}

static void on_written(GObject *source, GAsyncResult *result, gpointer data)
{
    HookRun *run = data;
    /* A hook that does not read its stdin is not an error: EPIPE is
     * ignored (natter ignores SIGPIPE). */
    g_output_stream_write_all_finish(G_OUTPUT_STREAM(source), result, NULL,
                                     NULL);
    g_output_stream_close(G_OUTPUT_STREAM(source), NULL, NULL);
    run_done(run);
}

static void on_stderr(GObject *source, GAsyncResult *result, gpointer data)
{
    HookRun *run = data;
    g_autoptr(GBytes) bytes =
        g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), result, NULL);
    gsize len = bytes ? g_bytes_get_size(bytes) : 0;
    if (len) {
        gsize room = HOOK_STDERR_MAX - MIN(run->err->len, HOOK_STDERR_MAX);
        g_string_append_len(run->err, g_bytes_get_data(bytes, NULL),
                            (gssize)MIN(len, room));
        g_input_stream_read_bytes_async(G_INPUT_STREAM(source), 4096,
                                        G_PRIORITY_DEFAULT, run->cancel,
                                        on_stderr, run);
        return;
    }
    run_done(run);
}

static void on_exited(GObject *source, GAsyncResult *result, gpointer data)
{
    HookRun *run = data;
    g_subprocess_wait_finish(G_SUBPROCESS(source), result, NULL);
    if (run->timeout_source) {
        g_source_remove(run->timeout_source);
        run->timeout_source = 0;
    }
    run_done(run);
}

static gboolean on_timeout(gpointer data)
{
    HookRun *run = data;
    run->timeout_source = 0;
    run->timed_out = TRUE;
    g_subprocess_force_exit(run->child);
    return G_SOURCE_REMOVE;
}

/* Starts HOOK for EVENT with the variables ENV ("NAME", "value" pairs,
 * NULL-terminated) and BODY on its stdin (or nothing). */
static void run_hook(const Hook *hook, const char *event,
                     const char *const *env, const char *body, gboolean verbose)
{
    if (n_running >= (guint)settings_get_int("hook_max_running")) {
        if (!drop_reported)
            report(LINE_ERROR,
                   "hook %s: %u hooks are running already (hook_max_running)"
                   ", %s dropped; more may be until one ends",
                   hook->name, n_running, event);
        drop_reported = TRUE;
        return;
    }
    g_auto(GStrv) argv = NULL;
    g_autoptr(GError) error = NULL;
    if (!g_shell_parse_argv(hook->command, NULL, &argv, &error)) {
        report(LINE_ERROR, "hook %s: cannot split its command: %s", hook->name,
               error->message);
        return;
    }

    /* The parent's NATTER_ variables never reach a hook: only this
     * event's. */
    g_auto(GStrv) environ = g_get_environ();
    for (char **e = environ; *e;) {
        if (g_str_has_prefix(*e, "NATTER_")) {
            g_autofree char *key = g_strndup(*e, strcspn(*e, "="));
            environ = g_environ_unsetenv(environ, key);
            e = environ;
        } else
            e++;
    }
    environ = g_environ_setenv(environ, "NATTER_EVENT", event, TRUE);
    for (const char *const *p = env; p[0]; p += 2)
        if (p[1])
            environ = g_environ_setenv(environ, p[0], p[1], TRUE);
    if (body && strlen(body) <= HOOK_BODY_ENV_MAX)
        environ = g_environ_setenv(environ, "NATTER_BODY", body, TRUE);

    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
        G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
        G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_subprocess_launcher_set_environ(launcher, environ);
    GSubprocess *child = g_subprocess_launcher_spawnv(
        launcher, (const char *const *)argv, &error);
    if (!child) {
        report(LINE_ERROR, "hook %s (%s): cannot run %s: %s", hook->name, event,
               argv[0], error->message);
        return;
    }

    HookRun *run = g_new0(HookRun, 1);
    run->name = g_strdup(hook->name);
    run->event = g_strdup(event);
    run->child = child;
    run->cancel = g_cancellable_new();
    run->err = g_string_new(NULL);
    run->verbose = verbose;
    run->timeout =
        hook->timeout ? hook->timeout : (guint)settings_get_int("hook_timeout");
    run->timeout_source = g_timeout_add_seconds(run->timeout, on_timeout, run);
    g_hash_table_add(runs, run);
    n_running++;
    drop_reported = FALSE;

    run->pending = 3;
    GOutputStream *in = g_subprocess_get_stdin_pipe(child);
    run->body = g_bytes_new(body ? body : "", body ? strlen(body) : 0);
    gsize len;
    const void *data = g_bytes_get_data(run->body, &len);
    g_output_stream_write_all_async(in, data, len, G_PRIORITY_DEFAULT,
                                    run->cancel, on_written, run);
    g_input_stream_read_bytes_async(g_subprocess_get_stderr_pipe(child), 4096,
                                    G_PRIORITY_DEFAULT, run->cancel, on_stderr,
                                    run);
    g_subprocess_wait_async(child, run->cancel, on_exited, run);
}

/* PEER matches a hook's filter FILTER when it is that JID, or its bare
 * part is (a room's occupant matches the room). */
static gboolean peer_matches(const char *filter, const char *peer)
{
    if (!filter)
        return TRUE;
    if (!peer)
        return FALSE;
    gsize bare = strcspn(peer, "/");
    return !g_ascii_strcasecmp(filter, peer) ||
           (strlen(filter) == bare && !g_ascii_strncasecmp(filter, peer, bare));
}

/* The window shown is the conversation with PEER of ACCOUNT. */
static gboolean peer_is_current(const char *account, const char *peer)
{
    const Buffer *current = buffer_current();
    return current && peer && current->account && current->peer &&
           !g_strcmp0(current->account, account) &&
           !g_ascii_strcasecmp(current->peer, peer);
}

static void fire(const char *event, const char *account, const char *peer,
                 const char *const *env, const char *body)
{
    for (guint i = 0; i < hooks->len; i++) {
        const Hook *hook = g_ptr_array_index(hooks, i);
        if (!strcmp(hook->event, event) &&
            (!hook->account || !g_strcmp0(hook->account, account)) &&
            peer_matches(hook->peer, peer) &&
            !(hook->not_current && peer_is_current(account, peer)))
            run_hook(hook, event, env, body, FALSE);
    }
}

/* -- events ------------------------------------------------------------- */

static const char *kind_name(MessageKind kind)
{
    switch (kind) {
    case MESSAGE_GROUPCHAT:
        return "groupchat";
    case MESSAGE_PRIVATE:
        return "private";
    case MESSAGE_HEADLINE:
        return "headline";
    default:
        return "chat";
    }
}

static const char *security_name(MessageSecurity security)
{
    switch (security) {
    case MESSAGE_OTR:
        return "otr";
    case MESSAGE_OMEMO:
        return "omemo";
    case MESSAGE_OMEMO2:
        return "omemo2";
    default:
        return "no";
    }
}

static const char *origin_name(MessageOrigin origin)
{
    switch (origin) {
    case MESSAGE_CARBON_RECEIVED:
    case MESSAGE_CARBON_SENT:
        return "carbon";
    case MESSAGE_ARCHIVED:
        return "archive";
    case MESSAGE_LOCAL:
        return "local";
    default:
        return "live";
    }
}

static EventResult on_message(const Message *message, gpointer data)
{
    const char *event = data;
    /* Our own messages from another client are not "received"; signals
     * without a body (a subject alone) are not messages to hook. */
    if (!message->body || (!strcmp(event, "message-received") &&
                           message->direction == MESSAGE_OUT))
        return EVENT_CONTINUE;
    const char *env[] = {
        "NATTER_ACCOUNT",
        message->account,
        "NATTER_PEER",
        message->peer,
        "NATTER_FROM",
        message->from,
        "NATTER_NICK",
        message->nick,
        "NATTER_KIND",
        kind_name(message->kind),
        "NATTER_ENCRYPTED",
        security_name(message->security),
        "NATTER_ORIGIN",
        origin_name(message->origin),
        "NATTER_HIGHLIGHT",
        message->highlight ? "1" : "0",
        "NATTER_ID",
        message->message_id,
        NULL,
        NULL,
    };
    fire(event, message->account, message->peer, env, message->body);
    return EVENT_CONTINUE;
}

static EventResult on_presence(Account *account, const char *jid, gpointer data)
{
    (void)data;
    if (!jid)
        return EVENT_CONTINUE;
    const RosterResource *best = roster_best_resource(account->name, jid);
    const char *env[] = {
        "NATTER_ACCOUNT",
        account->name,
        "NATTER_FROM",
        jid,
        "NATTER_PEER",
        jid,
        "NATTER_SHOW",
        presence_show_name(best ? best->show : PRESENCE_OFFLINE),
        "NATTER_STATUS",
        best ? best->status : NULL,
        NULL,
        NULL,
    };
    fire("presence-changed", account->name, jid, env,
         best ? best->status : NULL);
    return EVENT_CONTINUE;
}

static EventResult on_subscription(const EventSubscription *request,
                                   gpointer data)
{
    (void)data;
    const char *env[] = {
        "NATTER_ACCOUNT", request->account->name, "NATTER_FROM", request->jid,
        "NATTER_PEER",    request->jid,           "NATTER_NICK", request->nick,
        "NATTER_STATUS",  request->status,        NULL,          NULL,
    };
    fire("subscription-request", request->account->name, request->jid, env,
         request->status);
    return EVENT_CONTINUE;
}

static EventResult on_invitation(const EventInvitation *invitation,
                                 gpointer data)
{
    (void)data;
    const MessageInvite *invite = invitation->invite;
    const char *env[] = {
        "NATTER_ACCOUNT",
        invitation->account->name,
        "NATTER_FROM",
        invite->inviter,
        "NATTER_PEER",
        invite->room,
        "NATTER_ROOM",
        invite->room,
        "NATTER_REASON",
        invite->reason,
        NULL,
        NULL,
    };
    fire("room-invitation", invitation->account->name, invite->room, env,
         invite->reason);
    return EVENT_CONTINUE;
}

static EventResult on_kick(const EventKick *kick, gpointer data)
{
    (void)data;
    const char *env[] = {
        "NATTER_ACCOUNT",
        kick->account->name,
        "NATTER_PEER",
        kick->room,
        "NATTER_ROOM",
        kick->room,
        "NATTER_HOW",
        kick->how,
        "NATTER_FROM",
        kick->actor,
        "NATTER_REASON",
        kick->reason,
        NULL,
        NULL,
    };
    fire("room-kicked", kick->account->name, kick->room, env, kick->reason);
    return EVENT_CONTINUE;
}

static EventResult on_pubsub(const EventPubsub *item, gpointer data)
{
    (void)data;
    const char *env[] = {
        "NATTER_ACCOUNT",
        item->account->name,
        "NATTER_PEER",
        item->service,
        "NATTER_FROM",
        item->service,
        "NATTER_NODE",
        item->node,
        "NATTER_ID",
        item->id,
        NULL,
        NULL,
    };
    fire("pubsub-item", item->account->name, item->service, env, item->text);
    return EVENT_CONTINUE;
}

static EventResult on_account(Account *account, gpointer data)
{
    const char *event = data;
    /* account-offline: every change of state that ends offline. */
    if (!strcmp(event, "account-offline") && account->state != ACCOUNT_OFFLINE)
        return EVENT_CONTINUE;
    const char *env[] = {
        "NATTER_ACCOUNT", account->name, "NATTER_FROM",
        account->jid,     NULL,          NULL,
    };
    fire(event, account->name, NULL, env, NULL);
    return EVENT_CONTINUE;
}

static void subscribe(guint id)
{
    g_ptr_array_add(subscriptions, GUINT_TO_POINTER(id));
}

/* -- the file ----------------------------------------------------------- */

static gboolean load(GError **error)
{
    g_ptr_array_set_size(hooks, 0);
    g_clear_pointer(&load_error, g_free);
    g_autofree char *path = paths_config_file(HOOKS_FILE);
    g_autoptr(GKeyFile) file = g_key_file_new();
    g_autoptr(GError) cause = NULL;
    if (!g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, &cause)) {
        if (g_error_matches(cause, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            return TRUE;
        load_error = g_strdup_printf("%s: %s", path, cause->message);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO,
                    "hooks not loaded: %s", load_error);
        return FALSE;
    }
    g_auto(GStrv) groups = g_key_file_get_groups(file, NULL);
    GString *problems = g_string_new(NULL);
    for (char **g = groups; *g; g++) {
        g_autofree char *event = g_key_file_get_string(file, *g, "event", NULL);
        g_autofree char *command =
            g_key_file_get_string(file, *g, "command", NULL);
        g_auto(GStrv) argv = NULL;
        if (!event || !known_event(event) || !command ||
            !g_shell_parse_argv(command, NULL, &argv, NULL)) {
            g_string_append_printf(problems,
                                   "%s[%s] needs a known event and "
                                   "a command",
                                   problems->len ? "; " : "", *g);
            continue;
        }
        Hook *hook = g_new0(Hook, 1);
        hook->name = g_strdup(*g);
        hook->event = g_steal_pointer(&event);
        hook->command = g_steal_pointer(&command);
        hook->account = g_key_file_get_string(file, *g, "account", NULL);
        hook->peer = g_key_file_get_string(file, *g, "peer", NULL);
        int timeout = g_key_file_get_integer(file, *g, "timeout", NULL);
        hook->timeout = timeout > 0 ? (guint)MIN(timeout, 3600) : 0;
        hook->not_current =
            g_key_file_get_boolean(file, *g, "not_current", NULL);
        g_ptr_array_add(hooks, hook);
    }
    g_ptr_array_sort(hooks, compare_hooks);
    if (problems->len) {
        load_error = g_strdup_printf("%s: %s", path, problems->str);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "hooks skipped: %s", load_error);
    }
    g_string_free(problems, TRUE);
    return load_error == NULL;
}

static gboolean save(GError **error)
{
    if (load_error) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "the hooks file is not saved until it is fixed "
                    "(then /hook reload): %s",
                    load_error);
        return FALSE;
    }
    if (!paths_ensure(error))
        return FALSE;
    g_autoptr(GKeyFile) file = g_key_file_new();
    for (guint i = 0; i < hooks->len; i++) {
        const Hook *hook = g_ptr_array_index(hooks, i);
        g_key_file_set_string(file, hook->name, "event", hook->event);
        g_key_file_set_string(file, hook->name, "command", hook->command);
        if (hook->account)
            g_key_file_set_string(file, hook->name, "account", hook->account);
        if (hook->peer)
            g_key_file_set_string(file, hook->name, "peer", hook->peer);
        if (hook->timeout)
            g_key_file_set_integer(file, hook->name, "timeout",
                                   (gint)hook->timeout);
        if (hook->not_current)
            g_key_file_set_boolean(file, hook->name, "not_current", TRUE);
    }
    gsize len = 0;
    g_autofree char *data = g_key_file_to_data(file, &len, NULL);
    g_autofree char *path = paths_config_file(HOOKS_FILE);
    g_autoptr(GError) cause = NULL;
    if (!g_file_set_contents_full(
            path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &cause)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO,
                    "cannot save the hooks: %s", cause->message);
        return FALSE;
    }
    return TRUE;
}

gboolean hooks_reload(GError **error)
{
    return load(error);
}

gboolean hooks_add(const Hook *hook, GError **error)
{
    g_auto(GStrv) argv = NULL;
    g_autoptr(GError) cause = NULL;
    if (!hook->name[0] || strpbrk(hook->name, "[]\n")) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "'%s' cannot be a hook's name", hook->name);
        return FALSE;
    }
    if (!known_event(hook->event)) {
        g_autofree char *list = g_strjoinv(", ", (char **)events);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "no event '%s'; hooks can be for %s", hook->event, list);
        return FALSE;
    }
    if (!g_shell_parse_argv(hook->command, NULL, &argv, &cause)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "cannot split the command: %s", cause->message);
        return FALSE;
    }
    Hook *copy = g_new0(Hook, 1);
    copy->name = g_strdup(hook->name);
    copy->event = g_strdup(hook->event);
    copy->command = g_strdup(hook->command);
    copy->account = g_strdup(hook->account);
    copy->peer = g_strdup(hook->peer);
    copy->timeout = hook->timeout;
    copy->not_current = hook->not_current;
    Hook *old = find_hook(hook->name);
    if (old)
        g_ptr_array_remove(hooks, old);
    g_ptr_array_add(hooks, copy);
    g_ptr_array_sort(hooks, compare_hooks);
    return save(error);
}

gboolean hooks_remove(const char *name, GError **error)
{
    Hook *hook = find_hook(name);
    if (!hook) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no hook '%s' (/hook list)", name);
        return FALSE;
    }
    g_ptr_array_remove(hooks, hook);
    return save(error);
}

gboolean hooks_test(const char *name, GError **error)
{
    const Hook *hook = find_hook(name);
    if (!hook) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no hook '%s' (/hook list)", name);
        return FALSE;
    }
    const char *env[] = {
        "NATTER_TEST", "1",        "NATTER_ACCOUNT", hook->account,
        "NATTER_PEER", hook->peer, "NATTER_FROM",    hook->peer,
        NULL,          NULL,
    };
    run_hook(hook, hook->event, env, "natter hook test", TRUE);
    return TRUE;
}

gboolean hooks_init(GError **error)
{
    hooks = g_ptr_array_new_with_free_func(hook_free);
    runs = g_hash_table_new_full(NULL, NULL, run_free, NULL);
    subscriptions = g_ptr_array_new();
    int p = EVENT_PRIORITY_DEFAULT;
    subscribe(event_on_message(EVENT_MESSAGE_RECEIVED, p, on_message,
                               (gpointer) "message-received"));
    subscribe(event_on_message(EVENT_MESSAGE_SENT, p, on_message,
                               (gpointer) "message-sent"));
    subscribe(event_on_contact(EVENT_PRESENCE_CHANGED, p, on_presence, NULL));
    subscribe(event_on_subscription(p, on_subscription, NULL));
    subscribe(event_on_invitation(p, on_invitation, NULL));
    subscribe(event_on_kick(p, on_kick, NULL));
    subscribe(event_on_pubsub(p, on_pubsub, NULL));
    subscribe(event_on_account(EVENT_ACCOUNT_READY, p, on_account,
                               (gpointer) "account-online"));
    subscribe(event_on_account(EVENT_ACCOUNT_STATE, p, on_account,
                               (gpointer) "account-offline"));
    return load(error);
}

void hooks_shutdown(void)
{
    if (!hooks)
        return;
    for (guint i = 0; i < subscriptions->len; i++)
        event_unsubscribe(
            GPOINTER_TO_UINT(g_ptr_array_index(subscriptions, i)));
    g_ptr_array_free(subscriptions, TRUE);
    /* The loop has ended: the children are killed, their callbacks never
     * run. */
    GHashTableIter iter;
    gpointer key;
    g_hash_table_iter_init(&iter, runs);
    while (g_hash_table_iter_next(&iter, &key, NULL)) {
        HookRun *run = key;
        g_cancellable_cancel(run->cancel);
        g_subprocess_force_exit(run->child);
    }
    g_hash_table_destroy(runs);
    g_ptr_array_free(hooks, TRUE);
    hooks = NULL;
    g_clear_pointer(&load_error, g_free);
    n_running = 0;
}
