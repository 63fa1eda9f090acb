/* main.c: natter's entry point. Parses the command line, initialises the
 * layers bottom-up, picks the front end, runs the one GLib main loop, and
 * shuts everything down in reverse order. */
#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "command/command.h"
#include "command/complete.h"
#include "command/control.h"
#include "ctlclient.h"
#include "sendonce.h"
#include "core/account.h"
#include "core/app.h"
#include "core/buffer.h"
#include "core/conversation.h"
#include "core/datalock.h"
#include "core/event.h"
#include "core/form.h"
#include "core/hooks.h"
#include "core/paths.h"
#include "core/pipeline.h"
#include "core/restore.h"
#include "core/room.h"
#include "core/roster.h"
#include "core/settings.h"
#include "plugin/host.h"
#ifdef HAVE_PYTHON
#include "plugin/python.h"
#endif
#ifdef HAVE_OTR
#include "crypto/otr/otr.h"
#endif
#include "frontend.h"
#include "startup.h"
#include "ui/ui.h"
#include "xmpp/autoaway.h"
#include "xmpp/muc.h"
#include "xmpp/session.h"

/* How long /quit waits for servers to acknowledge the goodbye. */
#define QUIT_GRACE_MS 3000

static GMainLoop *main_loop;
static guint quit_state_subscription;

static gboolean opt_version;
static gboolean opt_headless;
static char *opt_config_dir;
static char *opt_data_dir;
static char **opt_accounts;
static char **opt_commands;
static gboolean opt_send;
static char *opt_ctl;
static gboolean opt_events;
static gboolean opt_bodies;
static gboolean opt_no_restore;

static const GOptionEntry options[] = {
    {"version", 'v', 0, G_OPTION_ARG_NONE, &opt_version,
     "Print the version and the features built in", NULL},
    {"config-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_config_dir,
     "Read settings and accounts from DIR", "DIR"},
    {"data-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_data_dir,
     "Keep history and trust stores in DIR", "DIR"},
    {"headless", 0, 0, G_OPTION_ARG_NONE, &opt_headless,
     "No terminal UI: read commands from stdin, print events to stdout", NULL},
    {"no-restore", 0, 0, G_OPTION_ARG_NONE, &opt_no_restore,
     "Do not reopen the windows of the last session this time "
     "(restore_windows)",
     NULL},
    {"account", 'a', 0, G_OPTION_ARG_STRING_ARRAY, &opt_accounts,
     "Connect the account NAME at start, instead of the enabled ones "
     "(repeatable)",
     "NAME"},
    {"cmd", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &opt_commands,
     "Run COMMAND at start, once the accounts connected at start are online "
     "(repeatable)",
     "COMMAND"},
    {"send", 0, 0, G_OPTION_ARG_NONE, &opt_send,
     "Send TEXT to JID, through the running natter if any (natter --send [-a "
     "ACCOUNT] JID TEXT; TEXT - reads stdin); exits once it is sent",
     NULL},
    {"ctl", 0, 0, G_OPTION_ARG_STRING, &opt_ctl,
     "Run COMMAND in the running natter and print its output", "COMMAND"},
    {"events", 0, 0, G_OPTION_ARG_NONE, &opt_events,
     "Print the running natter's events, one JSON object a line", NULL},
    {"bodies", 0, 0, G_OPTION_ARG_NONE, &opt_bodies,
     "With --events, include message bodies", NULL},
    {NULL},
};

/* natter --send, --ctl, --events: a client of the running natter's control
 * socket (command/control.h) instead of a natter of its own. */
static char *send_jid, *send_text; /* --send: for sendonce.c */

static int run_client(int argc, char **argv)
{
    if (opt_events) {
        return ctlclient_run(opt_bodies ? "events bodies" : "events", TRUE,
                             FALSE);
    }
    if (opt_ctl) {
        g_autofree char *escaped = control_escape(opt_ctl);
        g_autofree char *request = g_strconcat("cmd ", escaped, NULL);
        return ctlclient_run(request, FALSE, FALSE);
    }
    /* --send JID TEXT...: the words after JID are the text, joined by
     * spaces; "-" alone reads it from stdin. */
    if (argc < 3) {
        fprintf(stderr, "natter: usage: natter --send [-a ACCOUNT] JID TEXT "
                        "(TEXT - reads stdin)\n");
        return 2;
    }
    g_autofree char *text = NULL;
    if (argc == 3 && !strcmp(argv[2], "-")) {
        GString *in = g_string_new(NULL);
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
            g_string_append_len(in, chunk, (gssize)n);
        text = g_string_free(in, FALSE);
        g_strchomp(text);
    } else
        text = g_strjoinv(" ", argv + 2);
    if (!*argv[1] || strpbrk(argv[1], " \t\r\n")) {
        fprintf(stderr, "natter: '%s' is not an address\n", argv[1]);
        return 2;
    }
    if (!*text || !g_utf8_validate(text, -1, NULL)) {
        fprintf(stderr, "natter: nothing to send, or not UTF-8 text\n");
        return 2;
    }
    send_jid = g_strdup(argv[1]);
    send_text = g_strdup(text);
    g_autofree char *escaped = control_escape(text);
    g_autofree char *request =
        opt_accounts && opt_accounts[0]
            ? g_strdup_printf("send -a %s %s %s", opt_accounts[0], argv[1],
                              escaped)
            : g_strdup_printf("send %s %s", argv[1], escaped);
    /* Without a natter listening, this one sends by itself (main). */
    return ctlclient_run(request, FALSE, TRUE);
}

static void print_version(void)
{
    printf("natter %s\n", PACKAGE_VERSION);
    printf("built with GLib %d.%d.%d, libstrophe %s, %s\n", GLIB_MAJOR_VERSION,
           GLIB_MINOR_VERSION, GLIB_MICRO_VERSION, STROPHE_VERSION,
           ui_library_version());
    /* Only what works is listed. */
    printf("features: tls terminal-ui headless%s%s%s\n",
#ifdef HAVE_OTR
           " otr",
#else
           "",
#endif
#ifdef HAVE_OMEMO
           " omemo-0.3 omemo-2",
#else
           "",
#endif
#ifdef HAVE_PYTHON
           " python-plugins"
#else
           ""
#endif
    );
#ifdef HAVE_PYTHON
    printf("Python plugins: %s embedded\n", python_version_name());
#endif
}

static gboolean all_offline(void)
{
    const GPtrArray *accounts = accounts_list();
    for (guint i = 0; i < accounts->len; i++) {
        Account *a = g_ptr_array_index(accounts, i);
        if (a->state != ACCOUNT_OFFLINE)
            return FALSE;
    }
    return TRUE;
}

/* The windows' memory follows the scrollback setting. */
static EventResult on_setting(const char *name, gpointer data)
{
    if (g_strcmp0(name, "scrollback") == 0)
        buffers_set_scrollback((guint)settings_get_int("scrollback"));
    return EVENT_CONTINUE;
}

static EventResult on_state_while_quitting(Account *account, gpointer data)
{
    if (all_offline())
        g_main_loop_quit(main_loop);
    return EVENT_CONTINUE;
}

static gboolean on_quit_grace_over(gpointer data)
{
    g_main_loop_quit(main_loop);
    return G_SOURCE_REMOVE;
}

/* app_quit() lands here: say goodbye to every server, then stop the loop
 * once all are offline, or when the grace period is over. */
static void quit(void)
{
    if (sessions_disconnect_all() == 0 || all_offline()) {
        g_main_loop_quit(main_loop);
        return;
    }
    quit_state_subscription =
        event_on_account(EVENT_ACCOUNT_STATE, EVENT_PRIORITY_DEFAULT,
                         on_state_while_quitting, NULL);
    g_timeout_add(QUIT_GRACE_MS, on_quit_grace_over, NULL);
}

static gboolean on_terminate(gpointer data)
{
    app_quit();
    return G_SOURCE_CONTINUE;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");

    g_autoptr(GError) error = NULL;
    g_autoptr(GOptionContext) context = g_option_context_new(NULL);
    g_option_context_set_summary(context,
                                 "natter: a terminal XMPP client. Type /help "
                                 "inside natter for its commands.");
    g_option_context_add_main_entries(context, options, NULL);
    if (!g_option_context_parse(context, &argc, &argv, &error)) {
        fprintf(stderr, "natter: %s (natter --help)\n", error->message);
        return 2;
    }
    if (opt_version) {
        print_version();
        return 0;
    }

    paths_init(opt_config_dir, opt_data_dir);
    /* natter --send with no natter listening sends by itself (oneshot):
     * no front end, the one account, then quit. */
    gboolean oneshot = FALSE;
    int oneshot_status = 1;
    if (opt_send || opt_ctl || opt_events) {
        int status = run_client(argc, argv);
        if (!(status == 3 && opt_send && !opt_ctl && !opt_events)) {
            paths_shutdown();
            g_free(send_jid);
            g_free(send_text);
            return status;
        }
        oneshot = TRUE;
    }
    /* Before anything reads or writes the history, and before the
     * terminal is taken over, so the refusal is seen. */
    if (!datalock_take(&error)) {
        fprintf(stderr, "natter: %s\n", error->message);
        paths_shutdown();
        return 1;
    }
    event_init();
    pipeline_init();
    buffers_init();
    conversation_init();
    rosters_init();
    rooms_init();
    commands_init();
    sessions_init();
    autoaway_init();
#ifdef HAVE_OTR
    otr_init();
#endif
    main_loop = g_main_loop_new(NULL, FALSE);
    app_set_quit_handler(quit);

    gboolean started = oneshot        ? TRUE
                       : opt_headless ? headless_init(&error)
                                      : ui_init(&error);
    if (!started) {
        fprintf(stderr, "natter: %s\n", error->message);
        return 1;
    }

    /* A broken accounts file is reported, not fatal: natter runs without
     * those accounts and leaves the file for the user to fix. */
    if (!accounts_init(&error)) {
        buffer_appendf(buffer_console(), LINE_ERROR, "%s", error->message);
        g_clear_error(&error);
    }
    if (!settings_init(&error)) {
        buffer_appendf(buffer_console(), LINE_ERROR, "%s", error->message);
        g_clear_error(&error);
    }
    if (!oneshot && !hooks_init(&error)) {
        buffer_appendf(buffer_console(), LINE_ERROR, "%s", error->message);
        g_clear_error(&error);
    }
    if (!oneshot)
        control_init();
    if (!oneshot)
        plugins_init();
    buffers_set_scrollback((guint)settings_get_int("scrollback"));
    guint setting_subscription =
        event_on_setting(EVENT_PRIORITY_DEFAULT, on_setting, NULL);
    buffer_appendf(buffer_console(), LINE_INFO,
                   "natter %s. /help lists the commands, /quit leaves.",
                   PACKAGE_VERSION);

    g_unix_signal_add(SIGTERM, on_terminate, NULL);
    g_unix_signal_add(SIGHUP, on_terminate, NULL);
    g_unix_signal_add(SIGINT, on_terminate, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (oneshot) {
        if (sendonce_init(opt_accounts ? opt_accounts[0] : NULL, send_jid,
                          send_text, &error)) {
            char *names[] = {(char *)sendonce_account(), NULL};
            startup_run(names, NULL, FALSE);
            if (!app_quitting())
                g_main_loop_run(main_loop);
            oneshot_status = sendonce_finish();
        } else {
            fprintf(stderr, "natter: %s\n", error->message);
            g_clear_error(&error);
        }
        sendonce_shutdown();
    } else {
        /* Before the logins, which join the restored rooms. */
        if (!opt_no_restore)
            restore_windows_open();
        startup_run(opt_accounts, opt_commands, opt_headless);
        restore_windows_focus();
        if (!app_quitting())
            g_main_loop_run(main_loop);
        restore_windows_save();
    }

    event_emit_quit();
    plugins_shutdown();
    if (!oneshot && opt_headless)
        headless_shutdown();
    else if (!oneshot)
        ui_shutdown();
    event_unsubscribe(setting_subscription);
    if (quit_state_subscription)
        event_unsubscribe(quit_state_subscription);
    startup_shutdown();
    control_shutdown();
    hooks_shutdown();
    autoaway_shutdown();
    sessions_shutdown();
#ifdef HAVE_OTR
    otr_shutdown();
#endif
    muc_shutdown();
    forms_shutdown();
    conversations_shutdown();
    pipeline_shutdown();
    rooms_shutdown();
    rosters_shutdown();
    accounts_shutdown();
    settings_shutdown();
    complete_shutdown();
    commands_shutdown();
    buffers_shutdown();
    event_shutdown();
    datalock_release();
    paths_shutdown();
    g_main_loop_unref(main_loop);
    g_strfreev(opt_accounts);
    g_strfreev(opt_commands);
    g_free(opt_config_dir);
    g_free(opt_data_dir);
    g_free(send_jid);
    g_free(send_text);
    return oneshot ? oneshot_status : 0;
}
