/* inputline.h: the input line's text and cursor, with Emacs-style editing
 * and a history. Pure model: no curses, so it is unit-tested directly; the
 * UI maps keys to these functions and draws the result. Positions are byte
 * offsets into valid UTF-8, always on a character boundary, and never
 * between a character and the combining marks that follow it. */
#pragma once

#include <glib.h>

typedef struct InputLine InputLine;

InputLine *inputline_new(void);
/* Wipes the text, the kill buffer and the history before freeing. */
void inputline_free(InputLine *input);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(InputLine, inputline_free)

const char *inputline_text(const InputLine *input);
gsize inputline_cursor(const InputLine *input);
/* Display columns of the text before the cursor. */
gsize inputline_cursor_column(const InputLine *input);

/* Inserts UTF-8 TEXT at the cursor; invalid UTF-8 is ignored. */
void inputline_insert(InputLine *input, const char *text);
void inputline_set_text(InputLine *input, const char *text);
/* Replaces the text from byte FROM to the cursor with TEXT (completion);
 * the cursor ends after TEXT. */
void inputline_replace_before_cursor(InputLine *input, gsize from,
                                     const char *text);

void inputline_delete_back(InputLine *input);       /* Backspace */
void inputline_delete_forward(InputLine *input);    /* Delete, Ctrl-D */
void inputline_left(InputLine *input);              /* Ctrl-B */
void inputline_right(InputLine *input);             /* Ctrl-F */
void inputline_home(InputLine *input);              /* Ctrl-A */
void inputline_end(InputLine *input);               /* Ctrl-E */
void inputline_word_left(InputLine *input);         /* Alt-B */
void inputline_word_right(InputLine *input);        /* Alt-F */
void inputline_kill_to_end(InputLine *input);       /* Ctrl-K */
void inputline_kill_to_start(InputLine *input);     /* Ctrl-U */
void inputline_kill_word_back(InputLine *input);    /* Ctrl-W, Alt-Backspace */
void inputline_kill_word_forward(InputLine *input); /* Alt-D */
void inputline_yank(InputLine *input);              /* Ctrl-Y */
void inputline_transpose(InputLine *input);         /* Ctrl-T */

/* Returns the text (caller frees) and empties the line. With REMEMBER the
 * text goes into the history (not for passwords). */
char *inputline_take(InputLine *input, gboolean remember);
/* Empties the line, wiping the memory it used. */
void inputline_clear(InputLine *input);

/* Up and Down: the lines typed in the current scope (the window), or
 * all lines without a scope. The line being edited is kept and comes back
 * below the newest entry. */
void inputline_history_prev(InputLine *input);
void inputline_history_next(InputLine *input);
/* Ctrl-Up and Ctrl-Down: every line typed, in any window. */
void inputline_global_prev(InputLine *input);
void inputline_global_next(InputLine *input);

/* Lines taken from now on are also remembered under SCOPE (a window's
 * id), and Up/Down walk those; NULL: only the global history. */
void inputline_set_scope(InputLine *input, const char *scope);
