/* keymap.h: what each key does, as data: key names ("ctrl-a", "meta-x",
 * "pageup") bound to actions, which are either a built-in editing or
 * scrolling action ("input.home") or a command line ("/win 2"). The
 * defaults are a table here, so /help keys, the man page's KEYS section
 * and the terminal all read the same thing; /bind and /unbind change it
 * and save the user's changes in the config dir's file "keys". No curses
 * here: the terminal UI turns key codes into these names. */
#pragma once

#include <glib.h>

typedef struct {
    const char *name;        /* "input.home" */
    const char *description; /* for /help keys and the man page */
} KeyAction;

/* The built-in actions, terminated by a NULL name. */
const KeyAction *keymap_actions(void);

/* The action bound to KEY (a key name), or NULL when the key is not bound.
 * Borrowed; valid until the next /bind or /unbind. */
const char *keymap_lookup(const char *key);

/* TRUE when KEY is a name natter can bind: ctrl-LETTER, meta-KEY or one
 * of the named keys (up, pageup, f1...) with ctrl-, meta- or shift- where
 * terminals send that. Plain characters are text, not bindable. */
gboolean keymap_key_valid(const char *key);

/* Binds KEY to ACTION (an action name or a line starting with '/') and
 * saves the user's bindings. */
gboolean keymap_bind(const char *key, const char *action, GError **error);
/* Takes the user's binding of KEY away (the default comes back); a key
 * without one loses its default. *RESTORED says which happened. */
gboolean keymap_unbind(const char *key, gboolean *restored, GError **error);

/* Every bound key with its action and a description, sorted for reading:
 * an array of KeyBinding (caller frees). */
typedef struct {
    const char *key;
    const char *action;
    const char *description; /* the action's, or "run ACTION" */
    gboolean user;           /* changed with /bind */
} KeyBinding;
GArray *keymap_bindings(gboolean defaults_only);

/* Loads the user's bindings (once; also done on first use); a bad file is
 * reported in ERROR and its good lines are used. */
gboolean keymap_load(GError **error);
void keymap_shutdown(void);
