/* mam.h: catching up from our own message archive (XEP-0313) after a
 * fresh login: everything since the last archive id we stored, page by
 * page (RSM), into history and the chats. Internal to xmpp/. */
#pragma once

#include "xmpp/session_internal.h"

/* Starts the catch-up of SESSION's account; called when it comes online
 * (not after a resumed stream, which lost nothing). */
void mam_catch_up(Session *session);

/* If STANZA is an archive result, takes it and returns TRUE. Results are
 * accepted only from our own archive (no sender, or our bare JID) and
 * only for a query we are running (its queryid); anything else claiming
 * to be one is reported and dropped. */
gboolean mam_take_result(Session *session, xmpp_stanza_t *stanza);

/* A live message with our archive's id ARCHIVE_ID was stored: once no
 * catch-up is running, that is where the next one starts. Kept until
 * mam_flush(). */
void mam_note_live(Session *session, const char *archive_id);

/* Writes the id mam_note_live() kept, into the history batch that holds
 * the messages (xmpp/connloop.h): it becomes durable with them, never
 * before, so a killed natter fetches again what it had not stored. */
void mam_flush(Session *session);

/* Forgets the running query (the connection ended). */
void mam_session_ended(Session *session);
