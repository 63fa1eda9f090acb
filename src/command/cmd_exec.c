/* cmd_exec.c: /exec, running a program from natter. The child runs
 * without a shell unless -sh asks for one (its arguments are split with
 * the command line's quoting rules, so text in them is never interpreted),
 * is driven by the main loop (GSubprocess: reading its output and waiting
 * for it never block), and its output is bounded: past EXEC_MAX_OUTPUT
 * bytes the rest is read and dropped, so a child writing gigabytes costs
 * no memory. Output goes to the sink of the call, line by line as it
 * comes, or with -o is sent as one message to the conversation the
 * command was typed in, through the same path as typed text (and so the
 * same encryption policy). Children are listed (-list), killed by id or
 * name (-kill), by -timeout, and at quit. A child started with -i keeps
 * its standard input open: /exec -in writes lines to it (queued, written
 * as the pipe takes them, so a slow reader never blocks natter) and ends
 * it. */
#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

#include "command/families.h"
#include "core/event.h"
#include "util/error.h"

#define EXEC_MAX_OUTPUT (256 * 1024)
#define EXEC_READ_SIZE  4096

typedef struct {
    guint id;
    char *name;  /* -name, or NULL */
    char *label; /* what was run, for messages */
    GSubprocess *child;
    GCancellable *cancel;
    Sink *out;
    gboolean send;  /* -o: send the output as a message */
    gboolean quiet; /* -bg: show only the exit status */
    BufferKind kind;
    char *account, *peer; /* the conversation of -o */
    GString *pending;     /* the start of a line not yet ended */
    GString *message;     /* -o: the output so far */
    gsize total;          /* bytes of output seen */
    gboolean dropped;     /* output past the bound was dropped */
    gboolean timed_out;
    guint timeout_source;
    gboolean reading, waiting; /* the two async operations still running */
    GOutputStream *input;      /* -i: the child's stdin, until ended */
    GQueue *to_write;          /* GBytes waiting for the pipe */
    gboolean writing;          /* a write is under way */
    gboolean end_input;        /* close stdin once the queue is written */
} ExecJob;

static GHashTable *jobs; /* id -> ExecJob * (owned) */
static guint next_id = 1;
static guint quit_subscription;

static void job_free(gpointer data)
{
    ExecJob *job = data;
    if (job->timeout_source)
        g_source_remove(job->timeout_source);
    g_free(job->name);
    g_free(job->label);
    g_clear_object(&job->input);
    if (job->to_write)
        g_queue_free_full(job->to_write, (GDestroyNotify)g_bytes_unref);
    g_clear_object(&job->child);
    g_clear_object(&job->cancel);
    sink_unref(job->out);
    g_free(job->account);
    g_free(job->peer);
    g_string_free(job->pending, TRUE);
    g_string_free(job->message, TRUE);
    g_free(job);
}

/* Kills every child at quit: none outlives natter. */
static EventResult on_quit(gpointer data)
{
    (void)data;
    if (jobs) {
        GHashTableIter iter;
        gpointer value;
        g_hash_table_iter_init(&iter, jobs);
        while (g_hash_table_iter_next(&iter, NULL, &value)) {
            ExecJob *job = value;
            g_cancellable_cancel(job->cancel);
            g_subprocess_force_exit(job->child);
        }
        g_hash_table_destroy(jobs);
        jobs = NULL;
    }
    event_unsubscribe(quit_subscription);
    quit_subscription = 0;
    return EVENT_CONTINUE;
}

static void emit_line(ExecJob *job, const char *line, gsize len)
{
    g_autofree char *text = g_utf8_make_valid(line, (gssize)len);
    if (job->quiet)
        return;
    if (job->send) {
        if (job->message->len)
            g_string_append_c(job->message, '\n');
        g_string_append(job->message, text);
    } else {
        sink_print(job->out, LINE_INFO, text);
    }
}

/* Takes the complete lines of DATA; keeps a partial one for later. Only
 * the first EXEC_MAX_OUTPUT bytes are kept at all. */
static void take_output(ExecJob *job, const char *data, gsize len)
{
    gsize room =
        job->total < EXEC_MAX_OUTPUT ? EXEC_MAX_OUTPUT - job->total : 0;
    job->total += len;
    if (len > room) {
        len = room;
        job->dropped = TRUE;
    }
    g_string_append_len(job->pending, data, (gssize)len);
    char *start = job->pending->str;
    char *nl;
    while (
        (nl = memchr(start, '\n',
                     job->pending->len - (gsize)(start - job->pending->str)))) {
        emit_line(job, start, (gsize)(nl - start));
        start = nl + 1;
    }
    g_string_erase(job->pending, 0, (gssize)(start - job->pending->str));
}

static void job_finish(ExecJob *job)
{
    if (job->reading || job->waiting)
        return;
    if (job->pending->len)
        emit_line(job, job->pending->str, job->pending->len);
    if (job->dropped)
        sink_printf(job->out, LINE_ERROR,
                    "[exec %u] output past %u KiB was dropped", job->id,
                    EXEC_MAX_OUTPUT / 1024);

    GSubprocess *child = job->child;
    gboolean ok = FALSE;
    g_autofree char *how = NULL;
    if (job->timed_out)
        how = g_strdup("was killed after its timeout");
    else if (g_subprocess_get_if_exited(child)) {
        int status = g_subprocess_get_exit_status(child);
        ok = status == 0;
        how = g_strdup_printf("exited with status %d", status);
    } else if (g_subprocess_get_if_signaled(child))
        how = g_strdup_printf("was killed by signal %d",
                              g_subprocess_get_term_sig(child));
    else
        how = g_strdup("ended");

    if (job->send && ok && job->message->len) {
        Buffer *buffer = buffer_find(job->kind, job->account, job->peer);
        g_autoptr(GError) error = NULL;
        if (!buffer)
            sink_printf(job->out, LINE_ERROR,
                        "[exec %u] not sent: the conversation was closed",
                        job->id);
        else {
            /* A line starting with '/' would be a command: "//" sends it
             * as text. */
            g_autofree char *line =
                g_strconcat(job->message->str[0] == '/' ? "/" : "",
                            job->message->str, NULL);
            if (!command_execute_to(buffer, job->out, line, &error))
                sink_printf(job->out, LINE_ERROR, "[exec %u] %s", job->id,
                            error->message);
        }
    } else if (job->send && !ok && job->message->len) {
        sink_printf(job->out, LINE_INFO, "%s", job->message->str);
        sink_printf(job->out, LINE_ERROR,
                    "[exec %u] output not sent: the command failed", job->id);
    }
    sink_printf(job->out, ok ? LINE_INFO : LINE_ERROR, "[exec %u] %s %s",
                job->id, job->label, how);
    if (jobs)
        g_hash_table_remove(jobs, GUINT_TO_POINTER(job->id));
    else
        job_free(job);
}

static void on_read(GObject *source, GAsyncResult *result, gpointer data)
{
    ExecJob *job = data;
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish(
        G_INPUT_STREAM(source), result, &error);
    if (bytes && g_bytes_get_size(bytes) > 0) {
        gsize len;
        const char *chunk = g_bytes_get_data(bytes, &len);
        take_output(job, chunk, len);
        g_input_stream_read_bytes_async(G_INPUT_STREAM(source), EXEC_READ_SIZE,
                                        G_PRIORITY_DEFAULT, job->cancel,
                                        on_read, job);
        return;
    }
    job->reading = FALSE;
    job_finish(job);
}

static void on_child_exit(GObject *source, GAsyncResult *result, gpointer data)
{
    ExecJob *job = data;
    g_subprocess_wait_finish(G_SUBPROCESS(source), result, NULL);
    job->waiting = FALSE;
    job_finish(job);
}

static gboolean on_timeout(gpointer data)
{
    ExecJob *job = data;
    job->timeout_source = 0;
    job->timed_out = TRUE;
    g_subprocess_force_exit(job->child);
    return G_SOURCE_REMOVE;
}

static gint compare_ids(gconstpointer a, gconstpointer b)
{
    guint x = GPOINTER_TO_UINT(a), y = GPOINTER_TO_UINT(b);
    return x < y ? -1 : x > y;
}

static gboolean exec_list(const CommandCall *call)
{
    if (!jobs || !g_hash_table_size(jobs)) {
        command_print(call, LINE_INFO, "No commands running.");
        return TRUE;
    }
    g_autoptr(GList) ids = g_hash_table_get_keys(jobs);
    ids = g_list_sort(ids, compare_ids);
    command_print(call, LINE_INFO, "Running commands:");
    for (GList *l = ids; l; l = l->next) {
        ExecJob *job = g_hash_table_lookup(jobs, l->data);
        command_printf(call, LINE_INFO, "  %u  %s%s%s%s", job->id,
                       job->name ? "(" : "", job->name ? job->name : "",
                       job->name ? ") " : "", job->label);
    }
    return TRUE;
}

/* The running command WHICH (its number or -name), or NULL with ERROR. */
static ExecJob *exec_find(const char *which, GError **error)
{
    char *end;
    guint64 id = g_ascii_strtoull(which, &end, 10);
    ExecJob *job = jobs && *which && !*end
                       ? g_hash_table_lookup(jobs, GUINT_TO_POINTER(id))
                       : NULL;
    GHashTableIter iter;
    gpointer value;
    if (!job && jobs && *which) {
        g_hash_table_iter_init(&iter, jobs);
        while (!job && g_hash_table_iter_next(&iter, NULL, &value))
            if (g_strcmp0(((ExecJob *)value)->name, which) == 0)
                job = value;
    }
    if (!job)
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no running command %s (/exec -list)", which);
    return job;
}

static void write_next(ExecJob *job);

/* DATA is the job's id: the job may have ended while its write was under
 * way (a child that exits without reading). */
static void on_written(GObject *source, GAsyncResult *result, gpointer data)
{
    g_autoptr(GError) error = NULL;
    gboolean ok = g_output_stream_write_all_finish(G_OUTPUT_STREAM(source),
                                                   result, NULL, &error);
    ExecJob *job = jobs ? g_hash_table_lookup(jobs, data) : NULL;
    if (!job)
        return;
    job->writing = FALSE;
    if (!ok) {
        sink_printf(job->out, LINE_ERROR, "[exec %u] cannot write to it: %s",
                    job->id, error->message);
        g_queue_clear_full(job->to_write, (GDestroyNotify)g_bytes_unref);
        g_clear_object(&job->input);
        return;
    }
    write_next(job);
}

/* Writes the first queued text to the child's stdin, or ends it when
 * asked and nothing is left. */
static void write_next(ExecJob *job)
{
    if (job->writing || !job->input)
        return;
    GBytes *next = g_queue_pop_head(job->to_write);
    if (!next) {
        if (job->end_input) {
            g_output_stream_close(job->input, NULL, NULL);
            g_clear_object(&job->input);
        }
        return;
    }
    job->writing = TRUE;
    gsize len;
    const void *data = g_bytes_get_data(next, &len);
    /* The bytes stay alive with the job's reference until written. */
    g_object_set_data_full(G_OBJECT(job->input), "natter-writing", next,
                           (GDestroyNotify)g_bytes_unref);
    g_output_stream_write_all_async(job->input, data, len, G_PRIORITY_DEFAULT,
                                    job->cancel, on_written,
                                    GUINT_TO_POINTER(job->id));
}

/* /exec -in WHICH [TEXT]: a line to the child's stdin, or without TEXT
 * the end of its input. */
static gboolean exec_input(const CommandCall *call, const char *which,
                           const char *text, GError **error)
{
    ExecJob *job = exec_find(which, error);
    if (!job)
        return FALSE;
    if (!job->input || job->end_input) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "[exec %u] takes no input: %s", job->id,
                    job->end_input ? "its input was ended"
                                   : "it was not started with -i");
        return FALSE;
    }
    if (*text) {
        g_autofree char *line = g_strconcat(text, "\n", NULL);
        g_queue_push_tail(job->to_write, g_bytes_new(line, strlen(line)));
    } else {
        job->end_input = TRUE;
        command_printf(call, LINE_INFO, "[exec %u] input ended", job->id);
    }
    write_next(job);
    return TRUE;
}

static gboolean exec_kill(const CommandCall *call, const char *which,
                          GError **error)
{
    ExecJob *job = exec_find(which, error);
    if (!job)
        return FALSE;
    g_subprocess_force_exit(job->child);
    command_printf(call, LINE_INFO, "[exec %u] killing %s", job->id,
                   job->label);
    return TRUE;
}

static gboolean cmd_exec(const CommandCall *call, GError **error)
{
    const char *rest = call->argv[0];
    gboolean send = FALSE, shell = FALSE, quiet = FALSE, window = FALSE;
    gboolean input = FALSE;
    guint timeout = 0;
    g_autofree char *name = NULL;
    for (;;) {
        rest += strspn(rest, " \t");
        gsize len = strcspn(rest, " \t");
        const char *next = rest + len + strspn(rest + len, " \t");
        if (len == 2 && !strncmp(rest, "-o", 2))
            send = TRUE;
        else if (len == 3 && !strncmp(rest, "-sh", 3))
            shell = TRUE;
        else if (len == 3 && !strncmp(rest, "-bg", 3))
            quiet = TRUE;
        else if (len == 2 && !strncmp(rest, "-n", 2))
            window = TRUE;
        else if (len == 2 && !strncmp(rest, "-i", 2))
            input = TRUE;
        else if ((len == 3 && !strncmp(rest, "-in", 3)) ||
                 (len == 5 && !strncmp(rest, "-name", 5))) {
            gsize vlen = strcspn(next, " \t");
            g_autofree char *value = g_strndup(next, vlen);
            if (!*value) {
                g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                            "usage: %s", call->def->synopsis[len == 3 ? 3 : 0]);
                return FALSE;
            }
            const char *after = next + vlen;
            if (len == 3)
                return exec_input(call, value, after + strspn(after, " \t"),
                                  error);
            gboolean digit = g_ascii_isdigit(*value);
            g_autoptr(GError) unused = NULL;
            if (digit || exec_find(value, &unused)) {
                g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                            "-name %s: %s", value,
                            digit ? "a name must not start with a digit"
                                  : "a running command has that name");
                return FALSE;
            }
            g_free(name);
            name = g_steal_pointer(&value);
            next = after + strspn(after, " \t");
        } else if (len == 5 && !strncmp(rest, "-list", 5))
            return exec_list(call);
        else if ((len == 5 && !strncmp(rest, "-kill", 5)) ||
                 (len == 8 && !strncmp(rest, "-timeout", 8))) {
            gboolean kill = len == 5;
            gsize vlen = strcspn(next, " \t");
            g_autofree char *value = g_strndup(next, vlen);
            if (kill)
                return exec_kill(call, value, error);
            char *end;
            guint64 seconds = g_ascii_strtoull(value, &end, 10);
            if (!*value || *end || seconds == 0 || seconds > 86400) {
                g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                            "-timeout takes seconds from 1 to 86400, not "
                            "'%s'",
                            value);
                return FALSE;
            }
            timeout = (guint)seconds;
            next += vlen;
        } else
            break;
        rest = next;
    }
    if (!*rest) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID, "usage: %s",
                    call->def->synopsis[0]);
        return FALSE;
    }
    if (send + quiet + window > 1) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "-o, -n and -bg each say where the output goes: one of "
                    "them at most");
        return FALSE;
    }
    if (window && !call->account) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "-n opens a window of an account: type it in an "
                    "account's window");
        return FALSE;
    }
    Buffer *buffer = call->buffer;
    if (send && buffer->kind != BUFFER_CHAT && buffer->kind != BUFFER_ROOM &&
        buffer->kind != BUFFER_PRIVATE) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "-o sends the output to the conversation of this "
                    "window, and this window is not one");
        return FALSE;
    }

    g_auto(GStrv) argv = NULL;
    if (shell)
        argv = g_strdupv((char *[]){"/bin/sh", "-c", (char *)rest, NULL});
    else if (!(argv = command_split(rest, -1, FALSE, error)))
        return FALSE;

    g_autoptr(GError) cause = NULL;
    GSubprocess *child = g_subprocess_newv(
        (const char *const *)argv,
        G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE |
            (input ? G_SUBPROCESS_FLAGS_STDIN_PIPE : G_SUBPROCESS_FLAGS_NONE),
        &cause);
    if (!child) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO, "cannot run %s: %s",
                    argv[0], cause->message);
        return FALSE;
    }

    if (!jobs)
        jobs = g_hash_table_new_full(NULL, NULL, NULL, job_free);
    if (!quit_subscription)
        quit_subscription =
            event_on_signal(EVENT_QUIT, EVENT_PRIORITY_DEFAULT, on_quit, NULL);
    ExecJob *job = g_new0(ExecJob, 1);
    job->id = next_id++;
    job->name = g_steal_pointer(&name);
    job->label = g_strdup_printf("'%s'", rest);
    if (input) {
        job->input = g_object_ref(g_subprocess_get_stdin_pipe(child));
        job->to_write = g_queue_new();
    }
    job->child = child;
    job->cancel = g_cancellable_new();
    if (window) {
        /* A window of its own, "exec:ID", where the output goes; the
         * status is shown there too. */
        g_autofree char *key = g_strdup_printf("exec:%u", job->id);
        job->out = sink_for_buffer(buffer_view(call->account, key));
    } else
        job->out = sink_ref(call->out);
    job->quiet = quiet;
    job->send = send;
    job->kind = buffer->kind;
    job->account = g_strdup(buffer->account);
    job->peer = g_strdup(buffer->peer);
    job->pending = g_string_new(NULL);
    job->message = g_string_new(NULL);
    job->reading = job->waiting = TRUE;
    g_hash_table_insert(jobs, GUINT_TO_POINTER(job->id), job);
    if (timeout)
        job->timeout_source = g_timeout_add_seconds(timeout, on_timeout, job);

    g_input_stream_read_bytes_async(g_subprocess_get_stdout_pipe(child),
                                    EXEC_READ_SIZE, G_PRIORITY_DEFAULT,
                                    job->cancel, on_read, job);
    g_subprocess_wait_async(child, job->cancel, on_child_exit, job);
    return TRUE;
}

const CommandDef cmd_exec_commands[] = {
    {
        .name = "exec",
        .synopsis =
            (const char *const[]){
                "/exec [-o|-n|-bg] [-sh] [-i] [-timeout SECONDS] "
                "[-name NAME] COMMAND [ARGS...]",
                "/exec -list", "/exec -kill ID|NAME",
                "/exec -in ID|NAME [TEXT]", NULL},
        .summary = "run a program and show or send its output",
        .description =
            "Runs COMMAND with ARGS, split like any command line (\"double "
            "quotes\" group words), without a shell: $, ;, | and backquotes "
            "in them are plain text. -sh runs the rest of the line through "
            "/bin/sh instead, only when you ask for it. natter goes on while "
            "it runs. Its output (standard output and error) appears in this "
            "window line by line as it comes, then its exit status; past "
            "256 KiB the rest is dropped with a note. -o sends the whole "
            "output as one message to this window's conversation instead, "
            "the way typed text is sent (encrypted where the conversation "
            "is), and only if the command succeeds. -n shows the output in a "
            "window of its own, exec:ID (of the current window's account); -bg "
            "shows only the exit status. "
            "-timeout kills it after "
            "SECONDS. -name gives it a NAME to use instead of its ID. /exec "
            "-list shows the commands running with their ID, /exec -kill "
            "stops one; they are all killed when natter quits. Its standard "
            "input is empty, unless -i keeps it open: /exec -in ID TEXT "
            "writes TEXT as a line to it, /exec -in ID alone ends it.",
        .args =
            (const CommandArg[]){
                {"-o", "send the output as a message to this conversation"},
                {"-n", "show the output in a new window"},
                {"-bg", "show only the exit status"},
                {"-sh", "run the line through /bin/sh"},
                {"-i", "keep its standard input open for /exec -in"},
                {"-timeout SECONDS", "kill it after SECONDS"},
                {"-name NAME", "a name for it (not starting with a digit)"},
                {"ID", "a running command's number (/exec -list)"},
                {"TEXT", "a line for its standard input"},
                {NULL, NULL}},
        .examples =
            (const char *const[]){
                "/exec uptime", "/exec -o git log -1 --oneline",
                "/exec -sh ls | wc -l", "/exec -timeout 60 make check",
                "/exec -i -name calc bc", "/exec -in calc 6*7", NULL},
        .min_args = 1,
        .max_args = 1,
        .rest = TRUE,
        .func = cmd_exec,
    },
    {NULL},
};
