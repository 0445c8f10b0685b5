/* wallet.c: one month of a credit wallet (see wallet.h). */
#include <math.h>
#include <string.h>

#include "wallet.h"

double wallet_month(const plan *p, double *lots, double burned, double *expired)
{
    int keep = p->rollover < WALLET_MAX_LOTS - 1 ? p->rollover : WALLET_MAX_LOTS - 1;
    double packs = p->min_packs;
    lots[0] += p->min_packs * p->pack_credits;
    /* drawdown: oldest lot first (closest to expiry), or newest first */
    double need = burned;
    for (int i = 0; i <= keep && need > 0; i++) {
        int k = p->drawdown == DRAW_OLDEST ? keep - i : i;
        double take = fmin(lots[k], need);
        lots[k] -= take;
        need -= take;
    }
    if (need > 1e-9) {
        /* automatic top-up: whole packs, into this month's lot */
        double more = ceil(need / p->pack_credits - 1e-9);
        packs += more;
        lots[0] += more * p->pack_credits - need;
    }
    /* the oldest kept lot expires at this month's end; the others age */
    *expired = lots[keep];
    memmove(lots + 1, lots, (size_t)keep * sizeof *lots);
    lots[0] = 0;
    return packs;
}
