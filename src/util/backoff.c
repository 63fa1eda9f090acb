/* backoff.c: see backoff.h. */
#include "util/backoff.h"

guint backoff_delay(guint base, guint max, guint attempt)
{
    if (base == 0)
        return 0;
    if (max < base)
        max = base;
    guint delay = base;
    /* Doubling stops once the ceiling is reached, so it cannot overflow. */
    for (guint i = 0; i < attempt && delay < max; i++)
        delay = delay > max / 2 ? max : delay * 2;
    return MIN(delay, max);
}
