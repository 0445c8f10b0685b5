/* format.h: how figures read wherever a user sees them (terminal tables,
 * report.md, report.html, plot labels): money with thousands separators and
 * a fixed number of decimals per column, and the rule that decides when a
 * segment earns too little for its margin to mean anything. */
#ifndef TS_FORMAT_H
#define TS_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/engine/stats.h"

/* v as money: "$1,234,568" (decimals 0), "-$0.53" (decimals 2); "-" for NaN.
 * A column uses one `decimals` for all its cells so that every cell has the
 * same unit (no "$64.0k" beside "$4578.81"). buf is always NUL-terminated;
 * returns buf. */
const char *fmt_money(char *buf, size_t n, double v, int decimals);

/* v with thousands separators and `decimals` digits: "1,234,567.8"; "-" for
 * NaN. Returns buf. */
const char *fmt_number(char *buf, size_t n, double v, int decimals);

/* A segment's margin is shown only where the segment's mean revenue is at
 * least this share of its mean cost (inference plus other costs); below it
 * the margin is under -900% (a segment that pays almost nothing, such as the
 * light users of a free tier) and says nothing but "pays nothing": tables
 * print "-", CSV leaves the cell empty and the segment plot leaves the bar
 * out. */
#define FMT_SEGMENT_MIN_REVENUE_SHARE 0.10

/* Whether plan p's segment g has enough revenue for a margin (see above).
 * sm must hold plan p and segment g. */
bool fmt_segment_margin_shown(const summary *sm, int p, int g);

/* Whether plan p has a segment whose margin is shown, and so a plot of
 * its segments' margins. */
bool fmt_segments_plotted(const summary *sm, int p);

#endif
