/* settings.c: the table of global settings and natterrc, the GKeyFile that
 * keeps the values the user changed (group [settings]). Values are checked
 * against the table when set and when loaded. */
#include "core/settings.h"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/paths.h"
#include "util/error.h"

#define GROUP "settings"

/* Sorted by name: /set lists them in this order. */
static const SettingSpec specs[] = {
    {.name = "answer_last_activity",
     .type = SETTING_BOOL,
     .default_value = "on",
     .description = "tell others who ask (XEP-0012) how long ago you last "
                    "pressed a key; off answers as if unsupported"},
    {.name = "answer_strangers",
     .type = SETTING_BOOL,
     .default_value = "off",
     .description =
         "send delivery receipts, read markers and typing notifications to "
         "people who may not see your presence (not subscribed to it), and "
         "answer their last activity, version and time queries; off: they "
         "learn neither that you are online nor your full address"},
    {.name = "answer_time",
     .type = SETTING_BOOL,
     .default_value = "on",
     .description = "tell others who ask (XEP-0202) your local time and "
                    "time zone; off answers as if unsupported"},
    {.name = "answer_version",
     .type = SETTING_BOOL,
     .default_value = "on",
     .description = "tell others who ask (XEP-0092) that you use natter and "
                    "its version; off answers as if unsupported"},
    {.name = "answer_version_os",
     .type = SETTING_BOOL,
     .default_value = "off",
     .description = "with answer_version, also tell your operating system "
                    "and its release"},
    {.name = "autoaway_message",
     .type = SETTING_STRING,
     .default_value = "",
     .description = "status message of the automatic away (empty: none)"},
    {.name = "autoaway_minutes",
     .type = SETTING_INT,
     .default_value = "15",
     .description = "minutes without a key press before every online "
                    "account goes away (plus autoaway_seconds); auto-away is "
                    "off when both are 0",
     .min = 0,
     .max = 1440},
    /* Seconds on top of autoaway_minutes: an integer setting in minutes
     * cannot say "90 seconds", and a test of auto-away must not wait a
     * minute, so the idle time is minutes * 60 + seconds. */
    {.name = "autoaway_seconds",
     .type = SETTING_INT,
     .default_value = "0",
     .description = "seconds added to autoaway_minutes",
     .min = 0,
     .max = 3600},
    {.name = "autoaway_status",
     .type = SETTING_CHOICE,
     .default_value = "away",
     .description = "the presence auto-away sets",
     .choices = "away|xa"},
    {.name = "bell_highlight",
     .type = SETTING_BOOL,
     .default_value = "on",
     .description = "ring the terminal bell when you are highlighted in a "
                    "window"},
    {.name = "bell_private",
     .type = SETTING_BOOL,
     .default_value = "on",
     .description = "ring the terminal bell when a private message "
                    "arrives"},
    {.name = "connect_timeout",
     .type = SETTING_INT,
     .default_value = "30",
     .description = "seconds a connection attempt may take, from the first "
                    "packet to the end of the login, before natter gives it "
                    "up and tries again later, as after a lost connection",
     .min = 1,
     .max = 3600},
    {.name = "control_socket",
     .type = SETTING_BOOL,
     .default_value = "off",
     .description = "listen on the control socket ($XDG_RUNTIME_DIR/natter/"
                    "ctl, mode 0600; see CONTROL SOCKET) so that scripts "
                    "and natter --send, --ctl, --events drive this natter"},
    {.name = "download_dir",
     .type = SETTING_STRING,
     .default_value = "",
     .description = "where /download saves files (empty: $XDG_DOWNLOAD_DIR, "
                    "else ~/Downloads)"},
    {.name = "eval_password_timeout",
     .type = SETTING_INT,
     .default_value = "60",
     .description = "seconds an account's eval_password command may take "
                    "before natter stops it and gives up connecting",
     .min = 1,
     .max = 3600},
    {.name = "highlight_words",
     .type = SETTING_STRING,
     .default_value = "",
     .description = "words (separated by spaces or commas) that make a room "
                    "message a highlight, like your nick does"},
    {.name = "hook_max_running",
     .type = SETTING_INT,
     .default_value = "4",
     .description = "event hooks (the hooks file, /hook) running at once; "
                    "an event that would start one more is dropped with a "
                    "line in the console",
     .min = 1,
     .max = 64},
    {.name = "hook_timeout",
     .type = SETTING_INT,
     .default_value = "10",
     .description = "seconds an event hook may run before it is killed "
                    "(a hook's own timeout key overrides it)",
     .min = 1,
     .max = 3600},
    {.name = "muc_history",
     .type = SETTING_INT,
     .default_value = "50",
     .description = "how many of a room's recent messages to ask for when "
                    "joining it (stored once, however often you join)",
     .min = 0,
     .max = 1000},
    {.name = "muc_self_ping",
     .type = SETTING_INT,
     .default_value = "300",
     .description = "seconds of silence from a room before natter checks "
                    "that it is still in it (XEP-0410) and joins again if "
                    "not; 0 never checks",
     .min = 0,
     .max = 86400},
    {.name = "nick_colours",
     .type = SETTING_CHOICE,
     .default_value = "on",
     .description = "nicks in rooms in a colour of their own, the same as "
                    "other clients give them (XEP-0392), nearest in the "
                    "terminal's palette; red-green and blue keep to colours "
                    "told apart with those colour vision deficiencies; off "
                    "(or NO_COLOR in the environment) gives every nick the "
                    "theme's nick.peer",
     .choices = "on|off|red-green|blue"},
    {.name = "notify_desktop",
     .type = SETTING_CHOICE,
     .default_value = "off",
     .description = "desktop notifications of private messages and "
                    "highlights, through the terminal: osc9 (iTerm2, "
                    "kitty, WezTerm, Windows Terminal...) or osc777 (urxvt, "
                    "foot, VTE terminals...); they pass through SSH, and "
                    "through tmux when its allow-passthrough option is on",
     .choices = "off|osc9|osc777"},
    {.name = "occupants_pane",
     .type = SETTING_BOOL,
     .default_value = "on",
     .description = "show the occupants at the right of a room's window "
                    "(as wide as roster_width); it gives way on terminals "
                    "too narrow for it"},
#ifdef HAVE_OMEMO
    {.name = "omemo_policy",
     .type = SETTING_CHOICE,
     .default_value = "manual",
     .description = "when one-to-one chats use OMEMO: manual only after "
                    "/omemo on; automatic also in a chat you made no choice "
                    "for, as soon as natter finds that the contact has "
                    "OMEMO devices (before your first message there leaves, "
                    "or when they write to you encrypted). /omemo off and "
                    "/omemo on always win",
     .choices = "manual|automatic"},
    {.name = "omemo_trust",
     .type = SETTING_CHOICE,
     .default_value = "blind",
     .description = "what natter does with an OMEMO device it sees for the "
                    "first time: blind trusts it until you decide (blind "
                    "trust before verification); manual encrypts nothing to "
                    "it and marks its messages untrusted until you compare "
                    "its fingerprint and /omemo trust it. Devices first seen "
                    "under manual stay untrusted when you go back to blind",
     .choices = "blind|manual"},
#endif
    {.name = "open_chat_on_message",
     .type = SETTING_BOOL,
     .default_value = "on",
     .description = "a message from someone without a chat window opens "
                    "one; off shows it in the account's window instead"},
    {.name = "open_command",
     .type = SETTING_STRING,
     .default_value = "xdg-open",
     .description = "the program /open hands a file or a link to, with "
                    "arguments of its own if you like: split like a "
                    "command line, run without a shell, the file or link "
                    "added as its last argument, never interpreted"},
#ifdef HAVE_OTR
    {.name = "otr_policy",
     .type = SETTING_CHOICE,
     .default_value = "manual",
     .description = "when one-to-one chats use OTR: manual starts a private "
                    "session only when asked (/otr start, or the contact's "
                    "request); opportunistic also marks plain messages as "
                    "able to speak OTR and starts a session with a contact "
                    "whose messages say the same; always sends nothing in "
                    "the clear to anyone: a message to a contact without a "
                    "private session is refused and a session is asked for",
     .choices = "manual|opportunistic|always"},
#endif
    {.name = "paste_confirm_lines",
     .type = SETTING_INT,
     .default_value = "10",
     .description = "a message of more lines than this (a paste, or text "
                    "from /editor) is sent only after you confirm; 0 never "
                    "asks",
     .min = 0,
     .max = 100000},
    {.name = "ping_interval",
     .type = SETTING_INT,
     .default_value = "60",
     .description = "seconds of silence from the server before natter pings "
                    "it to find a dead connection; 0 turns keepalive pings "
                    "off",
     .min = 0,
     .max = 3600},
    {.name = "ping_timeout",
     .type = SETTING_INT,
     .default_value = "30",
     .description = "seconds to wait for the answer to a keepalive ping "
                    "before the connection counts as lost",
     .min = 5,
     .max = 600},
    {.name = "plugins_autoload",
     .type = SETTING_STRING,
     .default_value = "",
     .description = "plugins loaded at start, by name, separated by commas "
                    "or spaces (/plugin; PLUGINS in natter(1))"},
    {.name = "reconnect_delay",
     .type = SETTING_INT,
     .default_value = "5",
     .description = "seconds before the first automatic reconnect after a "
                    "lost connection (doubled after each failure); 0 never "
                    "reconnects",
     .min = 0,
     .max = 3600},
    {.name = "reconnect_max_delay",
     .type = SETTING_INT,
     .default_value = "300",
     .description = "the longest wait between two reconnect attempts, in "
                    "seconds",
     .min = 1,
     .max = 86400},
    {.name = "restore_windows",
     .type = SETTING_BOOL,
     .default_value = "on",
     .description = "reopen at start the windows open when natter last "
                    "quit (chats, rooms, in their order; rooms are joined "
                    "again at login); off also forgets them at quit"},
    {.name = "room_show_joins",
     .type = SETTING_BOOL,
     .default_value = "on",
     .description = "show in room windows who joins, leaves and changes "
                    "nick (kicks and bans: room_show_kicks)"},
    {.name = "room_show_kicks",
     .type = SETTING_BOOL,
     .default_value = "on",
     .description = "show in room windows who is kicked, banned or "
                    "otherwise removed by the room (your own removal is "
                    "always shown)"},
    {.name = "roster_offline",
     .type = SETTING_BOOL,
     .default_value = "on",
     .description = "the roster pane lists offline contacts too"},
    {.name = "roster_pane",
     .type = SETTING_BOOL,
     .default_value = "off",
     .description = "show the roster pane at the right of the window "
                    "(/roster show, /roster hide); it gives way on "
                    "terminals too narrow for it"},
    {.name = "roster_width",
     .type = SETTING_INT,
     .default_value = "24",
     .description = "columns of the roster pane",
     .min = 8,
     .max = 80},
    {.name = "scroll_on_input",
     .type = SETTING_BOOL,
     .default_value = "on",
     .description = "a window scrolled up to older lines goes back to the "
                    "newest when you send a message or run a command there, "
                    "so that you see it and what it prints (off: the view "
                    "stays, and the status bar says there is more below)"},
    {.name = "scrollback",
     .type = SETTING_INT,
     .default_value = "2000",
     .description = "lines each window keeps in memory (a chat or room "
                    "not shown keeps 200 at most); older lines of a "
                    "chat or room come back from the history when you "
                    "scroll up to them, older lines of a console are gone",
     .min = 100,
     .max = 1000000},
    {.name = "send_chat_states",
     .type = SETTING_BOOL,
     .default_value = "on",
     .description = "tell contacts when you are typing (XEP-0085)"},
    {.name = "send_read_markers",
     .type = SETTING_BOOL,
     .default_value = "on",
     .description = "tell contacts when you have read their messages "
                    "(XEP-0333 \"displayed\"): once the chat's window is "
                    "shown while you are at the keyboard"},
    {.name = "send_receipts",
     .type = SETTING_BOOL,
     .default_value = "on",
     .description = "answer delivery receipt requests (XEP-0184), so that "
                    "contacts see their messages arrived"},
    {.name = "theme",
     .type = SETTING_STRING,
     .default_value = "default",
     .description = "the terminal's theme: a file NAME.theme in the config "
                    "dir's themes/ or among the shipped ones (/theme list)"},
    {.name = "title_unread",
     .type = SETTING_BOOL,
     .default_value = "on",
     .description = "show the number of unread messages in the terminal's "
                    "title (the title from before comes back at exit)"},
    {.name = NULL},
};

static GKeyFile *keyfile;  /* natterrc as read, comments and all */
static GHashTable *values; /* name -> the user's value, checked */
static char *load_error;   /* natterrc could not be read: never overwrite it */

static GArray *registered; /* SettingSpec, added at run time */
static GArray *all;        /* SettingSpec: both, sorted, {NULL} last */

static gint compare_specs(gconstpointer a, gconstpointer b)
{
    return strcmp(((const SettingSpec *)a)->name,
                  ((const SettingSpec *)b)->name);
}

const SettingSpec *settings_specs(void)
{
    if (!registered || !registered->len)
        return specs;
    if (!all) {
        all = g_array_new(TRUE, TRUE, sizeof(SettingSpec));
        g_array_append_vals(all, specs, G_N_ELEMENTS(specs) - 1);
        g_array_append_vals(all, registered->data, registered->len);
        g_array_sort(all, compare_specs);
    }
    return (const SettingSpec *)all->data;
}

const SettingSpec *settings_find(const char *name)
{
    for (const SettingSpec *s = settings_specs(); name && s->name; s++)
        if (strcmp(s->name, name) == 0)
            return s;
    return NULL;
}

const char *setting_type_hint(const SettingSpec *spec)
{
    switch (spec->type) {
    case SETTING_BOOL:
        return "on|off";
    case SETTING_INT:
        return "NUMBER";
    case SETTING_STRING:
        return "TEXT";
    case SETTING_CHOICE:
        return spec->choices;
    }
    return "";
}

static gboolean parse_bool(const char *value, gboolean *out)
{
    static const char *const on[] = {"on", "true", "yes", "1"};
    static const char *const off[] = {"off", "false", "no", "0"};
    for (guint i = 0; i < G_N_ELEMENTS(on); i++) {
        if (g_ascii_strcasecmp(value, on[i]) == 0) {
            *out = TRUE;
            return TRUE;
        }
        if (g_ascii_strcasecmp(value, off[i]) == 0) {
            *out = FALSE;
            return TRUE;
        }
    }
    return FALSE;
}

/* The canonical form of VALUE for SPEC ("on" for "yes"...), or NULL with
 * ERROR set when VALUE does not fit. */
static char *normalise(const SettingSpec *spec, const char *value,
                       GError **error)
{
    switch (spec->type) {
    case SETTING_BOOL: {
        gboolean b;
        if (parse_bool(value, &b))
            return g_strdup(b ? "on" : "off");
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "%s is on or off, not '%s'", spec->name, value);
        return NULL;
    }
    case SETTING_INT: {
        gint64 n;
        if (g_ascii_string_to_signed(value, 10, spec->min, spec->max, &n, NULL))
            return g_strdup_printf("%" G_GINT64_FORMAT, n);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "%s is a number from %d to %d, not '%s'", spec->name,
                    spec->min, spec->max, value);
        return NULL;
    }
    case SETTING_CHOICE: {
        g_auto(GStrv) words = g_strsplit(spec->choices, "|", -1);
        if (g_strv_contains((const char *const *)words, value))
            return g_strdup(value);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "%s is one of %s, not '%s'", spec->name, spec->choices,
                    value);
        return NULL;
    }
    case SETTING_STRING:
        break;
    }
    return g_strdup(value);
}

static const SettingSpec *lookup(const char *name)
{
    const SettingSpec *spec = settings_find(name);
    if (!spec)
        g_critical("no setting named '%s'", name);
    return spec;
}

/* The current value: the user's, else the default. */
static const char *raw_value(const SettingSpec *spec)
{
    const char *value = values ? g_hash_table_lookup(values, spec->name) : NULL;
    return value ? value : spec->default_value;
}

gboolean settings_get_bool(const char *name)
{
    const SettingSpec *spec = lookup(name);
    gboolean b = FALSE;
    return spec && parse_bool(raw_value(spec), &b) && b;
}

int settings_get_int(const char *name)
{
    const SettingSpec *spec = lookup(name);
    return spec ? atoi(raw_value(spec)) : 0;
}

const char *settings_get_string(const char *name)
{
    const SettingSpec *spec = lookup(name);
    return spec ? raw_value(spec) : "";
}

gboolean settings_is_set(const char *name)
{
    return values && g_hash_table_contains(values, name);
}

static gboolean save(GError **error)
{
    if (load_error) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "natterrc is not saved until it is fixed: %s", load_error);
        return FALSE;
    }
    if (!paths_ensure(error))
        return FALSE;
    gsize len = 0;
    g_autofree char *data = g_key_file_to_data(keyfile, &len, NULL);
    g_autofree char *path = paths_config_file("natterrc");
    g_autoptr(GError) cause = NULL;
    if (!g_file_set_contents_full(
            path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &cause)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO,
                    "cannot save settings: %s", cause->message);
        return FALSE;
    }
    return TRUE;
}

gboolean settings_set(const char *name, const char *value, GError **error)
{
    const SettingSpec *spec = settings_find(name);
    if (!spec) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no setting '%s' (/set lists them)", name);
        return FALSE;
    }
    g_autofree char *canonical = normalise(spec, value, error);
    if (!canonical)
        return FALSE;
    g_autofree char *old = g_key_file_get_string(keyfile, GROUP, name, NULL);
    g_key_file_set_string(keyfile, GROUP, name, canonical);
    if (!save(error)) {
        if (old)
            g_key_file_set_string(keyfile, GROUP, name, old);
        else
            g_key_file_remove_key(keyfile, GROUP, name, NULL);
        return FALSE;
    }
    g_hash_table_replace(values, g_strdup(spec->name),
                         g_steal_pointer(&canonical));
    event_emit_setting(spec->name);
    return TRUE;
}

gboolean settings_unset(const char *name, GError **error)
{
    const SettingSpec *spec = settings_find(name);
    if (!spec) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no setting '%s' (/set lists them)", name);
        return FALSE;
    }
    g_autofree char *old = g_key_file_get_string(keyfile, GROUP, name, NULL);
    if (!old)
        return TRUE;
    g_key_file_remove_key(keyfile, GROUP, name, NULL);
    if (!save(error)) {
        g_key_file_set_string(keyfile, GROUP, name, old);
        return FALSE;
    }
    g_hash_table_remove(values, name);
    event_emit_setting(spec->name);
    return TRUE;
}

gboolean settings_register(const SettingSpec *spec, GError **error)
{
    if (!spec->name || !strchr(spec->name, '.') ||
        strpbrk(spec->name, " \t=[]") || settings_find(spec->name)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "cannot add the setting '%s': %s",
                    spec->name ? spec->name : "",
                    spec->name && settings_find(spec->name)
                        ? "the name is taken"
                        : "not a valid name (a prefix and a dot, then "
                          "the name: plugin.name)");
        return FALSE;
    }
    g_autofree char *fits = normalise(spec, spec->default_value, error);
    if (!fits)
        return FALSE;
    if (!registered)
        registered = g_array_new(FALSE, TRUE, sizeof(SettingSpec));
    g_array_append_val(registered, *spec);
    g_clear_pointer(&all, g_array_unref);
    /* natterrc may have its value from an earlier run. */
    g_autofree char *value =
        keyfile ? g_key_file_get_string(keyfile, GROUP, spec->name, NULL)
                : NULL;
    g_autofree char *canonical = value ? normalise(spec, value, NULL) : NULL;
    if (canonical && values)
        g_hash_table_replace(values, g_strdup(spec->name),
                             g_steal_pointer(&canonical));
    return TRUE;
}

void settings_unregister(const char *name)
{
    for (guint i = 0; registered && i < registered->len; i++) {
        if (strcmp(g_array_index(registered, SettingSpec, i).name, name) == 0) {
            g_array_remove_index(registered, i);
            g_clear_pointer(&all, g_array_unref);
            if (values)
                g_hash_table_remove(values, name);
            return;
        }
    }
}

gboolean settings_init(GError **error)
{
    settings_shutdown();
    keyfile = g_key_file_new();
    values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_autofree char *path = paths_config_file("natterrc");
    g_autoptr(GError) cause = NULL;
    if (!g_key_file_load_from_file(keyfile, path, G_KEY_FILE_KEEP_COMMENTS,
                                   &cause)) {
        if (g_error_matches(cause, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            return TRUE;
        load_error = g_strdup_printf("%s: %s", path, cause->message);
        g_key_file_free(keyfile);
        keyfile = g_key_file_new();
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "%s; the defaults are used and the file is left as it is",
                    load_error);
        return FALSE;
    }
    /* Bad values are not used (the default applies) but the file keeps
     * them: saving is refused until the user fixes it. */
    g_autoptr(GString) problems = g_string_new(NULL);
    g_auto(GStrv) keys = g_key_file_get_keys(keyfile, GROUP, NULL, NULL);
    for (guint i = 0; keys && keys[i]; i++) {
        const SettingSpec *spec = settings_find(keys[i]);
        g_autofree char *value =
            g_key_file_get_string(keyfile, GROUP, keys[i], NULL);
        g_autoptr(GError) bad = NULL;
        g_autofree char *canonical = spec ? normalise(spec, value, &bad) : NULL;
        /* A setting with a dot in its name is a plugin's, registered
         * later (settings_register); its value waits for it. */
        if (!spec && !strchr(keys[i], '.'))
            g_string_append_printf(problems, "%sunknown setting '%s'",
                                   problems->len ? "; " : "", keys[i]);
        else if (spec && !canonical)
            g_string_append_printf(problems, "%s%s", problems->len ? "; " : "",
                                   bad->message);
        if (canonical)
            g_hash_table_replace(values, g_strdup(keys[i]),
                                 g_steal_pointer(&canonical));
    }
    if (problems->len) {
        load_error = g_strdup_printf("%s: %s", path, problems->str);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "%s; defaults are used for those and the file is left "
                    "as it is",
                    load_error);
        return FALSE;
    }
    return TRUE;
}

void settings_shutdown(void)
{
    g_clear_pointer(&all, g_array_unref);
    g_clear_pointer(&registered, g_array_unref);
    g_clear_pointer(&keyfile, g_key_file_free);
    g_clear_pointer(&values, g_hash_table_unref);
    g_clear_pointer(&load_error, g_free);
}
