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

/* Every action, the built-in ones then those registered at run time,
 * terminated by a NULL name. Valid until the next (un)registration. */
const KeyAction *keymap_actions(void);

/* An action added at run time (by a plugin): NAME ("myplugin.do") runs
 * FUNC with DATA; DESCRIPTION is for /help keys. Keys are bound to it with
 * /bind. FALSE with ERROR when NAME is taken. The strings are copied. */
typedef void (*KeyActionFunc)(gpointer data);
gboolean keymap_register_action(const char *name, const char *description,
                                KeyActionFunc func, gpointer data,
                                GError **error);
void keymap_unregister_action(const char *name);
/* Runs the registered action NAME; FALSE when there is none by that name
 * (the front end runs the built-in ones itself). */
gboolean keymap_run_registered(const char *name);

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
