/* styling.h: message styling (XEP-0393) and links, as runs of attributes
 * over a text: *strong*, _emphasis_, `preformatted`, ~strike~, "> "
 * quotes, ``` blocks, and URLs. The directives stay in the text (they are
 * shown, styled like what they enclose). Pure function. */
#pragma once

#include <glib.h>

typedef enum {
    STYLING_STRONG = 1 << 0,
    STYLING_EMPHASIS = 1 << 1,
    STYLING_PRE = 1 << 2, /* `span` or ``` block: nothing inside is styled */
    STYLING_STRIKE = 1 << 3,
    STYLING_QUOTE = 1 << 4,
    STYLING_URL = 1 << 5,
} StylingFlags;

typedef struct {
    gsize start, end; /* byte offsets into the text, end excluded */
    guint flags;      /* StylingFlags */
} StylingRun;

/* The runs of TEXT (LEN bytes, -1: NUL-terminated, valid UTF-8): they
 * cover the whole text in order, each with the flags of its bytes.
 * Caller frees the array (of StylingRun). */
GArray *styling_parse(const char *text, gssize len);
