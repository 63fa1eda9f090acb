/* capsver.c: see capsver.h. The string hashed is built exactly as XEP-0115
 * section 5.1 says: sorted identities, sorted features, then each extended
 * form sorted by FORM_TYPE with its fields sorted by var, each part ended
 * by '<'. Sorting is by octets (strcmp), as the XEP requires. */
#include "util/capsver.h"

#include <string.h>

#include "util/error.h"

static void identity_free(gpointer p)
{
    CapsIdentity *id = p;
    g_free(id->category);
    g_free(id->type);
    g_free(id->lang);
    g_free(id->name);
    g_free(id);
}

static void field_free(gpointer p)
{
    CapsField *field = p;
    g_free(field->var);
    g_ptr_array_unref(field->values);
    g_free(field);
}

static void form_free(gpointer p)
{
    CapsForm *form = p;
    g_free(form->form_type);
    g_ptr_array_unref(form->fields);
    g_free(form);
}

CapsInfo *caps_info_new(void)
{
    CapsInfo *info = g_new0(CapsInfo, 1);
    info->identities = g_ptr_array_new_with_free_func(identity_free);
    info->features = g_ptr_array_new_with_free_func(g_free);
    info->forms = g_ptr_array_new_with_free_func(form_free);
    return info;
}

void caps_info_free(CapsInfo *info)
{
    if (!info)
        return;
    g_ptr_array_unref(info->identities);
    g_ptr_array_unref(info->features);
    g_ptr_array_unref(info->forms);
    g_free(info);
}

void caps_info_add_identity(CapsInfo *info, const char *category,
                            const char *type, const char *lang,
                            const char *name)
{
    CapsIdentity *id = g_new0(CapsIdentity, 1);
    id->category = g_strdup(category ? category : "");
    id->type = g_strdup(type ? type : "");
    id->lang = g_strdup(lang ? lang : "");
    id->name = g_strdup(name ? name : "");
    g_ptr_array_add(info->identities, id);
}

void caps_info_add_feature(CapsInfo *info, const char *feature)
{
    g_ptr_array_add(info->features, g_strdup(feature));
}

CapsForm *caps_info_add_form(CapsInfo *info, const char *form_type)
{
    CapsForm *form = g_new0(CapsForm, 1);
    form->form_type = g_strdup(form_type);
    form->fields = g_ptr_array_new_with_free_func(field_free);
    g_ptr_array_add(info->forms, form);
    return form;
}

CapsField *caps_form_add_field(CapsForm *form, const char *var)
{
    CapsField *field = g_new0(CapsField, 1);
    field->var = g_strdup(var);
    field->values = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(form->fields, field);
    return field;
}

static int cmp_identity(gconstpointer a, gconstpointer b)
{
    const CapsIdentity *x = *(CapsIdentity *const *)a;
    const CapsIdentity *y = *(CapsIdentity *const *)b;
    int c = strcmp(x->category, y->category);
    if (!c)
        c = strcmp(x->type, y->type);
    if (!c)
        c = strcmp(x->lang, y->lang);
    if (!c)
        c = strcmp(x->name, y->name);
    return c;
}

static int cmp_string(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_field(gconstpointer a, gconstpointer b)
{
    const CapsField *x = *(CapsField *const *)a;
    const CapsField *y = *(CapsField *const *)b;
    return strcmp(x->var, y->var);
}

static int cmp_form(gconstpointer a, gconstpointer b)
{
    const CapsForm *x = *(CapsForm *const *)a;
    const CapsForm *y = *(CapsForm *const *)b;
    return strcmp(x->form_type, y->form_type);
}

/* A sorted shallow copy of ARRAY. */
static GPtrArray *sorted(const GPtrArray *array, GCompareFunc cmp)
{
    GPtrArray *copy = g_ptr_array_sized_new(array->len);
    for (guint i = 0; i < array->len; i++)
        g_ptr_array_add(copy, g_ptr_array_index(array, i));
    g_ptr_array_sort(copy, cmp);
    return copy;
}

static gboolean has_duplicates(const GPtrArray *sorted_array, GCompareFunc cmp)
{
    for (guint i = 1; i < sorted_array->len; i++)
        if (cmp(&sorted_array->pdata[i - 1], &sorted_array->pdata[i]) == 0)
            return TRUE;
    return FALSE;
}

static void add_part(GString *s, const char *text)
{
    g_string_append(s, text);
    g_string_append_c(s, '<');
}

char *caps_info_ver(const CapsInfo *info, GError **error)
{
    g_autoptr(GPtrArray) ids = sorted(info->identities, cmp_identity);
    g_autoptr(GPtrArray) features = sorted(info->features, cmp_string);
    g_autoptr(GPtrArray) forms = sorted(info->forms, cmp_form);
    const char *what = NULL;
    if (has_duplicates(ids, cmp_identity))
        what = "an identity";
    else if (has_duplicates(features, cmp_string))
        what = "a feature";
    else if (has_duplicates(forms, cmp_form))
        what = "an extended form type";
    if (what) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_PROTOCOL,
                    "the answer lists %s twice", what);
        return NULL;
    }

    g_autoptr(GString) s = g_string_new(NULL);
    for (guint i = 0; i < ids->len; i++) {
        const CapsIdentity *id = g_ptr_array_index(ids, i);
        g_string_append_printf(s, "%s/%s/%s/%s<", id->category, id->type,
                               id->lang, id->name);
    }
    for (guint i = 0; i < features->len; i++)
        add_part(s, g_ptr_array_index(features, i));
    for (guint i = 0; i < forms->len; i++) {
        const CapsForm *form = g_ptr_array_index(forms, i);
        add_part(s, form->form_type);
        g_autoptr(GPtrArray) fields = sorted(form->fields, cmp_field);
        for (guint f = 0; f < fields->len; f++) {
            const CapsField *field = g_ptr_array_index(fields, f);
            add_part(s, field->var);
            g_autoptr(GPtrArray) values = sorted(field->values, cmp_string);
            for (guint v = 0; v < values->len; v++)
                add_part(s, g_ptr_array_index(values, v));
        }
    }

    guint8 digest[20];
    gsize len = sizeof digest;
    g_autoptr(GChecksum) sha1 = g_checksum_new(G_CHECKSUM_SHA1);
    g_checksum_update(sha1, (const guchar *)s->str, s->len);
    g_checksum_get_digest(sha1, digest, &len);
    return g_base64_encode(digest, len);
}
