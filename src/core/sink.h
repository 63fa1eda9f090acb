/* sink.h: where the output of a command goes. A command prints through
 * the sink of its call (command/command.h), never into a buffer of its
 * own choosing, so the same command can answer the window it was typed
 * in, a control-socket client or a plugin (tmux's command queue prints
 * the same way). A sink is reference-counted: a request that answers
 * later (an IQ) keeps a reference until its answer is printed. */
#pragma once

#include <glib.h>

#include "core/buffer.h"

typedef struct Sink Sink;

/* Receives one line of output: KIND and TEXT (unsanitised, as the command
 * wrote it; a buffer sanitises when it stores it). */
typedef void (*SinkFunc)(LineKind kind, const char *text, gpointer data);

/* A sink that calls FUNC; DESTROY frees DATA with the last reference. */
Sink *sink_new(SinkFunc func, gpointer data, GDestroyNotify destroy);

/* A sink into BUFFER. BUFFER is found again at each line: when it was
 * closed meanwhile, the lines go to its account's console (natter's
 * console for a buffer without account), so nothing printed is lost. */
Sink *sink_for_buffer(const Buffer *buffer);

Sink *sink_ref(Sink *sink);
void sink_unref(Sink *sink);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Sink, sink_unref)

void sink_print(Sink *sink, LineKind kind, const char *text);
void sink_printf(Sink *sink, LineKind kind, const char *format, ...)
    G_GNUC_PRINTF(3, 4);

/* The buffer a buffer sink writes to now (as sink_print would find it),
 * or NULL for any other sink. */
Buffer *sink_buffer(const Sink *sink);
