/* frontend.h: the two front ends main() can run: the terminal UI (ui/) and
 * the headless one (headless.c), which reads commands from stdin and prints
 * every buffer line to stdout. Both only draw core's buffers. */
#pragma once

#include <glib.h>

gboolean headless_init(GError **error);
void headless_shutdown(void);
/* While HOLD, lines read from stdin wait (the answer to a question
 * excepted), and its end does not quit yet; releasing runs them in order,
 * then quits if stdin has ended. */
void headless_hold_input(gboolean hold);
