/* test_nickcolour.c: src/util/nickcolour.c against the test vectors of
 * XEP-0392 (section 8): angles with and without the corrections for
 * colour vision deficiencies, and the mapping to the 216-colour "web
 * safe" palette. */
#include "../unit.h"

#include <math.h>

#include "util/nickcolour.h"

typedef struct {
    const char *text;
    double angle, red_green, blue;
} AngleVector;

static const AngleVector angles[] = {
    {"Romeo", 327.255249, 327.255249, 147.255249},
    {"juliet@capulet.lit", 209.410400, 29.410400, 29.410400},
    {"\U0001F63A", 331.199341, 331.199341, 151.199341},
    {"council", 359.994507, 359.994507, 179.994507},
    {"Board", 171.430664, 351.430664, 171.430664},
};

static void assert_near(double got, double want)
{
    if (fabs(got - want) > 0.0001)
        fail_msg("%f is not %f", got, want);
}

static void test_angles(void **state)
{
    for (guint i = 0; i < G_N_ELEMENTS(angles); i++) {
        const AngleVector *v = &angles[i];
        assert_near(nickcolour_angle(v->text, NICKCOLOUR_CVD_NONE), v->angle);
        assert_near(nickcolour_angle(v->text, NICKCOLOUR_CVD_RED_GREEN),
                    v->red_green);
        assert_near(nickcolour_angle(v->text, NICKCOLOUR_CVD_BLUE), v->blue);
    }
}

/* The palette of the vectors: six steps on each axis of the RGB cube. */
static NickPalette *web_safe(NickColourRgb colours[216])
{
    for (int i = 0; i < 216; i++)
        colours[i] =
            (NickColourRgb){(i / 36) * 0.2, (i / 6 % 6) * 0.2, (i % 6) * 0.2};
    return nickpalette_new(colours, 216);
}

typedef struct {
    double hue;
    double r, g, b;
} PaletteVector;

static void check_palette(const PaletteVector *vectors, guint n)
{
    NickColourRgb colours[216];
    g_autoptr(NickPalette) palette = web_safe(colours);
    for (guint i = 0; i < n; i++) {
        int index = nickpalette_closest(palette, vectors[i].hue);
        assert_true(index >= 0);
        assert_near(colours[index].r, vectors[i].r);
        assert_near(colours[index].g, vectors[i].g);
        assert_near(colours[index].b, vectors[i].b);
    }
}

static void test_palette(void **state)
{
    /* No correction, red/green and blue corrected hues, as the XEP's
     * three tables give them. */
    static const PaletteVector plain[] = {
        {327.255249, 1.0, 0.0, 0.8}, {209.410400, 0.0, 0.8, 1.0},
        {331.199341, 1.0, 0.4, 0.8}, {359.994507, 0.8, 0.2, 0.4},
        {171.430664, 0.0, 1.0, 0.8},
    };
    static const PaletteVector corrected[] = {
        {29.410400, 1.0, 0.6, 0.4},  {351.430664, 0.4, 0.0, 0.2},
        {147.255249, 0.4, 0.8, 0.6}, {151.199341, 0.2, 0.8, 0.6},
        {179.994507, 0.0, 0.8, 0.8},
    };
    check_palette(plain, G_N_ELEMENTS(plain));
    check_palette(corrected, G_N_ELEMENTS(corrected));
}

static void test_greys_have_no_hue(void **state)
{
    NickColourRgb greys[] = {{0, 0, 0}, {0.5, 0.5, 0.5}, {1, 1, 1}};
    g_autoptr(NickPalette) palette = nickpalette_new(greys, 3);
    assert_int_equal(nickpalette_closest(palette, 120.0), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_angles),
        cmocka_unit_test(test_palette),
        cmocka_unit_test(test_greys_have_no_hue),
    };
    return unit_exit_status(
        cmocka_run_group_tests_name("nickcolour", tests, NULL, NULL));
}
