/* stamp.c: see stamp.h. */
#include "ui/stamp.h"

#include <time.h>

/* How many lines before a line are looked at for the newest day so far:
 * a run of delayed lines longer than this is taken in its own order. The
 * cost is per line drawn. */
#define LOOKBACK 256

struct StampDays {
    const Buffer *buffer;
    GArray *days; /* gint per line: its local day, 0 until worked out */
    gint today;
};

/* TIME's local day as YYYYMMDD, which orders as days do. */
static gint day_of(gint64 time)
{
    time_t t = (time_t)(time / G_USEC_PER_SEC);
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return 1;
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

StampDays *stamp_days_new(const Buffer *buffer)
{
    StampDays *days = g_new0(StampDays, 1);
    days->buffer = buffer;
    days->days = g_array_new(FALSE, TRUE, sizeof(gint));
    g_array_set_size(days->days, buffer->lines->len);
    days->today = day_of(g_get_real_time());
    return days;
}

void stamp_days_free(StampDays *days)
{
    g_array_unref(days->days);
    g_free(days);
}

static gint line_day(StampDays *days, guint index)
{
    gint *day = &g_array_index(days->days, gint, index);
    if (!*day) {
        const BufferLine *line = g_ptr_array_index(days->buffer->lines, index);
        *day = day_of(line->time);
    }
    return *day;
}

void stamp_place(StampDays *days, guint index, gboolean *day_row,
                 gboolean *dated)
{
    gint day = line_day(days, index);
    if (index == 0) {
        *day_row = day != days->today;
        *dated = FALSE;
        return;
    }
    /* The day the line stands in: the newest day of the lines before. */
    gint newest = 0;
    for (guint i = index > LOOKBACK ? index - LOOKBACK : 0; i < index; i++)
        newest = MAX(newest, line_day(days, i));
    *day_row = day > newest;
    *dated = day < newest;
}

char *stamp_format(gint64 time, const char *format)
{
    /* The local time zone, looked up once: GLib's lookup of it reads
     * /etc/localtime's link each time, and this runs for every line
     * drawn. */
    static GTimeZone *local;
    if (!local)
        local = g_time_zone_new_local();
    g_autoptr(GDateTime) utc =
        g_date_time_new_from_unix_utc(time / G_USEC_PER_SEC);
    g_autoptr(GDateTime) when =
        utc ? g_date_time_to_timezone(utc, local) : NULL;
    char *text = when ? g_date_time_format(when, format) : NULL;
    return text ? text : g_strdup("?");
}
