/* api.c: the functions of include/natter/plugin.h that register commands,
 * settings, timers and disco features, send, print, and describe the
 * plugin; and the per-plugin registry of what it added, cleared when it
 * is unloaded. Events, messages and stages are in api_message.c. Only
 * the names of plugin.h are exported to plugins (natter.sym). */
#include <errno.h>
#include <glib/gstdio.h>

#include "command/command.h"
#include "core/buffer.h"
#include "core/paths.h"
#include "core/room.h"
#include "core/settings.h"
#include "plugin/api_internal.h"
#include "plugin/plugin_internal.h"
#include "util/error.h"
#include "xmpp/extend.h"
#include "xmpp/message.h"

/* A command of a plugin's: the CommandDef first, so the def the command
 * table hands back is the PluginCommand. */
typedef struct {
    CommandDef def;
    NatterPlugin *plugin;
    NatterCommandFunc func;
    void *data;
} PluginCommand;

typedef struct {
    SettingSpec spec;
} PluginSetting;

typedef struct {
    NatterPlugin *plugin;
    NatterTimerFunc func;
    void *data;
    guint id;
} PluginTimer;

struct NatterCall {
    const CommandCall *call;
    char *error;
};

/* --- the plugin ------------------------------------------------------- */

const char *natter_plugin_name(NatterPlugin *plugin)
{
    return plugin->name;
}

void natter_plugin_fail(NatterPlugin *plugin, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    g_free(plugin->fail);
    plugin->fail = g_strdup_vprintf(format, args);
    va_end(args);
}

const char *natter_plugin_error(NatterPlugin *plugin)
{
    return plugin->error;
}

/* Fails a call of PLUGIN with ERROR's message (freed). Returns 0. */
static int failed(NatterPlugin *plugin, GError *error)
{
    plugin_set_error(plugin, error ? error->message : "failed");
    g_clear_error(&error);
    return 0;
}

static int succeeded(NatterPlugin *plugin)
{
    plugin_set_error(plugin, NULL);
    return 1;
}

const char *natter_plugin_data_dir(NatterPlugin *plugin)
{
    if (!plugin->data_dir) {
        g_autofree char *dir = g_build_filename(paths_data_dir(), "plugin-data",
                                                plugin->name, NULL);
        if (g_mkdir_with_parents(dir, 0700) != 0) {
            int saved = errno;
            g_autofree char *why =
                g_strdup_printf("cannot create %s: %s", dir, g_strerror(saved));
            plugin_set_error(plugin, why);
            return NULL;
        }
        plugin->data_dir = g_steal_pointer(&dir);
    }
    succeeded(plugin);
    return plugin->data_dir;
}

/* --- commands ---------------------------------------------------------- */

static gboolean run_command(const CommandCall *call, GError **error)
{
    const PluginCommand *c = (const PluginCommand *)call->def;
    NatterCall nc = {.call = call};
    int ok = c->func(&nc, call->argc, (const char *const *)call->argv, c->data);
    if (!ok)
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID, "%s",
                    nc.error ? nc.error : "the command failed");
    g_free(nc.error);
    return ok != 0;
}

static void command_free(gpointer data)
{
    PluginCommand *c = data;
    command_unregister(&c->def);
    g_free((char *)c->def.name);
    g_strfreev((char **)c->def.synopsis);
    g_free((char *)c->def.summary);
    g_free((char *)c->def.description);
    g_free(c);
}

int natter_command_register(NatterPlugin *plugin, const NatterCommandSpec *spec,
                            void *data)
{
    if (!spec || !spec->name || !*spec->name || !spec->func) {
        plugin_set_error(plugin, "a command needs a name and a function");
        return 0;
    }
    PluginCommand *c = g_new0(PluginCommand, 1);
    c->plugin = plugin;
    c->func = spec->func;
    c->data = data;
    c->def.name = g_strdup(spec->name);
    if (spec->synopsis)
        c->def.synopsis =
            (const char *const *)g_strdupv((char **)spec->synopsis);
    else {
        char *lines[] = {g_strconcat("/", spec->name, NULL), NULL};
        c->def.synopsis = (const char *const *)g_strdupv(lines);
        g_free(lines[0]);
    }
    c->def.summary = g_strdup_printf(
        "%s (plugin %s)", spec->summary ? spec->summary : "", plugin->name);
    c->def.description = g_strdup(spec->description ? spec->description
                                  : spec->summary   ? spec->summary
                                                    : "");
    c->def.min_args = spec->min_args;
    c->def.max_args = spec->max_args;
    c->def.rest = spec->rest != 0;
    c->def.func = run_command;
    GError *error = NULL;
    if (!command_register(&c->def, &error)) {
        g_free((char *)c->def.name);
        g_strfreev((char **)c->def.synopsis);
        g_free((char *)c->def.summary);
        g_free((char *)c->def.description);
        g_free(c);
        return failed(plugin, error);
    }
    g_ptr_array_add(plugin->commands, c);
    return succeeded(plugin);
}

void natter_command_unregister(NatterPlugin *plugin, const char *name)
{
    for (guint i = 0; i < plugin->commands->len; i++) {
        PluginCommand *c = g_ptr_array_index(plugin->commands, i);
        if (g_strcmp0(c->def.name, name) == 0) {
            g_ptr_array_remove_index(plugin->commands, i);
            return;
        }
    }
}

void natter_call_print(NatterCall *call, const char *text)
{
    command_print(call->call, LINE_INFO, text ? text : "");
}

void natter_call_fail(NatterCall *call, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    g_free(call->error);
    call->error = g_strdup_vprintf(format, args);
    va_end(args);
}

const char *natter_call_account(NatterCall *call)
{
    return call->call->account;
}

const char *natter_call_peer(NatterCall *call)
{
    const Buffer *b = call->call->buffer;
    if (!b || (b->kind != BUFFER_CHAT && b->kind != BUFFER_ROOM &&
               b->kind != BUFFER_PRIVATE))
        return NULL;
    return b->peer;
}

/* --- settings ---------------------------------------------------------- */

static void setting_free(gpointer data)
{
    PluginSetting *s = data;
    settings_unregister(s->spec.name);
    g_free((char *)s->spec.name);
    g_free((char *)s->spec.default_value);
    g_free((char *)s->spec.description);
    g_free((char *)s->spec.choices);
    g_free(s);
}

int natter_setting_register(NatterPlugin *plugin, const char *name,
                            NatterSettingType type, const char *default_value,
                            const char *description, int min, int max,
                            const char *choices)
{
    static const SettingType types[] = {
        [NATTER_SETTING_BOOL] = SETTING_BOOL,
        [NATTER_SETTING_INT] = SETTING_INT,
        [NATTER_SETTING_STRING] = SETTING_STRING,
        [NATTER_SETTING_CHOICE] = SETTING_CHOICE,
    };
    if (!name || !*name || strchr(name, '.') ||
        (guint)type >= G_N_ELEMENTS(types) ||
        (type == NATTER_SETTING_CHOICE && (!choices || !*choices))) {
        plugin_set_error(plugin, "a setting needs a name without a dot, a "
                                 "known type and, for a choice, its words");
        return 0;
    }
    PluginSetting *s = g_new0(PluginSetting, 1);
    s->spec.name = g_strconcat(plugin->name, ".", name, NULL);
    s->spec.type = types[type];
    s->spec.default_value = g_strdup(default_value ? default_value : "");
    s->spec.description = g_strdup(description ? description : "");
    s->spec.min = min;
    s->spec.max = max;
    s->spec.choices = g_strdup(choices);
    GError *error = NULL;
    if (!settings_register(&s->spec, &error)) {
        g_free((char *)s->spec.name);
        g_free((char *)s->spec.default_value);
        g_free((char *)s->spec.description);
        g_free((char *)s->spec.choices);
        g_free(s);
        return failed(plugin, error);
    }
    g_ptr_array_add(plugin->settings, s);
    return succeeded(plugin);
}

int natter_setting_get_bool(const char *full_name)
{
    const SettingSpec *spec = full_name ? settings_find(full_name) : NULL;
    return spec && spec->type == SETTING_BOOL && settings_get_bool(full_name);
}

int natter_setting_get_int(const char *full_name)
{
    const SettingSpec *spec = full_name ? settings_find(full_name) : NULL;
    return spec && spec->type == SETTING_INT ? settings_get_int(full_name) : 0;
}

const char *natter_setting_get_string(const char *full_name)
{
    const SettingSpec *spec = full_name ? settings_find(full_name) : NULL;
    if (!spec || (spec->type != SETTING_STRING && spec->type != SETTING_CHOICE))
        return NULL;
    return settings_get_string(full_name);
}

/* --- disco features ---------------------------------------------------- */

int natter_disco_feature_add(NatterPlugin *plugin, const char *var)
{
    if (!var || !*var || g_hash_table_contains(plugin->disco, var)) {
        plugin_set_error(plugin, var && *var ? "the plugin announces it already"
                                             : "an empty feature");
        return 0;
    }
    g_hash_table_insert(plugin->disco, g_strdup(var),
                        GUINT_TO_POINTER(extend_disco_add(var)));
    return succeeded(plugin);
}

void natter_disco_feature_remove(NatterPlugin *plugin, const char *var)
{
    g_hash_table_remove(plugin->disco, var);
}

static void disco_free(gpointer data)
{
    extend_disco_remove(GPOINTER_TO_UINT(data));
}

/* --- sending ----------------------------------------------------------- */

int natter_send_message(NatterPlugin *plugin, const char *account,
                        const char *to, const char *body)
{
    GError *error = NULL;
    if (!account || !to || !body) {
        plugin_set_error(plugin,
                         "an account, an address and a body are needed");
        return 0;
    }
    MessageKind kind =
        room_find(account, to) ? MESSAGE_GROUPCHAT : MESSAGE_CHAT;
    if (!message_send(account, kind, to, body, 0, &error))
        return failed(plugin, error);
    return succeeded(plugin);
}

int natter_send_stanza(NatterPlugin *plugin, const char *account,
                       const char *xml)
{
    GError *error = NULL;
    if (!account || !xml) {
        plugin_set_error(plugin, "an account and a stanza are needed");
        return 0;
    }
    if (!extend_send_xml(account, xml, &error))
        return failed(plugin, error);
    return succeeded(plugin);
}

/* --- windows ----------------------------------------------------------- */

void natter_print(NatterPlugin *plugin, const char *account, const char *jid,
                  const char *text)
{
    (void)plugin;
    Buffer *b = NULL;
    if (account && jid) {
        static const BufferKind kinds[] = {BUFFER_CHAT, BUFFER_ROOM,
                                           BUFFER_PRIVATE};
        for (guint i = 0; !b && i < G_N_ELEMENTS(kinds); i++)
            b = buffer_find(kinds[i], account, jid);
    }
    if (!b && account)
        b = buffer_account_console(account);
    if (!b)
        b = buffer_console();
    buffer_append(b, LINE_INFO, NULL, text ? text : "");
}

void natter_print_current(NatterPlugin *plugin, const char *text)
{
    (void)plugin;
    Buffer *b = buffer_current();
    buffer_append(b ? b : buffer_console(), LINE_INFO, NULL, text ? text : "");
}

/* --- timers ------------------------------------------------------------ */

static gboolean on_timer(gpointer data)
{
    PluginTimer *t = data;
    NatterPlugin *plugin = t->plugin;
    gpointer key = GUINT_TO_POINTER(t->id);
    int again = t->func(plugin, t->data);
    /* It may have removed itself meanwhile (its source is gone then). */
    if (!g_hash_table_contains(plugin->timers, key))
        return G_SOURCE_REMOVE;
    if (again)
        return G_SOURCE_CONTINUE;
    t->id = 0; /* the source goes with G_SOURCE_REMOVE */
    g_hash_table_remove(plugin->timers, key);
    return G_SOURCE_REMOVE;
}

static void timer_free(gpointer data)
{
    PluginTimer *t = data;
    if (t->id)
        g_source_remove(t->id);
    g_free(t);
}

unsigned natter_timer_add(NatterPlugin *plugin, unsigned interval_ms,
                          NatterTimerFunc func, void *data)
{
    if (!interval_ms || !func) {
        plugin_set_error(plugin, "a timer needs an interval and a function");
        return 0;
    }
    PluginTimer *t = g_new0(PluginTimer, 1);
    t->plugin = plugin;
    t->func = func;
    t->data = data;
    t->id = g_timeout_add(interval_ms, on_timer, t);
    g_hash_table_insert(plugin->timers, GUINT_TO_POINTER(t->id), t);
    succeeded(plugin);
    return t->id;
}

void natter_timer_remove(NatterPlugin *plugin, unsigned id)
{
    g_hash_table_remove(plugin->timers, GUINT_TO_POINTER(id));
}

/* --- the registry ------------------------------------------------------ */

void plugin_registries_new(NatterPlugin *p)
{
    p->commands = g_ptr_array_new_with_free_func(command_free);
    p->settings = g_ptr_array_new_with_free_func(setting_free);
    p->timers = g_hash_table_new_full(NULL, NULL, NULL, timer_free);
    p->disco =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, disco_free);
    plugin_message_registries_new(p);
    plugin_ui_registries_new(p);
}

void plugin_registries_clear(NatterPlugin *p)
{
    plugin_ui_registries_clear(p);
    plugin_message_registries_clear(p);
    g_clear_pointer(&p->commands, g_ptr_array_unref);
    g_clear_pointer(&p->settings, g_ptr_array_unref);
    g_clear_pointer(&p->timers, g_hash_table_unref);
    g_clear_pointer(&p->disco, g_hash_table_unref);
}

char *plugin_registries_describe(const NatterPlugin *p)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "commands:");
    for (guint i = 0; i < p->commands->len; i++) {
        const PluginCommand *c = g_ptr_array_index(p->commands, i);
        g_string_append_printf(s, " /%s", c->def.name);
    }
    g_string_append(s, p->commands->len ? "; settings:" : " none; settings:");
    for (guint i = 0; i < p->settings->len; i++) {
        const PluginSetting *set = g_ptr_array_index(p->settings, i);
        g_string_append_printf(s, " %s", set->spec.name);
    }
    if (!p->settings->len)
        g_string_append(s, " none");
    g_autofree char *more = plugin_message_registries_describe(p);
    g_string_append_printf(s, "; %s; timers: %u; disco features:", more,
                           g_hash_table_size(p->timers));
    g_autoptr(GList) vars = g_hash_table_get_keys(p->disco);
    vars = g_list_sort(vars, (GCompareFunc)g_strcmp0);
    for (GList *l = vars; l; l = l->next)
        g_string_append_printf(s, " %s", (const char *)l->data);
    if (!vars)
        g_string_append(s, " none");
    g_autofree char *ui = plugin_ui_registries_describe(p);
    g_string_append_printf(s, "; %s", ui);
    return g_string_free(s, FALSE);
}
