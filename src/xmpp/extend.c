/* extend.c: disco features added at run time (a plugin's) and stanzas
 * sent as XML text. Each added feature is a Feature of its own in the
 * registry of xmpp/feature.h, declaring just its one namespace. */
#include "xmpp/extend.h"

#include "util/error.h"
#include "xmpp/feature.h"

typedef struct {
    Feature feature;
    char *disco[2]; /* the namespace, NULL */
} AddedFeature;

static GHashTable *added; /* id -> AddedFeature */
static guint next_id;

/* Our caps changed: every online account tells its contacts (the
 * presence carries the new verification string). */
static void announce_again(void)
{
    const GPtrArray *accounts = accounts_list();
    for (guint i = 0; i < accounts->len; i++) {
        const Account *a = g_ptr_array_index(accounts, i);
        Session *s = a->state == ACCOUNT_ONLINE ? session_find(a->name) : NULL;
        if (s)
            presence_send_initial(s);
    }
}

static void added_free(gpointer data)
{
    AddedFeature *f = data;
    features_unregister(&f->feature);
    g_free(f->disco[0]);
    g_free(f);
}

guint extend_disco_add(const char *var)
{
    if (!added)
        added = g_hash_table_new_full(NULL, NULL, NULL, added_free);
    AddedFeature *f = g_new0(AddedFeature, 1);
    f->disco[0] = g_strdup(var);
    f->feature.name = f->disco[0];
    f->feature.disco = (const char *const *)f->disco;
    features_register(&f->feature);
    guint id = ++next_id;
    g_hash_table_insert(added, GUINT_TO_POINTER(id), f);
    announce_again();
    return id;
}

void extend_disco_remove(guint id)
{
    if (added && g_hash_table_remove(added, GUINT_TO_POINTER(id)))
        announce_again();
}

gboolean extend_send_xml(const char *account, const char *xml, GError **error)
{
    Session *s = session_online(account, error);
    if (!s)
        return FALSE;
    xmpp_stanza_t *stanza = xmpp_stanza_new_from_string(s->ctx, xml);
    const char *name = stanza ? xmpp_stanza_get_name(stanza) : NULL;
    if (!name || (g_strcmp0(name, "message") && g_strcmp0(name, "presence") &&
                  g_strcmp0(name, "iq"))) {
        if (stanza)
            xmpp_stanza_release(stanza);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "not a well-formed message, presence or iq element");
        return FALSE;
    }
    session_send(s, stanza);
    xmpp_stanza_release(stanza);
    return TRUE;
}
