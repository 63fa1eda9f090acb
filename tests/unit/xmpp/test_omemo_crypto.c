/* test_omemo_crypto.c: unit tests for src/xmpp/omemo_crypto.c: the
 * AES-128-GCM of OMEMO 0.3 payloads (a known answer from the GCM
 * specification, a round trip, a forged tag refused) and the libgcrypt
 * crypto provider libomemo-c uses (HMAC-SHA256 and SHA-512 known answers,
 * SHA-512 reusable after final, AES-CBC with PKCS#7 both ways, bad
 * padding refused). */
#include "../unit.h"

#include <string.h>

#include "xmpp/omemo_crypto.h"

static char *hex(const guint8 *d, gsize len)
{
    GString *s = g_string_new(NULL);
    for (gsize i = 0; i < len; i++)
        g_string_append_printf(s, "%02x", d[i]);
    return g_string_free(s, FALSE);
}

static char *buffer_hex(signal_buffer *b)
{
    char *h = hex(signal_buffer_data(b), signal_buffer_len(b));
    signal_buffer_free(b);
    return h;
}

static void test_gcm(void **state)
{
    /* The GCM specification's test case 2. */
    guint8 key[16] = {0}, iv[12] = {0}, plain[16] = {0}, ct[16], tag[16];
    assert_true(omemo_gcm_encrypt(key, iv, plain, 16, ct, tag));
    g_autofree char *c = hex(ct, 16);
    g_autofree char *t = hex(tag, 16);
    assert_string_equal(c, "0388dace60b6a392f328c2b971b2fe78");
    assert_string_equal(t, "ab6e47d42cec13bdf53a67b21257bddf");
    guint8 back[16];
    assert_true(omemo_gcm_decrypt(key, iv, 12, ct, 16, tag, back));
    assert_memory_equal(back, plain, 16);
    tag[0] ^= 1;
    assert_false(omemo_gcm_decrypt(key, iv, 12, ct, 16, tag, back));
    tag[0] ^= 1;
    assert_false(omemo_gcm_decrypt(key, iv, 8, ct, 16, tag, back));

    /* Any length, and a 16-byte IV as older clients send. */
    const char *text = "a message of some length, with ümlauts";
    gsize len = strlen(text);
    guint8 iv16[16], out[64], in[64];
    omemo_crypto_random(key, 16);
    omemo_crypto_random(iv16, 16);
    guint8 key2[16];
    memcpy(key2, key, 16);
    assert_true(
        omemo_gcm_encrypt(key, iv16, (const guint8 *)text, len, out, tag));
    assert_true(omemo_gcm_decrypt(key2, iv16, 12, out, len, tag, in));
    assert_memory_equal(in, text, len);
}

static void test_provider_hashes(void **state)
{
    const signal_crypto_provider *p = omemo_crypto_provider();
    void *h = NULL;
    signal_buffer *out = NULL;
    /* RFC 4231 test case 2. */
    assert_int_equal(
        p->hmac_sha256_init_func(&h, (const uint8_t *)"Jefe", 4, NULL), 0);
    const char *data = "what do ya want for nothing?";
    assert_int_equal(p->hmac_sha256_update_func(h, (const uint8_t *)data,
                                                strlen(data), NULL),
                     0);
    assert_int_equal(p->hmac_sha256_final_func(h, &out, NULL), 0);
    p->hmac_sha256_cleanup_func(h, NULL);
    g_autofree char *mac = buffer_hex(out);
    assert_string_equal(
        mac,
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");

    /* SHA-512 of "abc" (FIPS 180-2), twice on one context: final must
     * leave it ready for the next digest. */
    assert_int_equal(p->sha512_digest_init_func(&h, NULL), 0);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(
            p->sha512_digest_update_func(h, (const uint8_t *)"abc", 3, NULL),
            0);
        assert_int_equal(p->sha512_digest_final_func(h, &out, NULL), 0);
        g_autofree char *d = buffer_hex(out);
        assert_string_equal(d, "ddaf35a193617abacc417349ae20413112e6fa4e89a9"
                               "7ea20a9eeee64b55d39a2192992a274fc1a836ba3c23"
                               "a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    }
    p->sha512_digest_cleanup_func(h, NULL);
}

static void test_provider_aes(void **state)
{
    const signal_crypto_provider *p = omemo_crypto_provider();
    guint8 key[32], iv[16], plain[40];
    omemo_crypto_random(key, sizeof key);
    omemo_crypto_random(iv, sizeof iv);
    omemo_crypto_random(plain, sizeof plain);
    for (gsize len = 0; len <= sizeof plain; len++) {
        signal_buffer *ct = NULL, *back = NULL;
        assert_int_equal(p->encrypt_func(&ct, SG_CIPHER_AES_CBC_PKCS5, key, 32,
                                         iv, 16, plain, len, NULL),
                         0);
        /* PKCS#7: always at least one byte of padding. */
        assert_int_equal(signal_buffer_len(ct), (len / 16 + 1) * 16);
        assert_int_equal(p->decrypt_func(&back, SG_CIPHER_AES_CBC_PKCS5, key,
                                         32, iv, 16, signal_buffer_data(ct),
                                         signal_buffer_len(ct), NULL),
                         0);
        assert_int_equal(signal_buffer_len(back), len);
        assert_memory_equal(signal_buffer_data(back), plain, len);
        signal_buffer_free(ct);
        signal_buffer_free(back);
    }
    /* A ciphertext that is not whole blocks is refused. */
    signal_buffer *back = NULL;
    assert_int_not_equal(p->decrypt_func(&back, SG_CIPHER_AES_CBC_PKCS5, key,
                                         32, iv, 16, plain, 15, NULL),
                         0);
    /* CTR: same length both ways. */
    signal_buffer *ct = NULL;
    assert_int_equal(p->encrypt_func(&ct, SG_CIPHER_AES_CTR_NOPADDING, key, 32,
                                     iv, 16, plain, 21, NULL),
                     0);
    assert_int_equal(signal_buffer_len(ct), 21);
    assert_int_equal(p->decrypt_func(&back, SG_CIPHER_AES_CTR_NOPADDING, key,
                                     32, iv, 16, signal_buffer_data(ct), 21,
                                     NULL),
                     0);
    assert_memory_equal(signal_buffer_data(back), plain, 21);
    signal_buffer_free(ct);
    signal_buffer_free(back);
}

int main(void)
{
    omemo_crypto_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gcm),
        cmocka_unit_test(test_provider_hashes),
        cmocka_unit_test(test_provider_aes),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("omemo_crypto", tests, NULL, NULL));
}
