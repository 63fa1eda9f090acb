/* test_files.c: unit tests for the pure parts of src/xmpp/files*.c: a
 * file name from the network made safe, the links of a window, and the
 * AES-256-GCM of encrypted files (a known answer from the GCM
 * specification's test case 15, fed in chunks of every size, a changed
 * byte or tag refused, aesgcm:// links). */
#include "../unit.h"

#include <string.h>

#include "core/buffer.h"
#include "xmpp/files.h"
#include "xmpp/files_aesgcm.h"

static void check_safe(const char *name, const char *expected)
{
    g_autofree char *safe = files_safe_name(name);
    assert_string_equal(safe, expected);
}

static void test_safe_name(void **state)
{
    (void)state;
    check_safe("report.pdf", "report.pdf");
    check_safe("../../.bashrc", "bashrc");
    check_safe("..", "download");
    check_safe(".", "download");
    check_safe("", "download");
    check_safe(NULL, "download");
    check_safe("a/b/c.txt", "c.txt");
    check_safe("dir/", "download");
    check_safe("back\\slash", "back_slash");
    check_safe("bell\a\nline", "bell__line");
    check_safe("rtl\u202etxt.exe", "rtl_txt.exe");
    check_safe("caf\u00e9.jpg", "caf\u00e9.jpg");
    g_autofree char *longer = g_strnfill(300, 'x');
    g_autofree char *cut = files_safe_name(longer);
    assert_int_equal(strlen(cut), 200);
}

static BufferLine *line(LineKind kind, const char *text)
{
    BufferLine *l = g_new0(BufferLine, 1);
    l->kind = kind;
    l->text = g_strdup(text);
    return l;
}

static void line_free(gpointer data)
{
    BufferLine *l = data;
    g_free(l->text);
    g_free(l);
}

static void test_link_in(void **state)
{
    (void)state;
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(line_free);
    assert_null(files_link_in(lines, 1));
    g_ptr_array_add(lines, line(LINE_IN, "old https://a.example/1 and "
                                         "http://a.example/2."));
    g_ptr_array_add(lines, line(LINE_INFO, "not this https://info.example/"));
    g_ptr_array_add(lines, line(LINE_OUT, "see (https://b.example/x?y=1)"));
    g_autofree char *first = files_link_in(lines, 1);
    g_autofree char *second = files_link_in(lines, 2);
    g_autofree char *third = files_link_in(lines, 3);
    assert_string_equal(first, "https://b.example/x?y=1");
    assert_string_equal(second, "http://a.example/2");
    assert_string_equal(third, "https://a.example/1");
    assert_null(files_link_in(lines, 4));
    g_ptr_array_add(lines, line(LINE_IN, "AESGCM://c.example/f.jpg#00ff"));
    g_autofree char *aesgcm = files_link_in(lines, 1);
    assert_string_equal(aesgcm, "AESGCM://c.example/f.jpg#00ff");
}

static GBytes *hex(const char *h)
{
    gsize n = strlen(h) / 2;
    guint8 *b = g_malloc(n);
    for (gsize i = 0; i < n; i++)
        b[i] = (guint8)(g_ascii_xdigit_value(h[2 * i]) << 4 |
                        g_ascii_xdigit_value(h[2 * i + 1]));
    return g_bytes_new_take(b, n);
}

/* The GCM specification's test case 15: AES-256, 96-bit IV, no AAD. */
#define TC15_KEY                                                               \
    "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
#define TC15_IV "cafebabefacedbaddecaf888"
#define TC15_PLAIN                                                             \
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"         \
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
#define TC15_CIPHER                                                            \
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"         \
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"         \
    "b094dac5d93471bdec1a502270e3cc6c"

static void tc15_key(FilesAesgcmKey *k)
{
    g_autoptr(GBytes) key = hex(TC15_KEY);
    g_autoptr(GBytes) iv = hex(TC15_IV);
    memset(k, 0, sizeof *k);
    memcpy(k->key, g_bytes_get_data(key, NULL), 32);
    memcpy(k->iv, g_bytes_get_data(iv, NULL), 12);
    k->iv_len = 12;
}

/* IN through the converter, read CHUNK bytes at a time from a source
 * that gives at most FEED bytes per read. NULL with ERROR on failure. */
static GBytes *through(const FilesAesgcmKey *k, gboolean encrypt, GBytes *in,
                       gsize feed, gsize chunk, GError **error)
{
    g_autoptr(GInputStream) source = g_memory_input_stream_new();
    gsize len = 0;
    const guint8 *data = g_bytes_get_data(in, &len);
    for (gsize off = 0; off < len; off += feed)
        g_memory_input_stream_add_data(
            G_MEMORY_INPUT_STREAM(source),
            g_memdup2(data + off, MIN(feed, len - off)),
            (gssize)MIN(feed, len - off), g_free);
    g_autoptr(GConverter) c = files_aesgcm_converter_new(k, encrypt, NULL);
    assert_non_null(c);
    g_autoptr(GInputStream) s = g_converter_input_stream_new(source, c);
    GByteArray *out = g_byte_array_new();
    guint8 buf[4096];
    for (;;) {
        gssize n =
            g_input_stream_read(s, buf, MIN(chunk, sizeof buf), NULL, error);
        if (n < 0) {
            g_byte_array_unref(out);
            return NULL;
        }
        if (n == 0)
            break;
        g_byte_array_append(out, buf, (guint)n);
    }
    return g_byte_array_free_to_bytes(out);
}

static void test_aesgcm_known_answer(void **state)
{
    (void)state;
    FilesAesgcmKey k;
    tc15_key(&k);
    g_autoptr(GBytes) plain = hex(TC15_PLAIN);
    g_autoptr(GBytes) cipher = hex(TC15_CIPHER);
    static const gsize sizes[] = {1, 5, 15, 16, 17, 33, 100, 4096};
    for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
        for (guint j = 0; j < G_N_ELEMENTS(sizes); j++) {
            g_autoptr(GError) error = NULL;
            g_autoptr(GBytes) enc =
                through(&k, TRUE, plain, sizes[i], sizes[j], &error);
            assert_non_null(enc);
            assert_true(g_bytes_equal(enc, cipher));
            g_autoptr(GBytes) dec =
                through(&k, FALSE, cipher, sizes[i], sizes[j], &error);
            assert_non_null(dec);
            assert_true(g_bytes_equal(dec, plain));
        }
    }
}

static void test_aesgcm_refuses_changes(void **state)
{
    (void)state;
    FilesAesgcmKey k;
    tc15_key(&k);
    g_autoptr(GBytes) cipher = hex(TC15_CIPHER);
    gsize len = 0;
    const guint8 *data = g_bytes_get_data(cipher, &len);
    /* A changed byte of the text, of the tag; a cut tag; nothing at all. */
    static const gsize flips[] = {0, 40, 63, 64, 79};
    for (guint i = 0; i < G_N_ELEMENTS(flips); i++) {
        g_autofree guint8 *copy = g_memdup2(data, len);
        copy[flips[i]] ^= 0x01;
        g_autoptr(GBytes) bad = g_bytes_new(copy, len);
        g_autoptr(GError) error = NULL;
        assert_null(through(&k, FALSE, bad, 7, 64, &error));
        assert_true(
            g_error_matches(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA));
    }
    g_autoptr(GBytes) cut = g_bytes_new(data, len - 1);
    g_autoptr(GError) error = NULL;
    assert_null(through(&k, FALSE, cut, 64, 64, &error));
    g_autoptr(GBytes) empty = g_bytes_new(NULL, 0);
    g_autoptr(GError) again = NULL;
    assert_null(through(&k, FALSE, empty, 64, 64, &again));
    /* An empty file is just its tag, and goes back to nothing. */
    g_autoptr(GError) none = NULL;
    g_autoptr(GBytes) tag = through(&k, TRUE, empty, 1, 1, &none);
    assert_int_equal(g_bytes_get_size(tag), 16);
    g_autoptr(GBytes) back = through(&k, FALSE, tag, 3, 5, &none);
    assert_non_null(back);
    assert_int_equal(g_bytes_get_size(back), 0);
}

static void test_aesgcm_link(void **state)
{
    (void)state;
    FilesAesgcmKey k;
    tc15_key(&k);
    g_autofree char *link =
        files_aesgcm_link("https://up.example:5281/a/b%20c.jpg?x=1", &k);
    assert_string_equal(
        link, "aesgcm://up.example:5281/a/b%20c.jpg?x=1#" TC15_IV TC15_KEY);
    FilesAesgcmKey back;
    g_autoptr(GError) error = NULL;
    g_autofree char *url = files_aesgcm_parse(link, &back, &error);
    assert_string_equal(url, "https://up.example:5281/a/b%20c.jpg?x=1");
    assert_int_equal(back.iv_len, 12);
    assert_memory_equal(back.key, k.key, 32);
    assert_memory_equal(back.iv, k.iv, 12);
    /* A 16-byte IV, as older clients send; upper case hex. */
    g_autofree char *upper = g_ascii_strup(TC15_KEY, -1);
    g_autofree char *old = g_strconcat("AESGCM://h.example/f#"
                                       "00112233445566778899aabbccddeeff",
                                       upper, NULL);
    g_autofree char *url16 = files_aesgcm_parse(old, &back, &error);
    assert_string_equal(url16, "https://h.example/f");
    assert_int_equal(back.iv_len, 16);
    assert_memory_equal(back.key, k.key, 32);
    static const char *const bad[] = {
        "https://h.example/f#" TC15_IV TC15_KEY,
        "aesgcm://h.example/f",
        "aesgcm://h.example/f#" TC15_IV,
        "aesgcm://h.example/f#" TC15_IV TC15_KEY "00",
        "aesgcm://h.example/f#zz" TC15_KEY "0000000000000000000000",
        "aesgcm:///f#" TC15_IV TC15_KEY,
    };
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) why = NULL;
        assert_null(files_aesgcm_parse(bad[i], &back, &why));
        assert_non_null(why);
    }
    assert_true(files_aesgcm_is_link("aesgcm://x/y"));
    assert_false(files_aesgcm_is_link("https://x/y"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_safe_name),
        cmocka_unit_test(test_link_in),
        cmocka_unit_test(test_aesgcm_known_answer),
        cmocka_unit_test(test_aesgcm_refuses_changes),
        cmocka_unit_test(test_aesgcm_link),
    };
    return unit_exit_status(cmocka_run_group_tests(tests, NULL, NULL));
}
