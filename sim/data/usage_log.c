/* usage_log.c: the sums kept while usage data is read (usage_log.h). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usage_log.h"

const double data_thresholds[DATA_NTHRESHOLDS] = { 32000, 128000, 200000 };

bool data_usage_init(data_usage *u, data_price_fn price, void *price_ctx)
{
    memset(u, 0, sizeof *u);
    u->price = price;
    u->price_ctx = price_ctx;
    u->nslots = 1024;
    u->slots = calloc(u->nslots, sizeof *u->slots);
    u->rng = 0x9e3779b97f4a7c15ULL;
    u->t_min = INFINITY;
    u->t_max = -INFINITY;
    u->per_request = true;
    return u->slots != NULL;
}

void data_usage_free(data_usage *u)
{
    for (size_t i = 0; i < u->ncustomers; i++)
        free(u->customers[i].id);
    free(u->customers);
    free(u->slots);
    free(u->sample_in);
    free(u->sample_out);
    free(u->values);
    memset(u, 0, sizeof *u);
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;      /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static bool grow_slots(data_usage *u)
{
    size_t ns = u->nslots * 2;
    size_t *s = calloc(ns, sizeof *s);
    if (!s)
        return false;
    for (size_t i = 0; i < u->ncustomers; i++) {
        const char *id = u->customers[i].id;
        size_t h = hash_bytes(id, strlen(id)) & (ns - 1);
        while (s[h])
            h = (h + 1) & (ns - 1);
        s[h] = i + 1;
    }
    free(u->slots);
    u->slots = s;
    u->nslots = ns;
    return true;
}

static data_customer *customer_get(data_usage *u, const char *id, size_t n)
{
    size_t h = hash_bytes(id, n) & (u->nslots - 1);
    while (u->slots[h]) {
        data_customer *c = &u->customers[u->slots[h] - 1];
        if (!strncmp(c->id, id, n) && c->id[n] == 0)
            return c;
        h = (h + 1) & (u->nslots - 1);
    }
    if (u->ncustomers == u->cap) {
        size_t nc = u->cap ? u->cap * 2 : 256;
        data_customer *a = realloc(u->customers, nc * sizeof *a);
        if (!a)
            return NULL;
        u->customers = a;
        u->cap = nc;
    }
    data_customer *c = &u->customers[u->ncustomers];
    *c = (data_customer){ .id = strndup(id, n), .first_month = -1, .last_month = -1 };
    if (!c->id)
        return NULL;
    u->slots[h] = ++u->ncustomers;
    if (2 * u->ncustomers > u->nslots && !grow_slots(u))
        return NULL;
    return &u->customers[u->ncustomers - 1];
}

static data_model *model_get(data_usage *u, const char *name, size_t n)
{
    for (int i = 0; i < u->nmodels; i++) {
        data_model *m = &u->models[i];
        if (strlen(m->name) == n && !memcmp(m->name, name, n))
            return m;
    }
    if (u->nmodels == DATA_MAX_MODELS)
        return NULL;
    data_model *m = &u->models[u->nmodels++];
    memset(m, 0, sizeof *m);
    snprintf(m->name, sizeof m->name, "%.*s", (int)(n < sizeof m->name ? n : sizeof m->name - 1), name);
    m->priced = u->price && u->price(u->price_ctx, m->name, m->per_mtok);
    return m;
}

static unsigned long long next_rand(data_usage *u)
{
    /* xorshift64*: the reservoir needs evenness, not cryptography */
    u->rng ^= u->rng >> 12;
    u->rng ^= u->rng << 25;
    u->rng ^= u->rng >> 27;
    return u->rng * 2685821657736338717ULL;
}

/* The tokens of one request: running sums and the reservoir. */
static int add_tokens(data_usage *u, double in, double out, ts_error *err)
{
    u->tok_n++;
    if (in > 0) {
        double l = log(in);
        u->tok_pos_in++;
        u->sl_in += l;
        u->sll_in += l * l;
    }
    if (out > 0) {
        double l = log(out);
        u->tok_pos_out++;
        u->sl_out += l;
        u->sll_out += l * l;
    }
    if (in > 0 && out > 0) {
        u->tok_pos_both++;
        u->sl_inout += log(in) * log(out);
    }
    u->s_in += in;
    u->s_out += out;
    u->ss_in += in * in;
    u->ss_out += out * out;
    u->s_inout += in * out;
    for (int k = 0; k < DATA_NTHRESHOLDS; k++)
        u->above[k] += in > data_thresholds[k];
    if (!u->sample_in) {
        u->sample_in = malloc(DATA_TOKEN_SAMPLE * sizeof(double));
        u->sample_out = malloc(DATA_TOKEN_SAMPLE * sizeof(double));
        if (!u->sample_in || !u->sample_out)
            return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory keeping token counts");
    }
    size_t slot = u->nsample;
    if (u->nsample == DATA_TOKEN_SAMPLE) {
        /* Algorithm R: the k-th request replaces a kept one with chance S/k */
        slot = (size_t)(next_rand(u) % (unsigned long long)u->tok_n);
        if (slot >= DATA_TOKEN_SAMPLE)
            return TS_OK;
    } else {
        u->nsample++;
    }
    u->sample_in[slot] = in;
    u->sample_out[slot] = out;
    return TS_OK;
}

static int add_value(data_usage *u, double v, ts_error *err)
{
    if (!(v > 0)) {
        u->nonpositive_values++;
        return TS_OK;
    }
    if (u->nvalues == u->vcap) {
        size_t nc = u->vcap ? 2 * u->vcap : 1024;
        double *a = realloc(u->values, nc * sizeof *a);
        if (!a)
            return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory keeping values");
        u->values = a;
        u->vcap = nc;
    }
    u->values[u->nvalues++] = v;
    return TS_OK;
}

int data_usage_add(void *ctx, const data_record *r, ts_error *err)
{
    data_usage *u = ctx;
    u->rows++;
    if (!isnan(r->value))
        return add_value(u, r->value, err);
    double count = isnan(r->interactions) ? r->requests : r->interactions;
    if (!isnan(r->interactions) || r->requests != 1)
        u->per_request = false;
    if (!isnan(r->time)) {
        u->t_min = r->time < u->t_min ? r->time : u->t_min;
        u->t_max = r->time > u->t_max ? r->time : u->t_max;
    } else if (r->month < 0) {
        u->no_time++;
    }
    double catalog = 0;
    if (r->model) {
        data_model *m = model_get(u, r->model, r->model_len);
        if (!m) {
            u->model_overflow++;
        } else {
            m->requests += count;
            m->input += r->input;
            m->output += r->output;
            m->cached += r->cached;
            if (!isnan(r->cost))
                m->cost += r->cost;
            if (m->priced) {
                /* cached tokens are part of the input, billed at their own price */
                double fresh = r->input > r->cached ? r->input - r->cached : 0;
                catalog = 1e-6 * (fresh * m->per_mtok[0] + r->output * m->per_mtok[1] + r->cached * m->per_mtok[2]);
                m->catalog_cost += catalog;
            } else {
                u->unpriced++;
            }
        }
    }
    if (r->customer) {
        data_customer *c = customer_get(u, r->customer, r->customer_len);
        if (!c)
            return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory keeping customers");
        c->interactions += count;
        c->input += r->input;
        c->output += r->output;
        c->cached += r->cached;
        if (!isnan(r->cost))
            c->cost += r->cost;
        c->catalog_cost += catalog;
        if (r->month >= 0) {
            if (c->first_month < 0 || r->month < c->first_month)
                c->first_month = r->month;
            if (r->month > c->last_month)
                c->last_month = r->month;
        }
    }
    if (isnan(r->interactions) && r->requests == 1) {
        if (r->input + r->output <= 0) {
            u->zero_token++;
            return TS_OK;
        }
        return add_tokens(u, r->input, r->output, err);
    }
    return TS_OK;
}

int data_customer_months(const data_customer *c)
{
    return c->first_month < 0 ? 1 : c->last_month - c->first_month + 1;
}
