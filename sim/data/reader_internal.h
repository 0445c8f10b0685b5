/* reader_internal.h: what the file and database readers share: the column
 * mapping (presets, --map) and the conversion of a row's text fields into a
 * data_record with its checks (map.c). Not part of the room's API. */
#ifndef TS_DATA_READER_INTERNAL_H
#define TS_DATA_READER_INTERNAL_H

#include "reader.h"

typedef struct data_mapper {
    int col[ROLE_COUNT];     /* column index of each role; -1 when not mapped */
    char source[300];        /* the file's name, or "table T" / "query" */
    bool rows_not_lines;     /* a database: "row N" in messages */
    bool jsonl;              /* the line is a JSON object: columns are keys */
    const char *text;        /* the current line, to point at a bad field's column; may be NULL */
    size_t text_len;
    data_info *info;
} data_mapper;

/* Maps header[0..ncols) to roles: --map over the preset named in o, or the
 * preset recognised from the header. Fills m and info's preset, has and
 * column. TS_ERR_INPUT (with did-you-mean) when a named column or role does
 * not exist or no preset fits. */
int data_mapper_init(data_mapper *m, const char *const *header, int ncols, const data_opts *o, const char *source,
                     data_info *info, ts_error *err);

/* A headerless file of numbers, one a line: the "values" preset. */
void data_mapper_values(data_mapper *m, const char *source, data_info *info);

/* Converts the fields of one row, f[role] (length n[role]; NULL when the
 * role is not mapped; not NUL-terminated), into r. TS_ERR_INPUT naming the
 * source, line or row, column and text on a bad field. */
int data_mapper_record(const data_mapper *m, const char *const *f, const size_t *n, long line, data_record *r,
                       ts_error *err);

#endif
