/* tlspins.h: certificates the user chose to trust for one account (/tls
 * always) although they fail the normal checks. Kept in the file
 * "tls-pins" (mode 0600) in the account's data directory: one SHA-256
 * fingerprint per line, optionally followed by a note (the subject), and
 * '#' comments. */
#pragma once

#include <glib.h>

typedef struct {
    char *fingerprint; /* normalised: "AB:CD:..." (32 bytes) */
    char *note;        /* what the user was shown, or NULL */
} TlsPin;

void tls_pin_free(TlsPin *pin);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TlsPin, tls_pin_free)

/* FP as "AB:CD:..." upper case, from hex with or without colons, any
 * case. NULL when FP is not a SHA-256 fingerprint. Caller frees. */
char *tls_pin_normalise(const char *fp);

/* The pins in TEXT (the file's contents). A line that is not a valid pin
 * is an error naming its line number. Returns a new array of TlsPin *. */
GPtrArray *tls_pins_parse(const char *text, GError **error);
/* The file's contents for PINS. Caller frees. */
char *tls_pins_format(const GPtrArray *pins);

/* The pins of ACCOUNT (an empty array when there is no file), or NULL
 * with ERROR set when the file cannot be read or parsed. */
GPtrArray *tls_pins_load(const char *account, GError **error);
/* TRUE when FP (any form tls_pin_normalise takes) is pinned in PINS. */
gboolean tls_pins_contain(const GPtrArray *pins, const char *fp);
/* Adds FP with NOTE (may be NULL) to ACCOUNT's file; already pinned is
 * fine. */
gboolean tls_pins_add(const char *account, const char *fp, const char *note,
                      GError **error);
/* Removes FP from ACCOUNT's file; an error when it is not pinned. */
gboolean tls_pins_remove(const char *account, const char *fp, GError **error);
