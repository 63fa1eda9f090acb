/* capsver.h: the verification string of entity capabilities (XEP-0115
 * section 5): what an entity's disco#info answer hashes to. Pure: the xmpp
 * layer fills a CapsInfo from a stanza, this computes and checks. */
#pragma once

#include <glib.h>

typedef struct {
    char *category, *type, *lang, *name; /* lang and name may be "" */
} CapsIdentity;

typedef struct {
    char *var;
    GPtrArray *values; /* char * */
} CapsField;

typedef struct {
    char *form_type;   /* the value of the hidden FORM_TYPE field */
    GPtrArray *fields; /* CapsField *, FORM_TYPE itself excluded */
} CapsForm;

typedef struct {
    GPtrArray *identities; /* CapsIdentity * */
    GPtrArray *features;   /* char * */
    GPtrArray *forms;      /* CapsForm * */
} CapsInfo;

CapsInfo *caps_info_new(void);
void caps_info_free(CapsInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CapsInfo, caps_info_free)

/* NULL LANG or NAME count as empty. */
void caps_info_add_identity(CapsInfo *info, const char *category,
                            const char *type, const char *lang,
                            const char *name);
void caps_info_add_feature(CapsInfo *info, const char *feature);
/* A new form (owned by INFO) whose FORM_TYPE is FORM_TYPE. */
CapsForm *caps_info_add_form(CapsInfo *info, const char *form_type);
/* A new field of FORM (owned by it); add its values to ->values. */
CapsField *caps_form_add_field(CapsForm *form, const char *var);

/* The base64 SHA-1 verification string of INFO. Caller frees. NULL with
 * ERROR set when INFO is not one a well-behaved entity can send (a
 * duplicate identity, feature or FORM_TYPE, section 5.4): such an answer
 * must never be trusted or cached. */
char *caps_info_ver(const CapsInfo *info, GError **error);
