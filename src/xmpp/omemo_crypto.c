/* omemo_crypto.c: libgcrypt behind libomemo-c's crypto provider, the
 * AES-128-GCM of OMEMO 0.3 payloads and the HKDF, AES-256-CBC and
 * truncated HMAC of OMEMO:2 payloads (omemo_crypto.h). */
#include "xmpp/omemo_crypto.h"

#include <gcrypt.h>
#include <string.h>

void omemo_crypto_init(void)
{
    if (gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P))
        return;
    gcry_check_version(NULL);
    gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
}

void omemo_crypto_random(guint8 *buf, gsize len)
{
    gcry_randomize(buf, len, GCRY_STRONG_RANDOM);
}

static int random_func(uint8_t *data, size_t len, void *user_data)
{
    omemo_crypto_random(data, len);
    return SG_SUCCESS;
}

/* HMAC handles are kept for reuse: libomemo-c makes several HMACs per
 * message, and opening a handle costs libgcrypt an entropy poll (system
 * calls) that dwarfs the HMAC itself. Setting a key starts a handle
 * afresh. */
#define HMAC_POOL_MAX 8
static gcry_mac_hd_t hmac_pool[HMAC_POOL_MAX];
static guint hmac_pooled;
G_LOCK_DEFINE_STATIC(hmac_pool);

static int hmac_init(void **ctx, const uint8_t *key, size_t key_len,
                     void *user_data)
{
    gcry_mac_hd_t h = NULL;
    G_LOCK(hmac_pool);
    if (hmac_pooled > 0)
        h = hmac_pool[--hmac_pooled];
    G_UNLOCK(hmac_pool);
    if (!h && gcry_mac_open(&h, GCRY_MAC_HMAC_SHA256, 0, NULL))
        return SG_ERR_UNKNOWN;
    if (gcry_mac_setkey(h, key, key_len)) {
        gcry_mac_close(h);
        return SG_ERR_UNKNOWN;
    }
    *ctx = h;
    return SG_SUCCESS;
}

static int hmac_update(void *ctx, const uint8_t *data, size_t len,
                       void *user_data)
{
    return gcry_mac_write(ctx, data, len) ? SG_ERR_UNKNOWN : SG_SUCCESS;
}

static int hmac_final(void *ctx, signal_buffer **output, void *user_data)
{
    guint8 mac[32];
    size_t len = sizeof mac;
    if (gcry_mac_read(ctx, mac, &len))
        return SG_ERR_UNKNOWN;
    *output = signal_buffer_create(mac, len);
    return *output ? SG_SUCCESS : SG_ERR_NOMEM;
}

static void hmac_cleanup(void *ctx, void *user_data)
{
    if (!ctx)
        return;
    G_LOCK(hmac_pool);
    if (hmac_pooled < HMAC_POOL_MAX) {
        hmac_pool[hmac_pooled++] = ctx;
        ctx = NULL;
    }
    G_UNLOCK(hmac_pool);
    if (ctx)
        gcry_mac_close(ctx);
}

static int sha512_init(void **ctx, void *user_data)
{
    gcry_md_hd_t h;
    if (gcry_md_open(&h, GCRY_MD_SHA512, 0))
        return SG_ERR_UNKNOWN;
    *ctx = h;
    return SG_SUCCESS;
}

static int sha512_update(void *ctx, const uint8_t *data, size_t len,
                         void *user_data)
{
    gcry_md_write(ctx, data, len);
    return SG_SUCCESS;
}

/* libomemo-c reuses the context after final: it must start afresh. */
static int sha512_final(void *ctx, signal_buffer **output, void *user_data)
{
    const guint8 *d = gcry_md_read(ctx, GCRY_MD_SHA512);
    if (!d)
        return SG_ERR_UNKNOWN;
    *output = signal_buffer_create(d, 64);
    gcry_md_reset(ctx);
    return *output ? SG_SUCCESS : SG_ERR_NOMEM;
}

static void sha512_cleanup(void *ctx, void *user_data)
{
    if (ctx)
        gcry_md_close(ctx);
}

static int aes_algo(size_t key_len)
{
    switch (key_len) {
    case 16:
        return GCRY_CIPHER_AES128;
    case 24:
        return GCRY_CIPHER_AES192;
    case 32:
        return GCRY_CIPHER_AES256;
    }
    return 0;
}

/* Cipher handles are kept for reuse by algorithm and mode, as HMAC
 * handles are (libgcrypt polls for entropy on each open); setting a key
 * starts a handle afresh. */
#define CIPHER_POOL_MAX 8
static struct {
    int algo, mode;
    gcry_cipher_hd_t h;
} cipher_pool[CIPHER_POOL_MAX];
G_LOCK_DEFINE_STATIC(cipher_pool);

static gboolean cipher_get(gcry_cipher_hd_t *h, int algo, int mode)
{
    *h = NULL;
    G_LOCK(cipher_pool);
    for (guint i = 0; i < CIPHER_POOL_MAX && !*h; i++)
        if (cipher_pool[i].h && cipher_pool[i].algo == algo &&
            cipher_pool[i].mode == mode) {
            *h = cipher_pool[i].h;
            cipher_pool[i].h = NULL;
        }
    G_UNLOCK(cipher_pool);
    return *h || !gcry_cipher_open(h, algo, mode, 0);
}

static void cipher_put(gcry_cipher_hd_t h, int algo, int mode)
{
    G_LOCK(cipher_pool);
    for (guint i = 0; i < CIPHER_POOL_MAX && h; i++)
        if (!cipher_pool[i].h) {
            cipher_pool[i].algo = algo;
            cipher_pool[i].mode = mode;
            cipher_pool[i].h = h;
            h = NULL;
        }
    G_UNLOCK(cipher_pool);
    if (h)
        gcry_cipher_close(h);
}

/* AES-CBC with PKCS#7 padding or AES-CTR, both ways. */
static int aes(signal_buffer **output, int cipher, const uint8_t *key,
               size_t key_len, const uint8_t *iv, size_t iv_len,
               const uint8_t *in, size_t in_len, gboolean encrypt)
{
    int algo = aes_algo(key_len);
    if (!algo || iv_len != 16)
        return SG_ERR_INVAL;
    gboolean cbc = cipher == SG_CIPHER_AES_CBC_PKCS5;
    if (!cbc && cipher != SG_CIPHER_AES_CTR_NOPADDING)
        return SG_ERR_INVAL;
    if (cbc && !encrypt && (in_len == 0 || in_len % 16))
        return SG_ERR_INVAL;
    int mode = cbc ? GCRY_CIPHER_MODE_CBC : GCRY_CIPHER_MODE_CTR;
    gcry_cipher_hd_t h;
    if (!cipher_get(&h, algo, mode))
        return SG_ERR_UNKNOWN;
    int rc = SG_ERR_UNKNOWN;
    gsize len = in_len;
    if (cbc && encrypt)
        len = (in_len / 16 + 1) * 16;
    guint8 *buf = g_malloc(len ? len : 1);
    memcpy(buf, in, in_len);
    if (cbc && encrypt)
        memset(buf + in_len, (int)(len - in_len), len - in_len);
    if (gcry_cipher_setkey(h, key, key_len) ||
        (cbc ? gcry_cipher_setiv(h, iv, iv_len)
             : gcry_cipher_setctr(h, iv, iv_len)))
        goto out;
    if (encrypt ? gcry_cipher_encrypt(h, buf, len, NULL, 0)
                : gcry_cipher_decrypt(h, buf, len, NULL, 0))
        goto out;
    if (cbc && !encrypt) {
        guint pad = buf[len - 1];
        if (pad == 0 || pad > 16) {
            rc = SG_ERR_INVAL;
            goto out;
        }
        for (guint i = 0; i < pad; i++)
            if (buf[len - 1 - i] != pad) {
                rc = SG_ERR_INVAL;
                goto out;
            }
        len -= pad;
    }
    *output = signal_buffer_create(buf, len);
    rc = *output ? SG_SUCCESS : SG_ERR_NOMEM;
out:
    memset(buf, 0, len);
    g_free(buf);
    cipher_put(h, algo, mode);
    return rc;
}

static int encrypt_func(signal_buffer **output, int cipher, const uint8_t *key,
                        size_t key_len, const uint8_t *iv, size_t iv_len,
                        const uint8_t *plaintext, size_t plaintext_len,
                        void *user_data)
{
    return aes(output, cipher, key, key_len, iv, iv_len, plaintext,
               plaintext_len, TRUE);
}

static int decrypt_func(signal_buffer **output, int cipher, const uint8_t *key,
                        size_t key_len, const uint8_t *iv, size_t iv_len,
                        const uint8_t *ciphertext, size_t ciphertext_len,
                        void *user_data)
{
    return aes(output, cipher, key, key_len, iv, iv_len, ciphertext,
               ciphertext_len, FALSE);
}

static const signal_crypto_provider provider = {
    .random_func = random_func,
    .hmac_sha256_init_func = hmac_init,
    .hmac_sha256_update_func = hmac_update,
    .hmac_sha256_final_func = hmac_final,
    .hmac_sha256_cleanup_func = hmac_cleanup,
    .sha512_digest_init_func = sha512_init,
    .sha512_digest_update_func = sha512_update,
    .sha512_digest_final_func = sha512_final,
    .sha512_digest_cleanup_func = sha512_cleanup,
    .encrypt_func = encrypt_func,
    .decrypt_func = decrypt_func,
};

const signal_crypto_provider *omemo_crypto_provider(void)
{
    return &provider;
}

static gboolean gcm(const guint8 *key, const guint8 *iv, gsize iv_len,
                    const guint8 *in, gsize len, guint8 *out, guint8 *tag,
                    const guint8 *check)
{
    gcry_cipher_hd_t h;
    if (!cipher_get(&h, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_GCM))
        return FALSE;
    gboolean ok =
        !gcry_cipher_setkey(h, key, 16) && !gcry_cipher_setiv(h, iv, iv_len);
    if (ok && check)
        ok = !gcry_cipher_decrypt(h, out, len, in, len) &&
             !gcry_cipher_checktag(h, check, 16);
    else if (ok)
        ok = !gcry_cipher_encrypt(h, out, len, in, len) &&
             !gcry_cipher_gettag(h, tag, 16);
    cipher_put(h, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_GCM);
    return ok;
}

gboolean omemo_gcm_encrypt(const guint8 *key, const guint8 *iv,
                           const guint8 *in, gsize len, guint8 *out,
                           guint8 *tag)
{
    return gcm(key, iv, 12, in, len, out, tag, NULL);
}

gboolean omemo_gcm_decrypt(const guint8 *key, const guint8 *iv, gsize iv_len,
                           const guint8 *in, gsize len, const guint8 *tag,
                           guint8 *out)
{
    if (iv_len != 12 && iv_len != 16)
        return FALSE;
    return gcm(key, iv, iv_len, in, len, out, NULL, tag);
}

/* HMAC-SHA-256 of the concatenation of up to three parts into MAC. */
static gboolean hmac(const guint8 *key, gsize key_len, const guint8 *a,
                     gsize a_len, const guint8 *b, gsize b_len, const guint8 *c,
                     gsize c_len, guint8 mac[32])
{
    gcry_mac_hd_t h;
    if (gcry_mac_open(&h, GCRY_MAC_HMAC_SHA256, 0, NULL))
        return FALSE;
    size_t len = 32;
    gboolean ok = !gcry_mac_setkey(h, key, key_len) &&
                  (!a_len || !gcry_mac_write(h, a, a_len)) &&
                  (!b_len || !gcry_mac_write(h, b, b_len)) &&
                  (!c_len || !gcry_mac_write(h, c, c_len)) &&
                  !gcry_mac_read(h, mac, &len) && len == 32;
    gcry_mac_close(h);
    return ok;
}

gboolean omemo_hkdf_sha256(const guint8 *ikm, gsize ikm_len, const guint8 *salt,
                           gsize salt_len, const guint8 *info, gsize info_len,
                           guint8 *out, gsize out_len)
{
    static const guint8 zero[32];
    if (out_len > 255 * 32)
        return FALSE;
    if (!salt_len) {
        salt = zero;
        salt_len = sizeof zero;
    }
    guint8 prk[32], t[32];
    if (!hmac(salt, salt_len, ikm, ikm_len, NULL, 0, NULL, 0, prk))
        return FALSE;
    gboolean ok = TRUE;
    gsize t_len = 0, done = 0;
    for (guint8 i = 1; ok && done < out_len; i++) {
        ok = hmac(prk, sizeof prk, t, t_len, info, info_len, &i, 1, t);
        t_len = sizeof t;
        gsize n = MIN(out_len - done, sizeof t);
        memcpy(out + done, t, n);
        done += n;
    }
    memset(prk, 0, sizeof prk);
    memset(t, 0, sizeof t);
    return ok;
}

/* The encryption key, authentication key and IV of a payload key. */
static gboolean payload_keys(const guint8 *key, guint8 derived[80])
{
    static const char info[] = "OMEMO Payload";
    return omemo_hkdf_sha256(key, 32, NULL, 0, (const guint8 *)info,
                             strlen(info), derived, 80);
}

guint8 *omemo2_payload_encrypt(const guint8 *plain, gsize len,
                               guint8 keymat[OMEMO2_KEYMAT_LEN], gsize *out_len)
{
    guint8 derived[80];
    omemo_crypto_random(keymat, 32);
    signal_buffer *ct = NULL;
    guint8 mac[32];
    guint8 *out = NULL;
    if (payload_keys(keymat, derived) &&
        aes(&ct, SG_CIPHER_AES_CBC_PKCS5, derived, 32, derived + 64, 16, plain,
            len, TRUE) == SG_SUCCESS &&
        hmac(derived + 32, 32, signal_buffer_data(ct), signal_buffer_len(ct),
             NULL, 0, NULL, 0, mac)) {
        memcpy(keymat + 32, mac, 16);
        *out_len = signal_buffer_len(ct);
        out = g_memdup2(signal_buffer_data(ct), *out_len);
    }
    signal_buffer_free(ct);
    memset(derived, 0, sizeof derived);
    return out;
}

/* Compares two 16-byte tags in time independent of where they differ. */
static gboolean same_tag(const guint8 *a, const guint8 *b)
{
    guint8 diff = 0;
    for (guint i = 0; i < 16; i++)
        diff |= a[i] ^ b[i];
    return diff == 0;
}

guint8 *omemo2_payload_decrypt(const guint8 *keymat, gsize keymat_len,
                               const guint8 *ct, gsize len, gsize *out_len)
{
    guint8 derived[80], mac[32];
    signal_buffer *plain = NULL;
    guint8 *out = NULL;
    if (keymat_len == OMEMO2_KEYMAT_LEN && payload_keys(keymat, derived) &&
        hmac(derived + 32, 32, ct, len, NULL, 0, NULL, 0, mac) &&
        same_tag(mac, keymat + 32) &&
        aes(&plain, SG_CIPHER_AES_CBC_PKCS5, derived, 32, derived + 64, 16, ct,
            len, FALSE) == SG_SUCCESS) {
        *out_len = signal_buffer_len(plain);
        out = g_malloc(*out_len + 1);
        memcpy(out, signal_buffer_data(plain), *out_len);
        out[*out_len] = 0;
    }
    if (plain)
        signal_buffer_bzero_free(plain);
    memset(derived, 0, sizeof derived);
    return out;
}
