/* help.c: see help.h. */
#include "command/help.h"

#include "command/keymap.h"

#include <string.h>

#include "core/account.h"
#include "core/settings.h"

/* What every per-account command accepts first. */
static const CommandArg account_option = {
    "-a ACCOUNT",
    "act for ACCOUNT instead of the current window's account (given first)"};

void help_command_lines(const CommandDef *def, GPtrArray *lines)
{
    g_ptr_array_add(lines,
                    g_strdup_printf("/%s - %s", def->name, def->summary));
    g_ptr_array_add(lines, g_strdup("Usage:"));
    for (const char *const *s = def->synopsis; *s; s++)
        g_ptr_array_add(lines, g_strdup_printf("  %s", *s));
    g_ptr_array_add(lines, g_strdup(def->description));
    if ((def->args && def->args[0].name) || def->per_account) {
        g_ptr_array_add(lines, g_strdup("Arguments:"));
        for (const CommandArg *a = def->args; a && a->name; a++)
            g_ptr_array_add(lines,
                            g_strdup_printf("  %-22s %s", a->name, a->help));
        if (def->per_account)
            g_ptr_array_add(lines,
                            g_strdup_printf("  %-22s %s", account_option.name,
                                            account_option.help));
    }
    if (def->examples && def->examples[0]) {
        g_ptr_array_add(lines, g_strdup("Examples:"));
        for (const char *const *e = def->examples; *e; e++)
            g_ptr_array_add(lines, g_strdup_printf("  %s", *e));
    }
}

/* Escapes TEXT for roff: backslashes, and a leading dot or quote. */
static void roff_text(GString *out, const char *text)
{
    if (text[0] == '.' || text[0] == '\'')
        g_string_append(out, "\\&");
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == '\\')
            g_string_append(out, "\\e");
        else if (c == '-')
            g_string_append(out, "\\-");
        else if (c < 0x80)
            g_string_append_c(out, *p);
        else /* groff reads ASCII: other characters by their code */
            g_string_append_printf(out, "\\[u%04X]", c);
    }
}

static void man_arg(GString *out, const CommandArg *arg)
{
    g_string_append(out, ".RS\n.TP\n.I ");
    roff_text(out, arg->name);
    g_string_append_c(out, '\n');
    roff_text(out, arg->help);
    g_string_append(out, "\n.RE\n");
}

char *help_man_commands(void)
{
    GString *out = g_string_new(NULL);
    const GPtrArray *commands = commands_list();
    for (guint i = 0; i < commands->len; i++) {
        const CommandDef *def = g_ptr_array_index(commands, i);
        for (const char *const *s = def->synopsis; *s; s++) {
            g_string_append(out, s == def->synopsis ? ".TP\n.B " : ".TQ\n.B ");
            roff_text(out, *s);
            g_string_append_c(out, '\n');
        }
        roff_text(out, def->description);
        g_string_append_c(out, '\n');
        for (const CommandArg *a = def->args; a && a->name; a++)
            man_arg(out, a);
        if (def->per_account)
            man_arg(out, &account_option);
        if (def->examples && def->examples[0]) {
            g_string_append(out, ".RS\n.PP\nExamples:\n.nf\n");
            for (const char *const *e = def->examples; *e; e++) {
                roff_text(out, *e);
                g_string_append_c(out, '\n');
            }
            g_string_append(out, ".fi\n.RE\n");
        }
    }
    return g_string_free(out, FALSE);
}

char *help_man_account_fields(void)
{
    GString *out = g_string_new(NULL);
    for (const AccountField *f = account_fields(); f->key; f++) {
        g_string_append(out, ".TP\n.BI ");
        roff_text(out, f->key);
        g_string_append(out, " \" ");
        roff_text(out, f->value_hint);
        g_string_append(out, "\"\n");
        roff_text(out, f->help);
        g_string_append_c(out, '\n');
    }
    return g_string_free(out, FALSE);
}

char *help_man_settings(void)
{
    GString *out = g_string_new(NULL);
    for (const SettingSpec *s = settings_specs(); s->name; s++) {
        g_string_append(out, ".TP\n.BI ");
        roff_text(out, s->name);
        g_string_append(out, " \" ");
        roff_text(out, setting_type_hint(s));
        g_string_append(out, "\"\n");
        roff_text(out, s->description);
        g_string_append(out, ". Default: ");
        roff_text(out, *s->default_value ? s->default_value : "empty");
        g_string_append(out, ".\n");
    }
    return g_string_free(out, FALSE);
}

/* One entry per action, with every key bound to it by default, in the
 * order of the keymap's table; so the man page cannot miss a binding. */
char *help_man_keys(void)
{
    GString *out = g_string_new(NULL);
    g_autoptr(GArray) bindings = keymap_bindings(TRUE);
    g_autoptr(GHashTable) done = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < bindings->len; i++) {
        const KeyBinding *b = &g_array_index(bindings, KeyBinding, i);
        if (g_hash_table_contains(done, b->action))
            continue;
        g_hash_table_add(done, (gpointer)b->action);
        g_string_append(out, ".TP\n.B ");
        guint n = 0;
        for (guint j = i; j < bindings->len; j++) {
            const KeyBinding *k = &g_array_index(bindings, KeyBinding, j);
            if (strcmp(k->action, b->action) != 0)
                continue;
            if (n++)
                g_string_append(out, ", ");
            roff_text(out, k->key);
        }
        g_string_append(out, "\n");
        roff_text(out, b->description);
        g_string_append(out, " (");
        roff_text(out, b->action);
        g_string_append(out, ").\n");
    }
    g_string_append(out, ".PP\nActions for\n.BR /bind :\n");
    for (const KeyAction *a = keymap_actions(); a->name; a++) {
        g_string_append(out, ".TP\n.B ");
        roff_text(out, a->name);
        g_string_append_c(out, '\n');
        roff_text(out, a->description);
        g_string_append(out, ".\n");
    }
    return g_string_free(out, FALSE);
}

void help_keys_lines(GPtrArray *lines)
{
    g_autoptr(GArray) bindings = keymap_bindings(FALSE);
    g_ptr_array_add(lines, g_strdup("Keys (/bind KEY ACTION changes one, "
                                    "/unbind KEY takes one away):"));
    for (guint i = 0; i < bindings->len; i++) {
        const KeyBinding *b = &g_array_index(bindings, KeyBinding, i);
        g_autofree char *what =
            b->description
                ? g_strdup_printf("%s (%s)", b->description, b->action)
                : g_strdup_printf("runs %s", b->action);
        g_ptr_array_add(lines, g_strdup_printf("  %-15s %s%s", b->key, what,
                                               b->user ? " [yours]" : ""));
    }
    g_ptr_array_add(lines, g_strdup("Actions for /bind:"));
    for (const KeyAction *a = keymap_actions(); a->name; a++)
        g_ptr_array_add(lines,
                        g_strdup_printf("  %-24s %s", a->name, a->description));
}
