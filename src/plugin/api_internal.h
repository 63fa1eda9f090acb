/* api_internal.h: the registries of api_message.c (events, stages) for
 * api.c. Not for use outside src/plugin/. */
#pragma once

typedef struct NatterPlugin NatterPlugin;

void plugin_message_registries_new(NatterPlugin *plugin);
void plugin_message_registries_clear(NatterPlugin *plugin);
/* "events: a b; stages: c" for /plugin info. Caller frees. */
char *plugin_message_registries_describe(const NatterPlugin *plugin);
