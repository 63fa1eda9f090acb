/* tlspins.c: see tlspins.h. */
#include "core/tlspins.h"

#include <string.h>

#include "core/paths.h"
#include "util/error.h"

#define FILE_NAME "tls-pins"
#define FP_BYTES  32

void tls_pin_free(TlsPin *pin)
{
    if (!pin)
        return;
    g_free(pin->fingerprint);
    g_free(pin->note);
    g_free(pin);
}

char *tls_pin_normalise(const char *fp)
{
    if (!fp)
        return NULL;
    GString *out = g_string_new(NULL);
    int digits = 0;
    for (const char *p = fp; *p; p++) {
        if (*p == ':')
            continue;
        if (!g_ascii_isxdigit(*p) || digits >= 2 * FP_BYTES) {
            g_string_free(out, TRUE);
            return NULL;
        }
        if (digits > 0 && digits % 2 == 0)
            g_string_append_c(out, ':');
        g_string_append_c(out, g_ascii_toupper(*p));
        digits++;
    }
    if (digits != 2 * FP_BYTES) {
        g_string_free(out, TRUE);
        return NULL;
    }
    return g_string_free(out, FALSE);
}

GPtrArray *tls_pins_parse(const char *text, GError **error)
{
    g_autoptr(GPtrArray) pins =
        g_ptr_array_new_with_free_func((GDestroyNotify)tls_pin_free);
    g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        char *line = g_strstrip(lines[i]);
        if (!*line || *line == '#')
            continue;
        char *space = strpbrk(line, " \t");
        if (space)
            *space++ = '\0';
        char *fp = tls_pin_normalise(line);
        if (!fp) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "line %u: '%s' is not a SHA-256 fingerprint", i + 1,
                        line);
            return NULL;
        }
        TlsPin *pin = g_new0(TlsPin, 1);
        pin->fingerprint = fp;
        if (space && *g_strstrip(space))
            pin->note = g_strdup(space);
        g_ptr_array_add(pins, pin);
    }
    return g_steal_pointer(&pins);
}

char *tls_pins_format(const GPtrArray *pins)
{
    GString *out = g_string_new("# Certificates trusted with /tls always: "
                                "SHA-256 fingerprint, then a note.\n");
    for (guint i = 0; i < pins->len; i++) {
        const TlsPin *pin = g_ptr_array_index(pins, i);
        g_string_append(out, pin->fingerprint);
        if (pin->note) {
            /* One line per pin: a note never spans lines. */
            g_autofree char *note =
                g_strdelimit(g_strdup(pin->note), "\n\r", ' ');
            g_string_append_printf(out, " %s", note);
        }
        g_string_append_c(out, '\n');
    }
    return g_string_free(out, FALSE);
}

static char *pins_path(const char *account, GError **error)
{
    g_autofree char *dir = paths_account_dir(account, error);
    return dir ? g_build_filename(dir, FILE_NAME, NULL) : NULL;
}

GPtrArray *tls_pins_load(const char *account, GError **error)
{
    g_autofree char *path = pins_path(account, error);
    if (!path)
        return NULL;
    g_autofree char *text = NULL;
    g_autoptr(GError) cause = NULL;
    if (!g_file_get_contents(path, &text, NULL, &cause)) {
        if (g_error_matches(cause, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            return g_ptr_array_new_with_free_func((GDestroyNotify)tls_pin_free);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO, "%s: %s", path,
                    cause->message);
        return NULL;
    }
    GPtrArray *pins = tls_pins_parse(text, &cause);
    if (!pins)
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID, "%s: %s", path,
                    cause->message);
    return pins;
}

static gint find_pin(const GPtrArray *pins, const char *fp)
{
    g_autofree char *norm = tls_pin_normalise(fp);
    for (guint i = 0; norm && i < pins->len; i++) {
        const TlsPin *pin = g_ptr_array_index(pins, i);
        if (strcmp(pin->fingerprint, norm) == 0)
            return (gint)i;
    }
    return -1;
}

gboolean tls_pins_contain(const GPtrArray *pins, const char *fp)
{
    return find_pin(pins, fp) >= 0;
}

static gboolean save(const char *account, const GPtrArray *pins, GError **error)
{
    g_autofree char *path = pins_path(account, error);
    if (!path)
        return FALSE;
    g_autofree char *text = tls_pins_format(pins);
    g_autoptr(GError) cause = NULL;
    if (!g_file_set_contents_full(
            path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &cause)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_IO, "cannot save %s: %s",
                    path, cause->message);
        return FALSE;
    }
    return TRUE;
}

gboolean tls_pins_add(const char *account, const char *fp, const char *note,
                      GError **error)
{
    g_autofree char *norm = tls_pin_normalise(fp);
    if (!norm) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "'%s' is not a SHA-256 fingerprint", fp);
        return FALSE;
    }
    g_autoptr(GPtrArray) pins = tls_pins_load(account, error);
    if (!pins)
        return FALSE;
    if (find_pin(pins, norm) >= 0)
        return TRUE;
    TlsPin *pin = g_new0(TlsPin, 1);
    pin->fingerprint = g_steal_pointer(&norm);
    pin->note = g_strdup(note);
    g_ptr_array_add(pins, pin);
    return save(account, pins, error);
}

gboolean tls_pins_remove(const char *account, const char *fp, GError **error)
{
    g_autoptr(GPtrArray) pins = tls_pins_load(account, error);
    if (!pins)
        return FALSE;
    gint i = find_pin(pins, fp);
    if (i < 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                    "%s is not pinned for account '%s' (/tls trusted)", fp,
                    account);
        return FALSE;
    }
    g_ptr_array_remove_index(pins, (guint)i);
    return save(account, pins, error);
}
