/* families.h: the command tables of each cmd_*.c file, each terminated by
 * an entry with a NULL name. Only command.c and docgen read these. */
#pragma once

#include "config.h"

#include "command/command.h"

extern const CommandDef cmd_core_commands[];
extern const CommandDef cmd_editor_commands[];
extern const CommandDef cmd_exec_commands[];
extern const CommandDef cmd_files_commands[];
extern const CommandDef cmd_form_commands[];
extern const CommandDef cmd_account_commands[];
extern const CommandDef cmd_adhoc_commands[];
extern const CommandDef cmd_chat_commands[];
extern const CommandDef cmd_history_commands[];
extern const CommandDef cmd_hook_commands[];
extern const CommandDef cmd_info_commands[];
extern const CommandDef cmd_keys_commands[];
extern const CommandDef cmd_register_commands[];
extern const CommandDef cmd_set_commands[];
extern const CommandDef cmd_tls_commands[];
extern const CommandDef cmd_theme_commands[];
extern const CommandDef cmd_window_commands[];
extern const CommandDef cmd_xmlconsole_commands[];
extern const CommandDef cmd_roster_commands[];
extern const CommandDef cmd_presence_commands[];
extern const CommandDef cmd_blocking_commands[];
extern const CommandDef cmd_muc_commands[];
extern const CommandDef cmd_pubsub_commands[];
extern const CommandDef cmd_omemo_commands[];
#ifdef HAVE_OTR
extern const CommandDef cmd_otr_commands[];
#endif

/* Registers the completion sources of group chat (NICK, ROOM). */
void cmd_muc_init(void);
