/* vcard_xml.h: a person's card in its two XML forms, vCard4 (XEP-0292,
 * RFC 6351: <vcard xmlns="urn:ietf:params:xml:ns:vcard-4.0"/>) and the
 * older vcard-temp (XEP-0054: <vCard xmlns="vcard-temp"/>), read into one
 * set of fields natter knows (name, nickname, email, phone...) and
 * written back. Writing changes only the fields asked for and keeps every
 * other part of the card as it came (a photo, a street, the type of an
 * address), so editing one field never loses what another client put
 * there. Internal to xmpp/. */
#pragma once

#include <glib.h>
#include <strophe.h>

#include "xmpp/ns.h"

typedef struct {
    const char *key;   /* what /vcard set takes: "fn", "email"... */
    const char *label; /* what the card shows: "Name", "Email"... */
    gboolean multi;    /* several values, e.g. emails */
    gboolean lines;    /* one value that may hold several lines (a note) */
} VcardFieldInfo;

/* The fields natter knows, in the order a card shows them; N is set to
 * their number. */
const VcardFieldInfo *vcard_fields(guint *n);
/* The field KEY (as typed, any case), or NULL. */
const VcardFieldInfo *vcard_field_find(const char *key);

/* A card as read: the values of each field natter knows, and what else
 * it holds that natter only shows (a photo). */
typedef struct {
    GHashTable *values; /* key -> GPtrArray of char *, non-empty values */
    char *photo;        /* a description of its picture, or NULL */
} VCard;

void vcard_free(VCard *card);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VCard, vcard_free)

/* The card in ELEMENT: a <vcard/> of vCard4 or a <vCard/> of vcard-temp
 * (which one is told by its namespace); NULL when it is neither. Values
 * are as the network sent them, blanks around them dropped. */
VCard *vcard_read(xmpp_stanza_t *element);
/* The values of KEY, or NULL when the card has none (borrowed). */
const GPtrArray *vcard_values(const VCard *card, const char *key);
gboolean vcard_is_empty(const VCard *card);

/* A new element in the form of OLD (a <vcard/> or <vCard/>; NULL: a new
 * card in the form NS says) where each field named in CHANGES (key ->
 * GPtrArray of values; empty: the field removed) has the new values, and
 * everything else is copied from OLD. Caller releases. */
xmpp_stanza_t *vcard_write(xmpp_ctx_t *ctx, xmpp_stanza_t *old, const char *ns,
                           GHashTable *changes);
