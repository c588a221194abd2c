/* ocirun: linux.resources -> cgroup v2 files (pure conversion + the writer).
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../utils.h"
#include "cgroup-internal.h"

uint64_t
ocirun_cgroup_shares_to_weight (uint64_t shares)
{
  if (shares == 0)
    return 0;
  if (shares < 2)
    shares = 2;
  if (shares > 262144)
    shares = 262144;
  return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t
ocirun_cgroup_blkio_weight_to_io (uint64_t w)
{
  if (w == 0)
    return 0;
  if (w < 10)
    w = 10;
  if (w > 1000)
    w = 1000;
  return 1 + (w - 10) * 9999 / 990;
}

void
cg_writes_clear (struct cg_writes *w)
{
  for (size_t i = 0; i < w->n; i++)
    {
      free (w->v[i].file);
      free (w->v[i].value);
      free (w->v[i].bfq_value);
      free (w->v[i].what);
    }
  free (w->v);
  w->v = NULL;
  w->n = 0;
}

void
cleanup_cg_writesp (struct cg_writes *w)
{
  cg_writes_clear (w);
}

static bool quiet;

#define warn(...) do { if (! quiet) ocirun_warning (__VA_ARGS__); } while (0)

static void
add (struct cg_writes *w, int flags, char *what, char *file, char *value)
{
  w->v = xrealloc (w->v, (w->n + 1) * sizeof (*w->v));
  w->v[w->n] = (struct cg_write) { .file = file, .value = value, .what = what, .flags = flags };
  w->n++;
}

static char *
max_or_num (int64_t v)
{
  return v < 0 ? xstrdup ("max") : xasprintf ("%" PRId64, v);
}

static int
build_memory (const struct oci_config_linux_resources_memory *m, bool update, struct cg_writes *w,
              struct ocirun_error **err)
{
  bool has_limit = m->limit_present && m->limit != 0;
  if (has_limit)
    add (w, update && m->check_before_update_present && m->check_before_update ? CG_W_CHECK_CURRENT : 0,
         xstrdup ("linux.resources.memory.limit"), xstrdup ("memory.max"), max_or_num (m->limit));
  if (m->reservation_present && m->reservation != 0)
    add (w, 0, xstrdup ("linux.resources.memory.reservation"), xstrdup ("memory.low"),
         max_or_num (m->reservation));
  if (m->swap_present && m->swap != 0)
    {
      char *v;
      if (m->swap < 0)
        v = xstrdup ("max");
      else if (! has_limit)
        return ocirun_error_set (err, EINVAL,
                                 "linux.resources.memory.swap=%" PRId64 " needs linux.resources.memory.limit "
                                 "(on cgroup v2 swap is limit+swap; set both, or swap to -1)", m->swap);
      else if (m->limit < 0)
        return ocirun_error_set (err, EINVAL,
                                 "linux.resources.memory.swap=%" PRId64 " with an unlimited memory.limit "
                                 "(use swap -1 or set a limit)", m->swap);
      else if (m->swap < m->limit)
        return ocirun_error_set (err, EINVAL,
                                 "linux.resources.memory.swap=%" PRId64 " is below memory.limit=%" PRId64
                                 " (swap counts memory+swap: it must be >= limit)", m->swap, m->limit);
      else
        v = xasprintf ("%" PRId64, m->swap - m->limit);
      add (w, CG_W_WARN_MISSING, xstrdup ("linux.resources.memory.swap"), xstrdup ("memory.swap.max"), v);
    }
  if (m->kernel_present && m->kernel != 0)
    warn ("linux.resources.memory.kernel is not supported on cgroup v2: ignored");
  if (m->kernel_tcp_present && m->kernel_tcp != 0)
    warn ("linux.resources.memory.kernelTCP is not supported on cgroup v2: ignored");
  if (m->swappiness_present && m->swappiness != 0 && m->swappiness != (uint64_t) -1)
    warn ("linux.resources.memory.swappiness is not supported on cgroup v2: ignored");
  if (m->disable_oom_killer_present && m->disable_oom_killer)
    warn ("linux.resources.memory.disableOOMKiller is not supported on cgroup v2: ignored");
  return 0;
}

static int
build_cpu (const struct oci_config_linux_resources_cpu *c, bool update, struct cg_writes *w,
           struct ocirun_error **err)
{
  if (c->shares_present && c->shares != 0)
    add (w, 0, xstrdup ("linux.resources.cpu.shares"), xstrdup ("cpu.weight"),
         xasprintf ("%" PRIu64, ocirun_cgroup_shares_to_weight (c->shares)));
  bool has_quota = c->quota_present && c->quota != 0;
  bool has_period = c->period_present && c->period != 0;
  if (has_quota || has_period)
    {
      uint64_t period = has_period ? c->period : 100000;
      char *q = ! has_quota || c->quota < 0 ? xstrdup ("max") : xasprintf ("%" PRId64, c->quota);
      int flags = (! has_quota && update) ? CG_W_KEEP_QUOTA : 0;
      add (w, flags, xstrdup (has_quota ? "linux.resources.cpu.quota" : "linux.resources.cpu.period"),
           xstrdup ("cpu.max"), xasprintf ("%s %" PRIu64, q, period));
      free (q);
    }
  if (c->burst_present)
    add (w, 0, xstrdup ("linux.resources.cpu.burst"), xstrdup ("cpu.max.burst"),
         xasprintf ("%" PRIu64, c->burst));
  if (c->idle_present)
    add (w, 0, xstrdup ("linux.resources.cpu.idle"), xstrdup ("cpu.idle"), xasprintf ("%" PRId64, c->idle));
  if (c->cpus && c->cpus[0])
    add (w, 0, xstrdup ("linux.resources.cpu.cpus"), xstrdup ("cpuset.cpus"), xstrdup (c->cpus));
  if (c->mems && c->mems[0])
    add (w, 0, xstrdup ("linux.resources.cpu.mems"), xstrdup ("cpuset.mems"), xstrdup (c->mems));
  if ((c->realtime_runtime_present && c->realtime_runtime != 0)
      || (c->realtime_period_present && c->realtime_period != 0))
    return ocirun_error_set (err, EOPNOTSUPP,
                             "linux.resources.cpu.realtimeRuntime/realtimePeriod: not supported on cgroup v2 "
                             "(remove them from the config)");
  return 0;
}

static void
add_throttle (struct cg_writes *w, const char *what, const char *key,
              struct oci_block_io_device_throttle **t, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      if (t[i] == NULL || ! t[i]->rate_present)
        continue;
      char *v = t[i]->rate == 0 ? xasprintf ("%" PRId64 ":%" PRId64 " %s=max", t[i]->major, t[i]->minor, key)
                                : xasprintf ("%" PRId64 ":%" PRId64 " %s=%" PRIu64, t[i]->major, t[i]->minor,
                                             key, t[i]->rate);
      add (w, 0, xasprintf ("linux.resources.blockIO.%s", what), xstrdup ("io.max"), v);
    }
}

static void
build_io (const struct oci_config_linux_resources_block_io *b, struct cg_writes *w)
{
  if (b->weight_present && b->weight != 0)
    {
      add (w, CG_W_BFQ, xstrdup ("linux.resources.blockIO.weight"), xstrdup ("io.weight"),
           xasprintf ("default %" PRIu64, ocirun_cgroup_blkio_weight_to_io (b->weight)));
      w->v[w->n - 1].bfq_value = xasprintf ("%u", (unsigned) b->weight);
    }
  if (b->leaf_weight_present && b->leaf_weight != 0)
    warn ("linux.resources.blockIO.leafWeight is not supported on cgroup v2: ignored");
  for (size_t i = 0; i < b->weight_device_len; i++)
    {
      const struct oci_block_io_device_weight *d = b->weight_device[i];
      if (d == NULL || ! d->weight_present || d->weight == 0)
        continue;
      add (w, CG_W_BFQ, xstrdup ("linux.resources.blockIO.weightDevice"), xstrdup ("io.weight"),
           xasprintf ("%" PRId64 ":%" PRId64 " %" PRIu64, d->major, d->minor,
                      ocirun_cgroup_blkio_weight_to_io (d->weight)));
      w->v[w->n - 1].bfq_value = xasprintf ("%" PRId64 ":%" PRId64 " %u", d->major, d->minor,
                                            (unsigned) d->weight);
    }
  add_throttle (w, "throttleReadBpsDevice", "rbps", b->throttle_read_bps_device, b->throttle_read_bps_device_len);
  add_throttle (w, "throttleWriteBpsDevice", "wbps", b->throttle_write_bps_device, b->throttle_write_bps_device_len);
  add_throttle (w, "throttleReadIOPSDevice", "riops", b->throttle_read_iops_device,
                b->throttle_read_iops_device_len);
  add_throttle (w, "throttleWriteIOPSDevice", "wiops", b->throttle_write_iops_device,
                b->throttle_write_iops_device_len);
}

/* "2MB" stays "2MB"; "2M"/"2m" -> "2MB"; "1GB" -> "1GB".  */
static char *
hugetlb_size_name (const char *s)
{
  size_t l = strlen (s);
  if (l >= 2 && (s[l - 1] == 'B' || s[l - 1] == 'b'))
    l--;
  if (l == 0)
    return NULL;
  char unit = s[l - 1];
  if (unit >= 'a' && unit <= 'z')
    unit = (char) (unit - 'a' + 'A');
  if (unit != 'K' && unit != 'M' && unit != 'G')
    return NULL;
  for (size_t i = 0; i + 1 < l; i++)
    if (s[i] < '0' || s[i] > '9')
      return NULL;
  if (l == 1)
    return NULL;
  return xasprintf ("%.*s%cB", (int) (l - 1), s, unit);
}

int
cg_resources_build (const struct oci_config_linux_resources *res, bool update, struct cg_writes *out,
                    struct ocirun_error **err)
{
  cleanup_cg_writes struct cg_writes w = { 0 };

  if (res == NULL)
    {
      *out = w;
      return 0;
    }
  if (res->memory && build_memory (res->memory, update, &w, err) < 0)
    return -1;
  if (res->cpu && build_cpu (res->cpu, update, &w, err) < 0)
    return -1;
  if (res->block_io)
    build_io (res->block_io, &w);
  if (res->pids && res->pids->limit_present)
    add (&w, 0, xstrdup ("linux.resources.pids.limit"), xstrdup ("pids.max"),
         res->pids->limit <= 0 ? xstrdup ("max") : xasprintf ("%" PRId64, res->pids->limit));
  for (size_t i = 0; i < res->hugepage_limits_len; i++)
    {
      const struct oci_config_linux_resources_hugepage_limits_element *h = res->hugepage_limits[i];
      if (h == NULL || ! h->limit_present)
        continue;
      cleanup_free char *sz = h->page_size ? hugetlb_size_name (h->page_size) : NULL;
      if (sz == NULL)
        return ocirun_error_set (err, EINVAL,
                                 "linux.resources.hugepageLimits[%zu].pageSize \"%s\" is not a page size "
                                 "(use e.g. \"2MB\" or \"1GB\")", i, h->page_size ? h->page_size : "");
      add (&w, 0, xstrdup ("linux.resources.hugepageLimits"), xasprintf ("hugetlb.%s.max", sz),
           xasprintf ("%" PRIu64, h->limit));
      add (&w, CG_W_OPTIONAL, xstrdup ("linux.resources.hugepageLimits"), xasprintf ("hugetlb.%s.rsvd.max", sz),
           xasprintf ("%" PRIu64, h->limit));
    }
  if (res->rdma)
    for (size_t i = 0; i < res->rdma->len; i++)
      {
        const struct oci_rdma *r = res->rdma->values[i];
        if (r == NULL || (! r->hca_handles_present && ! r->hca_objects_present))
          continue;
        cleanup_free char *h = r->hca_handles_present ? xasprintf (" hca_handle=%" PRIu32, r->hca_handles)
                                                      : xstrdup ("");
        cleanup_free char *o = r->hca_objects_present ? xasprintf (" hca_object=%" PRIu32, r->hca_objects)
                                                      : xstrdup ("");
        add (&w, 0, xstrdup ("linux.resources.rdma"), xstrdup ("rdma.max"),
             xasprintf ("%s%s%s", res->rdma->keys[i], h, o));
      }
  if (res->network)
    warn ("linux.resources.network is not supported on cgroup v2: ignored");
  /* unified last: it overrides what the typed fields wrote.  */
  if (res->unified)
    for (size_t i = 0; i < res->unified->len; i++)
      {
        const char *k = res->unified->keys[i];
        if (k == NULL || k[0] == '\0' || strchr (k, '/') || strcmp (k, ".") == 0 || strcmp (k, "..") == 0)
          return ocirun_error_set (err, EINVAL, "linux.resources.unified: invalid key \"%s\" (want a "
                                   "cgroup file name such as \"memory.high\")", k ? k : "");
        add (&w, CG_W_UNIFIED, xasprintf ("linux.resources.unified[\"%s\"]", k), xstrdup (k),
             xstrdup (res->unified->values[i] ? res->unified->values[i] : ""));
      }
  *out = w;
  w = (struct cg_writes) { 0 };
  return 0;
}

int
ocirun_cgroup_resources_to_files (const struct oci_config_linux_resources *res, bool update, char ***files,
                                  char ***values, struct ocirun_error **err)
{
  cleanup_cg_writes struct cg_writes w = { 0 };
  if (cg_resources_build (res, update, &w, err) < 0)
    return -1;
  char **f = xmalloc0 ((w.n + 1) * sizeof (char *));
  char **v = xmalloc0 ((w.n + 1) * sizeof (char *));
  for (size_t i = 0; i < w.n; i++)
    {
      f[i] = steal_pointer (&w.v[i].file);
      v[i] = steal_pointer (&w.v[i].value);
    }
  *files = f;
  *values = v;
  return 0;
}

char *
cg_needed_controllers (const struct oci_config_linux_resources *res, bool ignore_devices)
{
  (void) ignore_devices; /* devices need no controller on v2 (BPF) */
  cleanup_cg_writes struct cg_writes w = { 0 };
  cleanup_error struct ocirun_error *e = NULL;
  char *out = xstrdup ("");
  quiet = true;
  int r = cg_resources_build (res, false, &w, &e);
  quiet = false;
  if (r < 0)
    return out;
  for (size_t i = 0; i < w.n; i++)
    {
      if (w.v[i].flags & CG_W_OPTIONAL)
        continue;
      const char *dot = strchr (w.v[i].file, '.');
      if (dot == NULL)
        continue;
      cleanup_free char *c = strndup (w.v[i].file, dot - w.v[i].file);
      if (c == NULL || strcmp (c, "cgroup") == 0 || cg_word_in (out, c))
        continue;
      char *n = xasprintf ("%s%s%s", out, out[0] ? " " : "", c);
      free (out);
      out = n;
    }
  return out;
}

int
cg_unified_check (const char *key, const char *controllers, struct ocirun_error **err)
{
  const char *dot = strchr (key, '.');
  if (dot == NULL || dot == key)
    return ocirun_error_set (err, EINVAL, "linux.resources.unified: \"%s\" is not a cgroup file name "
                             "(want \"<controller>.<file>\", e.g. \"memory.high\")", key);
  cleanup_free char *c = strndup (key, dot - key);
  if (strcmp (c, "cgroup") == 0 || cg_word_in (controllers, c))
    return 0;
  size_t l = strlen (controllers);
  while (l > 0 && (controllers[l - 1] == '\n' || controllers[l - 1] == ' '))
    l--;
  return ocirun_error_set (err, ENOENT, "linux.resources.unified: controller \"%s\" is not available "
                           "(available: %.*s)", c, (int) l, l ? controllers : "none");
}

static const char *
controller_hint (const char *file, char *buf, size_t size)
{
  const char *dot = strchr (file, '.');
  int n = dot ? (int) (dot - file) : (int) strlen (file);
  snprintf (buf, size, " (is the \"%.*s\" controller enabled for this cgroup?)", n, file);
  return buf;
}

static int
write_one (int dirfd, const struct cg_write *e, const char *controllers, struct ocirun_error **err)
{
  const char *file = e->file;
  const char *value = e->value;
  cleanup_free char *tmp = NULL;
  char hint[128];
  int r;

  if ((e->flags & CG_W_UNIFIED) && cg_unified_check (file, controllers, err) < 0)
    return -1;
  if ((e->flags & CG_W_BFQ) && faccessat (dirfd, "io.bfq.weight", F_OK, 0) == 0)
    {
      file = "io.bfq.weight";
      value = e->bfq_value;
    }
  if (e->flags & CG_W_KEEP_QUOTA)
    {
      cleanup_free char *cur = NULL;
      if (cg_read (dirfd, "cpu.max", &cur) == 0)
        {
          char *sp = strchr (cur, ' ');
          const char *period = strchr (value, ' ');
          if (sp && period)
            {
              *sp = '\0';
              value = tmp = xasprintf ("%s%s", cur, period);
            }
        }
    }
  if (e->flags & CG_W_CHECK_CURRENT && strcmp (value, "max") != 0)
    {
      uint64_t cur = 0;
      cleanup_free char *s = NULL;
      if (cg_read (dirfd, "memory.current", &s) == 0)
        {
          cur = strtoull (s, NULL, 10);
          if (strtoull (value, NULL, 10) < cur)
            return ocirun_error_set (err, EBUSY, "%s: refusing memory.max=%s below the current usage "
                                     "memory.current=%" PRIu64 " (checkBeforeUpdate is set; raise the "
                                     "limit or free memory first)", e->what, value, cur);
        }
    }
  r = cg_write (dirfd, file, value);
  if (r == -ENOENT && (e->flags & CG_W_OPTIONAL))
    return 0;
  if (r == -ENOENT && (e->flags & CG_W_WARN_MISSING))
    {
      warn ("%s: %s does not exist (no swap accounting on this kernel?): ignored", e->what, file);
      return 0;
    }
  if (r < 0)
    return ocirun_error_set (err, -r, "%s: write %s=%s%s", e->what, file, value,
                             r == -ENOENT ? controller_hint (file, hint, sizeof hint) : "");
  return 0;
}

int
cg_resources_write (int dirfd, const struct cg_writes *w, struct ocirun_error **err)
{
  cleanup_free char *controllers = NULL;
  for (size_t i = 0; i < w->n; i++)
    if ((w->v[i].flags & CG_W_UNIFIED) && controllers == NULL && cg_read (dirfd, "cgroup.controllers", &controllers) < 0)
      controllers = xstrdup ("");
  for (size_t i = 0; i < w->n; i++)
    if (write_one (dirfd, &w->v[i], controllers ? controllers : "", err) < 0)
      return -1;
  return 0;
}
