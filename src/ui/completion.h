/* completion.h: Tab and Shift-Tab in the input line: the first press
 * completes the word before the cursor, the next ones cycle through the
 * other candidates (command/complete.h finds them). */
#pragma once

#include "core/buffer.h"
#include "ui/inputline.h"

/* DIRECTION 1 for Tab, -1 for Shift-Tab. Returns FALSE when nothing fits
 * (the UI may beep). */
gboolean completion_step(InputLine *input, const Buffer *buffer, int direction);
/* Any other key ends the cycle. */
void completion_reset(void);
/* While a Tab cycles through several candidates: them (borrowed), with
 * *CURRENT the one on the input line; NULL otherwise. The status bar
 * shows them. */
const GPtrArray *completion_candidates(guint *current);
