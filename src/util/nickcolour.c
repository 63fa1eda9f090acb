/* nickcolour.c: see nickcolour.h. The colour maths is sRGB to CIE XYZ
 * (D65) to CIE Luv, whose polar hue is HSLuv's. */
#include "util/nickcolour.h"

#include <math.h>
#include <string.h>

double nickcolour_angle(const char *text, NickColourCvd cvd)
{
    guint8 digest[20];
    gsize len = sizeof digest;
    g_autoptr(GChecksum) sha1 = g_checksum_new(G_CHECKSUM_SHA1);
    g_checksum_update(sha1, (const guchar *)text, (gssize)strlen(text));
    g_checksum_get_digest(sha1, digest, &len);
    /* The first two bytes, little endian. */
    guint value = digest[0] | (guint)digest[1] << 8;
    /* The corrections as bit operations on the 16 bits, as the XEP
     * suggests: no floating-point modulo. */
    if (cvd == NICKCOLOUR_CVD_RED_GREEN)
        value = (value & 0x3FFF) | ((value & 0x4000) ? 0xC000 : 0);
    else if (cvd == NICKCOLOUR_CVD_BLUE)
        value &= 0x7FFF;
    return value / 65536.0 * 360.0;
}

static double linear(double c)
{
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

void nickcolour_hue(const NickColourRgb *colour, double *hue, double *lightness)
{
    double r = linear(colour->r), g = linear(colour->g), b = linear(colour->b);
    double x =
        0.41239079926595 * r + 0.35758433938387 * g + 0.18048078840183 * b;
    double y =
        0.21263900587151 * r + 0.71516867876775 * g + 0.072192315360733 * b;
    double z =
        0.019330818715591 * r + 0.11919477979462 * g + 0.95053215224966 * b;
    /* CIE L* with the exact constants of HSLuv. */
    double l = y <= 0.0088564516790356 ? y * 903.2962962962963
                                       : 116.0 * cbrt(y) - 16.0;
    double d = x + 15.0 * y + 3.0 * z;
    double h = 0;
    if (l > 0 && d > 0) {
        double u = 13.0 * l * (4.0 * x / d - 0.19783000664283);
        double v = 13.0 * l * (9.0 * y / d - 0.46831999493879);
        h = atan2(v, u) * 180.0 / G_PI;
        if (h < 0)
            h += 360.0;
    }
    *hue = h;
    *lightness = l;
}

typedef struct {
    int index;
    double lightness;
} Entry;

struct NickPalette {
    Entry by_angle[360]; /* index -1: no colour of that whole hue */
    guint count;
};

NickPalette *nickpalette_new(const NickColourRgb *colours, guint n)
{
    NickPalette *p = g_new0(NickPalette, 1);
    for (int a = 0; a < 360; a++)
        p->by_angle[a].index = -1;
    for (guint i = 0; i < n; i++) {
        const NickColourRgb *c = &colours[i];
        if (c->r == c->g && c->g == c->b)
            continue; /* grey: no hue */
        double hue, lightness;
        nickcolour_hue(c, &hue, &lightness);
        int a = (int)lround(hue) % 360;
        Entry *e = &p->by_angle[a];
        if (e->index < 0) {
            p->count++;
        } else if (fabs(e->lightness - 73.2) <= fabs(lightness - 73.2)) {
            continue;
        }
        e->index = (int)i;
        e->lightness = lightness;
    }
    return p;
}

void nickpalette_free(NickPalette *palette)
{
    g_free(palette);
}

/* The non-negative remainder of A by 360. */
static double mod360(double a)
{
    double m = fmod(a, 360.0);
    return m < 0 ? m + 360.0 : m;
}

int nickpalette_closest(const NickPalette *palette, double angle)
{
    if (!palette->count)
        return -1;
    int exact = (int)lround(angle);
    if (exact < 360 && palette->by_angle[exact].index >= 0)
        return palette->by_angle[exact].index;
    int best = -1;
    double best_distance = 361;
    for (int beta = 0; beta < 360; beta++) {
        if (palette->by_angle[beta].index < 0)
            continue;
        double d = MIN(mod360(angle - beta), mod360(beta - angle));
        if (d < best_distance) {
            best_distance = d;
            best = palette->by_angle[beta].index;
        }
    }
    return best;
}
