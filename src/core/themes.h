/* themes.h: which themes exist and how a command asks the front end to
 * use one. Theme files are "NAME.theme" in the user's config dir
 * (themes/) and in natter's shipped data dir; the user's file wins. The
 * looks themselves are the terminal UI's business (ui/theme.c parses,
 * ui/style.c applies), so the UI registers a ThemeLoader here, the same
 * way it provides prompts (core/prompt.h): /theme in command/ calls
 * down into core and never includes the UI. Without a terminal (headless)
 * no loader is registered and themes_load() says so. */
#pragma once

#include <glib.h>

typedef struct {
    /* Loads and applies theme NAME (all or nothing); FALSE with ERROR
     * when the file is missing or bad, and the old looks stay. */
    gboolean (*load)(const char *name, GError **error);
    /* The theme in use: its name, file (NULL: built-in looks) and one
     * "style = spec" line per style (caller frees the array). */
    GPtrArray *(*describe)(char **name, char **file);
} ThemeLoader;

void themes_set_loader(const ThemeLoader *loader);

/* The directory of shipped themes: $NATTER_DATADIR/themes when that is
 * set, otherwise the installed one, or while natter is not installed the
 * themes/ of the source tree it was built from. Caller frees. */
char *themes_shipped_dir(void);

/* The file of theme NAME: the user's config dir first, then the shipped
 * themes. NULL when there is none or NAME is not a plain name. Caller
 * frees. */
char *themes_find(const char *name);

/* Every theme name, sorted, each once (caller frees). With USER, *USER
 * gets a parallel array of GINT_TO_POINTER(TRUE) for names the user's
 * config dir provides. */
GPtrArray *themes_list(GPtrArray **user);

/* Asks the front end to use theme NAME. */
gboolean themes_load(const char *name, GError **error);
/* See ThemeLoader.describe; FALSE with ERROR without a terminal. */
GPtrArray *themes_describe(char **name, char **file, GError **error);
