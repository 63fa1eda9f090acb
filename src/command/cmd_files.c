/* cmd_files.c: files over HTTP and Jingle: /sendfile uploads a file
 * (encrypted in an OMEMO chat) and sends its link in the conversation,
 * or with -jingle offers it to the contact directly, /download
 * fetches a link (decrypting an aesgcm:// one) into the download
 * directory, /files lists the offers and transfers of this session and
 * answers an offer, /open hands a
 * transferred file or a link to the program of the setting open_command
 * (run without a shell: the file or link is one argument, never
 * interpreted). The transfers themselves are xmpp/files*.c. */
#include <gio/gio.h>
#include <string.h>

#include "command/families.h"
#include "core/conversation.h"
#include "core/settings.h"
#include "core/transfers.h"
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
    /* PATH is the rest of the line: "-jingle " in front of it is the
     * option (./-jingle names a file that starts so). */
    const char *arg = call->argv[0];
    gboolean jingle = g_str_has_prefix(arg, "-jingle ");
    if (jingle) {
        arg += strlen("-jingle ");
        arg += strspn(arg, " ");
        if (kind != BUFFER_CHAT) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "/sendfile -jingle works in a chat window with a "
                        "contact (/msg JID opens one)");
            return FALSE;
        }
    }
    if (g_strcmp0(call->argv[0], "-jingle") == 0 || !*arg) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "/sendfile -jingle takes the file to send: "
                    "/sendfile -jingle PATH");
        return FALSE;
    }
    g_autofree char *path =
        g_str_has_prefix(arg, "~/")
            ? g_build_filename(g_get_home_dir(), arg + 2, NULL)
            : g_strdup(arg);
    if (jingle)
        return files_jingle_send(call->buffer->account, call->buffer->peer,
                                 path, window, call->out, error);
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

/* "3.1 MiB" of N bytes, with a plain space. Caller frees. */
static char *size_text(gint64 n)
{
    g_autofree char *glib =
        g_format_size_full((guint64)MAX(n, 0), G_FORMAT_SIZE_IEC_UNITS);
    GString *size = g_string_new(glib);
    g_string_replace(size, "\u00a0", " ", 0);
    return g_string_free(size, FALSE);
}

/* /files accept N, /files decline N. */
static gboolean files_answer(const CommandCall *call, GError **error)
{
    gboolean accept = strcmp(call->argv[0], "accept") == 0;
    guint n = 0;
    if (!accept && strcmp(call->argv[0], "decline") != 0) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "/files takes nothing, accept N or decline N: %s",
                    call->argv[0]);
        return FALSE;
    }
    if (call->argc < 2 || !link_number(call->argv[1], &n)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "/files %s N takes the number of an offer (/files "
                    "lists them)",
                    call->argv[0]);
        return FALSE;
    }
    if (!accept)
        return files_jingle_decline(n, call->out, error);
    g_autofree char *window = buffer_id(call->buffer);
    return files_jingle_accept(n, window, call->out, error);
}

static gboolean cmd_files(const CommandCall *call, GError **error)
{
    if (call->argc > 0)
        return files_answer(call, error);
    g_autoptr(GPtrArray) offers = files_jingle_offers();
    if (offers->len)
        command_printf(call, LINE_INFO,
                       "Files offered to you (/files accept N, /files "
                       "decline N) (%u):",
                       offers->len);
    for (guint i = 0; i < offers->len; i++) {
        const FilesOffer *o = g_ptr_array_index(offers, i);
        g_autofree char *size = size_text(o->size);
        command_printf(call, LINE_INFO, "offer %u. %s (%s) from %s%s",
                       o->number, o->name, size, o->from,
                       o->in_roster ? "" : " (not in your roster)");
    }
    const GPtrArray *list = transfers_list();
    if (list->len == 0) {
        if (offers->len == 0)
            command_print(call, LINE_INFO, "No file transfers in this session");
        return TRUE;
    }
    command_printf(call, LINE_INFO,
                   "File transfers of this session (%u):", list->len);
    for (guint i = 0; i < list->len; i++) {
        const TransferInfo *t = g_ptr_array_index(list, i);
        g_autofree char *head =
            g_strdup_printf("%u. %s %s %s %s", t->number,
                            t->upload ? "upload of" : "download of", t->name,
                            t->upload ? "to" : "from", t->where);
        g_autofree char *done = size_text(t->done);
        g_autofree char *total = size_text(t->total);
        int percent = transfers_percent(t);
        gint64 rate = transfers_rate(t);
        g_autofree char *per_second = rate ? size_text(rate) : NULL;
        g_autofree char *speed =
            rate ? g_strdup_printf(", %s/s", per_second) : g_strdup("");
        switch (t->state) {
        case TRANSFER_RUNNING:
            if (percent < 0)
                command_printf(call, LINE_INFO, "%s: %s so far%s", head, done,
                               speed);
            else
                command_printf(call, LINE_INFO, "%s: %d%% (%s of %s%s)", head,
                               percent, done, total, speed);
            break;
        case TRANSFER_DONE:
            command_printf(call, LINE_INFO, "%s: done (%s), %s %s", head, done,
                           t->upload ? "from" : "saved as", t->path);
            break;
        case TRANSFER_FAILED:
            command_printf(call, LINE_ERROR, "%s: failed: %s", head,
                           t->reason ? t->reason : "");
            break;
        }
    }
    return TRUE;
}

typedef struct {
    Sink *out;
    char *label;
} Opening;

static void on_opener_exit(GObject *source, GAsyncResult *res, gpointer data)
{
    Opening *o = data;
    GSubprocess *child = G_SUBPROCESS(source);
    g_autoptr(GError) error = NULL;
    if (!g_subprocess_wait_finish(child, res, &error))
        sink_printf(o->out, LINE_ERROR, "/open: %s", error->message);
    else if (g_subprocess_get_if_exited(child) &&
             g_subprocess_get_exit_status(child) != 0)
        sink_printf(o->out, LINE_ERROR, "/open: %s exited with status %d",
                    o->label, g_subprocess_get_exit_status(child));
    else if (g_subprocess_get_if_signaled(child))
        sink_printf(o->out, LINE_ERROR, "/open: %s was killed by signal %d",
                    o->label, g_subprocess_get_term_sig(child));
    sink_unref(o->out);
    g_free(o->label);
    g_free(o);
}

/* Whether WORD starts with a URL scheme and "://". */
static gboolean is_url(const char *word)
{
    if (!g_ascii_isalpha(word[0]))
        return FALSE;
    gsize n =
        strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789+.-");
    return g_str_has_prefix(word + n, "://");
}

static gboolean cmd_open(const CommandCall *call, GError **error)
{
    const char *what = call->argv[0];
    g_autofree char *target = NULL;
    guint n = 0;
    if (link_number(what, &n)) {
        const TransferInfo *t = transfers_find(n);
        if (!t) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                        "no transfer %u in this session (/files lists them)",
                        n);
            return FALSE;
        }
        if (t->state != TRANSFER_DONE || !t->path) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                        "transfer %u of %s is %s", n, t->name,
                        t->state == TRANSFER_RUNNING ? "still under way"
                                                     : "a failed one");
            return FALSE;
        }
        if (!g_file_test(t->path, G_FILE_TEST_IS_REGULAR)) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_NOT_FOUND,
                        "%s is no longer there", t->path);
            return FALSE;
        }
        /* Absolute, so the program never takes it for an option. */
        target = g_canonicalize_filename(t->path, NULL);
    } else if (is_url(what)) {
        if (g_ascii_strncasecmp(what, "aesgcm://", 9) == 0) {
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                        "an aesgcm:// link is an encrypted file: /download "
                        "it, then /open its number");
            return FALSE;
        }
        target = g_strdup(what);
    } else {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "/open takes a transfer's number (/files) or a link "
                    "(scheme://...): %s",
                    what);
        return FALSE;
    }
    const char *opener = settings_get_string("open_command");
    g_auto(GStrv) words =
        opener && *opener ? command_split(opener, -1, FALSE, error) : NULL;
    if (!words || !words[0]) {
        if (error && !*error)
            g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                        "the setting open_command names no program");
        return FALSE;
    }
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    for (char **w = words; *w; w++)
        g_ptr_array_add(argv, *w);
    g_ptr_array_add(argv, target);
    g_ptr_array_add(argv, NULL);
    g_autoptr(GSubprocess) child = g_subprocess_newv(
        (const char *const *)argv->pdata,
        G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
            G_SUBPROCESS_FLAGS_STDERR_SILENCE,
        error);
    if (!child)
        return FALSE;
    /* Nothing to read from us: its input ends at once. */
    g_output_stream_close(g_subprocess_get_stdin_pipe(child), NULL, NULL);
    Opening *o = g_new0(Opening, 1);
    o->out = sink_ref(call->out);
    o->label = g_strdup(words[0]);
    g_subprocess_wait_async(child, NULL, on_opener_exit, o);
    command_printf(call, LINE_INFO, "Opening %s with %s", target, words[0]);
    return TRUE;
}

const CommandDef cmd_files_commands[] = {
    {
        .name = "sendfile",
        .synopsis =
            (const char *const[]){"/sendfile PATH", "/sendfile -jingle PATH",
                                  "/sendfile -cancel", NULL},
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
            "http links is refused for encrypted files. With -jingle, in "
            "a chat, the file goes straight to the contact instead, with "
            "no upload service: it is offered (name, size and sha-256) to "
            "the first of its resources online that takes Jingle file "
            "transfer over in-band bytestreams (XEP-0234, XEP-0261), and "
            "sent through the server in blocks once accepted; a contact "
            "with no such resource is an error. Such a transfer is not "
            "encrypted end to end. Tab completes PATH from the file "
            "system. -cancel stops the uploads and Jingle transfers "
            "started in this window.",
        .args =
            (const CommandArg[]){{"PATH", "the file to send"}, {NULL, NULL}},
        .examples = (const char *const[]){"/sendfile ~/photos/cat.jpg",
                                          "/sendfile -jingle ~/notes.pdf",
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
    {
        .name = "files",
        .synopsis = (const char *const[]){"/files", "/files accept N",
                                          "/files decline N", NULL},
        .summary = "list file transfers and offers, answer an offer",
        .description =
            "Lists the files contacts offer you with Jingle (XEP-0234) "
            "and wait for an answer, numbered, then the uploads "
            "(/sendfile), downloads (/download) and Jingle transfers since "
            "natter started, numbered: those under way with how far they "
            "are (also shown in the status bar), those done with their "
            "local file, those that failed with why. /open N opens the "
            "file of the transfer numbered N. accept N takes offer N: the "
            "file is saved in the download directory (the setting "
            "download_dir) under the name offered made safe, never "
            "overwriting a file, and its sha-256 is checked at the end: "
            "a file that does not match what was offered is deleted. "
            "/download -cancel in the window where it was accepted stops "
            "it. decline N tells the sender no. An offer is never "
            "accepted without you, whoever sends it.",
        .args = (const CommandArg[]){{"N", "an offer's number"}, {NULL, NULL}},
        .examples = (const char *const[]){"/files", "/files accept 1",
                                          "/files decline 2", NULL},
        .min_args = 0,
        .max_args = 2,
        .func = cmd_files,
    },
    {
        .name = "open",
        .synopsis = (const char *const[]){"/open N", "/open URL", NULL},
        .summary = "open a transferred file or a link with a program",
        .description =
            "Hands the file of the finished transfer numbered N in /files "
            "(the file saved by a download, or the one an upload sent), "
            "or URL, to the program of the setting open_command (by "
            "default xdg-open). The program runs without a shell: the "
            "setting is split into words like a command line and the file "
            "or link is added as its last argument, so nothing in a name "
            "or a link is ever interpreted. An encrypted aesgcm:// link "
            "is /download-ed first. A program that fails says so.",
        .args = (const CommandArg[]){{"N", "a transfer's number in /files"},
                                     {"URL", "a link (scheme://...)"},
                                     {NULL, NULL}},
        .examples = (const char *const[]){"/open 2",
                                          "/open https://example.org/", NULL},
        .min_args = 1,
        .max_args = 1,
        .rest = TRUE,
        .func = cmd_open,
    },
    {.name = NULL},
};
