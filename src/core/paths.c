/* paths.c: see paths.h. */
#include "core/paths.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "util/error.h"

static char *config_dir;
static char *data_dir;

void paths_init(const char *config, const char *data)
{
    paths_shutdown();
    config_dir =
        config ? g_canonicalize_filename(config, NULL)
               : g_build_filename(g_get_user_config_dir(), "natter", NULL);
    data_dir = data ? g_canonicalize_filename(data, NULL)
                    : g_build_filename(g_get_user_data_dir(), "natter", NULL);
}

void paths_shutdown(void)
{
    g_clear_pointer(&config_dir, g_free);
    g_clear_pointer(&data_dir, g_free);
}

const char *paths_config_dir(void)
{
    return config_dir;
}

const char *paths_data_dir(void)
{
    return data_dir;
}

char *paths_config_file(const char *name)
{
    return g_build_filename(config_dir, name, NULL);
}

static gboolean make_dir(const char *dir, GError **error)
{
    if (g_mkdir_with_parents(dir, 0700) != 0) {
        int e = errno;
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO,
                    "cannot create %s: %s", dir, g_strerror(e));
        return FALSE;
    }
    return TRUE;
}

char *paths_account_dir(const char *account, GError **error)
{
    g_autofree char *dir = g_build_filename(data_dir, account, NULL);
    if (!make_dir(dir, error))
        return NULL;
    return g_steal_pointer(&dir);
}

gboolean paths_ensure(GError **error)
{
    return make_dir(config_dir, error) && make_dir(data_dir, error);
}
