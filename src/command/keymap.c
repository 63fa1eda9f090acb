/* keymap.c: see keymap.h. */
#include "command/keymap.h"

#include <string.h>

#include "core/paths.h"
#include "util/error.h"

static const KeyAction actions[] = {
    {"input.submit", "run the command, or send the message"},
    {"input.newline", "put a line break in the message"},
    {"input.complete",
     "complete the word before the cursor (commands, sub-commands, "
     "accounts, contacts, settings, themes); again: the next candidate"},
    {"input.complete_back", "completion, going through the candidates "
                            "backwards"},
    {"input.left", "move one character left"},
    {"input.right", "move one character right"},
    {"input.word_left", "move one word left"},
    {"input.word_right", "move one word right"},
    {"input.home", "go to the start of the line"},
    {"input.end", "go to the end of the line"},
    {"input.backspace", "delete the character before the cursor"},
    {"input.delete", "delete the character under the cursor"},
    {"input.kill_to_end", "cut to the end of the line"},
    {"input.kill_to_start", "cut to the start of the line"},
    {"input.kill_word_back", "cut the word before the cursor"},
    {"input.kill_word_forward", "cut the word after the cursor"},
    {"input.yank", "paste what was cut last"},
    {"input.transpose", "swap the two characters at the cursor"},
    {"input.cancel", "cancel a question (such as a password prompt); "
                     "otherwise nothing, so a reflex does not lose text"},
    {"history.prev", "the line typed before in this window"},
    {"history.next", "the line typed after in this window"},
    {"history.global_prev", "the line typed before, in any window"},
    {"history.global_next", "the line typed after, in any window"},
    {"scroll.page_up", "scroll up half a screen (older lines load from "
                       "history)"},
    {"scroll.page_down", "scroll down half a screen"},
    {"scroll.line_up", "scroll up one row"},
    {"scroll.line_down", "scroll down one row"},
    {"scroll.top", "jump to the oldest line (a chat or room loads its "
                   "history first, up to the scrollback setting's lines)"},
    {"scroll.bottom", "jump back to the newest line"},
    {"screen.redraw", "redraw the screen"},
    {"search.older", "go to the next older line with the window's /search "
                     "text; with no search going on, search for the text on "
                     "the input line"},
    {"search.newer", "go back to the next newer line with the search's "
                     "text"},
    {"pane.focus", "give the keys to the side pane (roster or occupants) "
                   "and back: arrows, Page Up/Down, Home and End move, a "
                   "letter jumps to the next name with it, Enter opens the "
                   "chat (a private one in a room), Esc goes back"},
    {"message.select_prev", "select an earlier message of the chat (shown "
                            "reversed): /reply, /react, /correct and "
                            "/retract act on it"},
    {"message.select_next", "select the next message; past the newest, "
                            "none"},
    {NULL, NULL},
};

typedef struct {
    const char *key;
    const char *action;
    const char *description; /* for command actions */
} DefaultBinding;

static const DefaultBinding defaults[] = {
    {"enter", "input.submit", NULL},
    {"meta-enter", "input.newline", NULL},
    {"tab", "input.complete", NULL},
    {"shift-tab", "input.complete_back", NULL},
    {"left", "input.left", NULL},
    {"ctrl-b", "input.left", NULL},
    {"right", "input.right", NULL},
    {"ctrl-f", "input.right", NULL},
    {"ctrl-left", "input.word_left", NULL},
    {"meta-b", "input.word_left", NULL},
    {"ctrl-right", "input.word_right", NULL},
    {"meta-f", "input.word_right", NULL},
    {"home", "input.home", NULL},
    {"ctrl-a", "input.home", NULL},
    {"end", "input.end", NULL},
    {"ctrl-e", "input.end", NULL},
    {"backspace", "input.backspace", NULL},
    {"ctrl-h", "input.backspace", NULL},
    {"delete", "input.delete", NULL},
    {"ctrl-d", "input.delete", NULL},
    {"ctrl-k", "input.kill_to_end", NULL},
    {"ctrl-u", "input.kill_to_start", NULL},
    {"ctrl-w", "input.kill_word_back", NULL},
    {"meta-backspace", "input.kill_word_back", NULL},
    {"meta-d", "input.kill_word_forward", NULL},
    {"ctrl-y", "input.yank", NULL},
    {"ctrl-t", "input.transpose", NULL},
    {"ctrl-c", "input.cancel", NULL},
    {"up", "history.prev", NULL},
    {"down", "history.next", NULL},
    {"ctrl-up", "history.global_prev", NULL},
    {"ctrl-down", "history.global_next", NULL},
    {"pageup", "scroll.page_up", NULL},
    {"pagedown", "scroll.page_down", NULL},
    {"shift-up", "scroll.line_up", NULL},
    {"shift-down", "scroll.line_down", NULL},
    {"meta-home", "scroll.top", NULL},
    {"meta-end", "scroll.bottom", NULL},
    {"ctrl-l", "screen.redraw", NULL},
    {"ctrl-r", "search.older", NULL},
    {"f2", "pane.focus", NULL},
    {"meta-p", "pane.focus", NULL},
    {"meta-r", "search.newer", NULL},
    {"meta-up", "message.select_prev", NULL},
    {"meta-down", "message.select_next", NULL},
    {"meta-a", "/win active",
     "go to the window with the most urgent "
     "activity"},
    {"meta-left", "/win prev", "go to the previous window"},
    {"meta-right", "/win next", "go to the next window"},
    {"meta-1", "/win 1",
     "go to window 1 (Esc then 1 works too, as for "
     "every meta key)"},
    {"meta-2", "/win 2", "go to window 2"},
    {"meta-3", "/win 3", "go to window 3"},
    {"meta-4", "/win 4", "go to window 4"},
    {"meta-5", "/win 5", "go to window 5"},
    {"meta-6", "/win 6", "go to window 6"},
    {"meta-7", "/win 7", "go to window 7"},
    {"meta-8", "/win 8", "go to window 8"},
    {"meta-9", "/win 9", "go to window 9"},
    {"meta-0", "/win 10", "go to window 10"},
    {"meta-e", "/editor", "write the message in your editor"},
};

/* Keys terminals send with a name; the ctrl-, meta- and shift- forms
 * curses can tell apart are listed too. */
static const char *const named_keys[] = {
    "enter",       "tab",
    "shift-tab",   "backspace",
    "shift-up",    "shift-down",
    "delete",      "insert",
    "home",        "end",
    "pageup",      "pagedown",
    "up",          "down",
    "left",        "right",
    "ctrl-up",     "ctrl-down",
    "ctrl-left",   "ctrl-right",
    "meta-up",     "meta-down",
    "meta-left",   "meta-right",
    "meta-enter",  "meta-backspace",
    "meta-home",   "meta-end",
    "meta-pageup", "meta-pagedown",
    "f1",          "f2",
    "f3",          "f4",
    "f5",          "f6",
    "f7",          "f8",
    "f9",          "f10",
    "f11",         "f12",
};

static GHashTable *user; /* key -> action ("" : unbound); NULL: not loaded */
static char *load_error;

/* Actions registered at run time. */
typedef struct {
    KeyAction action; /* its strings are owned here */
    KeyActionFunc func;
    gpointer data;
} Registered;

static GArray *registered; /* Registered */
static GArray *all;        /* KeyAction: built-in, registered, {NULL} */

static void registered_clear(gpointer p)
{
    Registered *r = p;
    g_free((char *)r->action.name);
    g_free((char *)r->action.description);
}

const KeyAction *keymap_actions(void)
{
    if (!registered || !registered->len)
        return actions;
    if (!all) {
        all = g_array_new(TRUE, TRUE, sizeof(KeyAction));
        g_array_append_vals(all, actions, G_N_ELEMENTS(actions) - 1);
        for (guint i = 0; i < registered->len; i++)
            g_array_append_val(all,
                               g_array_index(registered, Registered, i).action);
    }
    return (const KeyAction *)all->data;
}

static const KeyAction *find_action(const char *name)
{
    for (const KeyAction *a = keymap_actions(); a->name; a++)
        if (strcmp(a->name, name) == 0)
            return a;
    return NULL;
}

gboolean keymap_register_action(const char *name, const char *description,
                                KeyActionFunc func, gpointer data,
                                GError **error)
{
    if (!name || !*name || name[0] == '/' || strchr(name, ' ') ||
        find_action(name)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "cannot add the key action '%s': %s", name ? name : "",
                    name && find_action(name) ? "the name is taken"
                                              : "not a valid name");
        return FALSE;
    }
    if (!registered) {
        registered = g_array_new(FALSE, TRUE, sizeof(Registered));
        g_array_set_clear_func(registered, registered_clear);
    }
    Registered r = {{g_strdup(name), g_strdup(description)}, func, data};
    g_array_append_val(registered, r);
    g_clear_pointer(&all, g_array_unref);
    return TRUE;
}

void keymap_unregister_action(const char *name)
{
    for (guint i = 0; registered && i < registered->len; i++) {
        if (strcmp(g_array_index(registered, Registered, i).action.name,
                   name) == 0) {
            g_array_remove_index(registered, i);
            g_clear_pointer(&all, g_array_unref);
            return;
        }
    }
}

gboolean keymap_run_registered(const char *name)
{
    for (guint i = 0; registered && i < registered->len; i++) {
        Registered *r = &g_array_index(registered, Registered, i);
        if (strcmp(r->action.name, name) == 0) {
            r->func(r->data);
            return TRUE;
        }
    }
    return FALSE;
}

static const DefaultBinding *find_default(const char *key)
{
    for (guint i = 0; i < G_N_ELEMENTS(defaults); i++)
        if (strcmp(defaults[i].key, key) == 0)
            return &defaults[i];
    return NULL;
}

gboolean keymap_key_valid(const char *key)
{
    for (guint i = 0; i < G_N_ELEMENTS(named_keys); i++)
        if (strcmp(named_keys[i], key) == 0)
            return TRUE;
    if (g_str_has_prefix(key, "ctrl-") && strlen(key) == 6)
        return g_ascii_islower(key[5]) && key[5] != 'i' && key[5] != 'm' &&
               key[5] != 'j'; /* those are tab and enter */
    if (g_str_has_prefix(key, "meta-")) {
        const char *rest = key + 5;
        if (!*rest || !g_utf8_validate(rest, -1, NULL) ||
            g_utf8_strlen(rest, -1) != 1)
            return FALSE;
        gunichar c = g_utf8_get_char(rest);
        /* '=', '[' and ']' cannot be keys of the bindings file. */
        return g_unichar_isgraph(c) && c != '=' && c != '[' && c != ']';
    }
    return FALSE;
}

static char *keys_file(void)
{
    return paths_config_dir() ? paths_config_file("keys") : NULL;
}

gboolean keymap_load(GError **error)
{
    if (user) {
        if (load_error) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID, "%s",
                        load_error);
            return FALSE;
        }
        return TRUE;
    }
    user = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_autofree char *path = keys_file();
    if (!path || !g_file_test(path, G_FILE_TEST_EXISTS))
        return TRUE;
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autoptr(GError) cause = NULL;
    if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &cause)) {
        load_error = g_strdup_printf("%s: %s (key bindings not saved until it "
                                     "is fixed)",
                                     path, cause->message);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID, "%s",
                    load_error);
        return FALSE;
    }
    g_auto(GStrv) keys = g_key_file_get_keys(kf, "bindings", NULL, NULL);
    g_autoptr(GString) bad = g_string_new(NULL);
    for (char **k = keys; k && *k; k++) {
        g_autofree char *action =
            g_key_file_get_string(kf, "bindings", *k, NULL);
        gboolean ok = action && keymap_key_valid(*k) &&
                      (!*action || *action == '/' || find_action(action));
        if (ok)
            g_hash_table_insert(user, g_strdup(*k), g_steal_pointer(&action));
        else
            g_string_append_printf(bad, "%s'%s'", bad->len ? ", " : "", *k);
    }
    if (bad->len) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "%s: bad bindings ignored: %s", path, bad->str);
        return FALSE;
    }
    return TRUE;
}

void keymap_shutdown(void)
{
    g_clear_pointer(&all, g_array_unref);
    g_clear_pointer(&registered, g_array_unref);
    g_clear_pointer(&user, g_hash_table_unref);
    g_clear_pointer(&load_error, g_free);
}

static void ensure_loaded(void)
{
    if (!user)
        keymap_load(NULL); /* the UI loads it first and reports errors */
}

const char *keymap_lookup(const char *key)
{
    ensure_loaded();
    const char *action = g_hash_table_lookup(user, key);
    if (!action) {
        const DefaultBinding *d = find_default(key);
        action = d ? d->action : NULL;
    }
    return action && *action ? action : NULL;
}

static gboolean save(GError **error)
{
    if (load_error) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE, "%s", load_error);
        return FALSE;
    }
    g_autofree char *path = keys_file();
    if (!path) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "no config directory to save key bindings in");
        return FALSE;
    }
    if (g_mkdir_with_parents(paths_config_dir(), 0700) != 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO, "cannot create %s",
                    paths_config_dir());
        return FALSE;
    }
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_key_file_set_comment(kf, NULL, NULL,
                           " natter's key bindings, written by /bind and "
                           "/unbind.\n An empty action unbinds the key.",
                           NULL);
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, user);
    while (g_hash_table_iter_next(&it, &k, &v))
        g_key_file_set_string(kf, "bindings", k, v);
    gsize len;
    g_autofree char *data = g_key_file_to_data(kf, &len, NULL);
    return g_file_set_contents_full(
        path, data, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

gboolean keymap_bind(const char *key, const char *action, GError **error)
{
    ensure_loaded();
    if (!keymap_key_valid(key)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "'%s' is not a key natter can bind (ctrl-LETTER, "
                    "meta-KEY or a named key; /help keys lists them)",
                    key);
        return FALSE;
    }
    if (*action != '/' && !find_action(action)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "'%s' is neither a command (starting with /) nor an "
                    "action (/help keys lists them)",
                    action);
        return FALSE;
    }
    g_hash_table_insert(user, g_strdup(key), g_strdup(action));
    return save(error);
}

gboolean keymap_unbind(const char *key, gboolean *restored, GError **error)
{
    ensure_loaded();
    const char *mine = g_hash_table_lookup(user, key);
    if (mine && *mine) {
        g_hash_table_remove(user, key);
        *restored = find_default(key) != NULL;
    } else if (find_default(key) && !mine) {
        g_hash_table_insert(user, g_strdup(key), g_strdup(""));
        *restored = FALSE;
    } else {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "'%s' is not bound (/help keys lists the bindings)", key);
        return FALSE;
    }
    return save(error);
}

static const char *describe(const char *action, const char *fallback)
{
    const KeyAction *a = find_action(action);
    return a ? a->description : fallback;
}

static int compare_keys(gconstpointer a, gconstpointer b)
{
    return strcmp(((const KeyBinding *)a)->key, ((const KeyBinding *)b)->key);
}

GArray *keymap_bindings(gboolean defaults_only)
{
    GArray *out = g_array_new(FALSE, TRUE, sizeof(KeyBinding));
    if (!defaults_only)
        ensure_loaded();
    for (guint i = 0; i < G_N_ELEMENTS(defaults); i++) {
        const DefaultBinding *d = &defaults[i];
        const char *mine =
            defaults_only ? NULL : g_hash_table_lookup(user, d->key);
        if (mine && !*mine)
            continue; /* unbound */
        KeyBinding b = {d->key, mine ? mine : d->action, NULL, mine != NULL};
        b.description = describe(b.action, mine ? NULL : d->description);
        g_array_append_val(out, b);
    }
    if (defaults_only)
        return out;
    /* Keys bound only by the user come after the defaults, by name. */
    g_autoptr(GArray) extra = g_array_new(FALSE, TRUE, sizeof(KeyBinding));
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, user);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        if (find_default(k) || !*(const char *)v)
            continue;
        KeyBinding b = {k, v, describe(v, NULL), TRUE};
        g_array_append_val(extra, b);
    }
    g_array_sort(extra, compare_keys);
    g_array_append_vals(out, extra->data, extra->len);
    return out;
}
