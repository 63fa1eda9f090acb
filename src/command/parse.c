/* parse.c: splitting a command line into words. */
#include <string.h>

#include "command/command.h"
#include "util/error.h"

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Reads one word at *P into WORD, advancing *P. */
static gboolean read_word(const char **p, GString *word, GError **error)
{
    const char *s = *p;
    while (*s && *s != ' ' && *s != '\t') {
        if (*s != '"') {
            g_string_append_c(word, *s++);
            continue;
        }
        s++; /* opening quote */
        while (*s && *s != '"') {
            if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
                s++;
            g_string_append_c(word, *s++);
        }
        if (*s != '"') {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "a quote is not closed");
            return FALSE;
        }
        s++; /* closing quote */
    }
    *p = s;
    return TRUE;
}

char **command_split(const char *args, int max_words, gboolean rest,
                     GError **error)
{
    g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);
    const char *p = skip_space(args ? args : "");
    while (*p) {
        if (rest && max_words > 0 && (int)words->len == max_words - 1) {
            g_ptr_array_add(words, g_strdup(p));
            break;
        }
        g_autoptr(GString) word = g_string_new(NULL);
        if (!read_word(&p, word, error))
            return NULL;
        g_ptr_array_add(words, g_string_free(g_steal_pointer(&word), FALSE));
        p = skip_space(p);
    }
    g_ptr_array_add(words, NULL);
    g_ptr_array_set_free_func(words, NULL);
    return (char **)g_ptr_array_free(g_steal_pointer(&words), FALSE);
}

GHashTable *command_parse_options(char **argv, int argc,
                                  const char *const *keys, GError **error)
{
    g_autoptr(GHashTable) options =
        g_hash_table_new_full(g_str_hash, g_str_equal, NULL, NULL);
    for (int i = 0; i < argc; i += 2) {
        const char *key = NULL;
        for (const char *const *k = keys; *k; k++) {
            if (strcmp(argv[i], *k) == 0)
                key = *k;
        }
        if (!key) {
            g_autofree char *allowed = g_strjoinv(", ", (char **)keys);
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "unknown option '%s' (expected one of: %s)", argv[i],
                        allowed);
            return NULL;
        }
        if (i + 1 >= argc) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "option '%s' needs a value", key);
            return NULL;
        }
        g_hash_table_insert(options, (gpointer)key, argv[i + 1]);
    }
    return g_steal_pointer(&options);
}
