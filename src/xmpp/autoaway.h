/* autoaway.h: auto-away. After the idle time the settings give (no key
 * pressed, no line typed: app_last_active()), every online account whose
 * presence is online or chat goes to autoaway_status with
 * autoaway_message; the next key press brings the previous presence back. */
#pragma once

void autoaway_init(void);
void autoaway_shutdown(void);
