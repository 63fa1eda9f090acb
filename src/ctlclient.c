/* ctlclient.c: the client side of the control socket (ctlclient.h). It
 * runs instead of natter's loop, so it may block: it connects, writes one
 * request and reads the answer line by line. */
#include "ctlclient.h"

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <stdio.h>
#include <string.h>

#include "command/control.h"
#include "util/sanitize.h"

int ctlclient_run(const char *request, gboolean events, gboolean quiet)
{
    g_autofree char *path = control_socket_path();
    g_autoptr(GSocketClient) client = g_socket_client_new();
    g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(path);
    g_autoptr(GError) error = NULL;
    g_autoptr(GSocketConnection) conn = g_socket_client_connect(
        client, G_SOCKET_CONNECTABLE(addr), NULL, &error);
    if (!conn) {
        if (quiet)
            return 3;
        fprintf(stderr,
                "natter: no natter listens on %s (%s); is it running with "
                "the control_socket setting on?\n",
                path, error->message);
        return 3;
    }
    GOutputStream *out = g_io_stream_get_output_stream(G_IO_STREAM(conn));
    g_autofree char *line = g_strconcat(request, "\n", NULL);
    if (!g_output_stream_write_all(out, line, strlen(line), NULL, NULL,
                                   &error)) {
        fprintf(stderr, "natter: %s\n", error->message);
        return 1;
    }
    g_autoptr(GDataInputStream) in = g_data_input_stream_new(
        g_io_stream_get_input_stream(G_IO_STREAM(conn)));
    g_data_input_stream_set_newline_type(in, G_DATA_STREAM_NEWLINE_TYPE_LF);
    for (;;) {
        g_autofree char *answer =
            g_data_input_stream_read_line(in, NULL, NULL, &error);
        if (!answer) {
            if (events)
                return 0;
            fprintf(stderr, "natter: the connection ended without an "
                            "answer\n");
            return 1;
        }
        const char *text = answer + strcspn(answer, " ");
        g_autofree char *word = g_strndup(answer, (gsize)(text - answer));
        text += *text == ' ';
        /* Command output may quote the network (a message, a status):
         * it is sanitised like anything natter prints. Event lines are
         * JSON with every control character escaped. */
        g_autofree char *raw = control_unescape(text);
        g_autofree char *plain = text_sanitize(raw, -1, SANITIZE_MULTILINE);
        if (!strcmp(word, "event")) {
            printf("%s\n", text);
            fflush(stdout);
        } else if (!strcmp(word, "info"))
            printf("%s\n", plain);
        else if (!strcmp(word, "error"))
            fprintf(stderr, "%s\n", plain);
        else if (!strcmp(word, "ok") && events) {
            /* The stream is live from here: a script may now cause what
             * it waits for without a race. */
            printf("{\"event\":\"ready\"}\n");
            fflush(stdout);
        } else if (!strcmp(word, "ok"))
            return 0;
        else if (!strcmp(word, "fail")) {
            fprintf(stderr, "natter: %s\n", plain);
            return 1;
        }
    }
}
