/* ocirun check: /etc/subuid and /etc/subgid against /etc/passwd, /etc/group
 * and the other users' ranges (pure: takes the files' contents).
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <string.h>
#include "check.h"
#include "check-internal.h"
#include "utils.h"

#define SUBID_WANT 65536ULL
#define SUBID_FIRST 100000ULL

/* ---- colon-separated files: /etc/subuid, /etc/passwd, /etc/group ---------- */

void
ocirun_id_table_free (struct id_table *t)
{
  free (t->copy);
  free (t->v);
}

bool
ocirun_parse_u64 (const char *s, uint64_t *out)
{
  char *end;
  unsigned long long v;
  if (s == NULL || *s < '0' || *s > '9')
    return false;
  errno = 0;
  v = strtoull (s, &end, 10);
  if (errno || (*end != '\0' && *end != '\n') || v > 4294967296ULL)
    return false;
  *out = v;
  return true;
}

/* Field ID_COL is the first id, COUNT_COL the count (-1: one id).  Comments,
   blank and malformed lines are skipped.  */
void
ocirun_id_table_parse (const char *content, int id_col, int count_col, struct id_table *t)
{
  char *save = NULL;
  memset (t, 0, sizeof (*t));
  if (content == NULL)
    return;
  t->copy = xstrdup (content);
  for (char *line = strtok_r (t->copy, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      char *f[8] = { NULL };
      int nf = 0;
      struct id_entry e = { .count = 1 };
      if (*line == '#')
        continue;
      for (char *p = line; nf < 8; nf++)
        {
          f[nf] = p;
          p = strchr (p, ':');
          if (p == NULL)
            {
              nf++;
              break;
            }
          *p++ = '\0';
        }
      if (nf <= id_col || (count_col >= 0 && nf <= count_col) || *f[0] == '\0'
          || ! parse_u64 (f[id_col], &e.start)
          || (count_col >= 0 && (! parse_u64 (f[count_col], &e.count) || e.count == 0)))
        continue;
      e.name = f[0];
      t->v = xrealloc (t->v, (t->n + 1) * sizeof (*t->v));
      t->v[t->n++] = e;
    }
}

static bool
ranges_overlap (uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
  return a < b + bn && b < a + an;
}

static bool
is_owner (const struct id_entry *e, const char *user, uid_t uid)
{
  char buf[32];
  snprintf (buf, sizeof (buf), "%u", uid);
  return strcmp (e->name, buf) == 0 || (user && strcmp (e->name, user) == 0);
}

/* ---- /etc/subuid, /etc/subgid --------------------------------------------- */

struct subid_tables
{
  struct id_table sub[2];    /* subuid, subgid */
  struct id_table real[2];   /* passwd (uids), group (gids) */
};

static void
subid_tables_free (struct subid_tables *t)
{
  for (int i = 0; i < 2; i++)
    {
      id_table_free (&t->sub[i]);
      id_table_free (&t->real[i]);
    }
}
#define cleanup_subid_tables __attribute__ ((cleanup (subid_tables_free)))

static void
subid_tables_parse (const struct ocirun_check_subid_input *in, struct subid_tables *t)
{
  id_table_parse (in->subuid, 1, 2, &t->sub[0]);
  id_table_parse (in->subgid, 1, 2, &t->sub[1]);
  id_table_parse (in->passwd, 2, -1, &t->real[0]);
  id_table_parse (in->group, 2, -1, &t->real[1]);
}

/* Where the first range or real id of the files in MASK (1: subuid and
   passwd, 2: subgid and group) that [START, START+COUNT) meets ends; 0 when
   it meets none.  */
static uint64_t
conflict_end (const struct subid_tables *t, int mask, uint64_t start, uint64_t count)
{
  for (int k = 0; k < 2; k++)
    {
      if (! (mask & (1 << k)))
        continue;
      for (size_t i = 0; i < t->sub[k].n; i++)
        if (ranges_overlap (start, count, t->sub[k].v[i].start, t->sub[k].v[i].count))
          return t->sub[k].v[i].start + t->sub[k].v[i].count;
      for (size_t i = 0; i < t->real[k].n; i++)
        if (ranges_overlap (start, count, t->real[k].v[i].start, 1))
          return t->real[k].v[i].start + 1;
    }
  return 0;
}

static uint64_t
free_range (const struct subid_tables *t, int mask)
{
  uint64_t s = SUBID_FIRST, end;
  while (s + SUBID_WANT <= 4294967295ULL)
    {
      end = conflict_end (t, mask, s, SUBID_WANT);
      if (end == 0)
        return s;
      s = end;
    }
  return 0;
}

uint64_t
ocirun_check_free_subid_range (const struct ocirun_check_subid_input *in)
{
  cleanup_subid_tables struct subid_tables t = { 0 };
  subid_tables_parse (in, &t);
  return free_range (&t, 3);
}

/* What a file check needs to say things.  */
struct subid_ctx
{
  const struct ocirun_check_subid_input *in;
  const struct subid_tables *t;
  const char *uname;   /* the user's name, or its uid */
};

static const char *const subid_file[2] = { "/etc/subuid", "/etc/subgid" };
static const char *const subid_kind[2] = { "uid", "gid" };
static const char *const real_file[2] = { "/etc/passwd", "/etc/group" };

static bool
has_range (const struct subid_ctx *c, int k)
{
  for (size_t i = 0; i < c->t->sub[k].n; i++)
    if (is_owner (&c->t->sub[k].v[i], c->in->user, c->in->uid))
      return true;
  return false;
}

/* The command that gives the user a new range, free in the files of MASK
   (1: subuid, 2: subgid).  */
static char *
add_range_fix (const struct subid_ctx *c, int mask)
{
  unsigned long long s = free_range (c->t, mask), e = s + SUBID_WANT - 1;
  cleanup_free char *uids = mask & 1 ? xasprintf (" --add-subuids %llu-%llu", s, e) : xstrdup ("");
  cleanup_free char *gids = mask & 2 ? xasprintf (" --add-subgids %llu-%llu", s, e) : xstrdup ("");
  const char *file = mask & 1 ? "/etc/subuid" : "/etc/subgid";

  if (s == 0)
    return xasprintf ("add a free range of %llu ids for %s to %s", SUBID_WANT, c->uname, file);
  if (c->in->user == NULL && mask == 3)
    return xasprintf ("echo %u:%llu:%llu | tee -a /etc/subuid /etc/subgid", c->in->uid, s, SUBID_WANT);
  if (c->in->user == NULL)
    return xasprintf ("echo %u:%llu:%llu >> %s", c->in->uid, s, SUBID_WANT, file);
  return xasprintf ("usermod%s%s %s", uids, gids, c->uname);
}

/* The command that moves the range E of file K to a free one.  */
static char *
move_range_fix (const struct subid_ctx *c, int k, const struct id_entry *e)
{
  cleanup_free char *add = add_range_fix (c, k + 1);
  if (c->in->user == NULL)
    return xasprintf ("remove the line %s:%llu:%llu from %s, then %s", e->name,
                      (unsigned long long) e->start, (unsigned long long) e->count, subid_file[k], add);
  return xasprintf ("usermod --del-sub%ss %llu-%llu %s && %s", subid_kind[k],
                    (unsigned long long) e->start, (unsigned long long) (e->start + e->count - 1),
                    c->uname, add);
}

/* The first of the user's ranges that overlaps another user's (fail) or
   includes a real id (warn); false when none does.  */
static bool
check_subid_overlaps (struct ocirun_check_list *l, const struct subid_ctx *c, int k)
{
  const struct id_table *sub = &c->t->sub[k], *real = &c->t->real[k];
  enum ocirun_check_status bad = c->in->privileged ? OCIRUN_CHECK_WARN : OCIRUN_CHECK_FAIL;

  for (size_t i = 0; i < sub->n; i++)
    {
      const struct id_entry *e = &sub->v[i];
      if (! is_owner (e, c->in->user, c->in->uid))
        continue;
      for (size_t j = 0; j < sub->n; j++)
        {
          const struct id_entry *o = &sub->v[j];
          if (is_owner (o, c->in->user, c->in->uid) || ! ranges_overlap (e->start, e->count, o->start, o->count))
            continue;
          ocirun_check_add (l, subid_file[k], bad,
                            xasprintf ("%s's range %llu-%llu overlaps %s's %llu-%llu", c->uname,
                                       (unsigned long long) e->start,
                                       (unsigned long long) (e->start + e->count - 1), o->name,
                                       (unsigned long long) o->start,
                                       (unsigned long long) (o->start + o->count - 1)),
                            move_range_fix (c, k, e));
          return true;
        }
      for (size_t j = 0; j < real->n; j++)
        {
          const struct id_entry *o = &real->v[j];
          if (! ranges_overlap (e->start, e->count, o->start, 1))
            continue;
          ocirun_check_add (l, subid_file[k], OCIRUN_CHECK_WARN,
                            xasprintf ("%s's range %llu-%llu includes %s %llu of %s (%s)", c->uname,
                                       (unsigned long long) e->start,
                                       (unsigned long long) (e->start + e->count - 1), subid_kind[k],
                                       (unsigned long long) o->start, o->name, real_file[k]),
                            move_range_fix (c, k, e));
          return true;
        }
    }
  return false;
}

static void
check_subid_file (struct ocirun_check_list *l, const struct subid_ctx *c, int k)
{
  const struct id_table *sub = &c->t->sub[k];
  const char *content = k == 0 ? c->in->subuid : c->in->subgid;
  cleanup_free char *ranges = xstrdup ("");
  uint64_t total = 0;

  if (! has_range (c, k))
    {
      const char *why = content == NULL ? " (the file is missing)" : "";
      if (c->in->privileged)
        ocirun_check_add (l, subid_file[k], OCIRUN_CHECK_OK,
                          xasprintf ("no range for %s%s: optional, root writes id maps directly",
                                     c->uname, why), NULL);
      else
        ocirun_check_add (l, subid_file[k], OCIRUN_CHECK_FAIL,
                          xasprintf ("no range for %s%s", c->uname, why),
                          add_range_fix (c, has_range (c, 1 - k) ? k + 1 : 3));
      return;
    }
  if (check_subid_overlaps (l, c, k))
    return;
  for (size_t i = 0; i < sub->n; i++)
    if (is_owner (&sub->v[i], c->in->user, c->in->uid))
      {
        char *r = xasprintf ("%s%s%llu-%llu", ranges, *ranges ? ", " : "",
                             (unsigned long long) sub->v[i].start,
                             (unsigned long long) (sub->v[i].start + sub->v[i].count - 1));
        free (ranges);
        ranges = r;
        total += sub->v[i].count;
      }
  if (total < SUBID_WANT)
    ocirun_check_add (l, subid_file[k], OCIRUN_CHECK_WARN,
                      xasprintf ("%s has only %llu %ss (%s): images need %llu", c->uname,
                                 (unsigned long long) total, subid_kind[k], ranges, SUBID_WANT),
                      add_range_fix (c, k + 1));
  else
    ocirun_check_add (l, subid_file[k], OCIRUN_CHECK_OK,
                      xasprintf ("%s has %s (%llu %ss)", c->uname, ranges, (unsigned long long) total,
                                 subid_kind[k]),
                      NULL);
}

void
ocirun_check_subids (struct ocirun_check_list *l, const struct ocirun_check_subid_input *in)
{
  cleanup_subid_tables struct subid_tables t = { 0 };
  cleanup_free char *uname = in->user ? xstrdup (in->user) : xasprintf ("%u", in->uid);
  struct subid_ctx c = { .in = in, .t = &t, .uname = uname };

  subid_tables_parse (in, &t);
  check_subid_file (l, &c, 0);
  check_subid_file (l, &c, 1);
}

