/* test_vcard_xml.c: unit tests for src/xmpp/vcard_xml.c: cards in both
 * forms read into fields, written back with only the changed fields
 * touched (a photo, a street, an address's type kept), removals, new
 * cards, and elements that are not cards. */
#include "../unit.h"

#include <string.h>

#include "xmpp/vcard_xml.h"

static xmpp_ctx_t *ctx;

static int setup(void **state)
{
    xmpp_initialize();
    ctx = xmpp_ctx_new(NULL, NULL);
    return 0;
}

static int teardown(void **state)
{
    xmpp_ctx_free(ctx);
    xmpp_shutdown();
    return 0;
}

static xmpp_stanza_t *xml(const char *text)
{
    xmpp_stanza_t *s = xmpp_stanza_new_from_string(ctx, text);
    assert_non_null(s);
    return s;
}

static char *to_text(xmpp_stanza_t *s)
{
    char *buf = NULL;
    size_t len = 0;
    assert_int_equal(xmpp_stanza_to_text(s, &buf, &len), 0);
    char *copy = g_strndup(buf, len);
    xmpp_free(ctx, buf);
    return copy;
}

/* The values of KEY joined by "|", or NULL. */
static char *values(const VCard *card, const char *key)
{
    const GPtrArray *v = vcard_values(card, key);
    if (!v)
        return NULL;
    g_autoptr(GString) joined = g_string_new(NULL);
    for (guint i = 0; i < v->len; i++)
        g_string_append_printf(joined, "%s%s", i ? "|" : "",
                               (const char *)g_ptr_array_index(v, i));
    return g_string_free(g_steal_pointer(&joined), FALSE);
}

static void assert_values(const VCard *card, const char *key, const char *want)
{
    g_autofree char *got = values(card, key);
    if (!want)
        assert_null(got);
    else
        assert_string_equal(got, want);
}

/* CHANGES of "key=value" strings; "key=" empties a field, repeated keys
 * give several values. */
static GHashTable *changes_of(const char *const *pairs)
{
    GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify)g_ptr_array_unref);
    for (; *pairs; pairs++) {
        g_auto(GStrv) kv = g_strsplit(*pairs, "=", 2);
        GPtrArray *list = g_hash_table_lookup(t, kv[0]);
        if (!list) {
            list = g_ptr_array_new_with_free_func(g_free);
            g_hash_table_insert(t, g_strdup(kv[0]), list);
        }
        if (*kv[1])
            g_ptr_array_add(list, g_strdup(kv[1]));
    }
    return t;
}

static const char v4_card[] =
    "<vcard xmlns='urn:ietf:params:xml:ns:vcard-4.0'>"
    "<fn><text> Ada Lovelace </text></fn>"
    "<n><surname>Lovelace</surname><given>Ada</given></n>"
    "<nickname><text>ada</text></nickname>"
    "<photo><uri>https://x.org/ada.png</uri></photo>"
    "<bday><date>1815-12-10</date></bday>"
    "<adr><parameters><type><text>home</text></type></parameters>"
    "<street>St James's Square</street><locality>London</locality>"
    "<country>UK</country></adr>"
    "<tel><uri>tel:+44-1</uri></tel><tel><text>+44-2</text></tel>"
    "<email><text>ada@x.org</text></email>"
    "<impp><uri>xmpp:ada@x.org</uri></impp>"
    "<note><text>Notes on\nthe engine</text></note>"
    "<gender><sex><text>F</text></sex></gender>"
    "</vcard>";

static void test_read_v4(void **state)
{
    xmpp_stanza_t *e = xml(v4_card);
    g_autoptr(VCard) card = vcard_read(e);
    xmpp_stanza_release(e);
    assert_non_null(card);
    assert_values(card, "fn", "Ada Lovelace");
    assert_values(card, "given", "Ada");
    assert_values(card, "surname", "Lovelace");
    assert_values(card, "nickname", "ada");
    assert_values(card, "bday", "1815-12-10");
    assert_values(card, "locality", "London");
    assert_values(card, "country", "UK");
    assert_values(card, "region", NULL);
    /* Prefixes dropped, either child taken. */
    assert_values(card, "tel", "+44-1|+44-2");
    assert_values(card, "impp", "ada@x.org");
    assert_values(card, "email", "ada@x.org");
    assert_values(card, "note", "Notes on\nthe engine");
    assert_string_equal(card->photo, "a picture at https://x.org/ada.png");
    assert_false(vcard_is_empty(card));
}

static const char temp_card[] =
    "<vCard xmlns='vcard-temp'>"
    "<FN>Grace Hopper</FN><N><FAMILY>Hopper</FAMILY><GIVEN>Grace</GIVEN>"
    "<MIDDLE>Brewster</MIDDLE></N>"
    "<EMAIL><INTERNET/><PREF/><USERID>grace@x.org</USERID></EMAIL>"
    "<EMAIL><USERID>g@navy.x</USERID></EMAIL>"
    "<TEL><WORK/><NUMBER>555</NUMBER></TEL>"
    "<JABBERID>grace@x.org</JABBERID><URL>https://x.org/</URL>"
    "<ORG><ORGNAME>Navy</ORGNAME><ORGUNIT>Yard</ORGUNIT></ORG>"
    "<PHOTO><TYPE>image/png</TYPE><BINVAL>" /* 3 KiB of base64 */
    "%s</BINVAL></PHOTO>"
    "<DESC>Compilers</DESC></vCard>";

static xmpp_stanza_t *temp_element(void)
{
    g_autofree char *binval = g_strnfill(4096, 'A');
    g_autofree char *text = g_strdup_printf(temp_card, binval);
    return xml(text);
}

static void test_read_temp(void **state)
{
    xmpp_stanza_t *e = temp_element();
    g_autoptr(VCard) card = vcard_read(e);
    xmpp_stanza_release(e);
    assert_non_null(card);
    assert_values(card, "fn", "Grace Hopper");
    assert_values(card, "given", "Grace");
    assert_values(card, "surname", "Hopper");
    assert_values(card, "email", "grace@x.org|g@navy.x");
    assert_values(card, "tel", "555");
    assert_values(card, "impp", "grace@x.org");
    assert_values(card, "url", "https://x.org/");
    assert_values(card, "org", "Navy");
    assert_values(card, "note", "Compilers");
    assert_string_equal(card->photo, "a picture (image/png, 3 KiB)");
}

static void test_not_cards(void **state)
{
    const char *not_cards[] = {
        "<vcard/>", "<vCard xmlns='urn:ietf:params:xml:ns:vcard-4.0'/>",
        "<vcard xmlns='vcard-temp'/>", "<query xmlns='vcard-temp'/>"};
    for (guint i = 0; i < G_N_ELEMENTS(not_cards); i++) {
        xmpp_stanza_t *e = xml(not_cards[i]);
        assert_null(vcard_read(e));
        xmpp_stanza_release(e);
    }
    xmpp_stanza_t *empty = xml("<vCard xmlns='vcard-temp'><FN>  </FN>"
                               "<EMAIL><USERID/></EMAIL></vCard>");
    g_autoptr(VCard) card = vcard_read(empty);
    xmpp_stanza_release(empty);
    assert_true(vcard_is_empty(card));
}

/* OLD (XML) written with CHANGES, then read back; the written text in
 * *WRITTEN. */
static VCard *rewrite(xmpp_stanza_t *old, const char *ns,
                      const char *const *pairs, char **written)
{
    g_autoptr(GHashTable) changes = changes_of(pairs);
    xmpp_stanza_t *out = vcard_write(ctx, old, ns, changes);
    *written = to_text(out);
    VCard *card = vcard_read(out);
    xmpp_stanza_release(out);
    return card;
}

static void test_write_keeps_the_rest_v4(void **state)
{
    xmpp_stanza_t *old = xml(v4_card);
    g_autofree char *text = NULL;
    g_autoptr(VCard) card = rewrite(
        old, NULL,
        (const char *const[]){"given=Augusta", "region=Surrey", "email=a@x.org",
                              "email=b@x.org", "nickname=", "tel=+1", NULL},
        &text);
    xmpp_stanza_release(old);
    assert_values(card, "given", "Augusta");
    assert_values(card, "surname", "Lovelace");
    assert_values(card, "locality", "London");
    assert_values(card, "region", "Surrey");
    assert_values(card, "email", "a@x.org|b@x.org");
    assert_values(card, "nickname", NULL);
    assert_values(card, "tel", "+1");
    assert_values(card, "fn", "Ada Lovelace");
    assert_string_equal(card->photo, "a picture at https://x.org/ada.png");
    /* What natter does not know stays: the street, the address type, the
     * gender; the phone written as a tel: URI. */
    assert_non_null(strstr(text, ">St James's Square</street>"));
    assert_non_null(strstr(text, "<type><text>home</text></type>"));
    assert_non_null(strstr(text, "<gender><sex><text>F</text>"));
    assert_non_null(strstr(text, "<tel><uri>tel:+1</uri></tel>"));
    assert_null(strstr(text, "<nickname"));
    /* One <n>, one <adr>: changed in place, not added again. */
    assert_null(strstr(strstr(text, "<n>") + 1, "<n>"));
    assert_null(strstr(strstr(text, "<adr>") + 1, "<adr>"));
}

static void test_write_keeps_the_rest_temp(void **state)
{
    xmpp_stanza_t *old = temp_element();
    g_autofree char *text = NULL;
    g_autoptr(VCard) card =
        rewrite(old, NULL,
                (const char *const[]){"fn=Rear Admiral Hopper",
                                      "org=", "impp=", "email=amazing@grace.x",
                                      "title=Admiral", NULL},
                &text);
    xmpp_stanza_release(old);
    assert_values(card, "fn", "Rear Admiral Hopper");
    assert_values(card, "email", "amazing@grace.x");
    assert_values(card, "impp", NULL);
    assert_values(card, "title", "Admiral");
    assert_values(card, "given", "Grace");
    /* The organisation's name went, its unit stays; the photo stays. */
    assert_values(card, "org", NULL);
    assert_non_null(strstr(text, ">Yard</ORGUNIT></ORG>"));
    assert_string_equal(card->photo, "a picture (image/png, 3 KiB)");
    assert_non_null(strstr(text, ">Brewster</MIDDLE>"));
    assert_non_null(
        strstr(text, "<EMAIL><INTERNET/><USERID>amazing@grace.x</USERID>"));
    assert_null(strstr(text, "JABBERID"));
}

static void test_new_cards(void **state)
{
    const char *const pairs[] = {"fn=Alan",         "surname=Turing",
                                 "url=https://a.x", "country=UK",
                                 "note=one\ntwo",   NULL};
    g_autofree char *v4 = NULL;
    g_autoptr(VCard) a = rewrite(NULL, NS_VCARD4, pairs, &v4);
    assert_non_null(a);
    assert_non_null(strstr(v4, "xmlns=\"urn:ietf:params:xml:ns:vcard-4.0\""));
    g_autofree char *temp = NULL;
    g_autoptr(VCard) b = rewrite(NULL, NS_VCARD_TEMP, pairs, &temp);
    assert_non_null(b);
    assert_non_null(strstr(temp, "<vCard xmlns=\"vcard-temp\">"));
    for (const VCard *const *c = (const VCard *const[]){a, b, NULL}; *c; c++) {
        assert_values(*c, "fn", "Alan");
        assert_values(*c, "surname", "Turing");
        assert_values(*c, "url", "https://a.x");
        assert_values(*c, "country", "UK");
        assert_values(*c, "note", "one\ntwo");
    }
}

static void test_field_table(void **state)
{
    guint n = 0;
    const VcardFieldInfo *all = vcard_fields(&n);
    assert_true(n > 10);
    assert_string_equal(all[0].key, "fn");
    assert_ptr_equal(vcard_field_find("EMAIL"), vcard_field_find("email"));
    assert_true(vcard_field_find("email")->multi);
    assert_true(vcard_field_find("note")->lines);
    assert_null(vcard_field_find("photo"));
    assert_null(vcard_field_find(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_v4),
        cmocka_unit_test(test_read_temp),
        cmocka_unit_test(test_not_cards),
        cmocka_unit_test(test_write_keeps_the_rest_v4),
        cmocka_unit_test(test_write_keeps_the_rest_temp),
        cmocka_unit_test(test_new_cards),
        cmocka_unit_test(test_field_table),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("vcard_xml", tests, setup, teardown));
}
