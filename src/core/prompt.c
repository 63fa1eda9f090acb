/* prompt.c: see prompt.h. Questions wait in a queue; the provider is shown
 * one at a time. */
#include "core/prompt.h"

#include <string.h>

typedef struct {
    char *question;
    gboolean secret;
    PromptCallback callback;
    gpointer user_data;
    GDestroyNotify destroy;
} Question;

static const PromptProvider *provider;
static GQueue questions = G_QUEUE_INIT;
static Question *shown; /* the question the provider shows now */

static void question_free(Question *q)
{
    if (q->destroy)
        q->destroy(q->user_data);
    g_free(q->question);
    g_free(q);
}

static void show_head(void)
{
    Question *q = g_queue_peek_head(&questions);
    if (q && provider && q != shown) {
        shown = q;
        provider->ask(q->question, q->secret);
    }
}

void prompt_set_provider(const PromptProvider *p)
{
    provider = p;
    shown = NULL;
    show_head();
}

void prompt_ask(const char *question, gboolean secret, PromptCallback callback,
                gpointer user_data, GDestroyNotify destroy)
{
    Question *q = g_new0(Question, 1);
    q->question = g_strdup(question);
    q->secret = secret;
    q->callback = callback;
    q->user_data = user_data;
    q->destroy = destroy;
    g_queue_push_tail(&questions, q);
    show_head();
}

gboolean prompt_active(void)
{
    return !g_queue_is_empty(&questions);
}

gboolean prompt_is_secret(void)
{
    Question *q = g_queue_peek_head(&questions);
    return q && q->secret;
}

void prompt_answer(const char *answer)
{
    Question *q = g_queue_pop_head(&questions);
    if (!q)
        return;
    if (provider && shown == q)
        provider->dismiss();
    shown = NULL;
    g_autofree char *copy = g_strdup(answer);
    q->callback(copy, q->user_data);
    if (copy)
        memset(copy, 0, strlen(copy));
    question_free(q);
    show_head();
}

void prompt_cancel_all(void)
{
    while (prompt_active())
        prompt_answer(NULL);
}
