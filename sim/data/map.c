/* map.c: which column means what, and one row's text turned into numbers.
 *
 * A preset names, for each role, the column names it answers to (first
 * present wins, compared without case) and the roles a header must have for
 * the preset to be recognised. --map names columns itself, over a preset or
 * alone. Conversion checks every field it reads: token counts and requests
 * must be finite and not negative, timestamps ISO 8601 or Unix seconds,
 * customer ids non-empty. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/scenario/schema.h"
#include "reader_internal.h"

const char *const data_role_names[ROLE_COUNT] = {
    "customer", "time", "month", "model", "input", "output", "cached", "cost", "feature", "requests",
    "interactions", "value"
};

typedef struct preset {
    const char *name, *what;
    const char *cols[ROLE_COUNT];    /* "a|b": candidate columns per role */
    unsigned required;               /* bit per role */
    const char *forbid;              /* "a|b": columns that rule the preset out */
} preset;

#define BIT(r) (1u << (r))

static const preset presets[] = {
    { "litellm-spend-logs", "LiteLLM's LiteLLM_SpendLogs table or its CSV export, one row per request",
      { [ROLE_CUSTOMER] = "user|end_user", [ROLE_TIME] = "startTime", [ROLE_MODEL] = "model",
        [ROLE_INPUT] = "prompt_tokens", [ROLE_OUTPUT] = "completion_tokens", [ROLE_COST] = "spend",
        [ROLE_FEATURE] = "call_type" },
      BIT(ROLE_CUSTOMER) | BIT(ROLE_TIME) | BIT(ROLE_INPUT) | BIT(ROLE_OUTPUT) | BIT(ROLE_COST), NULL },
    { "litellm-daily-user-spend", "LiteLLM's LiteLLM_DailyUserSpend: per user, day and model, totals",
      { [ROLE_CUSTOMER] = "user_id", [ROLE_TIME] = "date", [ROLE_MODEL] = "model", [ROLE_INPUT] = "prompt_tokens",
        [ROLE_OUTPUT] = "completion_tokens", [ROLE_CACHED] = "cache_read_input_tokens", [ROLE_COST] = "spend",
        [ROLE_REQUESTS] = "api_requests" },
      BIT(ROLE_CUSTOMER) | BIT(ROLE_TIME) | BIT(ROLE_REQUESTS), NULL },
    { "openai-usage", "an OpenAI-style organisation usage export: per bucket, project or user and model, totals",
      { [ROLE_CUSTOMER] = "user_id|project_id", [ROLE_TIME] = "start_time", [ROLE_MODEL] = "model",
        [ROLE_INPUT] = "input_tokens", [ROLE_CACHED] = "input_cached_tokens", [ROLE_OUTPUT] = "output_tokens",
        [ROLE_REQUESTS] = "num_model_requests" },
      BIT(ROLE_CUSTOMER) | BIT(ROLE_TIME) | BIT(ROLE_REQUESTS), NULL },
    { "monthly", "a per-customer monthly usage table: customer, month, interactions, optional tokens",
      { [ROLE_CUSTOMER] = "customer|customer_id", [ROLE_MONTH] = "month", [ROLE_INTERACTIONS] = "interactions",
        [ROLE_INPUT] = "input_tokens", [ROLE_OUTPUT] = "output_tokens", [ROLE_COST] = "cost" },
      BIT(ROLE_CUSTOMER) | BIT(ROLE_MONTH) | BIT(ROLE_INTERACTIONS), NULL },
    { "trace", "a per-request trace with no customer column: time, input and output tokens",
      { [ROLE_TIME] = "TIMESTAMP|time|start_time", [ROLE_MODEL] = "model",
        [ROLE_INPUT] = "ContextTokens|input_tokens|prompt_tokens",
        [ROLE_OUTPUT] = "GeneratedTokens|output_tokens|completion_tokens" },
      BIT(ROLE_INPUT) | BIT(ROLE_OUTPUT), "customer|customer_id|user|user_id|end_user|project_id" },
    { "values", "a plain file of one number per line, as power-law fitters read them", { [ROLE_VALUE] = "value" },
      BIT(ROLE_VALUE), NULL },
};
#define NPRESETS ((int)(sizeof presets / sizeof presets[0]))

const data_preset_doc data_preset_docs[] = {
    { "litellm-spend-logs", "LiteLLM_SpendLogs: request_id, user, startTime, model, prompt_tokens, completion_tokens, spend" },
    { "litellm-daily-user-spend", "LiteLLM_DailyUserSpend: user_id, date, model, prompt_tokens, completion_tokens, spend, api_requests" },
    { "openai-usage", "OpenAI usage buckets: start_time, user_id or project_id, model, input_tokens, input_cached_tokens, output_tokens, num_model_requests" },
    { "monthly", "customer, month, interactions[, input_tokens, output_tokens, cost]" },
    { "trace", "TIMESTAMP, ContextTokens, GeneratedTokens (or time, input_tokens, output_tokens), no customer" },
    { "values", "one number a line, no header" },
};
const int data_npresets = NPRESETS;

/* The index of the first of "a|b|c" in header, or -1. */
static int find_col(const char *cands, const char *const *header, int ncols)
{
    if (!cands)
        return -1;
    const char *p = cands;
    while (*p) {
        size_t l = strcspn(p, "|");
        for (int i = 0; i < ncols; i++)
            if (strlen(header[i]) == l && !strncasecmp(header[i], p, l))
                return i;
        p += l;
        if (*p == '|')
            p++;
    }
    return -1;
}

/* " (did you mean 'x'?)" for the nearest of names, or "". */
static void suggest(char *buf, size_t n, const char *what, const char *const *names, int nnames)
{
    int best = -1, bd = 99;
    for (int i = 0; i < nnames; i++) {
        int d = schema_distance(what, names[i]);
        if (d < bd) {
            bd = d;
            best = i;
        }
    }
    if (best >= 0 && bd <= 3)
        snprintf(buf, n, " (did you mean '%s'?)", names[best]);
    else
        buf[0] = 0;
}

static void record_columns(const data_mapper *m, const char *const *header, data_info *info)
{
    for (int r = 0; r < ROLE_COUNT; r++) {
        info->has[r] = m->col[r] >= 0;
        snprintf(info->column[r], sizeof info->column[r], "%s", m->col[r] >= 0 ? header[m->col[r]] : "");
    }
}

/* Applies "role=column,..." to m. */
static int apply_map(data_mapper *m, const char *map, const char *const *header, int ncols, ts_error *err)
{
    char buf[1024], hint[96];
    snprintf(buf, sizeof buf, "%s", map);
    for (char *save = NULL, *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        if (!eq || eq == item || !eq[1])
            return ts_error_set(err, TS_ERR_INPUT, "--map", 0, 0,
                                "invalid mapping '%s': expected ROLE=COLUMN, e.g. customer=user", item);
        *eq = 0;
        int r = 0;
        while (r < ROLE_COUNT && strcmp(data_role_names[r], item))
            r++;
        if (r == ROLE_COUNT) {
            suggest(hint, sizeof hint, item, data_role_names, ROLE_COUNT);
            return ts_error_set(err, TS_ERR_INPUT, "--map", 0, 0,
                                "unknown role '%s'%s: expected one of customer, time, month, model, input, output, "
                                "cached, cost, feature, requests, interactions, value", item, hint);
        }
        int c = -1;
        for (int i = 0; i < ncols && c < 0; i++)
            if (!strcmp(header[i], eq + 1))
                c = i;
        if (c < 0) {
            suggest(hint, sizeof hint, eq + 1, header, ncols);
            return ts_error_set(err, TS_ERR_INPUT, m->source, 1, 1, "missing column '%s' for %s in the header%s",
                                eq + 1, item, hint);
        }
        m->col[r] = c;
    }
    return TS_OK;
}

static const preset *preset_named(const char *name)
{
    for (int i = 0; i < NPRESETS; i++)
        if (!strcmp(presets[i].name, name))
            return &presets[i];
    return NULL;
}

/* Maps p's roles; returns the bits of required roles that are missing. */
static unsigned map_preset(data_mapper *m, const preset *p, const char *const *header, int ncols)
{
    if (p->forbid && find_col(p->forbid, header, ncols) >= 0)
        return p->required ? p->required : 1;
    unsigned missing = 0;
    for (int r = 0; r < ROLE_COUNT; r++) {
        m->col[r] = find_col(p->cols[r], header, ncols);
        if (m->col[r] < 0 && (p->required & BIT(r)))
            missing |= BIT(r);
    }
    return missing;
}

int data_mapper_init(data_mapper *m, const char *const *header, int ncols, const data_opts *o, const char *source,
                     data_info *info, ts_error *err)
{
    memset(m, 0, sizeof *m);
    snprintf(m->source, sizeof m->source, "%s", source);
    m->info = info;
    for (int r = 0; r < ROLE_COUNT; r++)
        m->col[r] = -1;
    const preset *p = NULL;
    if (o->preset) {
        p = preset_named(o->preset);
        if (!p) {
            const char *names[NPRESETS];
            char hint[96];
            for (int i = 0; i < NPRESETS; i++)
                names[i] = presets[i].name;
            suggest(hint, sizeof hint, o->preset, names, NPRESETS);
            return ts_error_set(err, TS_ERR_INPUT, "--preset", 0, 0, "unknown preset '%s'%s: expected one of "
                                "litellm-spend-logs, litellm-daily-user-spend, openai-usage, monthly, trace, values",
                                o->preset, hint);
        }
        unsigned missing = map_preset(m, p, header, ncols);
        for (int r = 0; r < ROLE_COUNT && missing && !o->map; r++)
            if (missing & BIT(r))
                return ts_error_set(err, TS_ERR_INPUT, m->source, 1, 1,
                                    "missing column for %s of preset %s: found none of '%s' in the header",
                                    data_role_names[r], p->name, p->cols[r] ? p->cols[r] : "?");
    } else {
        for (int i = 0; i < NPRESETS - 1 && !p; i++)   /* values has no header to recognise */
            if (!map_preset(m, &presets[i], header, ncols))
                p = &presets[i];
        if (!p) {
            for (int r = 0; r < ROLE_COUNT; r++)
                m->col[r] = -1;
            if (!o->map)
                return ts_error_set(err, TS_ERR_INPUT, m->source, 1, 1,
                                    "unrecognised header '%s%s%s%s': expected the columns of a preset (see "
                                    "'tokensim fit --help') or --map ROLE=COLUMN,...", header[0],
                                    ncols > 1 ? "," : "", ncols > 1 ? header[1] : "", ncols > 2 ? ",..." : "");
        }
    }
    if (o->map && apply_map(m, o->map, header, ncols, err))
        return err->code;
    snprintf(info->preset, sizeof info->preset, "%s", p ? p->name : "map");
    if (m->col[ROLE_CUSTOMER] < 0 && m->col[ROLE_VALUE] < 0 && m->col[ROLE_INPUT] < 0)
        return ts_error_set(err, TS_ERR_INPUT, m->source, 1, 1, "missing column: map at least customer, input or "
                            "value (e.g. --map customer=user)");
    record_columns(m, header, info);
    return TS_OK;
}

void data_mapper_values(data_mapper *m, const char *source, data_info *info)
{
    memset(m, 0, sizeof *m);
    snprintf(m->source, sizeof m->source, "%s", source);
    m->info = info;
    for (int r = 0; r < ROLE_COUNT; r++)
        m->col[r] = -1;
    m->col[ROLE_VALUE] = 0;
    snprintf(info->preset, sizeof info->preset, "values");
    const char *h[1] = { "value" };
    record_columns(m, h, info);
}

/* The days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's
 * days_from_civil). */
static long days_from_civil(long y, unsigned mo, unsigned d)
{
    y -= mo <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static bool digits(const char *s, const char *e, int n, int *out)
{
    if (e - s < n)
        return false;
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool data_time_parse(const char *s, size_t len, double *out)
{
    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    const char *p = s, *e = s + len;
    int y, mo, d = 1, h = 0, mi = 0, sec = 0;
    if (len >= 7 && digits(p, e, 4, &y) && p[4] == '-' && digits(p + 5, e, 2, &mo)) {
        p += 7;
        if (p < e && *p == '-') {
            if (!digits(p + 1, e, 2, &d))
                return false;
            p += 3;
        }
        if (mo < 1 || mo > 12 || d < 1 || d > 31)
            return false;
        double frac = 0, zone = 0;
        if (p < e && (*p == 'T' || *p == ' ')) {
            if (!digits(p + 1, e, 2, &h) || p + 3 >= e || p[3] != ':' || !digits(p + 4, e, 2, &mi))
                return false;
            p += 6;
            if (p < e && *p == ':') {
                if (!digits(p + 1, e, 2, &sec))
                    return false;
                p += 3;
                if (p < e && (*p == '.' || *p == ',')) {
                    double scale = 0.1;
                    for (p++; p < e && isdigit((unsigned char)*p); p++, scale /= 10)
                        frac += (*p - '0') * scale;
                }
            }
            if (h > 24 || mi > 59 || sec > 60)
                return false;
            if (p < e && *p == 'Z') {
                p++;
            } else if (p < e && (*p == '+' || *p == '-')) {
                int sign = *p == '-' ? -1 : 1, zh, zm = 0;
                if (!digits(p + 1, e, 2, &zh))
                    return false;
                p += 3;
                if (p < e && *p == ':')
                    p++;
                if (p < e) {
                    if (!digits(p, e, 2, &zm))
                        return false;
                    p += 2;
                }
                zone = sign * (zh * 3600.0 + zm * 60.0);
            }
        }
        if (p != e)
            return false;
        *out = (double)days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400.0 + h * 3600.0 + mi * 60.0 + sec + frac
               - zone;
        return true;
    }
    /* Unix seconds */
    if (!len || len > 40)
        return false;
    char buf[48];
    memcpy(buf, s, len);
    buf[len] = 0;
    char *end;
    double v = strtod(buf, &end);
    if (*end || !isfinite(v) || !isdigit((unsigned char)buf[0]))
        return false;
    *out = v;
    return true;
}

int data_month_of(double t)
{
    /* civil_from_days (Hinnant) for the year and month only */
    long z = (long)floor(t / 86400.0) + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    return (int)((y - 1970) * 12 + (long)m - 1);
}

/* The 1-based character column where column c of the current line
 * starts: after c unquoted commas (CSV), or at the key (JSON lines); 1
 * when the line is not known. */
static int char_column(const data_mapper *m, int c, const char *name)
{
    if (!m->text)
        return 1;
    if (m->jsonl) {
        for (size_t i = 0; i + strlen(name) + 2 <= m->text_len; i++)
            if (m->text[i] == '"' && !strncmp(m->text + i + 1, name, strlen(name)) && m->text[i + 1 + strlen(name)] == '"')
                return (int)i + 1;
        return 1;
    }
    bool quoted = false;
    size_t i = 0;
    for (int k = 0; i < m->text_len && k < c; i++) {
        if (m->text[i] == '"')
            quoted = !quoted;
        else if (m->text[i] == ',' && !quoted)
            k++;
    }
    return (int)i + 1;
}

/* The location of a message: "FILE:LINE:COL:" or "table T: row N:". */
static int bad_field(const data_mapper *m, long line, int role, const char *f, size_t n, const char *what,
                     ts_error *err)
{
    char col[80];
    snprintf(col, sizeof col, "%s", m->info->column[role]);
    if (m->rows_not_lines)
        return ts_error_set(err, TS_ERR_INPUT, m->source, 0, 0, "row %ld: %s in column '%s': found '%.*s'", line,
                            what, col, (int)(n > 60 ? 60 : n), f);
    return ts_error_set(err, TS_ERR_INPUT, m->source, (int)line, char_column(m, m->col[role], col),
                        "%s in column '%s': found '%.*s'", what, col,
                        (int)(n > 60 ? 60 : n), f);
}

/* A number >= 0 (a count): false when not numeric, negative or not finite. */
static bool parse_count(const char *f, size_t n, double *out)
{
    char buf[64];
    if (!n || n >= sizeof buf)
        return false;
    memcpy(buf, f, n);
    buf[n] = 0;
    char *end;
    double v = strtod(buf, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (end == buf || *end || !isfinite(v) || v < 0)
        return false;
    *out = v;
    return true;
}

static int count_field(const data_mapper *m, const char *const *f, const size_t *n, long line, int role,
                       double *out, bool optional, ts_error *err)
{
    if (!f[role])
        return TS_OK;
    if (optional && n[role] == 0)
        return TS_OK;
    if (parse_count(f[role], n[role], out))
        return TS_OK;
    return bad_field(m, line, role, f[role], n[role], n[role] ? "invalid count (a number >= 0 expected)"
                                                             : "empty count (a number >= 0 expected)", err);
}

int data_mapper_record(const data_mapper *m, const char *const *f, const size_t *n, long line, data_record *r,
                       ts_error *err)
{
    *r = (data_record){ .time = NAN, .month = -1, .cost = NAN, .requests = 1, .interactions = NAN, .value = NAN,
                        .line = line };
    if (f[ROLE_CUSTOMER]) {
        const char *c = f[ROLE_CUSTOMER];
        size_t l = n[ROLE_CUSTOMER];
        while (l && isspace((unsigned char)*c))
            c++, l--;
        while (l && isspace((unsigned char)c[l - 1]))
            l--;
        if (!l)
            return bad_field(m, line, ROLE_CUSTOMER, "", 0, "empty customer id", err);
        r->customer = c;
        r->customer_len = l;
    }
    if (f[ROLE_TIME]) {
        if (!data_time_parse(f[ROLE_TIME], n[ROLE_TIME], &r->time))
            return bad_field(m, line, ROLE_TIME, f[ROLE_TIME], n[ROLE_TIME],
                             "invalid timestamp (ISO 8601 or Unix seconds expected)", err);
        r->month = data_month_of(r->time);
    }
    if (f[ROLE_MONTH]) {
        double t;
        if (!data_time_parse(f[ROLE_MONTH], n[ROLE_MONTH], &t) || n[ROLE_MONTH] < 7)
            return bad_field(m, line, ROLE_MONTH, f[ROLE_MONTH], n[ROLE_MONTH], "invalid month (YYYY-MM expected)",
                             err);
        r->month = data_month_of(t);
    }
    if (f[ROLE_MODEL]) {
        r->model = f[ROLE_MODEL];
        r->model_len = n[ROLE_MODEL];
    }
    if (f[ROLE_FEATURE]) {
        r->feature = f[ROLE_FEATURE];
        r->feature_len = n[ROLE_FEATURE];
    }
    if (count_field(m, f, n, line, ROLE_INPUT, &r->input, false, err)
        || count_field(m, f, n, line, ROLE_OUTPUT, &r->output, false, err)
        || count_field(m, f, n, line, ROLE_CACHED, &r->cached, true, err)
        || count_field(m, f, n, line, ROLE_REQUESTS, &r->requests, false, err)
        || count_field(m, f, n, line, ROLE_INTERACTIONS, &r->interactions, false, err))
        return err->code;
    if (f[ROLE_COST] && n[ROLE_COST] && count_field(m, f, n, line, ROLE_COST, &r->cost, false, err))
        return err->code;
    if (f[ROLE_VALUE]) {
        char buf[64], *end;
        size_t l = n[ROLE_VALUE];
        if (l && l < sizeof buf) {
            memcpy(buf, f[ROLE_VALUE], l);
            buf[l] = 0;
            r->value = strtod(buf, &end);
            while (isspace((unsigned char)*end))
                end++;
        }
        if (!l || l >= sizeof buf || end == buf || *end || !isfinite(r->value))
            return bad_field(m, line, ROLE_VALUE, f[ROLE_VALUE], l, "invalid value (a number expected)", err);
    }
    return TS_OK;
}
