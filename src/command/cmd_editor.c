/* cmd_editor.c: /editor: write a message in your own editor. The terminal
 * UI runs the editor (core/compose.h); this file only asks for it. */
#include "command/families.h"
#include "core/compose.h"

static gboolean cmd_editor(const CommandCall *call, GError **error)
{
    return compose_in_editor(call->buffer, error);
}

const CommandDef cmd_editor_commands[] = {
    {
        .name = "editor",
        .synopsis = (const char *const[]){"/editor", NULL},
        .summary = "write a message in your editor",
        .description =
            "Opens $VISUAL (or $EDITOR, or vi) on a temporary file holding "
            "what is on the input line. When the editor exits normally, its "
            "text (lines and all) replaces the input line, to check and "
            "send with Enter; when it fails, the input line stays as it "
            "was. natter keeps its connections up while you write. "
            "Alt-Enter adds a line break without an editor; a message of "
            "more than paste_confirm_lines lines asks before it is sent.",
        .min_args = 0,
        .max_args = 0,
        .func = cmd_editor,
    },
    {NULL},
};
