/* ocirun: the cgroup verbs on a container: ps, update, stats.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <string.h>
#include "container.h"
#include "namespaces.h"
#include "utils.h"

int
ocirun_container_ps (struct ocirun_context *ctx, pid_t **pids, size_t *n, struct ocirun_error **err)
{
  cleanup_store struct ocirun_store *st = NULL;
  cleanup_ocirun_state struct oci_ocirun_state *state = NULL;
  cleanup_cgroup struct ocirun_cgroup *cg = NULL;
  const char *status;

  if (ocirun_container_open (ctx, false, &st, &state, &status, err) < 0)
    return -1;
  if (strcmp (status, "stopped") == 0)
    {
      *pids = xmalloc0 (sizeof (pid_t));
      *n = 0;
      return 0;
    }
  if (state->cgroup_path == NULL)
    {
      /* no cgroup: the processes of the container's pid namespace */
      if (ocirun_pidns_processes ((pid_t) state->pid, pids, n, NULL) == 0)
        return 0;
      *pids = xmalloc0 (sizeof (pid_t));
      (*pids)[0] = (pid_t) state->pid;
      *n = 1;
      return 0;
    }
  if (ocirun_container_cgroup (state, &cg, err) < 0)
    return -1;
  return ocirun_cgroup_pids (cg, pids, n, err);
}

/* Overlay the fields set in B onto A (A owns the result).  */
static void
merge_resources (struct oci_config_linux_resources *a, const struct oci_config_linux_resources *b)
{
#define TAKE(dst, src, f)                  \
  do                                       \
    if ((src)->f##_present)                \
      {                                    \
        (dst)->f = (src)->f;               \
        (dst)->f##_present = true;         \
      }                                    \
  while (0)
  if (b->memory)
    {
      if (a->memory == NULL)
        a->memory = xmalloc0 (sizeof (*a->memory));
      TAKE (a->memory, b->memory, limit);
      TAKE (a->memory, b->memory, swap);
      TAKE (a->memory, b->memory, reservation);
    }
  if (b->cpu)
    {
      if (a->cpu == NULL)
        a->cpu = xmalloc0 (sizeof (*a->cpu));
      TAKE (a->cpu, b->cpu, quota);
      TAKE (a->cpu, b->cpu, period);
      TAKE (a->cpu, b->cpu, shares);
      TAKE (a->cpu, b->cpu, realtime_period);
      TAKE (a->cpu, b->cpu, realtime_runtime);
      if (b->cpu->cpus)
        {
          free (a->cpu->cpus);
          a->cpu->cpus = xstrdup (b->cpu->cpus);
        }
      if (b->cpu->mems)
        {
          free (a->cpu->mems);
          a->cpu->mems = xstrdup (b->cpu->mems);
        }
    }
  if (b->pids)
    {
      if (a->pids == NULL)
        a->pids = xmalloc0 (sizeof (*a->pids));
      TAKE (a->pids, b->pids, limit);
    }
  if (b->block_io)
    {
      if (a->block_io == NULL)
        a->block_io = xmalloc0 (sizeof (*a->block_io));
      TAKE (a->block_io, b->block_io, weight);
    }
#undef TAKE
}

static bool
empty_sub (const struct oci_config_linux_resources *r)
{
  bool mem = r->memory && (r->memory->limit_present || r->memory->swap_present
                           || r->memory->reservation_present);
  bool cpu = r->cpu && (r->cpu->quota_present || r->cpu->period_present || r->cpu->shares_present
                        || r->cpu->cpus || r->cpu->mems || r->cpu->realtime_period_present
                        || r->cpu->realtime_runtime_present);
  bool pids = r->pids && r->pids->limit_present;
  bool blk = r->block_io && r->block_io->weight_present;
  return ! (mem || cpu || pids || blk);
}

int
ocirun_container_update (struct ocirun_context *ctx, const char *resources_json,
                         const struct oci_config_linux_resources *override, struct ocirun_error **err)
{
  cleanup_store struct ocirun_store *st = NULL;
  cleanup_ocirun_state struct oci_ocirun_state *state = NULL;
  cleanup_cgroup struct ocirun_cgroup *cg = NULL;
  struct oci_config_linux_resources *res = NULL;
  const char *status;
  int ret;

  if (ocirun_container_open (ctx, true, &st, &state, &status, err) < 0)
    return -1;
  if (strcmp (status, "stopped") == 0)
    return ocirun_error_set (err, 0, "container `%s` is stopped: nothing to update", ctx->id);
  if (resources_json)
    {
      cleanup_free char *msg = NULL;
      res = oci_config_linux_resources_parse_data (resources_json, strlen (resources_json), &msg);
      if (res == NULL)
        return ocirun_error_set (err, 0, "--resources: %s", msg ? msg : "?");
    }
  else
    res = xmalloc0 (sizeof (*res));
  if (override)
    merge_resources (res, override);
  if (resources_json == NULL && empty_sub (res))
    {
      free_oci_config_linux_resources (res);
      return ocirun_error_set (err, 0, "update: nothing to change (pass --resources FILE or a flag like --memory)");
    }
  if (state->cgroup_path == NULL)
    {
      free_oci_config_linux_resources (res);
      return ocirun_error_set (err, 0,
                               "container `%s` has no cgroup: update needs cgroup v2 and a cgroup manager",
                               ctx->id);
    }
  if (ocirun_container_cgroup (state, &cg, err) < 0)
    {
      free_oci_config_linux_resources (res);
      return -1;
    }
  ret = ocirun_cgroup_update (cg, res, err);
  free_oci_config_linux_resources (res);
  return ret;
}

int
ocirun_container_stats (struct ocirun_context *ctx, char **json, struct ocirun_error **err)
{
  cleanup_store struct ocirun_store *st = NULL;
  cleanup_ocirun_state struct oci_ocirun_state *state = NULL;
  cleanup_cgroup struct ocirun_cgroup *cg = NULL;
  const char *status;

  if (ocirun_container_open (ctx, false, &st, &state, &status, err) < 0)
    return -1;
  if (strcmp (status, "stopped") == 0)
    return ocirun_error_set (err, 0, "container `%s` is stopped", ctx->id);
  if (state->cgroup_path == NULL)
    return ocirun_error_set (err, 0, "container `%s` has no cgroup: stats need cgroup v2", ctx->id);
  if (ocirun_container_cgroup (state, &cg, err) < 0)
    return -1;
  return ocirun_cgroup_stats_json (cg, json, err);
}
