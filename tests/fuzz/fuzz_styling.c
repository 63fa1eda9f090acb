/* fuzz_styling.c: libFuzzer harness for styling_parse() (src/util/
 * styling.c), the parser every message drawn goes through.
 *
 * The input, made valid UTF-8 the way the buffer model would (invalid
 * bytes replaced), is parsed. Invariants: the runs are contiguous, cover
 * the whole text, are not empty, and two neighbours never carry the same
 * flags; only known flags are set; a pre run has no other span flag but
 * quote or URL. Built with configure --enable-fuzzing; see fuzz_sanitize.c
 * for long runs by hand. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/styling.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(gboolean ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "invariant broken: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *text = g_utf8_make_valid((const char *)data, size);
    gsize len = strlen(text);
    g_autoptr(GArray) runs = styling_parse(text, -1);
    const guint known = STYLING_STRONG | STYLING_EMPHASIS | STYLING_PRE |
                        STYLING_STRIKE | STYLING_QUOTE | STYLING_URL;
    gsize at = 0;
    for (guint i = 0; i < runs->len; i++) {
        const StylingRun *r = &g_array_index(runs, StylingRun, i);
        check(r->start == at, "runs are contiguous");
        check(r->end > r->start, "runs are not empty");
        check((r->flags & ~known) == 0, "only known flags");
        if (i > 0)
            check(g_array_index(runs, StylingRun, i - 1).flags != r->flags,
                  "neighbours differ");
        at = r->end;
    }
    check(at == len, "runs cover the text");
    return 0;
}
