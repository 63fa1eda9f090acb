/* omemo_crypto.h: what OMEMO needs from libgcrypt: the crypto provider
 * libomemo-c asks for (random, HMAC-SHA256, SHA-512, AES-CBC and AES-CTR)
 * and the OMEMO 0.3 payload cipher, AES-128-GCM, which libomemo-c leaves
 * to the application. Internal to xmpp/. */
#pragma once

#include <glib.h>
#include <omemo/signal_protocol.h>

/* Initialises libgcrypt once if nobody did. */
void omemo_crypto_init(void);

/* The provider to give signal_context_set_crypto_provider(). */
const signal_crypto_provider *omemo_crypto_provider(void);

/* Fills BUF with LEN random bytes (strong). */
void omemo_crypto_random(guint8 *buf, gsize len);

/* AES-128-GCM with a 16-byte KEY, 12-byte IV and a 16-byte TAG: encrypts
 * IN into OUT (same length) and writes the tag; TRUE on success. */
gboolean omemo_gcm_encrypt(const guint8 *key, const guint8 *iv,
                           const guint8 *in, gsize len, guint8 *out,
                           guint8 *tag);
/* Decrypts and checks TAG; FALSE when the tag does not match (or IV_LEN
 * is neither 12 nor 16: both are met in the wild). */
gboolean omemo_gcm_decrypt(const guint8 *key, const guint8 *iv, gsize iv_len,
                           const guint8 *in, gsize len, const guint8 *tag,
                           guint8 *out);
