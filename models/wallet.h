/* wallet.h: a prepaid credit wallet that carries credits across months.
 *
 * Credits come in lots, one per purchase month, each expiring `rollover`
 * months after the month it was bought in (0: at that month's end). Each
 * month the customer buys `min_packs` packs, burns credits from its lots in
 * the drawdown order (the lots closest to expiry first, or the newest
 * first), buys more packs when the wallet runs dry (automatic top-up), and
 * loses whatever expires at the month's end (breakage). */
#ifndef TS_WALLET_H
#define TS_WALLET_H

#include "plan.h"

#define WALLET_MAX_LOTS 13          /* rollover of up to 12 months, plus this month's lot */

enum wallet_drawdown { DRAW_OLDEST, DRAW_NEWEST };

/* lots[k] holds the credits bought k months ago (k = 0: this month's).
 * Runs one month: buys, burns `burned` credits, expires, and ages the lots
 * by one month. Returns the packs bought; *expired gets the credits that
 * expired unused. lots must have WALLET_MAX_LOTS entries. */
double wallet_month(const plan *p, double *lots, double burned, double *expired);

#endif
