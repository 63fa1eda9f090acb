/* complete.c: Tab completion from the command table. A synopsis line such
 * as "/account set ACCOUNT FIELD VALUE" says what may come at each
 * position: literal words (with | between alternatives) complete as
 * themselves, upper-case placeholders complete from a source, and
 * "[key VALUE]" groups are options that may come in any order. PATH
 * completes from the file system: the entries of the directory the word
 * names so far ("~/" is the home directory), directories with a "/". */
#include "command/complete.h"

#include <string.h>

#include "command/command.h"
#include "core/account.h"
#include "core/roster.h"
#include "core/settings.h"
#include "core/themes.h"

/* Placeholder -> GPtrArray of CompleteSource, for sources added by other
 * modules; the built-in ones are below. */
static GHashTable *extra_sources;

void complete_add_source(const char *placeholder, CompleteSource func)
{
    if (!extra_sources)
        extra_sources = g_hash_table_new_full(
            g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
    GPtrArray *list = g_hash_table_lookup(extra_sources, placeholder);
    if (!list) {
        list = g_ptr_array_new();
        g_hash_table_insert(extra_sources, g_strdup(placeholder), list);
    }
    g_ptr_array_add(list, func);
}

void complete_shutdown(void)
{
    g_clear_pointer(&extra_sources, g_hash_table_unref);
}

static gboolean is_placeholder(const char *token)
{
    gboolean upper = FALSE;
    for (const char *p = token; *p; p++) {
        if (g_ascii_islower(*p))
            return FALSE;
        upper |= g_ascii_isupper(*p);
    }
    return upper;
}

static void add_alternatives(const char *words, GPtrArray *out)
{
    g_auto(GStrv) alternatives = g_strsplit(words, "|", -1);
    for (guint i = 0; alternatives[i]; i++)
        if (*alternatives[i])
            g_ptr_array_add(out, g_strdup(alternatives[i]));
}

static void source_accounts(GPtrArray *out)
{
    const GPtrArray *accounts = accounts_list();
    for (guint i = 0; accounts && i < accounts->len; i++)
        g_ptr_array_add(
            out, g_strdup(((Account *)g_ptr_array_index(accounts, i))->name));
}

/* Contacts: the account's roster, and whoever we have a window with. */
static void source_chat_peers(const char *account, GPtrArray *out)
{
    if (account) {
        g_autoptr(GPtrArray) contacts = roster_contacts(account);
        for (guint i = 0; i < contacts->len; i++)
            g_ptr_array_add(
                out,
                g_strdup(
                    ((RosterContact *)g_ptr_array_index(contacts, i))->jid));
    }
    const GPtrArray *list = buffers_list();
    for (guint i = 0; i < list->len; i++) {
        const Buffer *b = g_ptr_array_index(list, i);
        if (b->kind == BUFFER_CHAT && b->peer &&
            (!account || g_strcmp0(b->account, account) == 0))
            g_ptr_array_add(out, g_strdup(b->peer));
    }
}

/* What a completion is for: the window it is typed in, and the account
 * it acts for (the window's, or the one given with -a). */
typedef struct {
    const Buffer *buffer;
    const char *account;
    const char *word; /* being typed: what PATH completes */
} Context;

static void add_source(const char *placeholder, const Context *ctx,
                       const char *previous, GPtrArray *out);

/* Directory entries read at most, so a huge directory costs little. */
#define PATH_MAX_ENTRIES 5000

/* The files and directories WORD may go on to: WORD's directory part as
 * typed, then an entry whose name starts with the rest (dot files only
 * when the rest starts with a dot). */
static void source_paths(const char *word, GPtrArray *out)
{
    const char *slash = strrchr(word, '/');
    g_autofree char *shown =
        slash ? g_strndup(word, slash - word + 1) : g_strdup(""); /* as typed */
    const char *base = slash ? slash + 1 : word;
    g_autofree char *dir = NULL;
    if (!slash)
        dir = g_strdup(".");
    else if (g_str_has_prefix(shown, "~/"))
        dir = g_build_filename(g_get_home_dir(), shown + 2, NULL);
    else
        dir = g_strdup(shown);
    if (strcmp(word, "~") == 0) {
        g_ptr_array_add(out, g_strdup("~/"));
        return;
    }
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
        return;
    const char *name;
    for (guint n = 0; n < PATH_MAX_ENTRIES && (name = g_dir_read_name(d));
         n++) {
        if (!g_str_has_prefix(name, base) || (name[0] == '.' && base[0] != '.'))
            continue;
        g_autofree char *full = g_build_filename(dir, name, NULL);
        gboolean is_dir = g_file_test(full, G_FILE_TEST_IS_DIR);
        g_ptr_array_add(out, g_strconcat(shown, name, is_dir ? "/" : "", NULL));
    }
    g_dir_close(d);
}

/* The values a VALUE may take, known from the word before it: the
 * setting or account field it is for. */
static void source_value(const char *previous, GPtrArray *out)
{
    const SettingSpec *spec = settings_find(previous);
    if (spec && spec->type == SETTING_BOOL)
        add_alternatives("on|off", out);
    else if (spec && spec->type == SETTING_CHOICE)
        add_alternatives(spec->choices, out);
    else if (spec && strcmp(spec->name, "theme") == 0)
        add_source("THEME", &(Context){NULL, NULL, NULL}, NULL, out);
    if (spec)
        return;
    for (const AccountField *f = account_fields(); f->key; f++)
        if (strcmp(f->key, previous) == 0 && strchr(f->value_hint, '|'))
            add_alternatives(f->value_hint, out);
}

static void add_source(const char *placeholder, const Context *ctx,
                       const char *previous, GPtrArray *out)
{
    const char *account = ctx->account;
    if (strcmp(placeholder, "ACCOUNT") == 0) {
        source_accounts(out);
    } else if (strcmp(placeholder, "SETTING") == 0) {
        for (const SettingSpec *s = settings_specs(); s->name; s++)
            g_ptr_array_add(out, g_strdup(s->name));
    } else if (strcmp(placeholder, "FIELD") == 0) {
        for (const AccountField *f = account_fields(); f->key; f++)
            g_ptr_array_add(out, g_strdup(f->key));
    } else if (strcmp(placeholder, "COMMAND") == 0) {
        const GPtrArray *commands = commands_list();
        for (guint i = 0; i < commands->len; i++)
            g_ptr_array_add(
                out,
                g_strdup(((const CommandDef *)g_ptr_array_index(commands, i))
                             ->name));
    } else if (strcmp(placeholder, "THEME") == 0) {
        g_autoptr(GPtrArray) names = themes_list(NULL);
        for (guint i = 0; i < names->len; i++)
            g_ptr_array_add(out, g_strdup(g_ptr_array_index(names, i)));
    } else if (strcmp(placeholder, "JID") == 0) {
        source_chat_peers(account, out);
    } else if (strcmp(placeholder, "PATH") == 0) {
        if (ctx->word)
            source_paths(ctx->word, out);
    } else if (previous) {
        /* VALUE, MODE...: the values of the setting named just before. */
        source_value(previous, out);
    }
    GPtrArray *extra =
        extra_sources ? g_hash_table_lookup(extra_sources, placeholder) : NULL;
    for (guint i = 0; extra && i < extra->len; i++)
        ((CompleteSource)g_ptr_array_index(extra, i))(ctx->buffer, account,
                                                      out);
}

/* Options "[key VALUE]" from position FIRST of TOKENS on: the keys not
 * used yet in TYPED, or the value of the key just typed. */
static void add_options(char **tokens, guint first, char **typed, guint n_typed,
                        guint typed_first, const Context *ctx, GPtrArray *out)
{
    const char *previous = n_typed > typed_first ? typed[n_typed - 1] : NULL;
    for (guint i = first; tokens[i]; i++) {
        if (tokens[i][0] != '[')
            continue;
        const char *key = tokens[i] + 1;
        const char *value = tokens[i + 1];
        if (previous && strcmp(previous, key) == 0) {
            if (value && value[strlen(value) - 1] == ']') {
                g_autofree char *name = g_strndup(value, strlen(value) - 1);
                add_source(name, ctx, key, out);
            }
            return;
        }
    }
    for (guint i = first; tokens[i]; i++) {
        if (tokens[i][0] != '[')
            continue;
        const char *key = tokens[i] + 1;
        gboolean used = FALSE;
        for (guint t = typed_first; t < n_typed; t++)
            used |= strcmp(typed[t], key) == 0;
        if (!used && !strchr(key, ']'))
            g_ptr_array_add(out, g_strdup(key));
    }
}

/* What SYNOPSIS allows after the words TYPED (the command's arguments
 * typed so far, complete words only). */
static void from_synopsis(const char *synopsis, char **typed, guint n_typed,
                          const Context *ctx, GPtrArray *out)
{
    g_auto(GStrv) tokens = g_strsplit_set(synopsis, " ", -1);
    guint pos = 1; /* tokens[0] is "/name" */
    for (guint t = 0; t < n_typed; t++, pos++) {
        const char *token = tokens[pos];
        if (!token)
            return; /* more words than this form has */
        if (token[0] == '[') {
            add_options(tokens, pos, typed, n_typed, t, ctx, out);
            return;
        }
        if (is_placeholder(token))
            continue;
        g_auto(GStrv) alternatives = g_strsplit(token, "|", -1);
        if (!g_strv_contains((const char *const *)alternatives, typed[t]))
            return; /* another form of the command */
    }
    const char *token = tokens[pos];
    if (!token)
        return;
    if (token[0] == '[')
        add_options(tokens, pos, typed, n_typed, n_typed, ctx, out);
    else if (is_placeholder(token))
        add_source(token, ctx, n_typed ? typed[n_typed - 1] : NULL, out);
    else
        add_alternatives(token, out);
}

static gint compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Keeps the entries of LIST that start with PREFIX, sorted and unique. */
static void filter(GPtrArray *list, const char *prefix)
{
    g_ptr_array_sort(list, compare_strings);
    guint kept = 0;
    for (guint i = 0; i < list->len; i++) {
        char *s = g_ptr_array_index(list, i);
        if (!g_str_has_prefix(s, prefix) ||
            (kept && strcmp(g_ptr_array_index(list, kept - 1), s) == 0)) {
            g_free(s);
            continue;
        }
        g_ptr_array_index(list, kept++) = s;
    }
    /* The tail holds freed or moved pointers: not for the free func. */
    for (guint i = kept; i < list->len; i++)
        g_ptr_array_index(list, i) = NULL;
    g_ptr_array_set_size(list, kept);
}

GPtrArray *complete_line(const char *line, gsize cursor, const Buffer *buffer,
                         gsize *word_start)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *before = g_strndup(line, cursor);
    const char *word = before + strlen(before);
    while (word > before && word[-1] != ' ' && word[-1] != '\t')
        word--;
    *word_start = word - before;
    if (before[0] != '/') {
        /* A word of a message in a room is an occupant's nick, from the
         * same source as NICK arguments: addressed ("nick:") when it
         * begins the message, as it is anywhere else on the line. */
        if (buffer && buffer->kind == BUFFER_ROOM) {
            Context ctx = {buffer, buffer->account, NULL};
            g_autoptr(GPtrArray) nicks = g_ptr_array_new_with_free_func(g_free);
            add_source("NICK", &ctx, NULL, nicks);
            for (guint i = 0; i < nicks->len; i++)
                g_ptr_array_add(out,
                                g_strconcat(g_ptr_array_index(nicks, i),
                                            *word_start == 0 ? ":" : "", NULL));
            filter(out, word);
        }
        return out;
    }

    g_auto(GStrv) words = g_strsplit_set(before, " \t", -1);
    /* Drop the empty strings runs of blanks leave, and the word being
     * typed (the last one). */
    GPtrArray *typed = g_ptr_array_new();
    for (guint i = 0; words[i + 1]; i++)
        if (*words[i])
            g_ptr_array_add(typed, words[i]);
    g_ptr_array_add(typed, NULL);
    char **argv = (char **)typed->pdata;
    guint argc = typed->len - 1;

    if (argc == 0) {
        const GPtrArray *commands = commands_list();
        for (guint i = 0; i < commands->len; i++)
            g_ptr_array_add(
                out,
                g_strconcat(
                    "/",
                    ((const CommandDef *)g_ptr_array_index(commands, i))->name,
                    NULL));
        filter(out, word);
        g_ptr_array_free(typed, TRUE);
        return out;
    }

    const CommandDef *def = command_find(argv[0] + 1);
    const char *account = buffer ? buffer->account : NULL;
    guint first = 1;
    if (def && def->per_account && argc >= 2 && strcmp(argv[1], "-a") == 0) {
        if (argc == 2) { /* right after -a */
            source_accounts(out);
            def = NULL;
        } else {
            account = argv[2];
            first = 3;
        }
    }
    /* What the command itself proposes (/correct: the text to correct,
     * for editing; /form: the fields of the window's form and their
     * choices) stands instead of what its synopsis's placeholders would
     * give. */
    if (def && def->complete && buffer)
        def->complete(buffer, (const char *const *)argv + first, argc - first,
                      out);
    Context ctx = {buffer, account, word};
    for (const char *const *s = def && out->len == 0 ? def->synopsis : NULL;
         s && *s; s++)
        from_synopsis(*s, argv + first, argc - first, &ctx, out);
    filter(out, word);
    g_ptr_array_free(typed, TRUE);
    return out;
}
