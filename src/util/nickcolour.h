/* nickcolour.h: consistent colours for nicks (XEP-0392): the same nick
 * gets the same hue in every client. A nick's hue angle comes from its
 * SHA-1; a terminal has a palette, so the angle is mapped to the palette
 * colour of the nearest hue (XEP-0392 5.5 and 5.6, hues in HSLuv, which
 * is CIE LCh(uv)). Pure: the UI gives the palette and sets the colours. */
#pragma once

#include <glib.h>

/* Corrections for colour vision deficiencies (XEP-0392 5.2). */
typedef enum {
    NICKCOLOUR_CVD_NONE,
    NICKCOLOUR_CVD_RED_GREEN,
    NICKCOLOUR_CVD_BLUE,
} NickColourCvd;

/* TEXT's hue in degrees, 0 <= angle < 360, corrected for CVD. */
double nickcolour_angle(const char *text, NickColourCvd cvd);

/* An sRGB colour, each channel 0..1. */
typedef struct {
    double r, g, b;
} NickColourRgb;

/* The hue (degrees) and lightness (0..100) of COLOUR in HSLuv. */
void nickcolour_hue(const NickColourRgb *colour, double *hue,
                    double *lightness);

/* A palette's colours by hue (XEP-0392 5.5): greys are left out, and of
 * colours with the same whole hue the one nearest a lightness of 73.2
 * stays. */
typedef struct NickPalette NickPalette;

NickPalette *nickpalette_new(const NickColourRgb *colours, guint n);
void nickpalette_free(NickPalette *palette);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NickPalette, nickpalette_free)

/* The index (into the colours given) of the colour whose hue is nearest
 * ANGLE; -1 when the palette has no colour but greys. */
int nickpalette_closest(const NickPalette *palette, double angle);
