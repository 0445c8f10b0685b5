/* cli_parse.c: reading a command's arguments through getopt_long with the
 * command's option table (cli.h): long options as --NAME VALUE or
 * --NAME=VALUE, the short forms of the common ones, "--" ending the
 * options, "-" as a file meaning standard input. Every usage message comes
 * from here, with a did-you-mean over the options the command takes. Also
 * the per-command help and the lists the shell completions ask for. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sim/scenario/schema.h"

#define MAX_OPTS 48
#define LONG_BASE 256   /* getopt_long's value for option i without a short form */

static int nopts(const cli_option *o)
{
    int n = 0;
    while (o[n].name)
        n++;
    return n;
}

const cli_command *cli_command_find(const char *name)
{
    for (const cli_command *k = cli_commands; k->name; k++)
        if (!strcmp(k->name, name))
            return k;
    return NULL;
}

/* Whether some other command takes --name (or -short when name is NULL). */
static bool known_elsewhere(const char *name, int short_name)
{
    for (const cli_command *k = cli_commands; k->name; k++)
        for (const cli_option *o = k->opts; o->name; o++)
            if (name ? !strcmp(o->name, name) : o->short_name == short_name)
                return true;
    return false;
}

/* The option of cmd nearest to arg ("--name"), for "did you mean". */
static const char *nearest(const cli_command *cmd, const char *arg, char *buf, size_t n)
{
    int bd = 99;
    for (const cli_option *o = cmd->opts; o->name; o++) {
        char full[80];
        snprintf(full, sizeof full, "--%s", o->name);
        int d = schema_distance(arg, full);
        if (d < bd) {
            bd = d;
            snprintf(buf, n, "%s", full);
        }
    }
    return bd <= 3 && 2 * bd <= (int)strlen(arg) - 2 ? buf : NULL;   /* not --set for --out */
}

/* The message for an option cmd does not take: `arg` as written. */
static int refuse(const cli_command *cmd, const char *arg)
{
    char name[80], near[80];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(arg, "="), arg);
    bool is_long = name[1] == '-';
    if (!is_long && strlen(name) > 2)
        name[2] = 0;   /* the first letter of a cluster such as -xq */
    if (is_long) {
        /* getopt_long takes a prefix that names one option: say which it names */
        char list[400] = "";
        size_t len = 0, pn = strlen(name + 2);
        int n = 0;
        for (const cli_option *o = cmd->opts; o->name && len < sizeof list; o++) {
            if (strncmp(o->name, name + 2, pn))
                continue;
            len += (size_t)snprintf(list + len, sizeof list - len, "%s--%s", n ? ", " : "", o->name);
            n++;
        }
        if (n > 1)
            return cli_usage_error("option '%s' is ambiguous: it begins %s", name, list);
    }
    bool elsewhere = is_long ? known_elsewhere(name + 2, 0) : known_elsewhere(NULL, name[1]);
    const char *best = is_long ? nearest(cmd, name, near, sizeof near) : NULL;
    if (elsewhere) {
        char also[100] = "";
        if (best)
            snprintf(also, sizeof also, " (did you mean '%s'?)", best);
        fprintf(stderr, "tokensim: option '%s' does not apply to 'tokensim %s'%s\n(see 'tokensim %s --help')\n",
                name, cmd->name, also, cmd->name);
        return TS_EXIT_INPUT;
    }
    if (best)
        return cli_usage_error("unknown option '%s' (did you mean '%s'?)", name, best);
    return cli_usage_error("unknown option '%s'%s", name, "");
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* Stores option o's value (NULL for a flag) in c. Returns -1 to go on, or
 * an exit status after the message. */
static int store(cli *c, const cli_option *o, const char *val)
{
    char *base = (char *)c;
    long v;
    switch (o->type) {
    case CT_FLAG:
        *(bool *)(base + o->at) = true;
        return -1;
    case CT_TEXT:
        if (o->at == O_OUT && !*val)
            return cli_usage_error("invalid value for --out: expected a folder%s%s", "", "");
        if (o->at < O_COUNT)
            c->opt[o->at] = val;
        return -1;
    case CT_INT:
        if (!parse_long(val, o->lo, o->hi, &v)) {
            char want[64];
            if (o->hi == INT_MAX)
                snprintf(want, sizeof want, "a whole number >= %ld", o->lo);
            else
                snprintf(want, sizeof want, "a whole number in [%ld, %ld]", o->lo, o->hi);
            fprintf(stderr, "tokensim: invalid value for --%s: found '%s', expected %s\n(see 'tokensim --help')\n",
                    o->name, val, want);
            return TS_EXIT_INPUT;
        }
        *(int *)(base + o->at) = (int)v;
        return -1;
    case CT_SET:
        if (c->nsets == MAX_SETS)
            return cli_usage_error("too many --set options%s%s", "", "");
        c->sets[c->nsets++] = val;
        return -1;
    case CT_MULTI:
        if (c->nvary == MAX_MULTI) {
            fprintf(stderr, "tokensim: too many --%s options\n(see 'tokensim --help')\n", o->name);
            return TS_EXIT_INPUT;
        }
        c->vary[c->nvary++] = val;
        return -1;
    case CT_OVERRIDE:
        if (c->nowned == (int)(sizeof c->owned / sizeof c->owned[0]) || c->nsets == MAX_SETS)
            return cli_usage_error("too many options%s%s", "", "");
        snprintf(c->owned[c->nowned], sizeof c->owned[0], "%s=%s", o->key, val);
        c->sets[c->nsets++] = c->owned[c->nowned++];
        return -1;
    }
    return -1;
}

/* getopt_long's tables for cmd: short forms in `shorts` (leading ':' so
 * that a missing value is told from an unknown option), -h for --help. */
static void build(const cli_command *cmd, struct option *longs, char *shorts)
{
    int n = nopts(cmd->opts), k = 0;
    shorts[k++] = ':';
    shorts[k++] = 'h';
    for (int i = 0; i < n; i++) {
        const cli_option *o = &cmd->opts[i];
        int val = o->short_name ? o->short_name : LONG_BASE + i;
        longs[i] = (struct option){ o->name, o->arg ? required_argument : no_argument, NULL, val };
        if (o->short_name) {
            shorts[k++] = (char)o->short_name;
            if (o->arg)
                shorts[k++] = ':';
        }
    }
    shorts[k] = 0;
    longs[n] = (struct option){ "help", no_argument, NULL, 'h' };
    longs[n + 1] = (struct option){ NULL, 0, NULL, 0 };
}

static const cli_option *by_value(const cli_command *cmd, int val)
{
    if (val >= LONG_BASE)
        return &cmd->opts[val - LONG_BASE];
    for (const cli_option *o = cmd->opts; o->name; o++)
        if (o->short_name == val)
            return o;
    return NULL;
}

/* The message for what getopt_long refused: r is ':' (a value missing) or '?'. */
static int refused(const cli_command *cmd, int r, int argc, char **argv)
{
    const char *arg = optind - 1 < argc && optind >= 1 ? argv[optind - 1] : "?";
    const cli_option *o = optopt ? by_value(cmd, optopt) : NULL;
    char name[80];
    if (r == ':' || o) {
        /* a value missing, or a flag given one (--json=yes) */
        if (o && arg[0] == '-' && arg[1] == '-')
            snprintf(name, sizeof name, "%.*s", (int)strcspn(arg, "="), arg);
        else if (o)
            snprintf(name, sizeof name, "-%c", o->short_name);
        else
            snprintf(name, sizeof name, "%s", arg);
        if (r == ':')
            return cli_usage_error("option '%s' needs a value%s", name, "");
        return cli_usage_error("option '%s' takes no value%s", name, "");
    }
    if (optopt) {
        snprintf(name, sizeof name, "-%c", optopt);
        return refuse(cmd, name);
    }
    return refuse(cmd, arg);
}

/* Appends option o (index i of its table, with val) in its long form. */
static void canon_add(char **canon, int *n, int i, const cli_option *o, const char *val)
{
    static char names[MAX_OPTS][48];
    snprintf(names[i], sizeof names[i], "--%s", o->name);
    canon[(*n)++] = names[i];
    if (val)
        canon[(*n)++] = (char *)val;
}

size_t cli_canon_size(int argc, char **argv)
{
    /* each option yields at most two words; a cluster such as -qj4 one per letter */
    size_t n = 4;
    for (int i = 0; i < argc; i++)
        n += 2 * (strlen(argv[i]) + 1);
    return n;
}

int cli_parse(cli *c, const cli_command *cmd, int argc, char **argv, char **canon, int *ncanon)
{
    /* --help wins wherever it stands before "--", as it did before */
    for (int i = 2; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            cli_help_print(stdout, cmd);
            return TS_EXIT_OK;
        }
    struct option longs[MAX_OPTS + 2];
    char shorts[2 * MAX_OPTS + 3];
    build(cmd, longs, shorts);
    /* getopt_long sees the command as its argv[0]; optind 0 restarts it */
    int gargc = argc - 1, nopt = 0;
    char **gargv = argv + 1;
    char **opts_seen = NULL;
    if (cmd->own && !(opts_seen = malloc(cli_canon_size(argc, argv) * sizeof *opts_seen)))
        return TS_EXIT_RUNTIME;
    opterr = 0;
    optind = 0;
    for (;;) {
        int r = getopt_long(gargc, gargv, shorts, longs, NULL);
        if (r == -1)
            break;
        if (r == ':' || r == '?') {
            free(opts_seen);
            return refused(cmd, r, gargc, gargv);
        }
        if (r == 'h')
            continue;
        const cli_option *o = by_value(cmd, r);
        if (cmd->own) {
            canon_add(opts_seen, &nopt, (int)(o - cmd->opts), o, o->arg ? optarg : NULL);
            continue;
        }
        int rc = store(c, o, o->arg ? optarg : NULL);
        if (rc >= 0)
            return rc;
    }
    if (cmd->own) {
        /* the command's parser sees operands first, then the options */
        int n = 0;
        canon[n++] = argv[0];
        canon[n++] = argv[1];
        for (int i = optind; i < gargc; i++)
            canon[n++] = gargv[i];
        for (int i = 0; i < nopt; i++)
            canon[n++] = opts_seen[i];
        canon[n] = NULL;
        *ncanon = n;
        free(opts_seen);
        return -1;
    }
    bool takes_file = cmd->operands[0] != 0;
    for (int i = optind; i < gargc; i++) {
        if (c->file && !strcmp(cmd->name, "compare") && c->nfiles < MAX_MULTI) {
            c->files[c->nfiles++] = gargv[i];    /* compare across files */
            continue;
        }
        if (!takes_file || c->file)
            return cli_usage_error("unexpected argument '%s'%s", gargv[i],
                                   c->file ? " (one scenario file at a time)" : "");
        c->file = gargv[i];
    }
    if (takes_file && !c->file)
        return cli_usage_error("missing scenario file: 'tokensim %s FILE'%s", cmd->name, "");
    return -1;
}

void cli_help_print(FILE *f, const cli_command *cmd)
{
    fputs(cmd->help, f);
    /* every option with its short form, from the table, so the help cannot
     * leave one out or drift from what the parser takes */
    fputs("\nevery option (explained in the man page, man tokensim):\n ", f);
    int col = 1;
    for (const cli_option *o = cmd->opts;; o++) {
        char item[96];
        const char *name = o->name ? o->name : "help";
        int sh = o->name ? o->short_name : 'h';
        int n = snprintf(item, sizeof item, "%s%c%s--%s%s%s", sh ? "-" : "", sh ? sh : ' ', sh ? ", " : "", name,
                         o->name && o->arg ? " " : "", o->name && o->arg ? o->arg : "");
        const char *text = sh ? item : item + 1;
        n -= sh ? 0 : 1;
        if (col + 2 + n > 79) {
            fputs("\n ", f);
            col = 1;
        }
        fprintf(f, " %s%s", text, o->name ? ";" : "\n");
        col += n + 2;
        if (!o->name)
            break;
    }
}

int cli_complete(const char *what, const char *name)
{
    if (!strcmp(what, "--complete-commands")) {
        for (const cli_command *k = cli_commands; k->name; k++)
            printf("%s\n", k->name);
        return TS_EXIT_OK;
    }
    const cli_command *cmd = name ? cli_command_find(name) : NULL;
    if (!cmd)
        return cli_usage_error("%s needs a command's name%s", what, "");
    /* one option a line: -S (if any), --NAME, and = when it takes a value */
    for (const cli_option *o = cmd->opts; o->name; o++) {
        if (o->short_name)
            printf("-%c ", o->short_name);
        printf("--%s%s\n", o->name, o->arg ? "=" : "");
    }
    printf("-h --help\n");
    return TS_EXIT_OK;
}
