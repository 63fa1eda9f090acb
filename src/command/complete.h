/* complete.h: Tab completion, worked out from the command table: command
 * names, the literal words of each synopsis ("/win next|prev"), and the
 * values its placeholders stand for (ACCOUNT, JID, SETTING, FIELD, VALUE
 * of a setting, PATH from the file system...). Pure model: the UI asks
 * for candidates and cycles. */
#pragma once

#include <glib.h>

#include "core/buffer.h"

/* The candidates for the word that ends at byte CURSOR of LINE, typed in
 * BUFFER: sorted, without duplicates, each a whole replacement for that
 * word (caller frees the array). *WORD_START is set to the byte offset
 * where the word begins. Empty when nothing fits. */
GPtrArray *complete_line(const char *line, gsize cursor, const Buffer *buffer,
                         gsize *word_start);

/* Adds the values of a placeholder, for a command typed in BUFFER (may be
 * NULL) acting for ACCOUNT (may be NULL), to OUT (as new strings). Lets
 * other modules add sources, e.g. the occupants of a room for NICK. */
typedef void (*CompleteSource)(const Buffer *buffer, const char *account,
                               GPtrArray *out);

/* Registers FUNC as one more source for PLACEHOLDER ("JID", "NICK"...). */
void complete_add_source(const char *placeholder, CompleteSource func);
void complete_shutdown(void);
