/* error.h: natter's GError domain, shared by every layer. */
#pragma once

#include <glib.h>

#define NATTER_ERROR (natter_error_quark())

typedef enum {
    NATTER_ERROR_INVALID,     /* bad input: a JID, a command, a value */
    NATTER_ERROR_NOT_FOUND,   /* no such account, buffer, setting */
    NATTER_ERROR_EXISTS,      /* already there */
    NATTER_ERROR_STATE,       /* not possible now (offline, busy) */
    NATTER_ERROR_IO,          /* files, processes */
    NATTER_ERROR_PROTOCOL,    /* the peer or server misbehaved */
    NATTER_ERROR_UNSUPPORTED, /* feature not built in or not offered */
} NatterError;

GQuark natter_error_quark(void);
