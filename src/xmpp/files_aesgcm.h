/* files_aesgcm.h: encrypted files as XEP-0454 (OMEMO media sharing) has
 * them: the file is AES-256-GCM ciphertext with the 16-byte tag appended,
 * and its link is aesgcm://HOST/PATH#IVKEY, IV (12 bytes, or 16 from
 * older clients) and key (32 bytes) in hex. The cipher runs as a
 * GConverter, so an upload or a download streams through it chunk by
 * chunk. Internal to xmpp/. */
#pragma once

#include <gio/gio.h>

#define FILES_AESGCM_KEY 32
#define FILES_AESGCM_IV  12
#define FILES_AESGCM_TAG 16

typedef struct {
    guint8 key[FILES_AESGCM_KEY];
    guint8 iv[16];
    gsize iv_len; /* 12 or 16 */
} FilesAesgcmKey;

/* A new random key and 12-byte IV. */
void files_aesgcm_key_new(FilesAesgcmKey *k);

/* A converter that encrypts with K (and appends the tag at the end), or
 * decrypts (and fails with G_IO_ERROR_INVALID_DATA, "the file was changed
 * ...", when the tag at the end does not verify). NULL with ERROR set
 * when libgcrypt refuses the key. */
GConverter *files_aesgcm_converter_new(const FilesAesgcmKey *k,
                                       gboolean encrypt, GError **error);

/* The aesgcm:// link of the file at HTTPS_URL (an http or https GET
 * URL, without a fragment) encrypted with K. Caller frees. */
char *files_aesgcm_link(const char *https_url, const FilesAesgcmKey *k);

/* Whether URL is an aesgcm:// link. */
gboolean files_aesgcm_is_link(const char *url);

/* Splits the aesgcm:// link URL into the https URL to fetch (caller
 * frees) and the key in its fragment. NULL with ERROR set when it is not
 * a well-formed link. */
char *files_aesgcm_parse(const char *url, FilesAesgcmKey *k, GError **error);
