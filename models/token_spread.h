/* token_spread.h: the spread of tokens from one call of a feature to the
 * next, and the exact expected price of a call under it.
 *
 * A feature gives the mean tokens of a call (features[].tokens); without a
 * spread every call has exactly those. With one, a call's input and output
 * tokens are drawn from a law scaled to those means, so levers that scale
 * tokens (compression, output limits) scale the law. What the spread
 * changes is the price: a provider bills every token of a request whose
 * input is above the long-context threshold at the long rates, and a
 * max_output limit cuts each call's output, so the expected price of a call
 * is not the price of the mean call. Prices stay linear in the number of
 * calls, so the engine still prices an interval's count at once. */
#ifndef TS_TOKEN_SPREAD_H
#define TS_TOKEN_SPREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/core/error.h"

enum token_law { TOKEN_FIXED, TOKEN_LOGNORMAL, TOKEN_EMPIRICAL };

#define TOKEN_PATH_LEN 256
#define TOKEN_COLUMN_LEN 48

struct token_table;

typedef struct token_spread {
    int law;                     /* enum token_law */
    double input_sigma;          /* lognormal: sigma of ln(input tokens of a call) */
    double output_sigma;         /* lognormal: sigma of ln(output tokens of a call) */
    double max_output;           /* a call's output is cut at this many tokens (0: no limit) */
    char data[TOKEN_PATH_LEN];   /* empirical: a CSV of requests, one a line, with a header */
    char input_column[TOKEN_COLUMN_LEN], output_column[TOKEN_COLUMN_LEN];
    const struct token_table *t; /* empirical: loaded by token_spread_prepare, shared, never freed */
} token_spread;

/* The names of enum token_law, for the loader, NULL-terminated. */
extern const char *const token_law_names[];

/* Whether ts changes any price: a law other than fixed, or an output limit.
 * When it does not, callers price the mean call as before. */
bool token_spread_active(const token_spread *ts);

/* A call's prices per token, $ per million: in_short/out_short for a
 * request whose input is at most `above` tokens, in_long/out_long above it
 * (above 0: no long-context pricing). Input prices already blend cached
 * reads and cache writes as the caller bills them. */
typedef struct token_prices {
    double in_short, out_short, in_long, out_long, above;
} token_prices;

/* The expectation over one call: input $ and output $ (per million calls,
 * i.e. tokens times $ per million tokens), and the output tokens left after
 * the limit. */
typedef struct token_expect {
    double input, output, out_tokens;
} token_expect;

/* The expected price of a call whose input and output tokens have means
 * tin and tout under ts (prepared). For the lognormal law, input and output
 * are independent, with mu = ln(mean) - sigma^2/2:
 *   E[I; I <= a] = tin Phi((ln a - mu_i - s_i^2) / s_i),  P(I <= a) = Phi((ln a - mu_i) / s_i)
 *   E[min(O, L)] = tout Phi((ln L - mu_o - s_o^2) / s_o) + L (1 - Phi((ln L - mu_o) / s_o))
 *   input  = in_short E[I; I <= a] + in_long (tin - E[I; I <= a])
 *   output = E[min(O, L)] (out_short P(I <= a) + out_long (1 - P(I <= a)))
 * For the empirical law, the data's requests (x_k, y_k), scaled to the
 * means (b_i = tin / mean x, b_o = tout / mean y), are summed exactly:
 *   input  = (1/n) sum_k b_i x_k in(b_i x_k)
 *   output = (1/n) sum_k min(b_o y_k, L) out(b_i x_k)
 * with in() and out() the short or long prices by the request's input. A
 * fixed law is the one request (tin, tout). */
token_expect token_spread_expect(const token_spread *ts, const token_prices *p, double tin, double tout);

/* Checks ts and loads its data (once per path, kept until the process
 * ends; call from one thread). On failure returns TS_ERR_INPUT or
 * TS_ERR_RUNTIME with err filled, and *what names the key at fault
 * ("input_sigma", "data", ...). */
int token_spread_prepare(token_spread *ts, const char **what, ts_error *err);

#endif
