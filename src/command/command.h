/* command.h: the command table and how a typed line is run.
 *
 * Every command is one CommandDef: name, synopsis, help, arguments,
 * examples, argument counts and handler. /help, the man page (generated at
 * build time by natter-docgen) and completion all read this table, so they
 * cannot disagree. Each family of commands lives in its own cmd_*.c file
 * and exports a table that command.c collects. */
#pragma once

#include <glib.h>

#include "core/buffer.h"
#include "core/sink.h"

typedef struct CommandDef CommandDef;

typedef struct {
    const CommandDef *def;
    Buffer *buffer;      /* where the line was typed: its conversation */
    Sink *out;           /* where the command's output goes (borrowed:
                            take a reference to print later) */
    const char *account; /* the account the command acts for, or NULL */
    int argc;
    char **argv; /* the arguments, without the command name */
} CommandCall;

typedef gboolean (*CommandFunc)(const CommandCall *call, GError **error);

typedef struct {
    const char *name; /* as in the synopsis: "JID", "server HOST" */
    const char *help;
} CommandArg;

struct CommandDef {
    const char *name;            /* without the slash */
    const char *const *synopsis; /* usage lines, NULL-terminated */
    const char *summary;         /* one line for lists */
    const char *description;     /* the full explanation */
    const CommandArg *args;      /* terminated by {NULL, NULL}; may be NULL */
    const char *const *examples; /* NULL-terminated; may be NULL */
    int min_args;
    int max_args;  /* -1: any number */
    gboolean rest; /* the last argument takes the rest of the line as typed */
    /* The command acts for an account: the current window's, or the one
     * named by a leading "-a ACCOUNT" (CommandCall.account either way). */
    gboolean per_account;
    CommandFunc func;
    /* Optional: candidates of its own for the argument at POSITION (from
     * 0) when the command is typed in BUFFER after the arguments ARGS
     * (POSITION of them), added to OUT as new strings. When it gives any,
     * they stand instead of those of the synopsis's placeholders
     * (command/complete.c); otherwise the synopsis gives them. */
    void (*complete)(const Buffer *buffer, const char *const *args,
                     guint position, GPtrArray *out);
};

/* Output of CALL: a line of KIND to its sink. */
void command_print(const CommandCall *call, LineKind kind, const char *text);
void command_printf(const CommandCall *call, LineKind kind, const char *format,
                    ...) G_GNUC_PRINTF(3, 4);

/* TRUE when CALL has an account to act for; otherwise FALSE with ERROR
 * saying how to name one. */
gboolean command_need_account(const CommandCall *call, GError **error);

void commands_init(void);
void commands_shutdown(void);

/* Adds DEF (kept, not copied: it must outlive its registration) to the
 * table at run time, as a plugin does: lookup, /help and completion see it
 * at once. FALSE with ERROR when a command of that name exists. */
gboolean command_register(const CommandDef *def, GError **error);
/* Takes DEF out of the table again. */
void command_unregister(const CommandDef *def);

/* All commands sorted by name (borrowed). */
const GPtrArray *commands_list(void);
const CommandDef *command_find(const char *name);

/* Runs LINE as typed in BUFFER: "/name args" runs a command, "//text"
 * sends "/text", anything else is a message to the buffer's conversation.
 * Errors are shown in BUFFER; nothing typed is dropped silently. */
void command_run(Buffer *buffer, const char *line);

/* The same, returning the error instead of showing it. */
gboolean command_execute(Buffer *buffer, const char *line, GError **error);

/* Runs LINE as if typed in BUFFER (its conversation and account), with
 * the command's output going to OUT instead of BUFFER: how the control
 * socket and plugins run commands. The error is returned, not shown. */
gboolean command_execute_to(Buffer *buffer, Sink *out, const char *line,
                            GError **error);

/* Splits ARGS into words: whitespace separates, "double quotes" group,
 * backslash escapes a quote or backslash inside quotes. With REST, once
 * MAX_WORDS - 1 words are taken, the remainder is the last word verbatim.
 * Returns a NULL-terminated vector (caller frees) or NULL with ERROR set. */
char **command_split(const char *args, int max_words, gboolean rest,
                     GError **error);

/* Option pairs "KEY VALUE ..." from ARGV, e.g. "server HOST port N", into
 * a new table (caller frees the table; keys come from KEYS, values are
 * borrowed from ARGV). KEYS lists the allowed keys, NULL-terminated. */
GHashTable *command_parse_options(char **argv, int argc,
                                  const char *const *keys, GError **error);
