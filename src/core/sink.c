/* sink.c: see sink.h. */
#include "core/sink.h"

#include "core/account.h"

struct Sink {
    gint refs;
    SinkFunc func;
    gpointer data;
    GDestroyNotify destroy;
    /* A buffer sink: the buffer's identity, looked up at each line. */
    gboolean to_buffer;
    BufferKind kind;
    char *account;
    char *peer;
};

Sink *sink_new(SinkFunc func, gpointer data, GDestroyNotify destroy)
{
    Sink *sink = g_new0(Sink, 1);
    sink->refs = 1;
    sink->func = func;
    sink->data = data;
    sink->destroy = destroy;
    return sink;
}

Sink *sink_for_buffer(const Buffer *buffer)
{
    Sink *sink = sink_new(NULL, NULL, NULL);
    sink->to_buffer = TRUE;
    sink->kind = buffer->kind;
    sink->account = g_strdup(buffer->account);
    sink->peer = g_strdup(buffer->peer);
    return sink;
}

Sink *sink_ref(Sink *sink)
{
    g_atomic_int_inc(&sink->refs);
    return sink;
}

void sink_unref(Sink *sink)
{
    if (!sink || !g_atomic_int_dec_and_test(&sink->refs))
        return;
    if (sink->destroy)
        sink->destroy(sink->data);
    g_free(sink->account);
    g_free(sink->peer);
    g_free(sink);
}

Buffer *sink_buffer(const Sink *sink)
{
    if (!sink->to_buffer)
        return NULL;
    Buffer *b = NULL;
    if (sink->kind == BUFFER_CONSOLE)
        return buffer_console();
    /* An account removed meanwhile gets no console again. */
    gboolean account = sink->account && account_find(sink->account);
    if (sink->kind == BUFFER_ACCOUNT)
        return account ? buffer_account_console(sink->account)
                       : buffer_console();
    b = buffer_find(sink->kind, sink->account, sink->peer);
    if (b)
        return b;
    return account ? buffer_account_console(sink->account) : buffer_console();
}

void sink_print(Sink *sink, LineKind kind, const char *text)
{
    if (sink->to_buffer)
        buffer_append(sink_buffer(sink), kind, NULL, text);
    else
        sink->func(kind, text, sink->data);
}

void sink_printf(Sink *sink, LineKind kind, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    g_autofree char *text = g_strdup_vprintf(format, args);
    va_end(args);
    sink_print(sink, kind, text);
}
