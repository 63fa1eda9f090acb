/* evalpass.c: see evalpass.h. The child's stdout and stderr are read from
 * fd watches and its exit comes from a child watch; the result is reported
 * once all three are done. A command that hangs is killed after the
 * setting eval_password_timeout, so an account never stays "connecting"
 * for ever. */
#include "core/evalpass.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <glib-unix.h>

#include "core/settings.h"
#include "util/error.h"

typedef struct {
    char *command; /* argv[0], for messages */
    GString *out;
    GString *err;
    guint out_watch, err_watch;
    int out_fd, err_fd;
    GPid pid;
    guint timeout;
    int timeout_s;
    gboolean timed_out;
    gboolean reported;
    gboolean exited;
    int status;
    EvalPassFunc func;
    gpointer data;
    GDestroyNotify destroy;
} Run;

static void wipe_string(GString *s)
{
    memset(s->str, 0, s->allocated_len);
    g_string_free(s, TRUE);
}

/* Tells the caller the outcome, once. */
static void report(Run *run)
{
    if (run->reported)
        return;
    run->reported = TRUE;
    g_clear_handle_id(&run->timeout, g_source_remove);
    g_autoptr(GError) error = NULL;
    g_autofree char *password = NULL;
    const char *nl = strchr(run->out->str, '\n');
    gsize len = nl ? (gsize)(nl - run->out->str) : run->out->len;
    if (len > 0 && run->out->str[len - 1] == '\r')
        len--;
    g_autofree char *failure = NULL;
    if (run->timed_out)
        failure = g_strdup_printf("no answer within %d s", run->timeout_s);
    else if (!WIFEXITED(run->status))
        failure = g_strdup_printf("killed by signal %d", WTERMSIG(run->status));
    else if (WEXITSTATUS(run->status) != 0)
        failure = g_strdup_printf("exit status %d", WEXITSTATUS(run->status));
    if (failure) {
        g_autofree char *why = g_strstrip(g_strdup(run->err->str));
        char *eol = strchr(why, '\n');
        if (eol)
            *eol = '\0';
        g_set_error(&error, NATTER_ERROR, NATTER_ERROR_IO,
                    "eval_password: '%s' failed (%s)%s%s", run->command,
                    failure, *why ? ": " : "", why);
    } else if (len == 0) {
        g_set_error(&error, NATTER_ERROR, NATTER_ERROR_IO,
                    "eval_password: '%s' printed no password", run->command);
    } else {
        password = g_strndup(run->out->str, len);
    }
    run->func(password, error, run->data);
    if (password)
        memset(password, 0, strlen(password));
    if (run->destroy)
        run->destroy(run->data);
}

/* Reports and frees RUN once the output is read and the child reaped. */
static void finish(Run *run)
{
    if (run->out_fd >= 0 || run->err_fd >= 0 || !run->exited)
        return;
    report(run);
    wipe_string(run->out);
    g_string_free(run->err, TRUE);
    g_free(run->command);
    g_free(run);
}

/* Reads what is there; returns FALSE at end of file (the fd is closed). */
static gboolean drain(int fd, GString *into)
{
    char buf[4096];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n > 0) {
            g_string_append_len(into, buf, n);
            memset(buf, 0, sizeof buf);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return TRUE;
        close(fd);
        return FALSE;
    }
}

static gboolean on_out(gint fd, GIOCondition cond, gpointer data)
{
    Run *run = data;
    if (drain(fd, run->out))
        return G_SOURCE_CONTINUE;
    run->out_fd = -1;
    run->out_watch = 0;
    finish(run);
    return G_SOURCE_REMOVE;
}

static gboolean on_err(gint fd, GIOCondition cond, gpointer data)
{
    Run *run = data;
    if (drain(fd, run->err))
        return G_SOURCE_CONTINUE;
    run->err_fd = -1;
    run->err_watch = 0;
    finish(run);
    return G_SOURCE_REMOVE;
}

static gboolean on_timeout(gpointer data)
{
    Run *run = data;
    run->timeout = 0;
    run->timed_out = TRUE;
    /* Its own children may hold the pipes open: stop reading now, report,
     * and free RUN when the child watch has reaped the killed child. */
    kill(-run->pid, SIGKILL); /* its process group: helpers too */
    g_clear_handle_id(&run->out_watch, g_source_remove);
    g_clear_handle_id(&run->err_watch, g_source_remove);
    if (run->out_fd >= 0)
        close(run->out_fd);
    if (run->err_fd >= 0)
        close(run->err_fd);
    run->out_fd = run->err_fd = -1;
    report(run);
    finish(run);
    return G_SOURCE_REMOVE;
}

static void on_child_exit(GPid pid, gint status, gpointer data)
{
    Run *run = data;
    g_spawn_close_pid(pid);
    run->exited = TRUE;
    run->status = status;
    finish(run);
}

/* In the child: a process group of its own, so that a timeout stops the
 * helpers it started too. */
static void child_setup(gpointer data)
{
    setpgid(0, 0);
}

gboolean evalpass_run(const char *command, EvalPassFunc func, gpointer data,
                      GDestroyNotify destroy, GError **error)
{
    g_auto(GStrv) argv = NULL;
    g_autoptr(GError) cause = NULL;
    if (!g_shell_parse_argv(command, NULL, &argv, &cause)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "eval_password: cannot split '%s': %s", command,
                    cause->message);
        if (destroy)
            destroy(data);
        return FALSE;
    }
    GPid pid;
    int in_fd, out_fd, err_fd;
    /* stdin is a pipe closed at once: the child must not read natter's
     * own input (the headless front end's commands). */
    if (!g_spawn_async_with_pipes(
            NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
            child_setup, NULL, &pid, &in_fd, &out_fd, &err_fd, &cause)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO,
                    "eval_password: cannot run '%s': %s", argv[0],
                    cause->message);
        if (destroy)
            destroy(data);
        return FALSE;
    }
    close(in_fd);
    Run *run = g_new0(Run, 1);
    run->command = g_strdup(argv[0]);
    run->out = g_string_new(NULL);
    run->err = g_string_new(NULL);
    run->out_fd = out_fd;
    run->err_fd = err_fd;
    run->func = func;
    run->data = data;
    run->destroy = destroy;
    g_unix_set_fd_nonblocking(out_fd, TRUE, NULL);
    g_unix_set_fd_nonblocking(err_fd, TRUE, NULL);
    run->out_watch =
        g_unix_fd_add(out_fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_out, run);
    run->err_watch =
        g_unix_fd_add(err_fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_err, run);
    run->pid = pid;
    run->timeout_s = settings_get_int("eval_password_timeout");
    run->timeout = g_timeout_add_seconds(run->timeout_s, on_timeout, run);
    g_child_watch_add(pid, on_child_exit, run);
    return TRUE;
}
