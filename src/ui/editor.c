/* editor.c: /editor in the terminal. The input line's text goes into a
 * private temporary file, curses lends the terminal to $VISUAL or $EDITOR,
 * and the loop goes on (connections stay up, nothing is drawn) until the
 * editor exits; its text then replaces the input line. */
#include "ui/editor.h"

#include <curses.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "core/compose.h"
#include "ui/ui_internal.h"
#include "util/error.h"

static GPid editor_pid;
static char *editor_file;
static guint editor_watch;

static const char *editor_command(void)
{
    const char *names[] = {"VISUAL", "EDITOR"};
    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        const char *value = g_getenv(names[i]);
        if (value && *value)
            return value;
    }
    return "vi";
}

static void finish(void)
{
    if (editor_file)
        g_unlink(editor_file);
    g_clear_pointer(&editor_file, g_free);
    if (editor_pid)
        g_spawn_close_pid(editor_pid);
    editor_pid = 0;
    editor_watch = 0;
}

static void on_editor_exit(GPid pid, gint status, gpointer data)
{
    ui_resume();
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;
    if (!g_spawn_check_wait_status(status, &error)) {
        buffer_appendf(buffer_current(), LINE_ERROR,
                       "editor: %s; the input line is unchanged",
                       error->message);
    } else if (!g_file_get_contents(editor_file, &text, NULL, &error)) {
        buffer_appendf(buffer_current(), LINE_ERROR, "editor: %s",
                       error->message);
    } else if (!g_utf8_validate(text, -1, NULL)) {
        buffer_append(buffer_current(), LINE_ERROR, NULL,
                      "editor: the text is not UTF-8; the input line is "
                      "unchanged");
    } else {
        /* Editors end files with a newline; a message does not. */
        gsize len = strlen(text);
        while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
            text[--len] = '\0';
        inputline_set_text(ui.input, text);
        inputline_end(ui.input);
        memset(text, 0, len);
    }
    finish();
    ui_mark_dirty(DIRTY_ALL);
}

static gboolean start_editor(Buffer *buffer, GError **error)
{
    if (editor_pid) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "the editor is open already");
        return FALSE;
    }
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("natter-XXXXXX.txt", &path, error);
    if (fd < 0)
        return FALSE;
    const char *text = inputline_text(ui.input);
    gsize len = strlen(text);
    gboolean written = write(fd, text, len) == (gssize)len;
    int saved = errno;
    close(fd);
    if (!written) {
        g_unlink(path);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO, "cannot write %s: %s",
                    path, g_strerror(saved));
        return FALSE;
    }
    /* Through the shell, so EDITOR may carry options ("emacs -nw"). */
    g_autofree char *script = g_strdup_printf("%s \"$1\"", editor_command());
    char *argv[] = {"/bin/sh", "-c", script, "natter-editor", path, NULL};
    ui_suspend();
    if (!g_spawn_async(NULL, argv, NULL,
                       G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_CHILD_INHERITS_STDIN,
                       NULL, NULL, &editor_pid, error)) {
        ui_resume();
        g_unlink(path);
        return FALSE;
    }
    editor_file = g_steal_pointer(&path);
    editor_watch = g_child_watch_add(editor_pid, on_editor_exit, NULL);
    return TRUE;
}

void editor_init(void)
{
    compose_set_provider(start_editor);
}

void editor_shutdown(void)
{
    compose_set_provider(NULL);
    g_clear_handle_id(&editor_watch, g_source_remove);
    finish();
}
