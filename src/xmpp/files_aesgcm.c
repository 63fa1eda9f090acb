/* files_aesgcm.c: see files_aesgcm.h. The cipher is libgcrypt's
 * AES-256-GCM fed chunk by chunk: an encrypting converter passes every
 * byte through and writes the tag after the last; a decrypting one holds
 * back the last 16 bytes it has seen (the tag, once the input ends) and
 * checks them at the end, so a file whose tag does not verify ends in an
 * error: the download then deletes what it wrote. */
#include "xmpp/files_aesgcm.h"

#include <gcrypt.h>
#include <string.h>

#include "util/error.h"

struct _FilesAesgcm {
    GObject parent;
    gcry_cipher_hd_t h;
    FilesAesgcmKey k;
    gboolean encrypt;
    gboolean finished;
    guint8 tail[FILES_AESGCM_TAG]; /* decrypting: the last bytes seen */
    gsize tail_len;
};

#define FILES_TYPE_AESGCM (files_aesgcm_get_type())
G_DECLARE_FINAL_TYPE(FilesAesgcm, files_aesgcm, FILES, AESGCM, GObject)

static void files_aesgcm_converter_init(GConverterIface *iface);

G_DEFINE_TYPE_WITH_CODE(FilesAesgcm, files_aesgcm, G_TYPE_OBJECT,
                        G_IMPLEMENT_INTERFACE(G_TYPE_CONVERTER,
                                              files_aesgcm_converter_init))

static void crypto_init(void)
{
    /* OMEMO may have initialised libgcrypt already; natter built without
     * it has not. */
    if (gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P))
        return;
    gcry_check_version(NULL);
    gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
}

void files_aesgcm_key_new(FilesAesgcmKey *k)
{
    crypto_init();
    memset(k, 0, sizeof *k);
    gcry_randomize(k->key, sizeof k->key, GCRY_STRONG_RANDOM);
    gcry_create_nonce(k->iv, FILES_AESGCM_IV);
    k->iv_len = FILES_AESGCM_IV;
}

static gboolean start(FilesAesgcm *self, GError **error)
{
    if (gcry_cipher_setkey(self->h, self->k.key, sizeof self->k.key) ||
        gcry_cipher_setiv(self->h, self->k.iv, self->k.iv_len)) {
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "libgcrypt refused the file's key");
        return FALSE;
    }
    self->finished = FALSE;
    self->tail_len = 0;
    return TRUE;
}

static void cipher_error(GError **error, gcry_error_t e)
{
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "AES-GCM: %s",
                gcry_strerror(e));
}

static GConverterResult encrypt(FilesAesgcm *self, const guint8 *in,
                                gsize in_size, guint8 *out, gsize out_size,
                                GConverterFlags flags, gsize *read,
                                gsize *written, GError **error)
{
    gsize n = MIN(in_size, out_size);
    gcry_error_t e = n ? gcry_cipher_encrypt(self->h, out, n, in, n) : 0;
    if (e) {
        cipher_error(error, e);
        return G_CONVERTER_ERROR;
    }
    *read = *written = n;
    if (!(flags & G_CONVERTER_INPUT_AT_END) || n < in_size)
        return G_CONVERTER_CONVERTED;
    if (out_size - n < FILES_AESGCM_TAG) {
        if (n)
            return G_CONVERTER_CONVERTED;
        g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                            "no room for the tag");
        return G_CONVERTER_ERROR;
    }
    e = gcry_cipher_gettag(self->h, out + n, FILES_AESGCM_TAG);
    if (e) {
        cipher_error(error, e);
        return G_CONVERTER_ERROR;
    }
    *written += FILES_AESGCM_TAG;
    self->finished = TRUE;
    return G_CONVERTER_FINISHED;
}

static GConverterResult decrypt(FilesAesgcm *self, const guint8 *in,
                                gsize in_size, guint8 *out, gsize out_size,
                                GConverterFlags flags, gsize *read,
                                gsize *written, GError **error)
{
    /* What can be let out is everything seen but the last 16 bytes: first
     * from the held-back tail, then from IN. */
    gsize seen = self->tail_len + in_size;
    gsize emit = seen > FILES_AESGCM_TAG ? seen - FILES_AESGCM_TAG : 0;
    emit = MIN(emit, out_size);
    gsize from_tail = MIN(emit, self->tail_len);
    gsize from_in = emit - from_tail;
    gcry_error_t e = 0;
    if (from_tail)
        e = gcry_cipher_decrypt(self->h, out, from_tail, self->tail, from_tail);
    if (!e && from_in)
        e = gcry_cipher_decrypt(self->h, out + from_tail, from_in, in, from_in);
    if (e) {
        cipher_error(error, e);
        return G_CONVERTER_ERROR;
    }
    memmove(self->tail, self->tail + from_tail, self->tail_len - from_tail);
    self->tail_len -= from_tail;
    gsize take = MIN(FILES_AESGCM_TAG - self->tail_len, in_size - from_in);
    memcpy(self->tail + self->tail_len, in + from_in, take);
    self->tail_len += take;
    *read = from_in + take;
    *written = emit;
    if (!(flags & G_CONVERTER_INPUT_AT_END) || *read < in_size) {
        if (*read == 0 && *written == 0) {
            g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                                "more input needed");
            return G_CONVERTER_ERROR;
        }
        return G_CONVERTER_CONVERTED;
    }
    if (self->tail_len < FILES_AESGCM_TAG ||
        gcry_cipher_checktag(self->h, self->tail, FILES_AESGCM_TAG)) {
        g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                            "the file was changed or damaged: its "
                            "authentication tag does not match the key "
                            "(nothing was saved)");
        return G_CONVERTER_ERROR;
    }
    self->finished = TRUE;
    return G_CONVERTER_FINISHED;
}

static GConverterResult convert(GConverter *converter, const void *inbuf,
                                gsize inbuf_size, void *outbuf,
                                gsize outbuf_size, GConverterFlags flags,
                                gsize *bytes_read, gsize *bytes_written,
                                GError **error)
{
    FilesAesgcm *self = FILES_AESGCM(converter);
    *bytes_read = *bytes_written = 0;
    if (self->finished)
        return G_CONVERTER_FINISHED;
    return self->encrypt ? encrypt(self, inbuf, inbuf_size, outbuf, outbuf_size,
                                   flags, bytes_read, bytes_written, error)
                         : decrypt(self, inbuf, inbuf_size, outbuf, outbuf_size,
                                   flags, bytes_read, bytes_written, error);
}

static void reset(GConverter *converter)
{
    FilesAesgcm *self = FILES_AESGCM(converter);
    gcry_cipher_reset(self->h);
    start(self, NULL);
}

static void files_aesgcm_converter_init(GConverterIface *iface)
{
    iface->convert = convert;
    iface->reset = reset;
}

static void files_aesgcm_finalize(GObject *object)
{
    FilesAesgcm *self = FILES_AESGCM(object);
    if (self->h)
        gcry_cipher_close(self->h);
    memset(&self->k, 0, sizeof self->k);
    G_OBJECT_CLASS(files_aesgcm_parent_class)->finalize(object);
}

static void files_aesgcm_class_init(FilesAesgcmClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = files_aesgcm_finalize;
}

static void files_aesgcm_init(FilesAesgcm *self)
{
    (void)self;
}

GConverter *files_aesgcm_converter_new(const FilesAesgcmKey *k,
                                       gboolean encrypt, GError **error)
{
    crypto_init();
    g_autoptr(FilesAesgcm) self = g_object_new(FILES_TYPE_AESGCM, NULL);
    self->k = *k;
    self->encrypt = encrypt;
    if (gcry_cipher_open(&self->h, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_GCM,
                         0)) {
        self->h = NULL;
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_STATE,
                    "libgcrypt has no AES-256-GCM");
        return NULL;
    }
    if (!start(self, error))
        return NULL;
    return G_CONVERTER(g_steal_pointer(&self));
}

static void append_hex(GString *s, const guint8 *bytes, gsize n)
{
    for (gsize i = 0; i < n; i++)
        g_string_append_printf(s, "%02x", bytes[i]);
}

char *files_aesgcm_link(const char *https_url, const FilesAesgcmKey *k)
{
    const char *rest = strstr(https_url, "://");
    GString *link = g_string_new("aesgcm");
    g_string_append_len(link, rest, (gssize)strcspn(rest, "#"));
    g_string_append_c(link, '#');
    append_hex(link, k->iv, k->iv_len);
    append_hex(link, k->key, sizeof k->key);
    return g_string_free(link, FALSE);
}

gboolean files_aesgcm_is_link(const char *url)
{
    return url && g_ascii_strncasecmp(url, "aesgcm://", 9) == 0;
}

static gboolean parse_hex(const char *hex, guint8 *out, gsize n)
{
    for (gsize i = 0; i < n; i++) {
        int hi = g_ascii_xdigit_value(hex[2 * i]);
        int lo = hi < 0 ? -1 : g_ascii_xdigit_value(hex[2 * i + 1]);
        if (lo < 0)
            return FALSE;
        out[i] = (guint8)(hi << 4 | lo);
    }
    return TRUE;
}

char *files_aesgcm_parse(const char *url, FilesAesgcmKey *k, GError **error)
{
    memset(k, 0, sizeof *k);
    g_autoptr(GUri) uri = files_aesgcm_is_link(url)
                              ? g_uri_parse(url, G_URI_FLAGS_ENCODED, NULL)
                              : NULL;
    const char *host = uri ? g_uri_get_host(uri) : NULL;
    const char *fragment = uri ? g_uri_get_fragment(uri) : NULL;
    gsize len = fragment ? strlen(fragment) : 0;
    /* IV then key: 12 + 32 bytes, or 16 + 32 from older senders. */
    k->iv_len = len == 2 * (12 + FILES_AESGCM_KEY)   ? 12
                : len == 2 * (16 + FILES_AESGCM_KEY) ? 16
                                                     : 0;
    if (!host || !*host || !k->iv_len ||
        !parse_hex(fragment, k->iv, k->iv_len) ||
        !parse_hex(fragment + 2 * k->iv_len, k->key, FILES_AESGCM_KEY)) {
        memset(k, 0, sizeof *k);
        g_set_error(error, NATTER_ERROR, NATTER_ERROR_INVALID,
                    "not an aesgcm:// link with an IV and a key");
        return NULL;
    }
    g_autoptr(GUri) https = g_uri_build(
        G_URI_FLAGS_ENCODED, "https", NULL, host, g_uri_get_port(uri),
        g_uri_get_path(uri), g_uri_get_query(uri), NULL);
    return g_uri_to_string(https);
}
