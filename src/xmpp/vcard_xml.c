/* vcard_xml.c: cards between XML and the fields natter knows. One table
 * says where each field lives in each form; reading and writing both
 * follow it, so the two forms cannot drift apart. A field lives in a
 * parent element (vCard4's <n>, vcard-temp's <N>), in one of its children
 * (<given>, <GIVEN>) or, for vcard-temp, in the parent's own text (<FN>).
 * A field of several values (emails) has a parent element per value.
 * Writing rebuilds the card from the old one: untouched elements are
 * copied whole, a changed parent keeps its other children, and the
 * elements of a changed field of several values are written anew (their
 * parameters, such as "work" or "home", go with the old values). */
#include <string.h>

#include "xmpp/stanza.h"
#include "xmpp/vcard_xml.h"

typedef enum { FORM_V4, FORM_TEMP } Form;

/* Where a field lives in one form. */
typedef struct {
    const char *parent;
    /* The children that may hold the value, '|' between them; the first
     * is the one written. NULL: the parent's own text. */
    const char *child;
    const char *prefix; /* written before the value, dropped when read */
    const char *marker; /* an empty child written beside the value */
} Place;

typedef struct {
    VcardFieldInfo info;
    Place at[2]; /* by Form */
} Row;

/* Shorthands for the table. */
#define AT(p, c)                                                               \
    {                                                                          \
        .parent = p, .child = c                                                \
    }
#define ATP(p, c, pre)                                                         \
    {                                                                          \
        .parent = p, .child = c, .prefix = pre                                 \
    }
#define ATM(p, c, mark)                                                        \
    {                                                                          \
        .parent = p, .child = c, .marker = mark                                \
    }
#define ONE(k, l)                                                              \
    {                                                                          \
        .key = k, .label = l                                                   \
    }
#define MANY(k, l)                                                             \
    {                                                                          \
        .key = k, .label = l, .multi = TRUE                                    \
    }

static const Row rows[] = {
    {ONE("fn", "Name"), {AT("fn", "text"), AT("FN", NULL)}},
    {ONE("given", "Given name"), {AT("n", "given"), AT("N", "GIVEN")}},
    {ONE("surname", "Surname"), {AT("n", "surname"), AT("N", "FAMILY")}},
    {ONE("nickname", "Nickname"),
     {AT("nickname", "text"), AT("NICKNAME", NULL)}},
    {ONE("bday", "Birthday"),
     {AT("bday", "date|date-time|date-and-or-time|text"), AT("BDAY", NULL)}},
    {MANY("email", "Email"),
     {AT("email", "text"), ATM("EMAIL", "USERID", "INTERNET")}},
    {MANY("tel", "Phone"),
     {ATP("tel", "uri|text", "tel:"), ATM("TEL", "NUMBER", "VOICE")}},
    {MANY("impp", "Chat"), {ATP("impp", "uri", "xmpp:"), AT("JABBERID", NULL)}},
    {MANY("url", "Web"), {AT("url", "uri"), AT("URL", NULL)}},
    {ONE("org", "Organisation"), {AT("org", "text"), AT("ORG", "ORGNAME")}},
    {ONE("title", "Title"), {AT("title", "text"), AT("TITLE", NULL)}},
    {ONE("role", "Role"), {AT("role", "text"), AT("ROLE", NULL)}},
    {ONE("locality", "Town"), {AT("adr", "locality"), AT("ADR", "LOCALITY")}},
    {ONE("region", "Region"), {AT("adr", "region"), AT("ADR", "REGION")}},
    {ONE("country", "Country"), {AT("adr", "country"), AT("ADR", "CTRY")}},
    {ONE("tz", "Time zone"), {AT("tz", "text|utc-offset|uri"), AT("TZ", NULL)}},
    {{.key = "note", .label = "Note", .lines = TRUE},
     {AT("note", "text"), AT("DESC", NULL)}},
};

static VcardFieldInfo infos[G_N_ELEMENTS(rows)];

const VcardFieldInfo *vcard_fields(guint *n)
{
    if (!infos[0].key)
        for (guint i = 0; i < G_N_ELEMENTS(rows); i++)
            infos[i] = rows[i].info;
    *n = G_N_ELEMENTS(rows);
    return infos;
}

static const Row *row_find(const char *key)
{
    for (guint i = 0; i < G_N_ELEMENTS(rows); i++)
        if (g_ascii_strcasecmp(rows[i].info.key, key) == 0)
            return &rows[i];
    return NULL;
}

const VcardFieldInfo *vcard_field_find(const char *key)
{
    guint n;
    const VcardFieldInfo *all = vcard_fields(&n);
    const Row *row = key ? row_find(key) : NULL;
    return row ? &all[row - rows] : NULL;
}

void vcard_free(VCard *card)
{
    if (!card)
        return;
    g_hash_table_unref(card->values);
    g_free(card->photo);
    g_free(card);
}

static gboolean form_of(xmpp_stanza_t *element, Form *form)
{
    const char *name = xmpp_stanza_get_name(element);
    const char *ns = xmpp_stanza_get_ns(element);
    if (g_strcmp0(name, "vcard") == 0 && g_strcmp0(ns, NS_VCARD4) == 0)
        *form = FORM_V4;
    else if (g_strcmp0(name, "vCard") == 0 && g_strcmp0(ns, NS_VCARD_TEMP) == 0)
        *form = FORM_TEMP;
    else
        return FALSE;
    return TRUE;
}

static gboolean is_element(xmpp_stanza_t *s, const char *name)
{
    return xmpp_stanza_is_tag(s) &&
           g_strcmp0(xmpp_stanza_get_name(s), name) == 0;
}

/* Whether NAME is one of the '|'-separated NAMES. */
static gboolean name_in(const char *name, const char *names)
{
    g_auto(GStrv) each = g_strsplit(names, "|", -1);
    return name && g_strv_contains((const char *const *)each, name);
}

/* The value PLACE holds in PARENT, without its prefix and outer blanks;
 * NULL when it holds none. */
static char *value_in(xmpp_stanza_t *parent, const Place *place)
{
    xmpp_stanza_t *holder = place->child ? NULL : parent;
    for (xmpp_stanza_t *c = xmpp_stanza_get_children(parent); c && !holder;
         c = xmpp_stanza_get_next(c))
        if (xmpp_stanza_is_tag(c) &&
            name_in(xmpp_stanza_get_name(c), place->child))
            holder = c;
    g_autofree char *text = holder ? stanza_text(holder) : NULL;
    if (!text)
        return NULL;
    g_strstrip(text);
    const char *value = text;
    if (place->prefix && g_str_has_prefix(value, place->prefix))
        value += strlen(place->prefix);
    return *value ? g_strdup(value) : NULL;
}

static char *photo_of(xmpp_stanza_t *card, Form form)
{
    xmpp_stanza_t *photo = xmpp_stanza_get_child_by_name(
        card, form == FORM_V4 ? "photo" : "PHOTO");
    if (!photo)
        return NULL;
    g_autofree char *uri = stanza_child_text(photo, "uri", NULL);
    g_autofree char *ext = stanza_child_text(photo, "EXTVAL", NULL);
    g_autofree char *type = stanza_child_text(photo, "TYPE", NULL);
    g_autofree char *binval = stanza_child_text(photo, "BINVAL", NULL);
    char *at = uri ? uri : ext;
    if (at && !g_str_has_prefix(g_strstrip(at), "data:"))
        return g_strdup_printf("a picture at %s", at);
    if (at)
        return g_strdup("a picture (in the card)");
    if (binval) {
        /* Base64: about three bytes for four characters. */
        gsize kib = (strlen(g_strstrip(binval)) * 3 / 4 + 1023) / 1024;
        return g_strdup_printf("a picture (%s%s%" G_GSIZE_FORMAT " KiB)",
                               type ? g_strstrip(type) : "", type ? ", " : "",
                               kib);
    }
    return NULL;
}

static void add_value(GHashTable *values, const char *key, char *value)
{
    GPtrArray *list = g_hash_table_lookup(values, key);
    if (!list) {
        list = g_ptr_array_new_with_free_func(g_free);
        g_hash_table_insert(values, (gpointer)key, list);
    }
    g_ptr_array_add(list, value);
}

VCard *vcard_read(xmpp_stanza_t *element)
{
    Form form;
    if (!element || !form_of(element, &form))
        return NULL;
    VCard *card = g_new0(VCard, 1);
    card->values = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify)g_ptr_array_unref);
    for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
        const Place *place = &rows[i].at[form];
        for (xmpp_stanza_t *c = xmpp_stanza_get_children(element); c;
             c = xmpp_stanza_get_next(c)) {
            if (!is_element(c, place->parent))
                continue;
            char *value = value_in(c, place);
            if (value)
                add_value(card->values, rows[i].info.key, value);
            /* A field of one value is read from its first parent. */
            if (!rows[i].info.multi)
                break;
        }
    }
    card->photo = photo_of(element, form);
    return card;
}

const GPtrArray *vcard_values(const VCard *card, const char *key)
{
    return g_hash_table_lookup(card->values, key);
}

gboolean vcard_is_empty(const VCard *card)
{
    return g_hash_table_size(card->values) == 0 && !card->photo;
}

/* --- writing -------------------------------------------------------------- */

static const GPtrArray *changed(GHashTable *changes, const Row *row)
{
    return g_hash_table_lookup(changes, row->info.key);
}

/* Whether a field in CHANGES lives in elements named PARENT; MULTI tells
 * whether those fields have a parent per value. */
static gboolean parent_changed(GHashTable *changes, Form form,
                               const char *parent, gboolean *multi)
{
    for (guint i = 0; i < G_N_ELEMENTS(rows); i++)
        if (g_strcmp0(rows[i].at[form].parent, parent) == 0 &&
            changed(changes, &rows[i])) {
            *multi = rows[i].info.multi;
            return TRUE;
        }
    return FALSE;
}

/* Writes VALUE where PLACE says, into PARENT. */
static void put_value(xmpp_stanza_t *parent, const Place *place,
                      const char *value)
{
    g_autofree char *text =
        g_strconcat(place->prefix ? place->prefix : "", value, NULL);
    if (!place->child) {
        xmpp_stanza_t *t = xmpp_stanza_new(xmpp_stanza_get_context(parent));
        xmpp_stanza_set_text(t, text);
        xmpp_stanza_add_child_ex(parent, t, 0);
        return;
    }
    g_auto(GStrv) names = g_strsplit(place->child, "|", 2);
    stanza_add_text_child(parent, names[0], text);
}

static xmpp_stanza_t *new_element(xmpp_ctx_t *ctx, const char *name)
{
    xmpp_stanza_t *e = xmpp_stanza_new(ctx);
    xmpp_stanza_set_name(e, name);
    return e;
}

/* The changed fields that live in PARENT (which has no element of its
 * own yet, or whose old children were copied into it) are added to it. */
static void put_changed(xmpp_stanza_t *parent, Form form, GHashTable *changes)
{
    const char *name = xmpp_stanza_get_name(parent);
    for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
        const GPtrArray *values = changed(changes, &rows[i]);
        if (values && values->len &&
            g_strcmp0(rows[i].at[form].parent, name) == 0)
            put_value(parent, &rows[i].at[form], g_ptr_array_index(values, 0));
    }
}

/* Whether CHILD of a parent named PARENT holds a changed field. */
static gboolean holds_changed(xmpp_stanza_t *child, Form form,
                              const char *parent, GHashTable *changes)
{
    for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
        const Place *p = &rows[i].at[form];
        if (g_strcmp0(p->parent, parent) == 0 && p->child &&
            changed(changes, &rows[i]) &&
            name_in(xmpp_stanza_get_name(child), p->child))
            return TRUE;
    }
    return FALSE;
}

/* OLD with its changed fields replaced; NULL when nothing is left. */
static xmpp_stanza_t *rebuilt(xmpp_stanza_t *old, Form form,
                              GHashTable *changes)
{
    const char *name = xmpp_stanza_get_name(old);
    xmpp_stanza_t *e = new_element(xmpp_stanza_get_context(old), name);
    gboolean text_field = FALSE;
    for (guint i = 0; i < G_N_ELEMENTS(rows); i++)
        if (g_strcmp0(rows[i].at[form].parent, name) == 0 &&
            !rows[i].at[form].child)
            text_field = TRUE;
    /* An element that is itself the value (<FN>) keeps nothing old. */
    for (xmpp_stanza_t *c = text_field ? NULL : xmpp_stanza_get_children(old);
         c; c = xmpp_stanza_get_next(c))
        if (xmpp_stanza_is_tag(c) && !holds_changed(c, form, name, changes))
            xmpp_stanza_add_child_ex(e, xmpp_stanza_copy(c), 0);
    put_changed(e, form, changes);
    if (!xmpp_stanza_get_children(e)) {
        xmpp_stanza_release(e);
        return NULL;
    }
    return e;
}

/* One element per value of a changed field of several values. */
static void put_multi(xmpp_stanza_t *card, Form form, const Row *row,
                      const GPtrArray *values)
{
    const Place *p = &row->at[form];
    for (guint i = 0; i < values->len; i++) {
        xmpp_stanza_t *e =
            new_element(xmpp_stanza_get_context(card), p->parent);
        if (p->marker)
            xmpp_stanza_add_child_ex(
                e, new_element(xmpp_stanza_get_context(card), p->marker), 0);
        put_value(e, p, g_ptr_array_index(values, i));
        xmpp_stanza_add_child_ex(card, e, 0);
    }
}

xmpp_stanza_t *vcard_write(xmpp_ctx_t *ctx, xmpp_stanza_t *old, const char *ns,
                           GHashTable *changes)
{
    Form form;
    if (!old || !form_of(old, &form))
        form = g_strcmp0(ns, NS_VCARD4) == 0 ? FORM_V4 : FORM_TEMP;
    xmpp_stanza_t *card = new_element(ctx, form == FORM_V4 ? "vcard" : "vCard");
    xmpp_stanza_set_ns(card, form == FORM_V4 ? NS_VCARD4 : NS_VCARD_TEMP);
    /* Parents of fields of one value that are written already. */
    g_autoptr(GHashTable) done = g_hash_table_new(g_str_hash, g_str_equal);
    for (xmpp_stanza_t *c = old ? xmpp_stanza_get_children(old) : NULL; c;
         c = xmpp_stanza_get_next(c)) {
        if (!xmpp_stanza_is_tag(c))
            continue; /* blanks between elements */
        const char *name = xmpp_stanza_get_name(c);
        gboolean multi = FALSE;
        if (!parent_changed(changes, form, name, &multi) ||
            g_hash_table_contains(done, name)) {
            xmpp_stanza_add_child_ex(card, xmpp_stanza_copy(c), 0);
            continue;
        }
        if (multi)
            continue; /* written anew below */
        g_hash_table_add(done, (gpointer)name);
        xmpp_stanza_t *e = rebuilt(c, form, changes);
        if (e)
            xmpp_stanza_add_child_ex(card, e, 0);
    }
    for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
        const GPtrArray *values = changed(changes, &rows[i]);
        const char *parent = rows[i].at[form].parent;
        if (!values)
            continue;
        if (rows[i].info.multi) {
            put_multi(card, form, &rows[i], values);
        } else if (values->len && !g_hash_table_contains(done, parent)) {
            g_hash_table_add(done, (gpointer)parent);
            xmpp_stanza_t *e = new_element(ctx, parent);
            put_changed(e, form, changes);
            xmpp_stanza_add_child_ex(card, e, 0);
        }
    }
    return card;
}
