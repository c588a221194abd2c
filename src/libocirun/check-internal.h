/* ocirun check: what check.c and check-subid.c share.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_CHECK_INTERNAL_H
#define OCIRUN_CHECK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- colon-separated files: /etc/subuid, /etc/passwd, /etc/group ---------- */
struct id_entry
{
  const char *name;   /* points into the table's copy */
  uint64_t start, count;
};

struct id_table
{
  char *copy;
  struct id_entry *v;
  size_t n;
};

void ocirun_id_table_free (struct id_table *t);
#define cleanup_id_table __attribute__ ((cleanup (ocirun_id_table_free)))
/* Parse NAME:...: lines; ID_COL is the column of the id, COUNT_COL of the count (-1: 1).  */
void ocirun_id_table_parse (const char *content, int id_col, int count_col, struct id_table *t);
bool ocirun_parse_u64 (const char *s, uint64_t *out);

#define id_table_free ocirun_id_table_free
#define id_table_parse ocirun_id_table_parse
#define parse_u64 ocirun_parse_u64

#endif
