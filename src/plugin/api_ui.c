/* api_ui.c: the plugin API's windows, key actions and questions
 * (include/natter/plugin.h), on the built-in conversation windows, keymap
 * and prompt. A plugin's key actions go with it when it is unloaded; a
 * question of its still open then stays on screen but its answer reaches
 * nobody, since the plugin's code is gone. */
#include <string.h>

#include "command/keymap.h"
#include "core/account.h"
#include "core/buffer.h"
#include "core/conversation.h"
#include "core/prompt.h"
#include "plugin/plugin_internal.h"
#include "util/jid.h"

typedef struct {
    NatterPlugin *plugin;
    char *name; /* "PLUGIN.NAME", as keymap knows it */
    NatterKeyActionFunc func;
    void *data;
} PluginAction;

typedef struct {
    NatterPlugin *plugin; /* NULL once the plugin is gone */
    NatterAnswerFunc func;
    void *data;
} PluginQuestion;

int natter_window_open(NatterPlugin *plugin, const char *account,
                       const char *jid)
{
    if (!account || !account_find(account)) {
        plugin_set_error(plugin, "no such account");
        return 0;
    }
    g_autoptr(GError) error = NULL;
    g_autoptr(Jid) parsed = jid ? jid_parse(jid, &error) : NULL;
    if (!parsed) {
        plugin_set_error(plugin, error ? error->message : "no address");
        return 0;
    }
    buffer_switch(conversation_open(account, parsed->bare));
    plugin_set_error(plugin, NULL);
    return 1;
}

/* --- key actions --------------------------------------------------------- */

static void on_action(gpointer data)
{
    PluginAction *a = data;
    a->func(a->plugin, a->data);
}

static void action_free(gpointer data)
{
    PluginAction *a = data;
    keymap_unregister_action(a->name);
    g_free(a->name);
    g_free(a);
}

static gboolean name_ok(const char *name)
{
    return name && *name &&
           strspn(name,
                  "abcdefghijklmnopqrstuvwxyz"
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == strlen(name);
}

int natter_key_action_add(NatterPlugin *plugin, const char *name,
                          const char *description, NatterKeyActionFunc func,
                          void *data)
{
    if (!name_ok(name) || !func) {
        plugin_set_error(plugin, "a key action needs a name (letters, "
                                 "digits, '-', '_') and a function");
        return 0;
    }
    PluginAction *a = g_new0(PluginAction, 1);
    a->plugin = plugin;
    a->name = g_strdup_printf("%s.%s", plugin->name, name);
    a->func = func;
    a->data = data;
    g_autoptr(GError) error = NULL;
    if (!keymap_register_action(a->name, description ? description : "",
                                on_action, a, &error)) {
        plugin_set_error(plugin, error->message);
        g_free(a->name);
        g_free(a);
        return 0;
    }
    g_ptr_array_add(plugin->actions, a);
    plugin_set_error(plugin, NULL);
    return 1;
}

void natter_key_action_remove(NatterPlugin *plugin, const char *name)
{
    g_autofree char *full = g_strdup_printf("%s.%s", plugin->name, name);
    for (guint i = 0; i < plugin->actions->len; i++) {
        PluginAction *a = g_ptr_array_index(plugin->actions, i);
        if (strcmp(a->name, full) == 0) {
            g_ptr_array_remove_index(plugin->actions, i);
            return;
        }
    }
}

/* --- questions ----------------------------------------------------------- */

static void on_answer(const char *answer, gpointer data)
{
    PluginQuestion *q = data;
    if (q->plugin)
        q->func(q->plugin, answer, q->data);
}

static void question_free(gpointer data)
{
    PluginQuestion *q = data;
    if (q->plugin)
        g_ptr_array_remove(q->plugin->questions, q);
    g_free(q);
}

void natter_ask(NatterPlugin *plugin, const char *question,
                NatterAnswerFunc func, void *data)
{
    if (!func)
        return;
    PluginQuestion *q = g_new0(PluginQuestion, 1);
    q->plugin = plugin;
    q->func = func;
    q->data = data;
    g_ptr_array_add(plugin->questions, q);
    prompt_ask(question ? question : "", FALSE, on_answer, q, question_free);
}

/* --- the registries ------------------------------------------------------ */

void plugin_ui_registries_new(NatterPlugin *p)
{
    p->actions = g_ptr_array_new_with_free_func(action_free);
    p->questions = g_ptr_array_new();
}

void plugin_ui_registries_clear(NatterPlugin *p)
{
    g_clear_pointer(&p->actions, g_ptr_array_unref);
    if (!p->questions)
        return;
    for (guint i = 0; i < p->questions->len; i++) {
        PluginQuestion *q = g_ptr_array_index(p->questions, i);
        q->plugin = NULL;
    }
    g_clear_pointer(&p->questions, g_ptr_array_unref);
}

char *plugin_ui_registries_describe(const NatterPlugin *p)
{
    GString *s = g_string_new("key actions:");
    for (guint i = 0; i < p->actions->len; i++) {
        const PluginAction *a = g_ptr_array_index(p->actions, i);
        g_string_append_printf(s, " %s", a->name);
    }
    if (!p->actions->len)
        g_string_append(s, " none");
    if (p->questions->len)
        g_string_append_printf(s, "; questions open: %u", p->questions->len);
    return g_string_free(s, FALSE);
}
