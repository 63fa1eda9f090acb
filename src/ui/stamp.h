/* stamp.h: the time in front of a window's lines and its day rows. Lines
 * stay in the order they came. A day row stands above the first line of
 * each later day, and above the window's first line when that is not
 * today, so the day of every line is said once above it; a line older
 * than the lines before it (a delayed message, history that came late)
 * shows its full date instead. Pure: no curses; the formats are the
 * theme's (ui/style.h). */
#pragma once

#include <glib.h>

#include "core/buffer.h"

/* The local day of each line of a buffer, worked out once while a frame
 * is drawn. */
typedef struct StampDays StampDays;

StampDays *stamp_days_new(const Buffer *buffer);
void stamp_days_free(StampDays *days);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StampDays, stamp_days_free)

/* Where line INDEX of the buffer stands: *DAY_ROW, whether a day row goes
 * above it; *DATED, whether its time is written with its date. */
void stamp_place(StampDays *days, guint index, gboolean *day_row,
                 gboolean *dated);

/* TIME (microseconds since the epoch) in local time, written with
 * FORMAT (strftime conversions). Caller frees. */
char *stamp_format(gint64 time, const char *format);
