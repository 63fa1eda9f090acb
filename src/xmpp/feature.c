/* feature.c: see feature.h. */
#include "xmpp/feature.h"

#include "config.h"

static GPtrArray *features; /* const Feature *, in order */

void features_register(const Feature *f)
{
    if (!features)
        features = g_ptr_array_new();
    g_ptr_array_add(features, (gpointer)f);
    if (f->init)
        f->init();
}

void features_unregister(const Feature *f)
{
    if (features && g_ptr_array_remove(features, (gpointer)f) && f->shutdown)
        f->shutdown();
}

void features_init(void)
{
    static const Feature *const builtin[] = {
        &feature_iq,      &feature_disco,      &feature_caps,
        &feature_version, &feature_time,       &feature_last,
        &feature_roster,  &feature_blocking,   &feature_presence,
        &feature_carbons, &feature_message,    &feature_receipts,
        &feature_markers, &feature_chatstates, &feature_mam,
        &feature_muc,     &feature_bookmarks,  &feature_vcard,
        &feature_pubsub,  &feature_browse,     &feature_files,
        &feature_jingle,
#ifdef HAVE_OMEMO
        &feature_omemo,
#endif
    };
    if (features && features->len)
        return;
    for (guint i = 0; i < G_N_ELEMENTS(builtin); i++)
        features_register(builtin[i]);
}

void features_shutdown(void)
{
    /* Last registered, first gone. */
    while (features && features->len)
        features_unregister(g_ptr_array_index(features, features->len - 1));
    g_clear_pointer(&features, g_ptr_array_unref);
}

static const Feature *nth(guint i)
{
    return g_ptr_array_index(features, i);
}

static guint count(void)
{
    return features ? features->len : 0;
}

void features_attach(Session *s)
{
    for (guint i = 0; i < count(); i++)
        if (nth(i)->attach)
            nth(i)->attach(s);
}

void features_started(Session *s, gboolean resumed)
{
    for (guint i = 0; i < count(); i++)
        if (nth(i)->started)
            nth(i)->started(s, resumed);
}

void features_ended(Session *s)
{
    for (guint i = 0; i < count(); i++)
        if (nth(i)->ended)
            nth(i)->ended(s);
}

void features_account_removed(const char *account)
{
    for (guint i = 0; i < count(); i++)
        if (nth(i)->account_removed)
            nth(i)->account_removed(account);
}

void features_batch(Session *s, gboolean begin)
{
    for (guint i = 0; i < count(); i++)
        if (nth(i)->batch)
            nth(i)->batch(s, begin);
}

void features_add_disco(CapsInfo *info)
{
    /* Two features may need the same namespace: it is said once (a
     * repeated feature would make our caps hash invalid). */
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < count(); i++) {
        const Feature *f = nth(i);
        if (!f->disco || (f->advertised && !f->advertised()))
            continue;
        for (const char *const *d = f->disco; *d; d++)
            if (g_hash_table_add(seen, (gpointer)*d))
                caps_info_add_feature(info, *d);
    }
}
