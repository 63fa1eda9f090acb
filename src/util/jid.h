/* jid.h: parsing and comparing XMPP addresses (RFC 7622). Pure functions. */
#pragma once

#include <glib.h>

/* A parsed address. Local part and domain are normalised (NFC, lower case);
 * the resource is kept as given (NFC). */
typedef struct {
    char *local;    /* NULL when the address has none */
    char *domain;   /* never NULL */
    char *resource; /* NULL when the address has none */
    char *bare;     /* "local@domain" or "domain" */
    char *full;     /* bare, plus "/resource" when there is one */
} Jid;

/* Parse STR. Returns a new Jid (free with jid_free) or NULL with ERROR set,
 * saying which part is wrong. */
Jid *jid_parse(const char *str, GError **error);
void jid_free(Jid *jid);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Jid, jid_free)

gboolean jid_is_valid(const char *str);

/* The normalised bare form of STR, or NULL if STR is not a valid address.
 * Caller frees. */
char *jid_bare(const char *str);

/* The resource part of STR, or NULL. Caller frees. */
char *jid_resource(const char *str);

/* TRUE when A and B are valid and have the same bare address. */
gboolean jid_bare_equal(const char *a, const char *b);

/* TRUE when A and B are valid and are the same full address. */
gboolean jid_full_equal(const char *a, const char *b);
