/* occupantpane.h: a room's occupants as a side pane of its window. */
#pragma once

void occupantpane_init(void);
