/* rosterpane.h: the roster side pane (see rosterpane.c). */
#pragma once

/* Registers the roster as a pane source (ui/pane.h). */
void rosterpane_init(void);
