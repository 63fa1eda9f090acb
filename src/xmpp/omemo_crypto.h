/* omemo_crypto.h: what OMEMO needs from libgcrypt: the crypto provider
 * libomemo-c asks for (random, HMAC-SHA256, SHA-512, AES-CBC and AES-CTR)
 * and the payload ciphers libomemo-c leaves to the application: OMEMO
 * 0.3's AES-128-GCM and OMEMO:2's HKDF-SHA-256, AES-256-CBC and truncated
 * HMAC-SHA-256. Internal to xmpp/. */
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

/* HKDF-SHA-256 (RFC 5869): extracts from IKM with SALT (none: 32 zero
 * bytes, as the RFC says) and expands with INFO into OUT_LEN bytes (at
 * most 255 * 32); FALSE when libgcrypt fails or OUT_LEN is too long.
 * libgcrypt 1.10 has no HKDF; this is the RFC's composition of HMACs. */
gboolean omemo_hkdf_sha256(const guint8 *ikm, gsize ikm_len, const guint8 *salt,
                           gsize salt_len, const guint8 *info, gsize info_len,
                           guint8 *out, gsize out_len);

/* The key material OMEMO:2 puts through the ratchet: the 32-byte payload
 * key and the HMAC truncated to 16 bytes. */
#define OMEMO2_KEYMAT_LEN 48

/* OMEMO:2's payload cipher (XEP-0384): a fresh 32-byte key, HKDF-SHA-256
 * of it (zero salt, info "OMEMO Payload") into an encryption key, an
 * authentication key and an IV; AES-256-CBC with PKCS#7 over PLAIN, and
 * HMAC-SHA-256 of the ciphertext truncated to 16 bytes. Writes the key
 * and the tag to KEYMAT and returns the ciphertext (its length in
 * OUT_LEN), or NULL when libgcrypt fails. */
guint8 *omemo2_payload_encrypt(const guint8 *plain, gsize len,
                               guint8 keymat[OMEMO2_KEYMAT_LEN],
                               gsize *out_len);
/* The reverse: NULL when the tag does not match the ciphertext or the
 * padding is wrong. The plain text is followed by a NUL (not counted). */
guint8 *omemo2_payload_decrypt(const guint8 *keymat, gsize keymat_len,
                               const guint8 *ct, gsize len, gsize *out_len);
