/* format.c: money and number formatting, and the segment-margin threshold,
 * shared by the terminal, the Markdown/HTML report and the plots. */
#include "format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Digits of |v| with commas every three places, sign first unless the value
 * rounds to zero (no "-0"). */
static void grouped(char *out, size_t n, double v, int decimals, const char *unit)
{
    char raw[400];
    snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v));
    const char *dot = strchr(raw, '.');
    size_t intlen = dot ? (size_t)(dot - raw) : strlen(raw);
    char tmp[600];
    size_t j = 0;
    if (v < 0 && strspn(raw, "0.") != strlen(raw))
        tmp[j++] = '-';
    for (const char *u = unit; *u; u++)
        tmp[j++] = *u;
    for (size_t i = 0; i < intlen && j + 2 < sizeof tmp; i++) {
        tmp[j++] = raw[i];
        size_t left = intlen - i - 1;
        if (left > 0 && left % 3 == 0)
            tmp[j++] = ',';
    }
    tmp[j] = 0;
    snprintf(out, n, "%s%s", tmp, dot ? dot : "");
}

const char *fmt_number(char *buf, size_t n, double v, int decimals)
{
    if (!isfinite(v))
        snprintf(buf, n, "-");
    else
        grouped(buf, n, v, decimals, "");
    return buf;
}

const char *fmt_money(char *buf, size_t n, double v, int decimals)
{
    if (!isfinite(v))
        snprintf(buf, n, "-");
    else
        grouped(buf, n, v, decimals, "$");
    return buf;
}

bool fmt_segment_margin_shown(const summary *sm, int p, int g)
{
    double rev = sum_seg(sm, p, g, SX_REVENUE)->mean;
    double cost = rev - sum_seg(sm, p, g, SX_PROFIT)->mean;
    double margin = sum_seg(sm, p, g, SX_MARGIN)->mean;
    return isfinite(margin) && rev > 0 && rev >= FMT_SEGMENT_MIN_REVENUE_SHARE * cost;
}

bool fmt_segments_plotted(const summary *sm, int p)
{
    for (int g = 0; g < sm->nsegments; g++)
        if (fmt_segment_margin_shown(sm, p, g))
            return true;
    return false;
}
