/* fuzz_jid.c: libFuzzer harness for jid_parse() and the helpers built on
 * it (src/util/jid.c).
 *
 * The input, up to its first NUL, is parsed. Invariants: an error is set
 * exactly when parsing fails; a parsed address is consistent (bare and full
 * made of its parts, valid UTF-8, within the length limits); parsing its
 * full form again gives the same address (normalisation is idempotent);
 * the bare form parses to itself; an address is bare-equal to itself.
 *
 * Built with configure --enable-fuzzing; `make check` runs it briefly
 * (tests/fuzz/run-fuzzers.sh). For a long run by hand, in the build dir:
 *   mkdir -p /tmp/corpus && tests/fuzz/fuzz_jid -max_total_time=3600 \
 *       /tmp/corpus $(top_srcdir)/tests/fuzz/corpus/jid
 * A crash is saved as crash-* and replayed with tests/fuzz/fuzz_jid FILE. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/jid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(gboolean ok, const char *what, const char *input)
{
    if (!ok) {
        char *esc = g_strescape(input, NULL);
        fprintf(stderr, "invariant broken: %s, for \"%s\"\n", what, esc);
        g_free(esc);
        abort();
    }
}

static void check_part(const char *part, const char *input)
{
    if (!part)
        return;
    check(*part != '\0', "no part is empty", input);
    check(g_utf8_validate(part, -1, NULL), "parts are valid UTF-8", input);
    check(strlen(part) <= 1023, "parts are at most 1023 bytes", input);
}

static void check_valid(const char *str, const Jid *jid)
{
    check(jid->domain != NULL, "there is a domain", str);
    check_part(jid->local, str);
    check_part(jid->domain, str);
    check_part(jid->resource, str);
    check(!jid->local || !strpbrk(jid->local, "\"&'/:<>@ "),
          "no forbidden character in the local part", str);
    check(!strpbrk(jid->domain, "@/"), "no '@' or '/' in the domain", str);

    char *bare = jid->local ? g_strconcat(jid->local, "@", jid->domain, NULL)
                            : g_strdup(jid->domain);
    check(strcmp(bare, jid->bare) == 0, "bare is local@domain", str);
    char *full = jid->resource ? g_strconcat(bare, "/", jid->resource, NULL)
                               : g_strdup(bare);
    check(strcmp(full, jid->full) == 0, "full is bare/resource", str);
    g_free(full);
    g_free(bare);

    /* Normalising a normalised address changes nothing. */
    GError *error = NULL;
    Jid *again = jid_parse(jid->full, &error);
    check(again != NULL, "the full form parses again", str);
    check(error == NULL, "no error for the full form", str);
    check(strcmp(again->full, jid->full) == 0, "same full form", str);
    check(strcmp(again->bare, jid->bare) == 0, "same bare form", str);
    check(g_strcmp0(again->local, jid->local) == 0, "same local part", str);
    check(strcmp(again->domain, jid->domain) == 0, "same domain", str);
    check(g_strcmp0(again->resource, jid->resource) == 0, "same resource", str);
    jid_free(again);

    char *b = jid_bare(jid->bare);
    check(b && strcmp(b, jid->bare) == 0, "the bare form is its own bare", str);
    g_free(b);
    char *r = jid_resource(str);
    check(g_strcmp0(r, jid->resource) == 0, "jid_resource agrees", str);
    g_free(r);

    check(jid_is_valid(str), "jid_is_valid agrees", str);
    check(jid_bare_equal(str, str), "bare-equal to itself", str);
    check(jid_bare_equal(str, jid->bare), "bare-equal to its bare form", str);
    check(jid_full_equal(str, jid->full), "full-equal to its full form", str);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *str = g_strndup((const char *)data, size);
    GError *error = NULL;
    Jid *jid = jid_parse(str, &error);
    if (jid) {
        check(error == NULL, "no error when parsed", str);
        check_valid(str, jid);
        jid_free(jid);
    } else {
        check(error != NULL, "an error when refused", str);
        check(g_utf8_validate(error->message, -1, NULL) ||
                  !g_utf8_validate(str, -1, NULL),
              "the error message is UTF-8 for UTF-8 input", str);
        check(!jid_is_valid(str), "jid_is_valid agrees", str);
        check(!jid_bare_equal(str, str), "invalid is never equal", str);
        char *b = jid_bare(str);
        check(b == NULL, "no bare form of an invalid address", str);
        g_error_free(error);
    }
    g_free(str);
    return 0;
}
