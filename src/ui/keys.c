/* keys.c: what each key does. Keys are read with wget_wch from the stdin
 * watch; Alt combinations arrive as ESC followed by the key in the same
 * read, so an ESC is completed by reading once more without waiting. */
#include <curses.h>
#include <string.h>

#include "command/command.h"
#include "core/app.h"
#include "core/prompt.h"
#include "core/settings.h"
#include "ui/completion.h"
#include "ui/ui_internal.h"

#define CTRL_KEY(c) ((c)&0x1F)
#define KEY_ESCAPE  27

static int key_ctrl_left = -1, key_ctrl_right = -1;
static int key_alt_left = -1, key_alt_right = -1;
static int key_ctrl_up = -1, key_ctrl_down = -1;

/* Bracketed paste markers, given key codes of their own above curses'. */
#define KEY_PASTE_BEGIN (KEY_MAX + 1)
#define KEY_PASTE_END   (KEY_MAX + 2)

static GString *paste; /* the paste being received, or NULL */

/* Extended keys (Ctrl/Alt with arrows) have no fixed codes in curses; look
 * them up in terminfo by capability name. */
static int extended_key(const char *capability)
{
    char *seq = tigetstr((char *)capability);
    if (!seq || seq == (char *)-1)
        return -1;
    int code = key_defined(seq);
    return code > 0 ? code : -1;
}

void keys_init(void)
{
    key_ctrl_left = extended_key("kLFT5");
    key_ctrl_right = extended_key("kRIT5");
    key_alt_left = extended_key("kLFT3");
    key_alt_right = extended_key("kRIT3");
    key_ctrl_up = extended_key("kUP5");
    key_ctrl_down = extended_key("kDN5");
    define_key("\033[200~", KEY_PASTE_BEGIN);
    define_key("\033[201~", KEY_PASTE_END);
}

void keys_shutdown(void)
{
    if (paste)
        memset(paste->str, 0, paste->len);
    if (paste)
        g_string_free(paste, TRUE);
    paste = NULL;
}

/* Keys between the paste markers: text, line breaks as '\n' (terminals
 * send CR, some CR LF: counted once), tabs as spaces, other control keys
 * dropped. */
static gboolean paste_after_cr;

static void paste_key(int status, wint_t key)
{
    gboolean after_cr = paste_after_cr;
    paste_after_cr = status == OK && key == '\r';
    if (status == KEY_CODE_YES)
        return;
    if (key == '\r' || (key == '\n' && !after_cr)) {
        g_string_append_c(paste, '\n');
    } else if (key == '\t') {
        g_string_append(paste, "    ");
    } else if (key >= 0x20 && key != 127) {
        g_string_append_unichar(paste, (gunichar)key);
    }
}

/* The paste goes on the input line as one piece, line breaks included:
 * Enter then sends it as one message, never line by line. */
static void paste_done(void)
{
    GString *text = g_steal_pointer(&paste);
    while (text->len && text->str[text->len - 1] == '\n')
        g_string_truncate(text, text->len - 1);
    /* An answer to a question is one line. */
    const char *nl = ui.question ? strchr(text->str, '\n') : NULL;
    if (nl)
        g_string_truncate(text, nl - text->str);
    inputline_insert(ui.input, text->str);
    memset(text->str, 0, text->len);
    g_string_free(text, TRUE);
}

typedef struct {
    char *text;
    char *buffer_id; /* where it was typed; the window may close meanwhile */
} PendingSend;

static void pending_free(gpointer data)
{
    PendingSend *p = data;
    memset(p->text, 0, strlen(p->text));
    g_free(p->text);
    g_free(p->buffer_id);
    g_free(p);
}

static Buffer *buffer_with_id(const char *id)
{
    const GPtrArray *list = buffers_list();
    for (guint i = 0; i < list->len; i++) {
        Buffer *b = g_ptr_array_index(list, i);
        g_autofree char *bid = buffer_id(b);
        if (strcmp(bid, id) == 0)
            return b;
    }
    return NULL;
}

static void on_confirm(const char *answer, gpointer data)
{
    PendingSend *p = data;
    Buffer *b = buffer_with_id(p->buffer_id);
    if (answer && b &&
        (g_ascii_strcasecmp(answer, "y") == 0 ||
         g_ascii_strcasecmp(answer, "yes") == 0)) {
        command_run(b, p->text);
        return;
    }
    /* Not sent: nothing is lost, the text comes back to be edited. */
    inputline_set_text(ui.input, p->text);
    buffer_append(buffer_current(), LINE_INFO, NULL,
                  b ? "Not sent; the text is back on the input line"
                    : "Not sent: its window was closed; the text is back on "
                      "the input line");
}

static void submit(void)
{
    if (ui.question) {
        g_autofree char *answer = inputline_take(ui.input, FALSE);
        prompt_answer(answer);
        memset(answer, 0, strlen(answer));
        return;
    }
    g_autofree char *line = inputline_take(ui.input, TRUE);
    if (!*line)
        return;
    guint lines = 1;
    for (const char *p = line; *p; p++)
        lines += *p == '\n';
    int limit = settings_get_int("paste_confirm_lines");
    if (limit > 0 && lines > (guint)limit && line[0] != '/') {
        Buffer *b = buffer_current();
        PendingSend *p = g_new0(PendingSend, 1);
        p->text = g_strdup(line);
        p->buffer_id = buffer_id(b);
        g_autofree char *question =
            g_strdup_printf("Send %u lines as one message? (yes/no) ", lines);
        prompt_ask(question, FALSE, on_confirm, p, pending_free);
        memset(line, 0, strlen(line));
        return;
    }
    command_run(buffer_current(), line);
}

static void go_to_window(guint number)
{
    Buffer *b = buffer_by_number(number);
    if (b)
        buffer_switch(b);
}

static void step_window(int step)
{
    command_run(buffer_current(), step > 0 ? "/win next" : "/win prev");
}

static void page(int direction)
{
    ui_scroll(direction * MAX(draw_view_height() / 2, 1));
}

/* Alt+KEY. */
static void handle_meta(int status, wint_t key)
{
    if (status == OK && key >= '0' && key <= '9') {
        go_to_window(key == '0' ? 10 : key - '0');
        return;
    }
    if ((status == OK && (key == '\r' || key == '\n')) ||
        (status == KEY_CODE_YES && key == KEY_ENTER)) {
        if (!ui.question)
            inputline_insert(ui.input, "\n"); /* Alt-Enter: a line break */
        return;
    }
    if (status == KEY_CODE_YES) {
        if (key == KEY_BACKSPACE)
            inputline_kill_word_back(ui.input);
        return;
    }
    switch (key) {
    case 'a':
        command_run(buffer_current(), "/win active");
        break;
    case 'b':
        inputline_word_left(ui.input);
        break;
    case 'f':
        inputline_word_right(ui.input);
        break;
    case 'd':
        inputline_kill_word_forward(ui.input);
        break;
    case 127:
    case CTRL_KEY('H'):
        inputline_kill_word_back(ui.input);
        break;
    default:
        break;
    }
}

static void handle_function_key(wint_t key)
{
    if ((int)key == key_ctrl_left || (int)key == key_ctrl_right) {
        if ((int)key == key_ctrl_left)
            inputline_word_left(ui.input);
        else
            inputline_word_right(ui.input);
        return;
    }
    if ((int)key == key_alt_left || (int)key == key_alt_right) {
        step_window((int)key == key_alt_right ? 1 : -1);
        return;
    }
    if ((int)key == key_ctrl_up || (int)key == key_ctrl_down) {
        if (ui.secret)
            return;
        if ((int)key == key_ctrl_up)
            inputline_global_prev(ui.input);
        else
            inputline_global_next(ui.input);
        return;
    }
    if ((int)key == KEY_PASTE_BEGIN) {
        if (!paste)
            paste = g_string_new(NULL);
        paste_after_cr = FALSE;
        return;
    }
    if ((int)key == KEY_PASTE_END) {
        if (paste)
            paste_done();
        return;
    }
    switch (key) {
    case KEY_ENTER:
        submit();
        break;
    case KEY_BACKSPACE:
        inputline_delete_back(ui.input);
        break;
    case KEY_DC:
        inputline_delete_forward(ui.input);
        break;
    case KEY_LEFT:
        inputline_left(ui.input);
        break;
    case KEY_RIGHT:
        inputline_right(ui.input);
        break;
    case KEY_HOME:
        inputline_home(ui.input);
        break;
    case KEY_END:
        inputline_end(ui.input);
        break;
    case KEY_UP:
        if (!ui.secret)
            inputline_history_prev(ui.input);
        break;
    case KEY_DOWN:
        if (!ui.secret)
            inputline_history_next(ui.input);
        break;
    case KEY_PPAGE:
        page(1);
        break;
    case KEY_NPAGE:
        page(-1);
        break;
    case KEY_RESIZE:
        ui_mark_dirty(DIRTY_ALL);
        break;
    default:
        break;
    }
}

static void handle_char(wint_t key)
{
    switch (key) {
    case '\r':
    case '\n':
        submit();
        return;
    case 127:
    case CTRL_KEY('H'):
        inputline_delete_back(ui.input);
        return;
    case CTRL_KEY('A'):
        inputline_home(ui.input);
        return;
    case CTRL_KEY('E'):
        inputline_end(ui.input);
        return;
    case CTRL_KEY('B'):
        inputline_left(ui.input);
        return;
    case CTRL_KEY('F'):
        inputline_right(ui.input);
        return;
    case CTRL_KEY('D'):
        inputline_delete_forward(ui.input);
        return;
    case CTRL_KEY('K'):
        inputline_kill_to_end(ui.input);
        return;
    case CTRL_KEY('U'):
        inputline_kill_to_start(ui.input);
        return;
    case CTRL_KEY('W'):
        inputline_kill_word_back(ui.input);
        return;
    case CTRL_KEY('Y'):
        inputline_yank(ui.input);
        return;
    case CTRL_KEY('T'):
        inputline_transpose(ui.input);
        return;
    case CTRL_KEY('C'):
        /* Cancels a question; otherwise does nothing, so a reflex Ctrl-C
         * does not throw away what was typed. */
        if (ui.question) {
            inputline_clear(ui.input);
            prompt_answer(NULL);
        }
        return;
    case CTRL_KEY('L'):
        clearok(curscr, TRUE);
        ui_mark_dirty(DIRTY_ALL);
        return;
    default:
        break;
    }
    if (key < 0x20)
        return; /* other control keys are not bound */
    char utf8[8] = {0};
    g_unichar_to_utf8((gunichar)key, utf8);
    inputline_insert(ui.input, utf8);
    /* Typing a message (not a command, not an answer) in a chat. */
    Buffer *b = buffer_current();
    if (!ui.question && b->kind == BUFFER_CHAT &&
        inputline_text(ui.input)[0] != '/')
        buffer_user_typing(b);
}

void keys_handle(int status, wint_t key)
{
    if (!(status == KEY_CODE_YES && key == KEY_RESIZE))
        app_user_active(); /* for auto-away */
    if (paste && !(status == KEY_CODE_YES && (int)key == KEY_PASTE_END)) {
        paste_key(status, key);
        return;
    }
    gboolean tab = (status == OK && key == '\t') ||
                   (status == KEY_CODE_YES && key == KEY_BTAB);
    if (tab) {
        if (!ui.question &&
            !completion_step(ui.input, buffer_current(), key == '\t' ? 1 : -1))
            beep();
        ui_mark_dirty(DIRTY_INPUT);
        return;
    }
    completion_reset();
    if (status == OK && key == KEY_ESCAPE) {
        wint_t next;
        int st = wget_wch(stdscr, &next);
        if (st != ERR)
            handle_meta(st, next);
    } else if (status == KEY_CODE_YES) {
        handle_function_key(key);
    } else {
        handle_char(key);
    }
    ui_mark_dirty(DIRTY_INPUT);
}
