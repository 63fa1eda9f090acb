/* themes.c: see themes.h. */
#include "core/themes.h"

#include <string.h>

#include "core/paths.h"
#include "util/error.h"

static const ThemeLoader *loader;

void themes_set_loader(const ThemeLoader *l)
{
    loader = l;
}

char *themes_shipped_dir(void)
{
    const char *env = g_getenv("NATTER_DATADIR");
    if (env && *env)
        return g_build_filename(env, "themes", NULL);
    char *installed = g_build_filename(NATTER_DATADIR, "themes", NULL);
    if (g_file_test(installed, G_FILE_TEST_IS_DIR))
        return installed;
    /* Not installed (yet): natter run from its build tree, as a newcomer
     * first runs it, uses the themes of its source tree. */
    char *source = g_build_filename(NATTER_SOURCE_DIR, "themes", NULL);
    if (g_file_test(source, G_FILE_TEST_IS_DIR)) {
        g_free(installed);
        return source;
    }
    g_free(source);
    return installed;
}

/* A name is a file name without a directory part or dot files, so
 * "/theme load ../../x" cannot reach outside the theme dirs. */
static gboolean plain_name(const char *name)
{
    return *name && name[0] != '.' && !strchr(name, '/') && !strchr(name, '\\');
}

static char *user_dir(void)
{
    const char *config = paths_config_dir();
    return config ? g_build_filename(config, "themes", NULL) : NULL;
}

char *themes_find(const char *name)
{
    if (!plain_name(name))
        return NULL;
    g_autofree char *file = g_strconcat(name, ".theme", NULL);
    g_autofree char *user = user_dir();
    g_autofree char *shipped = themes_shipped_dir();
    const char *const dirs[] = {user, shipped};
    for (guint i = 0; i < G_N_ELEMENTS(dirs); i++) {
        if (!dirs[i])
            continue;
        char *path = g_build_filename(dirs[i], file, NULL);
        if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
            return path;
        g_free(path);
    }
    return NULL;
}

static void add_names(const char *dir, GHashTable *names, gboolean user)
{
    g_autoptr(GDir) d = dir ? g_dir_open(dir, 0, NULL) : NULL;
    const char *entry;
    while (d && (entry = g_dir_read_name(d))) {
        if (!g_str_has_suffix(entry, ".theme"))
            continue;
        char *name = g_strndup(entry, strlen(entry) - strlen(".theme"));
        if (!plain_name(name) || (!user && g_hash_table_contains(names, name)))
            g_free(name);
        else
            g_hash_table_insert(names, name, GINT_TO_POINTER(user));
    }
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

GPtrArray *themes_list(GPtrArray **user)
{
    g_autoptr(GHashTable) names =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autofree char *udir = user_dir();
    add_names(udir, names, TRUE);
    g_autofree char *shipped = themes_shipped_dir();
    add_names(shipped, names, FALSE);
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, names);
    while (g_hash_table_iter_next(&it, &key, NULL))
        g_ptr_array_add(out, g_strdup(key));
    g_ptr_array_sort(out, compare_strings);
    if (user) {
        *user = g_ptr_array_new();
        for (guint i = 0; i < out->len; i++)
            g_ptr_array_add(
                *user, g_hash_table_lookup(names, g_ptr_array_index(out, i)));
    }
    return out;
}

gboolean themes_load(const char *name, GError **error)
{
    if (!loader) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "themes apply to the terminal UI; natter runs without "
                    "one (--headless)");
        return FALSE;
    }
    return loader->load(name, error);
}

GPtrArray *themes_describe(char **name, char **file, GError **error)
{
    if (!loader) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "themes apply to the terminal UI; natter runs without "
                    "one (--headless)");
        return NULL;
    }
    return loader->describe(name, file);
}
