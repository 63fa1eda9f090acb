/* keys.c: what each key does. Keys are read with wget_wch from the stdin
 * watch; Alt combinations arrive as ESC followed by the key in the same
 * read, so an ESC is completed by reading once more without waiting. */
#include <curses.h>
#include <string.h>

#include "command/command.h"
#include "core/app.h"
#include "core/prompt.h"
#include "ui/completion.h"
#include "ui/ui_internal.h"

#define CTRL_KEY(c) ((c)&0x1F)
#define KEY_ESCAPE  27

static int key_ctrl_left = -1, key_ctrl_right = -1;
static int key_alt_left = -1, key_alt_right = -1;

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
    if (*line)
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
