/* cmd_files.c: files over HTTP: /sendfile uploads a file (encrypted in
 * an OMEMO chat) and sends its link in the conversation, /download
 * fetches a link (decrypting an aesgcm:// one) into the download
 * directory. The transfers themselves are xmpp/files*.c. */
#include <string.h>

#include "command/families.h"
#include "core/conversation.h"
#include "util/error.h"
#include "xmpp/files.h"

static gboolean cmd_sendfile(const CommandCall *call, GError **error)
{
    g_autofree char *window = buffer_id(call->buffer);
    if (g_strcmp0(call->argv[0], "-cancel") == 0) {
        guint n = files_cancel(window, TRUE);
        if (n)
            command_printf(call, LINE_INFO, "Cancelling %u upload%s", n,
                           n == 1 ? "" : "s");
        else
            command_print(call, LINE_INFO,
                          "No upload of this window to cancel");
        return TRUE;
    }
    BufferKind kind = call->buffer->kind;
    if (kind != BUFFER_CHAT && kind != BUFFER_ROOM && kind != BUFFER_PRIVATE) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "/sendfile works in a chat window, a room or a private "
                    "chat (/msg JID opens a chat)");
        return FALSE;
    }
    g_autofree char *path =
        g_str_has_prefix(call->argv[0], "~/")
            ? g_build_filename(g_get_home_dir(), call->argv[0] + 2, NULL)
            : g_strdup(call->argv[0]);
    return files_send(call->buffer->account, conversation_message_kind(kind),
                      call->buffer->peer, path, window, call->out, error);
}

/* A word that is all digits, as a link number. */
static gboolean link_number(const char *word, guint *n)
{
    guint64 v = 0;
    if (!word || !*word || strspn(word, "0123456789") != strlen(word) ||
        !g_ascii_string_to_unsigned(word, 10, 1, G_MAXUINT, &v, NULL))
        return FALSE;
    *n = (guint)v;
    return TRUE;
}

static gboolean cmd_download(const CommandCall *call, GError **error)
{
    g_autofree char *window = buffer_id(call->buffer);
    const char *first = call->argc > 0 ? call->argv[0] : NULL;
    if (g_strcmp0(first, "-cancel") == 0) {
        guint n = files_cancel(window, FALSE);
        if (n)
            command_printf(call, LINE_INFO, "Cancelling %u download%s", n,
                           n == 1 ? "" : "s");
        else
            command_print(call, LINE_INFO,
                          "No download of this window to cancel");
        return TRUE;
    }
    guint n = 1;
    const char *dest = call->argc > 1 ? call->argv[1] : NULL;
    g_autofree char *url = NULL;
    if (first && strstr(first, "://")) {
        url = g_strdup(first);
    } else {
        if (first && !link_number(first, &n)) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "/download N takes a link's number (1: the newest), "
                        "or give a URL: %s",
                        first);
            return FALSE;
        }
        url = files_link_in(call->buffer->lines, n);
        if (!url) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                        n == 1 ? "no link in this window"
                               : "this window shows fewer than %u links",
                        n);
            return FALSE;
        }
    }
    g_autofree char *path =
        dest && g_str_has_prefix(dest, "~/")
            ? g_build_filename(g_get_home_dir(), dest + 2, NULL)
            : g_strdup(dest);
    return files_download(call->buffer->account, url, path, window, call->out,
                          error);
}

const CommandDef cmd_files_commands[] = {
    {
        .name = "sendfile",
        .synopsis =
            (const char *const[]){"/sendfile PATH", "/sendfile -cancel", NULL},
        .summary = "send a file through the server's upload service",
        .description =
            "Uploads the file PATH to the upload service of the window's "
            "account (XEP-0363 HTTP upload) and sends its link in the "
            "chat, room or private chat, with out-of-band data (XEP-0066) "
            "so that other clients show it as a file. A file larger than "
            "the service takes is refused before anything is sent. Lines "
            "in the window say when the upload starts, how far it is, and "
            "when it ends or fails and why. The upload host's certificate "
            "is checked as the XMPP connection's is (the account's cafile "
            "applies). In a chat where OMEMO is on (/omemo on), the file "
            "is encrypted first (AES-256-GCM, XEP-0454) and its "
            "aesgcm:// link, which holds the key, is sent only inside the "
            "OMEMO message: if OMEMO cannot encrypt it, nothing is sent "
            "and the window says why; an upload service that gives only "
            "http links is refused for encrypted files. -cancel stops the "
            "uploads started in this window.",
        .args =
            (const CommandArg[]){{"PATH", "the file to send"}, {NULL, NULL}},
        .examples = (const char *const[]){"/sendfile ~/photos/cat.jpg",
                                          "/sendfile -cancel", NULL},
        .min_args = 1,
        .max_args = 1,
        .rest = TRUE,
        .func = cmd_sendfile,
    },
    {
        .name = "download",
        .synopsis =
            (const char *const[]){"/download", "/download N", "/download URL",
                                  "/download N PATH", "/download URL PATH",
                                  "/download -cancel", NULL},
        .summary = "fetch a link of the window into the download directory",
        .description =
            "Fetches the newest link (http, https or aesgcm) shown in the "
            "window, "
            "the Nth counting from the newest, or URL, into the download "
            "directory (the setting download_dir; by default "
            "$XDG_DOWNLOAD_DIR, else ~/Downloads), or into PATH: a "
            "directory, or a file name of your choosing. The "
            "file is named after the link, made safe: it cannot leave the "
            "directory or start with a dot, and an existing file is never "
            "overwritten (name-1.ext, name-2.ext ... instead). Lines in the "
            "window show the start, progress and end; a failed or "
            "cancelled download leaves no partial file. An aesgcm:// link "
            "(an encrypted file, XEP-0454) is fetched over https and "
            "decrypted; a file whose authentication tag does not verify "
            "is refused and nothing of it is kept. -cancel stops the "
            "downloads started in this window.",
        .args = (const CommandArg[]){{"N", "which link, 1 the newest"},
                                     {"URL", "an http, https or aesgcm link"},
                                     {"PATH", "where to save it"},
                                     {NULL, NULL}},
        .examples = (const char *const[]){"/download", "/download 2",
                                          "/download 1 ~/tmp/",
                                          "/download -cancel", NULL},
        .min_args = 0,
        .max_args = 2,
        .func = cmd_download,
    },
    {.name = NULL},
};
