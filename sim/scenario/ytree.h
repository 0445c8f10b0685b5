/* ytree.h: a YAML document as a small tree that remembers where each node
 * came from, so every later error can name file:line:column.
 *
 * Loading resolves anchors and aliases by copying, under budgets on nodes,
 * depth and the bytes aliases add, checked while libyaml parses, so a
 * "billion laughs" document, a self-referencing alias or a 100,000-deep
 * nesting is refused at the node that crosses the line, in milliseconds
 * and without first loading the whole document.
 * --set overrides are applied to the tree before it is bound to a scenario,
 * and the nodes they create or change remember that they came from the
 * command line. */
#ifndef TS_YTREE_H
#define TS_YTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/core/error.h"

enum yt_kind { YT_SCALAR, YT_MAP, YT_SEQ };

typedef struct ytnode {
    int kind;                  /* enum yt_kind */
    char *key;                 /* the key when this node is a map value */
    char *value;               /* scalar text; NULL for maps and sequences */
    bool quoted;               /* scalar written in quotes */
    const char *source;        /* file name or "--set k=v"; owned by the root */
    int line, column;          /* 1-based, of the value (or of the key for maps) */
    int key_line, key_column;  /* of the key, when a map value */
    struct ytnode **items;
    size_t n, cap;
} ytnode;

#define YT_MAX_NODES 200000
#define YT_MAX_DEPTH 64

/* Parses a file of at most ts_input_limit() bytes (sim/core/fileio.h).
 * Returns NULL and fills err (exit 2) on a missing, unreadable or too large
 * file, a syntax or encoding error (at its own line and column), a second
 * document, duplicate keys, or a document over a budget: YT_MAX_DEPTH
 * levels, YT_MAX_NODES nodes once aliases are expanded, and as many bytes
 * of text added by aliases as the input limit. An empty file gives an
 * empty map. Free with ytree_free. */
ytnode *ytree_load_file(const char *path, ts_error *err);

/* Parses len bytes of text held in memory (NUL bytes in it are reported,
 * not taken as its end); `name` is used in messages. */
ytnode *ytree_load_string(const char *text, size_t len, const char *name, ts_error *err);

/* The 1-based line and column, in characters as libyaml counts them, of
 * byte `offset` of UTF-8 `text` (a leading byte order mark not counted). */
void ytree_text_position(const char *text, size_t len, size_t offset, int *line, int *column);

void ytree_free(ytnode *root);

/* Frees the file names and --set arguments nodes point to, which are kept
 * for the life of the process. For tests and fuzzers that load many inputs:
 * no tree may be in use, and no ts_error filled by a load is affected (it
 * holds its own copy). */
void ytree_forget_sources(void);

/* A deep copy of n (marks and sources kept), or NULL when out of memory. */
ytnode *ytree_copy(const ytnode *n);

/* Appends child to a map or sequence; false when out of memory. */
bool ytree_push(ytnode *parent, ytnode *child);

/* The child of map `m` under `key`, or NULL. */
ytnode *ytree_get(const ytnode *m, const char *key);

/* Applies "path=value": map keys by name, list items by index or by the
 * value of their `name` key. Missing map keys are created. Returns TS_OK or
 * fills err (exit 2), naming `arg` as the source. */
int ytree_set(ytnode *root, const char *arg, ts_error *err);

#endif
