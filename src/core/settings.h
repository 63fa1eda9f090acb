/* settings.h: the user's global settings, saved in natterrc. Every setting
 * is one row of a table (name, type, default, description), so /set, the
 * man page and completion all come from the same place. Per-account
 * settings live in account.h instead. */
#pragma once

#include <glib.h>

typedef enum {
    SETTING_BOOL,   /* on|off */
    SETTING_INT,    /* a whole number within min..max */
    SETTING_STRING, /* any text */
    SETTING_CHOICE, /* one of the words of `choices` */
} SettingType;

typedef struct {
    const char *name;
    SettingType type;
    const char *default_value;
    const char *description;
    int min, max;        /* SETTING_INT only */
    const char *choices; /* SETTING_CHOICE only: "away|xa" */
} SettingSpec;

/* Loads natterrc. A file that cannot be parsed, or a bad value in it, is
 * reported in ERROR; good values are still used, and saving is refused so
 * the file is not overwritten until the user fixes it. */
gboolean settings_init(GError **error);
void settings_shutdown(void);

/* Every setting, built-in and registered, sorted by name, NULL-terminated
 * by name. Valid until the next (un)registration. */
const SettingSpec *settings_specs(void);

/* Adds a setting at run time (a plugin's), named with a prefix and a dot
 * ("myplugin.color": built-in names have none, so they never collide):
 * SPEC is copied, its strings must outlive the registration. A value
 * natterrc already holds for it (natterrc keeps such values even while
 * nobody registered them) is checked and used. FALSE with ERROR when the
 * name is taken or not of that form, or the default does not fit the
 * type. */
gboolean settings_register(const SettingSpec *spec, GError **error);
void settings_unregister(const char *name);
const SettingSpec *settings_find(const char *name);

/* Current values. Asking for a name that is not in the table is a
 * programming error (g_critical) and returns the type's zero. */
gboolean settings_get_bool(const char *name);
int settings_get_int(const char *name);
const char *settings_get_string(const char *name); /* also for CHOICE */

/* TRUE when NAME has a value of its own (not the default). */
gboolean settings_is_set(const char *name);

/* Checks VALUE against NAME's type, applies it, saves natterrc and emits
 * EVENT_SETTING_CHANGED. On a bad value nothing changes. */
gboolean settings_set(const char *name, const char *value, GError **error);
/* Back to the default. */
gboolean settings_unset(const char *name, GError **error);

const char *setting_type_hint(const SettingSpec *spec);
