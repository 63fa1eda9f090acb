/* headless.c: natter without a terminal UI. Reads one command (or message)
 * per line from stdin, prints every buffer line to stdout as
 *   [BUFFER] <nick> text      messages
 *   [BUFFER] -- text          information
 *   [BUFFER] !! text          errors
 *   [BUFFER] ?? question      a question; the next stdin line answers it
 *   [BUFFER] (history) <nick> text   a line loaded from history
 *   [BUFFER] (STATE) <nick> text     a message changed: STATE is its
 *       delivery (sent, delivered, read, failed, received), then
 *       ", edited" or "retracted", then ", reactions: R"
 *   [BUFFER] (reply to QUOTE) <nick> text   a reply
 *   [BUFFER] {omemo trusted} <nick> text    an encrypted message: how
 *       (omemo, otr), then what is known of the key
 * where BUFFER is "natter", an account name, or "ACCOUNT/PEER". Lines of a
 * multi-line text each get the prefix. Everything printed was sanitised by
 * the buffer model. End of input quits. While natter starts (startup.c),
 * input is held back: only a question's answer is taken at once. */
#include <errno.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "command/command.h"
#include "core/app.h"
#include "core/buffer.h"
#include "core/prompt.h"
#include "frontend.h"

static guint line_subscription;
static guint prepended_subscription;
static guint changed_subscription;
static guint stdin_watch;
static GString *pending_input;
static gboolean holding;     /* headless_hold_input() */
static GQueue held_lines;    /* of char *, read while holding */
static gboolean input_ended; /* stdin is at its end */
static gboolean echo_off;
static struct termios saved_termios;

static const char *marker(LineKind kind)
{
    switch (kind) {
    case LINE_INFO:
        return "--";
    case LINE_ERROR:
        return "!!";
    case LINE_IN:
    case LINE_OUT:
        break;
    }
    return NULL;
}

static void print_line(const char *id, const BufferLine *line,
                       const char *origin)
{
    /* An empty text (a retracted message) is still one line: g_strsplit
     * would give no parts at all. */
    static const char *const nothing[] = {"", NULL};
    g_auto(GStrv) split = g_strsplit(line->text, "\n", -1);
    const char *const *parts = split[0] ? (const char *const *)split : nothing;
    const char *mark = marker(line->kind);
    for (const char *const *p = parts; *p; p++) {
        if (mark)
            printf("[%s] %s%s %s\n", id, origin, mark, *p);
        else if (line->security != MESSAGE_PLAIN)
            printf("[%s] %s{%s %s} <%s> %s\n", id, origin,
                   message_security_name(line->security),
                   message_trust_name(line->trust),
                   line->nick ? line->nick : "", *p);
        else
            printf("[%s] %s<%s> %s\n", id, origin, line->nick ? line->nick : "",
                   *p);
    }
    fflush(stdout);
}

static EventResult on_line_changed(Buffer *buffer, const BufferLine *line,
                                   gpointer data)
{
    g_autofree char *id = buffer_id(buffer);
    g_autoptr(GString) origin = g_string_new("(");
    if (line->retracted)
        g_string_append(origin, "retracted");
    else
        g_string_append(origin, message_state_name(line->state));
    if (line->edited && !line->retracted)
        g_string_append(origin, ", edited");
    if (line->reactions)
        g_string_append_printf(origin, ", reactions: %s", line->reactions);
    g_string_append(origin, ") ");
    print_line(id, line, origin->str);
    return EVENT_CONTINUE;
}

static EventResult on_prepended(Buffer *buffer, guint count, gpointer data)
{
    g_autofree char *id = buffer_id(buffer);
    for (guint i = 0; i < count && i < buffer->lines->len; i++)
        print_line(id, g_ptr_array_index(buffer->lines, i), "(history) ");
    return EVENT_CONTINUE;
}

static EventResult on_line(Buffer *buffer, const BufferLine *line,
                           gpointer data)
{
    g_autofree char *id = buffer_id(buffer);
    g_autofree char *origin =
        line->quote ? g_strdup_printf("(reply to %s) ", line->quote)
                    : g_strdup("");
    print_line(id, line, origin);
    return EVENT_CONTINUE;
}

static void set_echo(gboolean on)
{
    if (!isatty(STDIN_FILENO))
        return;
    if (!on && !echo_off) {
        struct termios t;
        if (tcgetattr(STDIN_FILENO, &saved_termios) != 0)
            return;
        t = saved_termios;
        t.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &t);
        echo_off = TRUE;
    } else if (on && echo_off) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
        echo_off = FALSE;
    }
}

static void ask(const char *question, gboolean secret)
{
    printf("[natter] ?? %s\n", question);
    fflush(stdout);
    set_echo(!secret);
}

static void dismiss(void)
{
    set_echo(TRUE);
}

static const PromptProvider provider = {ask, dismiss};

/* Lines read may hold a password. */
static void wipe_free(gpointer line)
{
    memset(line, 0, strlen(line));
    g_free(line);
}

static void handle_line(char *line)
{
    app_user_active(); /* a typed line is the user's activity (auto-away) */
    if (prompt_active()) {
        prompt_answer(line);
        memset(line, 0, strlen(line)); /* it may be a password */
        return;
    }
    if (holding)
        g_queue_push_tail(&held_lines, g_strdup(line));
    else if (*line)
        command_run(buffer_current(), line);
}

static void end_of_input(void)
{
    input_ended = TRUE;
    /* Nobody is left to answer: a question waiting now would hold the
     * start forever. */
    prompt_cancel_all();
    if (!holding)
        app_quit();
}

void headless_hold_input(gboolean hold)
{
    holding = hold;
    if (hold)
        return;
    /* A held line may answer a question that an earlier one asks. */
    char *line;
    while (!holding && (line = g_queue_pop_head(&held_lines))) {
        handle_line(line);
        wipe_free(line);
    }
    if (input_ended && !holding)
        app_quit();
}

static gboolean on_stdin(gint fd, GIOCondition condition, gpointer data)
{
    char chunk[4096];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return G_SOURCE_CONTINUE;
    if (n <= 0) {
        stdin_watch = 0;
        if (pending_input->len)
            handle_line(pending_input->str);
        end_of_input();
        return G_SOURCE_REMOVE;
    }
    g_string_append_len(pending_input, chunk, n);
    char *nl;
    while ((nl = memchr(pending_input->str, '\n', pending_input->len))) {
        gsize len = nl - pending_input->str;
        g_autofree char *line = g_strndup(pending_input->str, len);
        if (len > 0 && line[len - 1] == '\r')
            line[len - 1] = '\0';
        /* Wipe what is consumed: it may hold a password. */
        memset(pending_input->str, 0, len + 1);
        g_string_erase(pending_input, 0, len + 1);
        handle_line(line);
    }
    return G_SOURCE_CONTINUE;
}

gboolean headless_init(GError **error)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    pending_input = g_string_new(NULL);
    line_subscription =
        event_on_line(EVENT_BUFFER_LINE, EVENT_PRIORITY_DEFAULT, on_line, NULL);
    prepended_subscription =
        event_on_prepended(EVENT_PRIORITY_DEFAULT, on_prepended, NULL);
    changed_subscription =
        event_on_line(EVENT_BUFFER_LINE_CHANGED, EVENT_PRIORITY_DEFAULT,
                      on_line_changed, NULL);
    stdin_watch = g_unix_fd_add(STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                on_stdin, NULL);
    prompt_set_provider(&provider);
    return TRUE;
}

void headless_shutdown(void)
{
    prompt_set_provider(NULL);
    set_echo(TRUE);
    g_clear_handle_id(&stdin_watch, g_source_remove);
    if (line_subscription)
        event_unsubscribe(line_subscription);
    if (prepended_subscription)
        event_unsubscribe(prepended_subscription);
    if (changed_subscription)
        event_unsubscribe(changed_subscription);
    line_subscription = prepended_subscription = changed_subscription = 0;
    g_queue_clear_full(&held_lines, wipe_free);
    holding = input_ended = FALSE;
    if (pending_input) {
        memset(pending_input->str, 0, pending_input->len);
        g_string_free(pending_input, TRUE);
        pending_input = NULL;
    }
}
