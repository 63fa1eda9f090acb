/* host.c: loading and unloading plugins. A plugin is opened with
 * GModule, its declaration (the natter_plugin symbol) is checked (the API
 * version it was built for first), and its init runs; anything that goes
 * wrong is a clear error, the plugin is closed again and natter goes on.
 * Unloading runs its deinit, then takes away whatever it registered
 * (plugin_registries_clear), then closes the module. */
#include "plugin/host.h"

#include "config.h"
#include "core/buffer.h"
#include "core/paths.h"
#include "core/settings.h"
#include "plugin/plugin_internal.h"
#ifdef HAVE_PYTHON
#include "plugin/python.h"
#endif
#include "util/error.h"

static GPtrArray *loaded; /* NatterPlugin *, in load order */

const GPtrArray *plugins_loaded(void)
{
    if (!loaded)
        loaded = g_ptr_array_new();
    return loaded;
}

NatterPlugin *plugin_find(const char *name)
{
    for (guint i = 0; loaded && i < loaded->len; i++) {
        NatterPlugin *p = g_ptr_array_index(loaded, i);
        if (g_strcmp0(p->name, name) == 0)
            return p;
    }
    return NULL;
}

char **plugin_dirs(void)
{
    char **dirs = g_new0(char *, 3);
    dirs[0] = g_build_filename(paths_data_dir(), "plugins", NULL);
    dirs[1] = g_strdup(NATTER_PLUGINDIR);
    return dirs;
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

char **plugins_available(void)
{
    g_autoptr(GHashTable) seen =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_auto(GStrv) dirs = plugin_dirs();
    for (char **d = dirs; *d; d++) {
        g_autoptr(GDir) dir = g_dir_open(*d, 0, NULL);
        const char *file;
        while (dir && (file = g_dir_read_name(dir)))
            if ((g_str_has_suffix(file, ".so")
#ifdef HAVE_PYTHON
                 || g_str_has_suffix(file, ".py")
#endif
                     ) &&
                strlen(file) > 3)
                g_hash_table_add(seen, g_strndup(file, strlen(file) - 3));
    }
    GPtrArray *names = g_ptr_array_new();
    GHashTableIter iter;
    gpointer key;
    g_hash_table_iter_init(&iter, seen);
    while (g_hash_table_iter_next(&iter, &key, NULL)) {
        g_ptr_array_add(names, key);
        g_hash_table_iter_steal(&iter);
    }
    g_ptr_array_sort(names, compare_names);
    g_ptr_array_add(names, NULL);
    return (char **)g_ptr_array_free(names, FALSE);
}

static gboolean valid_name(const char *name)
{
    if (!name || !*name)
        return FALSE;
    for (const char *c = name; *c; c++)
        if (!g_ascii_isalnum(*c) && *c != '-' && *c != '_')
            return FALSE;
    return TRUE;
}

/* The file of NAME_OR_PATH: a path as given, a name in the first
 * directory that has NAME.so. Caller frees; NULL with ERROR. */
static char *find_file(const char *name_or_path, GError **error)
{
    if (strchr(name_or_path, '/')) {
        if (g_file_test(name_or_path, G_FILE_TEST_IS_REGULAR))
            return g_strdup(name_or_path);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no plugin file %s", name_or_path);
        return NULL;
    }
    if (!valid_name(name_or_path)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "'%s' is not a plugin name (letters, digits, - and _)",
                    name_or_path);
        return NULL;
    }
    g_autofree char *file = g_strconcat(name_or_path, ".so", NULL);
    g_auto(GStrv) dirs = plugin_dirs();
    for (char **d = dirs; *d; d++) {
        char *path = g_build_filename(*d, file, NULL);
        if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
            return path;
        g_free(path);
        /* A Python plugin, NAME.py (plugin/python.h; refused with a
         * reason when natter has no Python). */
        path = g_strconcat(*d, "/", name_or_path, ".py", NULL);
        if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
            return path;
        g_free(path);
    }
    g_autofree char *where = g_strjoinv(" or ", dirs);
    g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                "no plugin %s: %s is not in %s", name_or_path, file, where);
    return NULL;
}

static void plugin_free(NatterPlugin *p)
{
    if (p->module)
        g_module_close(p->module);
    g_free(p->name);
    g_free(p->path);
    g_free(p->error);
    g_free(p->fail);
    g_free(p->data_dir);
    g_free(p);
}

/* Opens PATH and checks its declaration. NULL with ERROR. */
static NatterPlugin *open_plugin(const char *path, GError **error)
{
    GModule *module = g_module_open(path, G_MODULE_BIND_LOCAL);
    if (!module) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO,
                    "cannot load plugin %s: %s", path, g_module_error());
        return NULL;
    }
    gpointer symbol = NULL;
    if (!g_module_symbol(module, "natter_plugin", &symbol) || !symbol) {
        g_module_close(module);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "%s is not a natter plugin (it has no natter_plugin "
                    "declaration)",
                    path);
        return NULL;
    }
    const NatterPluginInfo *info = symbol;
    /* The version first: the rest of the declaration may have another
     * shape in another version. */
    int version = info->api_version;
    if (version != NATTER_PLUGIN_API_VERSION) {
        g_module_close(module); /* INFO is gone with it */
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_UNSUPPORTED,
                    "plugin %s was built for plugin API version %d, but "
                    "this natter has version %d: rebuild it against this "
                    "natter's plugin.h",
                    path, version, NATTER_PLUGIN_API_VERSION);
        return NULL;
    }
    if (!valid_name(info->name) || !info->init) {
        gboolean has_init = info->init != NULL;
        g_module_close(module);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "plugin %s declares %s", path,
                    has_init ? "an invalid name (letters, digits, - and _)"
                             : "no init function");
        return NULL;
    }
    if (plugin_find(info->name)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_EXISTS,
                    "a plugin named %s is already loaded", info->name);
        g_module_close(module);
        return NULL;
    }
    NatterPlugin *p = g_new0(NatterPlugin, 1);
    p->name = g_strdup(info->name);
    p->path = g_strdup(path);
    p->module = module;
    p->info = info;
    p->error = g_strdup("");
    return p;
}

NatterPlugin *plugin_load(const char *name_or_path, GError **error)
{
    g_autofree char *path = find_file(name_or_path, error);
    if (!path)
        return NULL;
#ifdef HAVE_PYTHON
    NatterPlugin *p = python_plugin_path(path) ? python_plugin_open(path, error)
                                               : open_plugin(path, error);
#else
    if (g_str_has_suffix(path, ".py")) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_UNSUPPORTED,
                    "%s is a Python plugin, and this natter is built "
                    "without Python",
                    path);
        return NULL;
    }
    NatterPlugin *p = open_plugin(path, error);
#endif
    if (!p)
        return NULL;
    plugin_registries_new(p);
    g_ptr_array_add((GPtrArray *)plugins_loaded(), p);
    if (!p->info->init(p)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "plugin %s failed to start: %s", p->name,
                    p->fail ? p->fail : "its init gave no reason");
        g_ptr_array_remove(loaded, p);
        plugin_registries_clear(p);
        plugin_free(p);
        return NULL;
    }
    return p;
}

static void unload(NatterPlugin *p)
{
    g_ptr_array_remove(loaded, p);
    if (p->info->deinit)
        p->info->deinit(p);
    plugin_registries_clear(p);
    plugin_free(p);
}

gboolean plugin_unload(const char *name, GError **error)
{
    NatterPlugin *p = plugin_find(name);
    if (!p) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "no plugin named %s is loaded", name);
        return FALSE;
    }
    unload(p);
    return TRUE;
}

void plugins_init(void)
{
    plugins_register_commands();
    g_auto(GStrv) names =
        g_strsplit_set(settings_get_string("plugins_autoload"), " ,", -1);
    for (char **n = names; *n; n++) {
        if (!**n || plugin_find(*n))
            continue;
        g_autoptr(GError) error = NULL;
        NatterPlugin *p = plugin_load(*n, &error);
        if (p)
            buffer_appendf(buffer_console(), LINE_INFO, "Plugin %s %s loaded",
                           p->name, p->info->version ? p->info->version : "");
        else
            buffer_appendf(buffer_console(), LINE_ERROR, "%s", error->message);
    }
}

void plugins_shutdown(void)
{
    /* The last loaded first: it may use what an earlier one added. */
    while (loaded && loaded->len)
        unload(g_ptr_array_index(loaded, loaded->len - 1));
    g_clear_pointer(&loaded, g_ptr_array_unref);
}

void plugin_set_error(NatterPlugin *p, const char *message)
{
    g_free(p->error);
    p->error = g_strdup(message ? message : "");
}
