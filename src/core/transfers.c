/* transfers.c: see transfers.h. */
#include "core/transfers.h"

#include "core/event.h"

static GPtrArray *list; /* TransferInfo *, owned */
static guint last_number;

static void info_free(gpointer data)
{
    TransferInfo *t = data;
    g_free(t->account);
    g_free(t->name);
    g_free(t->where);
    g_free(t->path);
    g_free(t->reason);
    g_free(t);
}

static GPtrArray *all(void)
{
    if (!list)
        list = g_ptr_array_new_with_free_func(info_free);
    return list;
}

TransferInfo *transfers_add(gboolean upload, const char *account,
                            const char *name, const char *where,
                            const char *path)
{
    TransferInfo *t = g_new0(TransferInfo, 1);
    t->number = ++last_number;
    t->upload = upload;
    t->account = g_strdup(account);
    t->name = g_strdup(name);
    t->where = g_strdup(where);
    t->path = g_strdup(path);
    t->state = TRANSFER_RUNNING;
    t->total = -1;
    g_ptr_array_add(all(), t);
    event_emit_transfer_changed();
    return t;
}

int transfers_percent(const TransferInfo *t)
{
    if (t->state == TRANSFER_DONE)
        return 100;
    if (t->total <= 0)
        return -1;
    return (int)(MIN(t->done, t->total) * 100 / t->total);
}

void transfers_progress(TransferInfo *t, gint64 done, gint64 total)
{
    int before = transfers_percent(t);
    t->done = done;
    t->total = total;
    /* Chunks come thousands of times a file: a change the user can see
     * is a new percentage. */
    if (transfers_percent(t) != before)
        event_emit_transfer_changed();
}

void transfers_end(TransferInfo *t, gboolean failed, const char *path,
                   const char *reason)
{
    t->state = failed ? TRANSFER_FAILED : TRANSFER_DONE;
    if (path) {
        g_free(t->path);
        t->path = g_strdup(path);
    }
    g_free(t->reason);
    t->reason = g_strdup(reason);
    event_emit_transfer_changed();
}

const GPtrArray *transfers_list(void)
{
    return all();
}

const TransferInfo *transfers_find(guint number)
{
    for (guint i = 0; list && i < list->len; i++) {
        const TransferInfo *t = g_ptr_array_index(list, i);
        if (t->number == number)
            return t;
    }
    return NULL;
}

void transfers_clear(void)
{
    g_clear_pointer(&list, g_ptr_array_unref);
    last_number = 0;
}
