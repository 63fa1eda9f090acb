/* theme.c: see theme.h. */
#include "ui/theme.h"

#include <string.h>

#include "util/error.h"

static const char *const style_names[STYLE_COUNT] = {
    [STYLE_DEFAULT] = "default",
    [STYLE_TITLE] = "title",
    [STYLE_STATUS] = "status",
    [STYLE_TIME] = "time",
    [STYLE_NICK_OWN] = "nick.own",
    [STYLE_NICK_PEER] = "nick.peer",
    [STYLE_INFO] = "info",
    [STYLE_ERROR] = "error",
    [STYLE_PROMPT] = "prompt",
    [STYLE_ACTIVITY_EVENT] = "activity.event",
    [STYLE_ACTIVITY_MESSAGE] = "activity.message",
    [STYLE_ACTIVITY_HIGHLIGHT] = "activity.highlight",
    [STYLE_MORE] = "more",
    [STYLE_MARKER] = "marker",
    [STYLE_DAY_CHANGE] = "day.change",
    [STYLE_HIGHLIGHT] = "highlight",
    [STYLE_PANE_SEPARATOR] = "pane.separator",
    [STYLE_ROSTER_GROUP] = "roster.group",
    [STYLE_ROSTER_ONLINE] = "roster.online",
    [STYLE_ROSTER_AWAY] = "roster.away",
    [STYLE_ROSTER_DND] = "roster.dnd",
    [STYLE_ROSTER_OFFLINE] = "roster.offline",
};

static const char *const format_names[FORMAT_COUNT] = {
    [FORMAT_TIME] = "time",
    [FORMAT_TIME_DATED] = "time.dated",
    [FORMAT_DAY_CHANGE] = "day.change",
};

static const char *const format_builtins[FORMAT_COUNT] = {
    [FORMAT_TIME] = "%H:%M",
    [FORMAT_TIME_DATED] = "%Y-%m-%d %H:%M",
    [FORMAT_DAY_CHANGE] = "Day changed to %A %d %B %Y",
};

static const char *const colour_names[] = {
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
    const char *name;
    guint flag;
} attr_names[] = {
    {"bold", THEME_BOLD},       {"dim", THEME_DIM},
    {"italic", THEME_ITALIC},   {"underline", THEME_UNDERLINE},
    {"reverse", THEME_REVERSE},
};

const char *theme_style_name(Style style)
{
    return style_names[style];
}

const char *theme_format_name(ThemeFormat format)
{
    return format_names[format];
}

const char *theme_format_builtin(ThemeFormat format)
{
    return format_builtins[format];
}

gboolean theme_check_format(const char *value, GError **error)
{
    for (const char *p = value; *p; p++) {
        if (g_ascii_iscntrl(*p)) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "a format has no control characters");
            return FALSE;
        }
    }
    g_autoptr(GDateTime) sample = g_date_time_new_now_local();
    g_autofree char *text = g_date_time_format(sample, value);
    if (!text || !*text) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "'%s' is not a date format (strftime's %%H:%%M, "
                    "%%Y-%%m-%%d, %%A...)",
                    value);
        return FALSE;
    }
    return TRUE;
}

static gboolean parse_colour(const char *word, short *out)
{
    if (strcmp(word, "default") == 0) {
        *out = -1;
        return TRUE;
    }
    gboolean bright = g_str_has_prefix(word, "bright-");
    const char *base = bright ? word + strlen("bright-") : word;
    for (guint i = 0; i < G_N_ELEMENTS(colour_names); i++) {
        if (strcmp(base, colour_names[i]) == 0) {
            *out = (short)(i + (bright ? 8 : 0));
            return TRUE;
        }
    }
    guint64 n;
    if (g_ascii_string_to_unsigned(word, 10, 0, 255, &n, NULL)) {
        *out = (short)n;
        return TRUE;
    }
    return FALSE;
}

static gboolean parse_attr(const char *word, guint *attrs)
{
    for (guint i = 0; i < G_N_ELEMENTS(attr_names); i++) {
        if (strcmp(word, attr_names[i].name) == 0) {
            *attrs |= attr_names[i].flag;
            return TRUE;
        }
    }
    return FALSE;
}

gboolean theme_parse_style(const char *spec, ThemeStyle *out, GError **error)
{
    ThemeStyle style = {-1, -1, 0};
    g_auto(GStrv) words = g_strsplit(spec, ",", -1);
    guint colours = 0;
    for (char **w = words; *w; w++) {
        g_strstrip(*w);
        if (!**w)
            continue;
        if (parse_attr(*w, &style.attrs))
            continue;
        short c;
        if (colours < 2 && parse_colour(*w, &c)) {
            if (colours++ == 0)
                style.fg = c;
            else
                style.bg = c;
            continue;
        }
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "'%s' is not a colour (name, 0-255 or default) or an "
                    "attribute (bold, dim, italic, underline, reverse)",
                    *w);
        return FALSE;
    }
    *out = style;
    return TRUE;
}

/* The index of NAME among COUNT names, or -1. */
static int name_index(const char *name, const char *const *names, int count)
{
    for (int i = 0; i < count; i++) {
        if (strcmp(name, names[i]) == 0)
            return i;
    }
    return -1;
}

static gboolean load_styles(GKeyFile *kf, const char *file,
                            ThemeStyle parsed[STYLE_COUNT], GError **error)
{
    g_auto(GStrv) keys = g_key_file_get_keys(kf, "styles", NULL, NULL);
    for (char **k = keys; k && *k; k++) {
        int index = name_index(*k, style_names, STYLE_COUNT);
        if (index < 0) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "%s: [styles] has no style named '%s'", file, *k);
            return FALSE;
        }
        g_autofree char *value = g_key_file_get_string(kf, "styles", *k, NULL);
        g_autoptr(GError) cause = NULL;
        if (!theme_parse_style(value, &parsed[index], &cause)) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID, "%s: %s: %s",
                        file, *k, cause->message);
            return FALSE;
        }
    }
    return TRUE;
}

/* Reads the [formats] group into PARSED (NULL where the file names none;
 * caller frees the others). */
static gboolean load_formats(GKeyFile *kf, const char *file,
                             char *parsed[FORMAT_COUNT], GError **error)
{
    g_auto(GStrv) keys = g_key_file_get_keys(kf, "formats", NULL, NULL);
    for (char **k = keys; k && *k; k++) {
        int index = name_index(*k, format_names, FORMAT_COUNT);
        if (index < 0) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "%s: [formats] has no format named '%s'", file, *k);
            return FALSE;
        }
        g_autofree char *value = g_key_file_get_string(kf, "formats", *k, NULL);
        g_autoptr(GError) cause = NULL;
        if (!value || !theme_check_format(value, &cause)) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID, "%s: %s: %s",
                        file, *k,
                        cause ? cause->message : "not a text (UTF-8)");
            return FALSE;
        }
        g_free(parsed[index]);
        parsed[index] = g_steal_pointer(&value);
    }
    return TRUE;
}

gboolean theme_load_file(const char *file, ThemeStyle styles[STYLE_COUNT],
                         char *formats_out[FORMAT_COUNT], GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autoptr(GError) cause = NULL;
    if (!g_key_file_load_from_file(kf, file, G_KEY_FILE_NONE, &cause)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID, "%s: %s", file,
                    cause->message);
        return FALSE;
    }
    ThemeStyle parsed[STYLE_COUNT];
    memcpy(parsed, styles, sizeof parsed);
    char *texts[FORMAT_COUNT] = {NULL};
    gboolean ok = load_styles(kf, file, parsed, error) &&
                  load_formats(kf, file, texts, error);
    /* All or nothing: a theme with one bad line is not half applied. */
    for (int i = 0; i < FORMAT_COUNT; i++) {
        if (ok && texts[i]) {
            g_free(formats_out[i]);
            formats_out[i] = texts[i];
        } else {
            g_free(texts[i]);
        }
    }
    if (ok)
        memcpy(styles, parsed, sizeof parsed);
    return ok;
}

gboolean theme_parse_palette(const char *spec, GArray **colours, GError **error)
{
    g_autoptr(GArray) parsed = g_array_new(FALSE, FALSE, sizeof(short));
    g_auto(GStrv) words = g_strsplit(spec, ",", -1);
    for (char **w = words; *w; w++) {
        g_strstrip(*w);
        if (!**w)
            continue;
        short c;
        if (!parse_colour(*w, &c) || c < 0) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "'%s' is not a colour (a name or 0-255)", *w);
            return FALSE;
        }
        g_array_append_val(parsed, c);
    }
    if (parsed->len == 0) {
        g_set_error_literal(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                            "a palette needs at least one colour");
        return FALSE;
    }
    *colours = g_steal_pointer(&parsed);
    return TRUE;
}

gboolean theme_load_palette(const char *file, GArray **colours, GError **error)
{
    *colours = NULL;
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autoptr(GError) cause = NULL;
    if (!g_key_file_load_from_file(kf, file, G_KEY_FILE_NONE, &cause)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID, "%s: %s", file,
                    cause->message);
        return FALSE;
    }
    g_autofree char *spec = g_key_file_get_string(kf, "nicks", "palette", NULL);
    if (!spec)
        return TRUE;
    if (!theme_parse_palette(spec, colours, &cause)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "%s: [nicks] palette: %s", file, cause->message);
        return FALSE;
    }
    return TRUE;
}

static void append_colour(GString *out, short colour)
{
    if (colour < 0)
        g_string_append(out, "default");
    else if (colour < 16)
        g_string_append_printf(out, "%s%s", colour >= 8 ? "bright-" : "",
                               colour_names[colour % 8]);
    else
        g_string_append_printf(out, "%d", colour);
}

char *theme_style_format(const ThemeStyle *style)
{
    GString *out = g_string_new(NULL);
    append_colour(out, style->fg);
    if (style->bg >= 0) {
        g_string_append_c(out, ',');
        append_colour(out, style->bg);
    } else if (style->attrs) {
        g_string_append(out, ",default");
    }
    for (guint i = 0; i < G_N_ELEMENTS(attr_names); i++) {
        if (style->attrs & attr_names[i].flag)
            g_string_append_printf(out, ",%s", attr_names[i].name);
    }
    return g_string_free(out, FALSE);
}
