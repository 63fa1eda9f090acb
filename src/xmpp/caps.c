/* caps.c: entity capabilities (XEP-0115). Our presence carries <c/> with
 * the verification string of what we announce in disco#info. Contacts'
 * <c/> are looked up in a cache (ver -> identities and features) kept in
 * the data directory, so a client's features are asked only once, ever:
 * an unknown ver is asked with disco#info, and the answer is cached only
 * if it hashes to that ver, so a hostile answer cannot poison the cache
 * for others who announce the same ver. */
#include <string.h>

#include "core/paths.h"
#include "util/error.h"
#include "util/jid.h"
#include "xmpp/feature.h"
#include "xmpp/info.h"
#include "xmpp/request.h"
#include "xmpp/services.h"
#include "xmpp/stanza.h"

#define CACHE_FILE "caps.cache"

static GKeyFile *cache;       /* group ver: identities, features */
static GHashTable *resources; /* account -> (full JID -> ver) */
static GHashTable *asking;    /* "account ver" being asked now */

static char *cache_path(void)
{
    return g_build_filename(paths_data_dir(), CACHE_FILE, NULL);
}

/* What one entity may put in the cache, and the cache in all: a hostile
 * contact's huge (but well hashed) answer must not grow the file read at
 * every start. The oldest entries go first. */
#define CACHE_MAX_ENTRY_BYTES (16 * 1024)
#define CACHE_MAX_ENTRIES     500
#define CACHE_MAX_BYTES       (1024 * 1024)

/* How many bytes INFO takes in the cache, about. */
static gsize entry_size(const CapsInfo *info)
{
    gsize n = 0;
    for (guint i = 0; i < info->identities->len; i++) {
        const CapsIdentity *id = g_ptr_array_index(info->identities, i);
        n += strlen(id->category) + strlen(id->type) + strlen(id->lang) +
             strlen(id->name) + 4;
    }
    for (guint i = 0; i < info->features->len; i++)
        n += strlen(g_ptr_array_index(info->features, i)) + 1;
    for (guint i = 0; i < info->forms->len; i++) {
        const CapsForm *form = g_ptr_array_index(info->forms, i);
        n += strlen(form->form_type) + 1;
        for (guint f = 0; f < form->fields->len; f++) {
            const CapsField *field = g_ptr_array_index(form->fields, f);
            n += strlen(field->var) + 1;
            for (guint v = 0; v < field->values->len; v++)
                n += strlen(g_ptr_array_index(field->values, v)) + 1;
        }
    }
    return n;
}

static char *escape(const char *s)
{
    return g_uri_escape_string(s, NULL, TRUE);
}

/* The entry VER of the cache as a CapsInfo, or NULL when it cannot be
 * read. Identities are "category/type/lang/name" (the name may hold '/'),
 * each form a list: its FORM_TYPE, then "var=value=value" escaped. */
static CapsInfo *entry_read(const char *ver)
{
    g_auto(GStrv) ids =
        g_key_file_get_string_list(cache, ver, "identities", NULL, NULL);
    g_auto(GStrv) features =
        g_key_file_get_string_list(cache, ver, "features", NULL, NULL);
    if (!ids || !features)
        return NULL;
    g_autoptr(CapsInfo) info = caps_info_new();
    for (guint i = 0; ids[i]; i++) {
        g_auto(GStrv) part = g_strsplit(ids[i], "/", 4);
        if (g_strv_length(part) != 4)
            return NULL;
        caps_info_add_identity(info, part[0], part[1], part[2], part[3]);
    }
    for (guint i = 0; features[i]; i++)
        caps_info_add_feature(info, features[i]);
    for (guint n = 0;; n++) {
        g_autofree char *key = g_strdup_printf("form%u", n);
        g_auto(GStrv) form =
            g_key_file_get_string_list(cache, ver, key, NULL, NULL);
        if (!form || !form[0])
            break;
        g_autofree char *type = g_uri_unescape_string(form[0], NULL);
        CapsForm *f = caps_info_add_form(info, type ? type : "");
        for (guint i = 1; form[i]; i++) {
            g_auto(GStrv) parts = g_strsplit(form[i], "=", -1);
            g_autofree char *var = g_uri_unescape_string(parts[0], NULL);
            CapsField *field = caps_form_add_field(f, var ? var : "");
            for (guint v = 1; parts[v]; v++)
                g_ptr_array_add(field->values,
                                g_uri_unescape_string(parts[v], NULL));
        }
    }
    return g_steal_pointer(&info);
}

static void entry_write(const char *ver, const CapsInfo *info)
{
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < info->identities->len; i++) {
        CapsIdentity *id = g_ptr_array_index(info->identities, i);
        g_ptr_array_add(ids, g_strdup_printf("%s/%s/%s/%s", id->category,
                                             id->type, id->lang, id->name));
    }
    g_key_file_set_string_list(cache, ver, "identities",
                               (const char *const *)ids->pdata, ids->len);
    g_key_file_set_string_list(cache, ver, "features",
                               (const char *const *)info->features->pdata,
                               info->features->len);
    for (guint n = 0; n < info->forms->len; n++) {
        const CapsForm *form = g_ptr_array_index(info->forms, n);
        g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(list, escape(form->form_type));
        for (guint f = 0; f < form->fields->len; f++) {
            const CapsField *field = g_ptr_array_index(form->fields, f);
            g_autofree char *var = escape(field->var);
            GString *item = g_string_new(var);
            for (guint v = 0; v < field->values->len; v++) {
                g_autofree char *value =
                    escape(g_ptr_array_index(field->values, v));
                g_string_append_printf(item, "=%s", value);
            }
            g_ptr_array_add(list, g_string_free(item, FALSE));
        }
        g_autofree char *key = g_strdup_printf("form%u", n);
        g_key_file_set_string_list(cache, ver, key,
                                   (const char *const *)list->pdata, list->len);
    }
}

/* Drops the oldest entries until the cache is within its bounds. TRUE
 * when it dropped any. */
static gboolean cache_trim(void)
{
    gboolean dropped = FALSE;
    for (;;) {
        gsize n = 0, bytes = 0;
        g_auto(GStrv) groups = g_key_file_get_groups(cache, &n);
        g_free(g_key_file_to_data(cache, &bytes, NULL));
        if (n == 0 || (n <= CACHE_MAX_ENTRIES && bytes <= CACHE_MAX_BYTES))
            return dropped;
        g_key_file_remove_group(cache, groups[0], NULL);
        dropped = TRUE;
    }
}

static void cache_save(void)
{
    g_autofree char *path = cache_path();
    g_autoptr(GError) error = NULL;
    if (!g_key_file_save_to_file(cache, path, &error))
        buffer_appendf(buffer_console(), LINE_ERROR,
                       "The capabilities cache cannot be saved: %s",
                       error->message);
}

/* Entries that do not hash to their name (a file edited, or written by
 * an older natter that kept no forms) or that are too big are dropped,
 * then the cache is trimmed to its bounds. */
static void cache_check(void)
{
    gboolean changed = FALSE;
    g_auto(GStrv) groups = g_key_file_get_groups(cache, NULL);
    for (guint i = 0; groups[i]; i++) {
        g_autoptr(CapsInfo) info = entry_read(groups[i]);
        g_autofree char *ver = info ? caps_info_ver(info, NULL) : NULL;
        if (g_strcmp0(ver, groups[i]) != 0 ||
            entry_size(info) > CACHE_MAX_ENTRY_BYTES) {
            g_key_file_remove_group(cache, groups[i], NULL);
            changed = TRUE;
        }
    }
    if (cache_trim() || changed)
        cache_save();
}

static void cache_load(void)
{
    if (cache)
        return;
    cache = g_key_file_new();
    g_autofree char *path = cache_path();
    g_autoptr(GError) error = NULL;
    if (!g_key_file_load_from_file(cache, path, G_KEY_FILE_NONE, &error)) {
        if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            buffer_appendf(buffer_console(), LINE_ERROR,
                           "The capabilities cache %s cannot be read (%s); "
                           "it starts again empty.",
                           path, error->message);
        return;
    }
    cache_check();
}

static gboolean cache_has(const char *ver)
{
    cache_load();
    return g_key_file_has_group(cache, ver);
}

/* Keeps INFO (which hashes to VER) unless it is too big; FALSE then. */
static gboolean cache_store(const char *ver, const CapsInfo *info)
{
    cache_load();
    if (entry_size(info) > CACHE_MAX_ENTRY_BYTES)
        return FALSE;
    entry_write(ver, info);
    cache_trim();
    cache_save();
    return TRUE;
}

static GHashTable *account_resources(const char *account)
{
    if (!resources)
        resources = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify)g_hash_table_unref);
    GHashTable *table = g_hash_table_lookup(resources, account);
    if (!table) {
        table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        g_hash_table_insert(resources, g_strdup(account), table);
    }
    return table;
}

char *caps_own_ver(void)
{
    g_autoptr(CapsInfo) info = disco_own_info();
    return caps_info_ver(info, NULL); /* ours has no duplicates */
}

xmpp_stanza_t *caps_own_element(Session *s)
{
    g_autofree char *ver = caps_own_ver();
    xmpp_stanza_t *c = xmpp_stanza_new(s->ctx);
    xmpp_stanza_set_name(c, "c");
    xmpp_stanza_set_ns(c, NS_CAPS);
    xmpp_stanza_set_attribute(c, "hash", "sha-1");
    xmpp_stanza_set_attribute(c, "node", CAPS_NODE);
    xmpp_stanza_set_attribute(c, "ver", ver);
    return c;
}

typedef struct {
    char *key; /* in asking */
    char *ver;
} Asked;

static void asked_free(gpointer p)
{
    Asked *a = p;
    if (asking)
        g_hash_table_remove(asking, a->key);
    g_free(a->key);
    g_free(a->ver);
    g_free(a);
}

static void on_disco(Session *s, xmpp_stanza_t *result, gpointer data)
{
    Request *r = data;
    Asked *a = r->data;
    if (!result)
        return; /* the connection ended; asked again next time */
    Buffer *console = buffer_account_console(s->account);
    if (!iq_is_result(result)) {
        g_autofree char *why = stanza_error_describe(result);
        buffer_appendf(console, LINE_ERROR,
                       "%s announced capabilities but does not tell them: %s",
                       r->to, why);
        return;
    }
    xmpp_stanza_t *query =
        xmpp_stanza_get_child_by_name_and_ns(result, "query", NS_DISCO_INFO);
    g_autoptr(GError) error = NULL;
    g_autoptr(CapsInfo) info = query ? disco_parse_info(query, &error) : NULL;
    g_autofree char *ver = info ? caps_info_ver(info, &error) : NULL;
    if (!ver || strcmp(ver, a->ver) != 0) {
        buffer_appendf(console, LINE_ERROR,
                       "Ignored the capabilities of %s: %s (not cached).",
                       r->to,
                       error  ? error->message
                       : !ver ? "the answer has no query"
                              : "its features do not match the hash it "
                                "announced");
        return;
    }
    if (!cache_store(ver, info))
        buffer_appendf(console, LINE_ERROR,
                       "The capabilities of %s are too large to keep (%u "
                       "features, over %u bytes): not cached.",
                       r->to, info->features->len, CACHE_MAX_ENTRY_BYTES);
}

static void ask_features(Session *s, const char *from, const char *node,
                         const char *ver)
{
    if (!asking)
        asking = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autofree char *key = g_strdup_printf("%s %s", s->account, ver);
    if (g_hash_table_contains(asking, key))
        return; /* one question per ver is enough */
    g_hash_table_add(asking, g_strdup(key));
    Asked *a = g_new0(Asked, 1);
    a->key = g_strdup(key);
    a->ver = g_strdup(ver);
    xmpp_stanza_t *child = NULL;
    xmpp_stanza_t *iq = iq_new(s, "get", from, "query", NS_DISCO_INFO, &child);
    g_autofree char *full_node = g_strdup_printf("%s#%s", node, ver);
    xmpp_stanza_set_attribute(child, "node", full_node);
    g_autoptr(Sink) console =
        sink_for_buffer(buffer_account_console(s->account));
    request_send_iq(s, iq, console, on_disco, a, asked_free);
}

static int on_presence(xmpp_conn_t *conn, xmpp_stanza_t *stanza, void *data)
{
    Session *s = data;
    const char *from = xmpp_stanza_get_from(stanza);
    const char *type = xmpp_stanza_get_type(stanza);
    if (!from || !jid_is_valid(from) || (type && strcmp(type, "unavailable")))
        return 1; /* subscriptions, errors: not about capabilities */
    GHashTable *table = account_resources(s->account);
    xmpp_stanza_t *c =
        xmpp_stanza_get_child_by_name_and_ns(stanza, "c", NS_CAPS);
    if (type || !c) {
        g_hash_table_remove(table, from);
        return 1;
    }
    const char *hash = xmpp_stanza_get_attribute(c, "hash");
    const char *node = xmpp_stanza_get_attribute(c, "node");
    const char *ver = xmpp_stanza_get_attribute(c, "ver");
    if (g_strcmp0(hash, "sha-1") != 0)
        return 1; /* legacy caps, or a hash we do not compute */
    if (!node || !ver || !*ver) {
        buffer_appendf(buffer_account_console(s->account), LINE_ERROR,
                       "Ignored malformed capabilities from %s (no %s).", from,
                       node ? "ver" : "node");
        return 1;
    }
    g_hash_table_replace(table, g_strdup(from), g_strdup(ver));
    if (!cache_has(ver) && !jid_full_equal(from, s->bound_jid))
        ask_features(s, from, node, ver);
    return 1;
}

void caps_register(Session *s)
{
    if (resources)
        g_hash_table_remove(resources, s->account); /* a new session */
    xmpp_handler_add(s->conn, on_presence, NULL, "presence", NULL, s);
}

static void show_resource(Sink *out, const char *jid, const char *ver)
{
    if (!cache_has(ver)) {
        sink_printf(out, LINE_INFO, "%s: capabilities %s not known yet.", jid,
                    ver);
        return;
    }
    g_auto(GStrv) ids =
        g_key_file_get_string_list(cache, ver, "identities", NULL, NULL);
    g_auto(GStrv) features =
        g_key_file_get_string_list(cache, ver, "features", NULL, NULL);
    g_autofree char *id_text = ids ? g_strjoinv(", ", ids) : g_strdup("");
    g_autofree char *feature_text =
        features ? g_strjoinv("\n  ", features) : g_strdup("");
    sink_printf(out, LINE_INFO, "%s (caps %s, cached): %s\n  %s", jid, ver,
                id_text, feature_text);
}

gboolean caps_show(const char *account, const char *jid, Sink *out,
                   GError **error)
{
    if (!jid_is_valid(jid)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "'%s' is not a valid address", jid);
        return FALSE;
    }
    gboolean bare = !strchr(jid, '/');
    guint shown = 0;
    GHashTable *table = account_resources(account);
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init(&iter, table);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        if (bare ? jid_bare_equal(key, jid) : jid_full_equal(key, jid)) {
            show_resource(out, key, value);
            shown++;
        }
    }
    if (!shown)
        sink_printf(out, LINE_INFO,
                    "No capabilities known for %s (none announced in "
                    "its presence).",
                    jid);
    return TRUE;
}

static const char *const caps_disco[] = {NS_CAPS, NULL};

static void caps_account_removed(const char *account)
{
    if (resources)
        g_hash_table_remove(resources, account);
}

const Feature feature_caps = {
    .name = "caps",
    .disco = caps_disco,
    .attach = caps_register,
    .account_removed = caps_account_removed,
};
