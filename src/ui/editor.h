/* editor.h: /editor's side in the terminal (see editor.c). */
#pragma once

/* Registers the compose provider (core/compose.h). */
void editor_init(void);
/* Forgets a running editor's watch and removes its file. */
void editor_shutdown(void);
