/* keys.c: what each key does. Keys are read with wget_wch from the stdin
 * watch and named as command/keymap.h names them ("ctrl-a", "meta-1",
 * "pageup"); the keymap gives the action, a built-in one run here or a
 * command line. Alt combinations arrive as ESC followed by the key in the
 * same read, so an ESC is completed by reading once more without waiting.
 * Pastes (bracketed paste) are gathered and go on the input line whole. */
#include <curses.h>
#include <string.h>

#include "command/command.h"
#include "command/keymap.h"
#include "core/app.h"
#include "core/prompt.h"
#include "core/search.h"
#include "core/settings.h"
#include "ui/completion.h"
#include "ui/pane.h"
#include "ui/ui_internal.h"

#define CTRL_KEY(c) ((c)&0x1F)
#define KEY_ESCAPE  27

/* Keys with modifiers that terminfo describes (xterm's kLFT5 and the
 * like); their codes are known only at run time. */
static struct {
    const char *capability;
    const char *name;
    int code;
} extended[] = {
    {"kLFT5", "ctrl-left", -1},   {"kRIT5", "ctrl-right", -1},
    {"kUP5", "ctrl-up", -1},      {"kDN5", "ctrl-down", -1},
    {"kLFT3", "meta-left", -1},   {"kRIT3", "meta-right", -1},
    {"kUP3", "meta-up", -1},      {"kDN3", "meta-down", -1},
    {"kHOM3", "meta-home", -1},   {"kEND3", "meta-end", -1},
    {"kPRV3", "meta-pageup", -1}, {"kNXT3", "meta-pagedown", -1},
};

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
    for (guint i = 0; i < G_N_ELEMENTS(extended); i++)
        extended[i].code = extended_key(extended[i].capability);
    g_autoptr(GError) error = NULL;
    if (!keymap_load(&error))
        buffer_appendf(buffer_console(), LINE_ERROR, "keys: %s",
                       error->message);
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
    /* A command is one line: several lines that start with a slash are
     * a paste (a path, a quote), never run; they stay to be edited. */
    if (lines > 1 && line[0] == '/' && line[1] != '/') {
        inputline_set_text(ui.input, line);
        buffer_appendf(buffer_current(), LINE_INFO,
                       "%u lines are not a command: the text stays on the "
                       "input line (start it with // to send it as a "
                       "message)",
                       lines);
        memset(line, 0, strlen(line));
        return;
    }
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
    /* What is sent and what a command prints come at the bottom. */
    if (settings_get_bool("scroll_on_input"))
        ui_scroll_bottom(buffer_current());
    command_run(buffer_current(), line);
}

static void page(int direction)
{
    ui_scroll(direction * MAX(draw_view_height() / 2, 1));
}

static void complete(int direction)
{
    if (!ui.question && !completion_step(ui.input, buffer_current(), direction))
        beep();
}

static void cancel(void)
{
    /* Cancels a question; otherwise does nothing, so a reflex Ctrl-C does
     * not throw away what was typed. */
    if (ui.question) {
        inputline_clear(ui.input);
        prompt_answer(NULL);
    }
}

static void newline(void)
{
    if (!ui.question)
        inputline_insert(ui.input, "\n");
}

static void history_step(void (*step)(InputLine *))
{
    if (!ui.secret)
        step(ui.input);
}

/* Ctrl-R: the next older line with the search's text; with no search,
 * the text on the input line starts one. */
static void search_older(void)
{
    Buffer *b = buffer_current();
    if (!b->search && !ui.question && *inputline_text(ui.input)) {
        g_autofree char *text = inputline_take(ui.input, TRUE);
        search_set(b, text);
    }
    if (!b->search)
        buffer_append(b, LINE_INFO, NULL,
                      "No search: type the text and press Ctrl-R, or "
                      "/search TEXT");
    else if (!search_step(b, -1))
        beep(); /* nothing older */
}

static void search_newer(void)
{
    if (!search_step(buffer_current(), 1))
        beep();
}

static void focus_pane(void)
{
    if (pane_focused())
        pane_focus(FALSE);
    else if (!pane_focus(TRUE))
        buffer_append(buffer_current(), LINE_INFO, NULL,
                      "No side pane here: /roster show, or /set "
                      "occupants_pane on in a room");
}

static void redraw(void)
{
    clearok(curscr, TRUE);
    ui_mark_dirty(DIRTY_ALL);
}

/* The built-in actions of command/keymap.c, by name. */
static const struct {
    const char *name;
    void (*input)(InputLine *input); /* an edit of the input line, or */
    void (*other)(void);             /* anything else */
} builtin[] = {
    {"input.left", inputline_left, NULL},
    {"input.right", inputline_right, NULL},
    {"input.word_left", inputline_word_left, NULL},
    {"input.word_right", inputline_word_right, NULL},
    {"input.home", inputline_home, NULL},
    {"input.end", inputline_end, NULL},
    {"input.backspace", inputline_delete_back, NULL},
    {"input.delete", inputline_delete_forward, NULL},
    {"input.kill_to_end", inputline_kill_to_end, NULL},
    {"input.kill_to_start", inputline_kill_to_start, NULL},
    {"input.kill_word_back", inputline_kill_word_back, NULL},
    {"input.kill_word_forward", inputline_kill_word_forward, NULL},
    {"input.yank", inputline_yank, NULL},
    {"input.transpose", inputline_transpose, NULL},
    {"input.submit", NULL, submit},
    {"input.newline", NULL, newline},
    {"input.cancel", NULL, cancel},
    {"screen.redraw", NULL, redraw},
    {"search.older", NULL, search_older},
    {"search.newer", NULL, search_newer},
    {"pane.focus", NULL, focus_pane},
};

static void run_action(const char *action)
{
    if (action[0] == '/') {
        command_run(buffer_current(), action);
        return;
    }
    if (strcmp(action, "input.complete") == 0 ||
        strcmp(action, "input.complete_back") == 0) {
        complete(action[14] == '_' ? -1 : 1);
        return;
    }
    completion_reset();
    if (strcmp(action, "history.prev") == 0)
        history_step(inputline_history_prev);
    else if (strcmp(action, "history.next") == 0)
        history_step(inputline_history_next);
    else if (strcmp(action, "history.global_prev") == 0)
        history_step(inputline_global_prev);
    else if (strcmp(action, "history.global_next") == 0)
        history_step(inputline_global_next);
    else if (strcmp(action, "scroll.page_up") == 0)
        page(1);
    else if (strcmp(action, "scroll.page_down") == 0)
        page(-1);
    else if (strcmp(action, "scroll.line_up") == 0)
        ui_scroll(1);
    else if (strcmp(action, "scroll.line_down") == 0)
        ui_scroll(-1);
    else if (strcmp(action, "scroll.top") == 0)
        ui_scroll_top();
    else if (strcmp(action, "scroll.bottom") == 0)
        ui_scroll_bottom(buffer_current());
    else if (strcmp(action, "message.select_prev") == 0)
        buffer_select(buffer_current(), -1);
    else if (strcmp(action, "message.select_next") == 0)
        buffer_select(buffer_current(), 1);
    for (guint i = 0; i < G_N_ELEMENTS(builtin); i++) {
        if (strcmp(builtin[i].name, action) != 0)
            continue;
        if (builtin[i].input)
            builtin[i].input(ui.input);
        else
            builtin[i].other();
    }
    keymap_run_registered(action); /* a plugin's */
}

/* The keymap's name of a function key, or NULL. */
static const char *function_key_name(wint_t key)
{
    static const struct {
        int code;
        const char *name;
    } names[] = {
        {KEY_ENTER, "enter"},
        {KEY_BTAB, "shift-tab"},
        {KEY_BACKSPACE, "backspace"},
        {KEY_DC, "delete"},
        {KEY_IC, "insert"},
        {KEY_HOME, "home"},
        {KEY_END, "end"},
        {KEY_PPAGE, "pageup"},
        {KEY_NPAGE, "pagedown"},
        {KEY_UP, "up"},
        {KEY_DOWN, "down"},
        {KEY_SR, "shift-up"}, /* "scroll backward" in terminfo */
        {KEY_SF, "shift-down"},
        {KEY_LEFT, "left"},
        {KEY_RIGHT, "right"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(names); i++)
        if ((int)key == names[i].code)
            return names[i].name;
    for (guint i = 0; i < G_N_ELEMENTS(extended); i++)
        if ((int)key == extended[i].code)
            return extended[i].name;
    static char fname[8];
    if (key >= (wint_t)KEY_F(1) && key <= (wint_t)KEY_F(12)) {
        g_snprintf(fname, sizeof fname, "f%d", (int)(key - KEY_F0));
        return fname;
    }
    return NULL;
}

/* The keymap's name of KEY as read (with META when it came after ESC);
 * NULL for plain text. Caller frees. */
static char *keymap_name_of(int status, wint_t key, gboolean meta)
{
    const char *base = NULL;
    char buf[8] = {0};
    if (status == KEY_CODE_YES) {
        base = function_key_name(key);
        /* Alt with an arrow arrives as one code of its own. */
        if (base && g_str_has_prefix(base, "meta-"))
            return meta ? NULL : g_strdup(base);
    } else if (key == '\r' || key == '\n') {
        base = "enter";
    } else if (key == '\t') {
        base = "tab";
    } else if (key == 127 || key == CTRL_KEY('H')) {
        base = meta || key == 127 ? "backspace" : "ctrl-h";
    } else if (key < 0x20) {
        g_snprintf(buf, sizeof buf, "ctrl-%c", (char)(key + 'a' - 1));
        base = buf;
    } else if (meta) {
        g_unichar_to_utf8((gunichar)key, buf);
        base = buf;
    }
    if (!base)
        return NULL;
    return meta ? g_strconcat("meta-", base, NULL) : g_strdup(base);
}

static void insert_text(wint_t key)
{
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
    if (status == KEY_CODE_YES && key == KEY_RESIZE) {
        ui_mark_dirty(DIRTY_ALL);
        return;
    }
    app_user_active(); /* for auto-away */
    if (status == KEY_CODE_YES && (int)key == KEY_PASTE_BEGIN) {
        if (!paste)
            paste = g_string_new(NULL);
        paste_after_cr = FALSE;
        return;
    }
    if (paste) {
        if (status == KEY_CODE_YES && (int)key == KEY_PASTE_END)
            paste_done();
        else
            paste_key(status, key);
        ui_mark_dirty(DIRTY_INPUT);
        return;
    }
    gboolean meta = FALSE;
    if (status == OK && key == KEY_ESCAPE) {
        /* Alt+KEY: the ESC and the key come in the same read. */
        wint_t next;
        int st = wget_wch(stdscr, &next);
        if (st == ERR) {
            /* A lone Esc gives the keys back from the pane. */
            if (pane_focused())
                pane_key("escape", 0);
            return;
        }
        meta = TRUE;
        status = st;
        key = next;
    }
    g_autofree char *name = keymap_name_of(status, key, meta);
    /* The side pane has the keys: it moves, jumps and opens; what it does
     * not take (Alt-digits, its own focus key...) works as always. */
    if (pane_focused() && !meta &&
        ((name && pane_key(name, 0)) ||
         (!name && status == OK && key >= 0x20 && pane_key(NULL, key)))) {
        ui_mark_dirty(DIRTY_INPUT);
        return;
    }
    if (name) {
        /* A copy: the action may be a /bind that replaces it. */
        g_autofree char *action = g_strdup(keymap_lookup(name));
        if (action)
            run_action(action);
        else
            completion_reset();
    } else if (status == OK && key >= 0x20) {
        completion_reset();
        insert_text(key);
    }
    ui_mark_dirty(DIRTY_INPUT);
}
