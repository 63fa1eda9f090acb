/* hooks.h: event hooks, programs natter runs when something happens (a
 * message arrives, a contact asks to subscribe, an account goes online).
 * They are kept in the file "hooks" of the config dir, one group per hook:
 *
 *     [notify]
 *     event = message-received
 *     command = notify-send natter "a message"
 *     account = work            (optional: only this account's events)
 *     peer = bob@example.org    (optional: only this contact or room)
 *     timeout = 5               (optional: seconds, else hook_timeout)
 *     not_current = true        (optional: only when the conversation's
 *                               window is not the one shown)
 *
 * The command is split with the shell's quoting rules but never given to
 * a shell: nothing in it is expanded. The event's fields reach the program
 * only as environment variables (NATTER_EVENT, NATTER_ACCOUNT, NATTER_FROM,
 * NATTER_PEER, ...) and the body also on its standard input, never in an
 * argument, so text from the network cannot inject anything. A hook that
 * fails is reported in natter's console; one that runs past its timeout
 * is killed; at most hook_max_running run at once, and an event that
 * would start one more is dropped with one console line. */
#pragma once

#include <glib.h>

typedef struct {
    char *name;
    char *event;   /* one of hooks_events() */
    char *command; /* program and arguments, shell-quoted (never run by one) */
    char *account; /* only this account's events, or NULL */
    char *peer;    /* only this contact or room (a JID), or NULL */
    guint timeout; /* seconds; 0: the hook_timeout setting */
    gboolean not_current; /* only when the peer's window is not current */
} Hook;

/* Loads the hooks file and starts listening to the events. A file that
 * cannot be read is reported in ERROR; the good hooks are still used, and
 * /hook add or del refuse to overwrite it until it is fixed or reloaded. */
gboolean hooks_init(GError **error);
void hooks_shutdown(void);

/* Reads the hooks file again. */
gboolean hooks_reload(GError **error);

/* The names of the events a hook can be for, NULL-terminated. */
const char *const *hooks_events(void);

/* The hooks, sorted by name (borrowed, valid until the next change). */
const GPtrArray *hooks_list(void);

/* Adds (or replaces) the hook HOOK->name and saves the file. HOOK is
 * copied. FALSE with ERROR for an unknown event, a command that cannot
 * be split, or a file that cannot be written. */
gboolean hooks_add(const Hook *hook, GError **error);
gboolean hooks_remove(const char *name, GError **error);

/* Runs the hook NAME once with NATTER_TEST=1 and a sample body, and
 * reports in the console how it ended, success too. */
gboolean hooks_test(const char *name, GError **error);
