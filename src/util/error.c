/* error.c: natter's GError domain. */
#include "util/error.h"

G_DEFINE_QUARK(natter - error - quark, natter_error)
