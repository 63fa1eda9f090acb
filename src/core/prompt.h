/* prompt.h: asking the user a question without blocking the loop. A command
 * that needs an answer (a password) calls prompt_ask() and continues in the
 * callback; the front end in use (terminal UI or headless) provides the way
 * to ask. */
#pragma once

#include <glib.h>

/* ANSWER is NULL when the question was cancelled. It is wiped after the
 * callback returns, so copy it if it must live longer. */
typedef void (*PromptCallback)(const char *answer, gpointer user_data);

typedef struct {
    /* Show QUESTION; when SECRET, the answer is not echoed. Call
     * prompt_answer() once the user has answered (or NULL to cancel). */
    void (*ask)(const char *question, gboolean secret);
    /* Stop showing the question (it was answered or cancelled). */
    void (*dismiss)(void);
} PromptProvider;

void prompt_set_provider(const PromptProvider *provider);

/* Asks QUESTION. Only one question is open at a time; later ones wait in
 * line. DESTROY (may be NULL) frees USER_DATA after the callback ran. */
void prompt_ask(const char *question, gboolean secret, PromptCallback callback,
                gpointer user_data, GDestroyNotify destroy);

/* TRUE while a question waits for its answer. */
gboolean prompt_active(void);
/* TRUE when the open question's answer must not be echoed. */
gboolean prompt_is_secret(void);

/* The front end delivers the answer (NULL: cancelled). */
void prompt_answer(const char *answer);

/* Cancels every open and waiting question (their callbacks get NULL). */
void prompt_cancel_all(void);
