/* pipeline.c: see pipeline.h. Stages are kept per kind, sorted by
 * priority. A stage removed while its pipeline runs is only marked, and
 * dropped once no run is under way, so a run never meets freed memory. */
#include "core/pipeline.h"

typedef struct {
    guint id;
    PipelineKind kind;
    int priority;
    const char *name;
    StageFunc func;
    gpointer data;
    GDestroyNotify destroy;
    gboolean removed;
} Stage;

static GPtrArray *stages[PIPELINE_COUNT]; /* Stage *, by priority */
static guint next_id = 1;
static int running;
static gboolean need_compact;

static void stage_free(gpointer p)
{
    Stage *stage = p;
    if (stage->destroy)
        stage->destroy(stage->data);
    g_free(stage);
}

void pipeline_init(void)
{
    for (int k = 0; k < PIPELINE_COUNT; k++)
        if (!stages[k])
            stages[k] = g_ptr_array_new_with_free_func(stage_free);
}

void pipeline_shutdown(void)
{
    for (int k = 0; k < PIPELINE_COUNT; k++)
        g_clear_pointer(&stages[k], g_ptr_array_unref);
}

guint pipeline_add(PipelineKind kind, int priority, const char *name,
                   StageFunc func, gpointer data, GDestroyNotify destroy)
{
    g_return_val_if_fail(kind < PIPELINE_COUNT, 0);
    pipeline_init();
    Stage *stage = g_new0(Stage, 1);
    stage->id = next_id++;
    stage->kind = kind;
    stage->priority = priority;
    stage->name = name;
    stage->func = func;
    stage->data = data;
    stage->destroy = destroy;
    GPtrArray *list = stages[kind];
    guint pos = list->len;
    for (guint i = 0; i < list->len; i++) {
        if (((Stage *)g_ptr_array_index(list, i))->priority > priority) {
            pos = i;
            break;
        }
    }
    g_ptr_array_insert(list, pos, stage);
    return stage->id;
}

static void compact(void)
{
    for (int k = 0; k < PIPELINE_COUNT; k++) {
        GPtrArray *list = stages[k];
        for (guint i = list ? list->len : 0; i-- > 0;)
            if (((Stage *)g_ptr_array_index(list, i))->removed)
                g_ptr_array_remove_index(list, i);
    }
    need_compact = FALSE;
}

void pipeline_remove(guint id)
{
    for (int k = 0; k < PIPELINE_COUNT; k++) {
        GPtrArray *list = stages[k];
        for (guint i = 0; list && i < list->len; i++) {
            Stage *stage = g_ptr_array_index(list, i);
            if (stage->id != id)
                continue;
            stage->removed = TRUE;
            if (running)
                need_compact = TRUE;
            else
                compact();
            return;
        }
    }
}

StageVerdict pipeline_run(PipelineKind kind, PipelineItem *item)
{
    pipeline_init();
    StageVerdict verdict = STAGE_CONTINUE;
    /* A snapshot: stages added by a stage (a plugin loading) run from the
     * next message on. */
    GPtrArray *all = stages[kind];
    g_autoptr(GPtrArray) list = g_ptr_array_sized_new(all->len);
    for (guint i = 0; i < all->len; i++)
        g_ptr_array_add(list, g_ptr_array_index(all, i));
    running++;
    for (guint i = 0; i < list->len && verdict == STAGE_CONTINUE; i++) {
        Stage *stage = g_ptr_array_index(list, i);
        if (stage->removed)
            continue;
        verdict = stage->func(item, stage->data);
        if (verdict != STAGE_CONTINUE)
            item->stage = stage->name;
    }
    running--;
    if (!running && need_compact)
        compact();
    return verdict;
}

StageVerdict pipeline_refuse(PipelineItem *item, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    g_free(item->reason);
    item->reason = g_strdup_vprintf(format, args);
    va_end(args);
    return STAGE_REFUSED;
}

char *pipeline_describe(PipelineKind kind)
{
    pipeline_init();
    GString *out = g_string_new(NULL);
    GPtrArray *list = stages[kind];
    for (guint i = 0; i < list->len; i++) {
        Stage *stage = g_ptr_array_index(list, i);
        if (!stage->removed)
            g_string_append_printf(out, "%s%s", out->len ? ", " : "",
                                   stage->name);
    }
    return g_string_free(out, FALSE);
}

void pipeline_item_clear(PipelineItem *item)
{
    g_clear_pointer(&item->reason, g_free);
}
