/* notify.h: bell, desktop notifications and the terminal title (see
 * notify.c). */
#pragma once

void notify_init(void);
void notify_shutdown(void);
/* Writes what gathered since the last frame; called after each redraw. */
void notify_flush(void);
