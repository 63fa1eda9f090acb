/* feature.h: the registry of protocol features. Each feature (roster,
 * presence, messages, rooms, archive, carbons, disco, ...) declares in
 * one Feature what it advertises in disco#info and what it does at each
 * point of a session's life; session.c runs the registry instead of
 * calling features by name, and natter's disco#info (and so its caps) is
 * the union of what the registered features declare, so no feature can
 * be left out of what we announce (a bookmarks "+notify" included).
 * Features are registered at run time, in order: the built-in ones at
 * sessions_init(), plugins later. Internal to xmpp/. */
#pragma once

#include "util/capsver.h"
#include "xmpp/session_internal.h"

typedef struct {
    const char *name;
    /* The disco#info features it needs others to know about (namespaces,
     * "NODE+notify" for PEP notifications), NULL-terminated; NULL: none. */
    const char *const *disco;
    /* Whether it advertises them now (a privacy setting may hide a
     * feature); NULL: always. */
    gboolean (*advertised)(void);
    /* Each may be NULL. */
    void (*init)(void);     /* once, when registered */
    void (*shutdown)(void); /* once, when unregistered */
    /* A new connection: its stanza handlers. */
    void (*attach)(Session *session);
    /* The stream is up; RESUMED: a resumed stream (XEP-0198), which kept
     * roster, presence and carbons on the server and lost nothing. */
    void (*started)(Session *session, gboolean resumed);
    /* The connection is gone (after the account says so). */
    void (*ended)(Session *session);
    /* The account ACCOUNT is being removed: forget all of it. */
    void (*account_removed)(const char *account);
    /* The stanzas of one read of the socket are about to be handled
     * (BEGIN) or have been: durable writes in between may share one
     * commit, made when BEGIN is FALSE. */
    void (*batch)(Session *session, gboolean begin);
} Feature;

/* The built-in features, in order (a feature's session start may need an
 * earlier one's: the roster before the initial presence). */
void features_init(void);
void features_shutdown(void);

/* Adds FEATURE (kept, not copied) after those registered before. */
void features_register(const Feature *feature);
void features_unregister(const Feature *feature);

void features_attach(Session *session);
void features_started(Session *session, gboolean resumed);
void features_ended(Session *session);
void features_account_removed(const char *account);
void features_batch(Session *session, gboolean begin);

/* Adds to INFO every disco feature the registered features advertise
 * now. */
void features_add_disco(CapsInfo *info);

/* The built-in features, each declared in its own file. */
extern const Feature feature_iq, feature_disco, feature_caps, feature_version,
    feature_time, feature_last, feature_roster, feature_blocking,
    feature_presence, feature_carbons, feature_message, feature_chatstates,
    feature_receipts, feature_markers, feature_mam, feature_muc,
    feature_bookmarks, feature_vcard, feature_pubsub, feature_browse,
    feature_omemo, feature_files, feature_jingle;
