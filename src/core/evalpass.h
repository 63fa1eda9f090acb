/* evalpass.h: an account's eval_password: run the command (argv split like
 * a shell would, but no shell runs), without blocking the loop, and take
 * the first line it prints as the password. */
#pragma once

#include <glib.h>

/* PASSWORD is the first output line (wiped after the call), or NULL with
 * ERROR saying why: the command could not start, failed, or printed
 * nothing. */
typedef void (*EvalPassFunc)(const char *password, const GError *error,
                             gpointer data);

/* Starts COMMAND; FUNC is called exactly once, later, from the loop.
 * Returns FALSE with ERROR set (and FUNC never called) when COMMAND cannot
 * even be parsed or started. DESTROY frees DATA after FUNC ran, or at
 * once on failure. */
gboolean evalpass_run(const char *command, EvalPassFunc func, gpointer data,
                      GDestroyNotify destroy, GError **error);
