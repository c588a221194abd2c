/* ocirun: the systemd cgroup manager: a transient scope with Delegate=yes, created
 * over D-Bus (sd-bus), limits set as unit properties and then written to the scope's
 * cgroup files (everything, so values systemd cannot express are exact too).
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "../utils.h"
#include "cgroup-internal.h"

int
systemd_parse_path (const char *cgroups_path, const char *id, bool rootless, char **slice, char **unit,
                    struct ocirun_error **err)
{
  const char *def_slice = rootless ? "user.slice" : "system.slice";
  *slice = NULL;
  *unit = NULL;
  if (cgroups_path == NULL || cgroups_path[0] == '\0')
    {
      *slice = xstrdup (def_slice);
      *unit = xasprintf ("ocirun-%s.scope", id);
      return 0;
    }
  const char *c1 = strchr (cgroups_path, ':');
  const char *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
  if (c1 == NULL || c2 == NULL || strchr (c2 + 1, ':') || strchr (cgroups_path, '/'))
    return ocirun_error_set (err, EINVAL, "linux.cgroupsPath \"%s\": the systemd cgroup manager wants "
                             "\"slice:prefix:name\" (e.g. \"machine.slice:libpod:abc\")", cgroups_path);
  const char *name = c2 + 1;
  if (name[0] == '\0')
    name = id;
  cleanup_free char *s = strndup (cgroups_path, c1 - cgroups_path);
  cleanup_free char *prefix = strndup (c1 + 1, c2 - c1 - 1);
  size_t nl = strlen (name);
  if (nl > 6 && strcmp (name + nl - 6, ".slice") == 0)
    return ocirun_error_set (err, EINVAL, "linux.cgroupsPath \"%s\": a slice as the container unit is not "
                             "supported (use a name, which becomes <prefix>-<name>.scope)", cgroups_path);
  *slice = xstrdup (s[0] ? s : def_slice);
  if (nl > 6 && strcmp (name + nl - 6, ".scope") == 0)
    *unit = xstrdup (name);
  else
    *unit = prefix[0] ? xasprintf ("%s-%s.scope", prefix, name) : xasprintf ("%s.scope", name);
  return 0;
}

#ifdef HAVE_SYSTEMD
# include <systemd/sd-bus.h>

# define SD_DEST "org.freedesktop.systemd1"
# define SD_PATH "/org/freedesktop/systemd1"
# define SD_MANAGER "org.freedesktop.systemd1.Manager"
# define JOB_TIMEOUT_USEC (30ULL * 1000000ULL)

static void
cleanup_busp (sd_bus **b)
{
  if (*b)
    sd_bus_flush_close_unref (*b);
}
static void
cleanup_msgp (sd_bus_message **m)
{
  sd_bus_message_unref (*m);
}
static void
cleanup_slotp (sd_bus_slot **s)
{
  sd_bus_slot_unref (*s);
}
# define cleanup_bus __attribute__ ((cleanup (cleanup_busp)))
# define cleanup_msg __attribute__ ((cleanup (cleanup_msgp)))
# define cleanup_slot __attribute__ ((cleanup (cleanup_slotp)))
# define cleanup_bus_error __attribute__ ((cleanup (sd_bus_error_free)))

static int
bus_open (bool rootless, sd_bus **bus, struct ocirun_error **err)
{
  int r = rootless ? sd_bus_open_user (bus) : sd_bus_open_system (bus);
  if (r < 0)
    {
      if (rootless)
        return ocirun_error_set (err, -r, "connect to the user's systemd (session bus) for the systemd cgroup "
                                 "manager (is XDG_RUNTIME_DIR set and a user session running? "
                                 "try loginctl enable-linger, or --cgroup-manager=cgroupfs)");
      return ocirun_error_set (err, -r, "connect to systemd on the system bus (is systemd PID 1? "
                               "otherwise use --cgroup-manager=cgroupfs)");
    }
  return 0;
}

/* "0-3,7" -> little-endian byte mask, the way systemd wants AllowedCPUs.  */
static int
cpuset_to_mask (const char *list, const char *what, uint8_t **mask, size_t *len, struct ocirun_error **err)
{
  *mask = NULL;
  *len = 0;
  for (const char *p = list; *p;)
    {
      char *end;
      unsigned long a = strtoul (p, &end, 10), b;
      if (end == p)
        return ocirun_error_set (err, EINVAL, "%s \"%s\": not a list like \"0-3,5\"", what, list);
      b = a;
      if (*end == '-')
        {
          p = end + 1;
          b = strtoul (p, &end, 10);
          if (end == p || b < a)
            return ocirun_error_set (err, EINVAL, "%s \"%s\": bad range", what, list);
        }
      if (b > 65535)
        return ocirun_error_set (err, EINVAL, "%s \"%s\": %lu is too large", what, list, b);
      if (b / 8 + 1 > *len)
        {
          *mask = xrealloc (*mask, b / 8 + 1);
          memset (*mask + *len, 0, b / 8 + 1 - *len);
          *len = b / 8 + 1;
        }
      for (unsigned long i = a; i <= b; i++)
        (*mask)[i / 8] |= (uint8_t) (1u << (i % 8));
      p = end;
      while (*p == ',' || *p == ' ' || *p == '\n')
        p++;
    }
  return 0;
}

static int
append_t (sd_bus_message *m, const char *name, uint64_t v)
{
  return sd_bus_message_append (m, "(sv)", name, "t", v);
}

static int
append_mask (sd_bus_message *m, const char *name, const uint8_t *mask, size_t len)
{
  int r;
  if ((r = sd_bus_message_open_container (m, 'r', "sv")) < 0
      || (r = sd_bus_message_append (m, "s", name)) < 0
      || (r = sd_bus_message_open_container (m, 'v', "ay")) < 0
      || (r = sd_bus_message_append_array (m, 'y', mask, len)) < 0
      || (r = sd_bus_message_close_container (m)) < 0)
    return r;
  return sd_bus_message_close_container (m);
}

/* The resources systemd knows, as unit properties.  */
static int
append_resources (sd_bus_message *m, const struct oci_config_linux_resources *res, struct ocirun_error **err)
{
  int r = 0;
  if (res == NULL)
    return 0;
  const struct oci_config_linux_resources_memory *mem = res->memory;
  if (mem)
    {
      if (mem->limit_present && mem->limit != 0 && (r = append_t (m, "MemoryMax", mem->limit < 0 ? UINT64_MAX : (uint64_t) mem->limit)) < 0)
        goto fail;
      if (mem->reservation_present && mem->reservation != 0
          && (r = append_t (m, "MemoryLow", mem->reservation < 0 ? UINT64_MAX : (uint64_t) mem->reservation)) < 0)
        goto fail;
      if (mem->swap_present && mem->swap != 0)
        {
          uint64_t v = mem->swap < 0 ? UINT64_MAX
                       : (mem->limit_present && mem->limit > 0 && mem->swap >= mem->limit) ? (uint64_t) (mem->swap - mem->limit)
                       : UINT64_MAX;
          if (mem->swap < 0 || (mem->limit_present && mem->limit > 0 && mem->swap >= mem->limit))
            if ((r = append_t (m, "MemorySwapMax", v)) < 0)
              goto fail;
        }
    }
  if (res->pids && res->pids->limit_present
      && (r = append_t (m, "TasksMax", res->pids->limit <= 0 ? UINT64_MAX : (uint64_t) res->pids->limit)) < 0)
    goto fail;
  const struct oci_config_linux_resources_cpu *cpu = res->cpu;
  if (cpu)
    {
      if (cpu->shares_present && cpu->shares != 0
          && (r = append_t (m, "CPUWeight", ocirun_cgroup_shares_to_weight (cpu->shares))) < 0)
        goto fail;
      uint64_t period = cpu->period_present && cpu->period ? cpu->period : 100000;
      if (cpu->period_present && cpu->period && (r = append_t (m, "CPUQuotaPeriodUSec", period)) < 0)
        goto fail;
      if (cpu->quota_present && cpu->quota != 0)
        {
          uint64_t per_sec = cpu->quota < 0 ? UINT64_MAX : (uint64_t) cpu->quota * 1000000ULL / period;
          /* systemd keeps 10 ms granularity: round up so the limit is never tighter */
          if (cpu->quota > 0 && per_sec % 10000)
            per_sec = (per_sec / 10000 + 1) * 10000;
          if ((r = append_t (m, "CPUQuotaPerSecUSec", per_sec)) < 0)
            goto fail;
        }
      for (int k = 0; k < 2; k++)
        {
          const char *list = k == 0 ? cpu->cpus : cpu->mems;
          if (list == NULL || list[0] == '\0')
            continue;
          cleanup_free uint8_t *mask = NULL;
          size_t len;
          if (cpuset_to_mask (list, k == 0 ? "linux.resources.cpu.cpus" : "linux.resources.cpu.mems", &mask, &len,
                              err) < 0)
            return -1;
          if ((r = append_mask (m, k == 0 ? "AllowedCPUs" : "AllowedMemoryNodes", mask, len)) < 0)
            goto fail;
        }
    }
  if (res->block_io && res->block_io->weight_present && res->block_io->weight
      && (r = append_t (m, "IOWeight", ocirun_cgroup_blkio_weight_to_io (res->block_io->weight))) < 0)
    goto fail;
  return 0;
fail:
  return ocirun_error_set (err, -r, "build the systemd unit properties");
}

struct job_wait
{
  const char *job;
  char *result;
};

static int
on_job_removed (sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
  struct job_wait *w = userdata;
  uint32_t id;
  const char *path, *unit, *result;
  if (sd_bus_message_read (m, "uoss", &id, &path, &unit, &result) < 0)
    return 0;
  if (w->job && strcmp (path, w->job) == 0)
    w->result = xstrdup (result);
  return 0;
}

static uint64_t
now_usec (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000ULL + (uint64_t) ts.tv_nsec / 1000;
}

static int
wait_job (sd_bus *bus, struct job_wait *w, const char *what, struct ocirun_error **err)
{
  uint64_t deadline = now_usec () + JOB_TIMEOUT_USEC;
  while (w->result == NULL)
    {
      int r = sd_bus_process (bus, NULL);
      if (r < 0)
        return ocirun_error_set (err, -r, "%s: wait for the systemd job", what);
      if (r > 0)
        continue;
      uint64_t now = now_usec ();
      if (now >= deadline)
        return ocirun_error_set (err, ETIMEDOUT, "%s: the systemd job %s did not finish within 30 s", what, w->job);
      r = sd_bus_wait (bus, deadline - now);
      if (r < 0)
        return ocirun_error_set (err, -r, "%s: wait for the systemd job", what);
    }
  return 0;
}

/* Call METHOD (a job-returning Manager method) and wait for its job.  RESULT gets
   systemd's job result ("done", "failed", ...).  */
static int
call_job (sd_bus *bus, sd_bus_message *m, const char *what, char **result, struct ocirun_error **err)
{
  cleanup_bus_error sd_bus_error e = SD_BUS_ERROR_NULL;
  cleanup_msg sd_bus_message *reply = NULL;
  cleanup_slot sd_bus_slot *slot = NULL;
  struct job_wait w = { 0 };
  const char *job;
  int r;

  r = sd_bus_match_signal (bus, &slot, SD_DEST, SD_PATH, SD_MANAGER, "JobRemoved", on_job_removed, &w);
  if (r < 0)
    return ocirun_error_set (err, -r, "%s: subscribe to systemd's JobRemoved", what);
  /* Signals are only sent to subscribers (older systemd): ask, ignore a refusal.  */
  sd_bus_call_method (bus, SD_DEST, SD_PATH, SD_MANAGER, "Subscribe", NULL, NULL, "");

  r = sd_bus_call (bus, m, JOB_TIMEOUT_USEC, &e, &reply);
  if (r < 0)
    {
      if (sd_bus_error_has_name (&e, "org.freedesktop.systemd1.NoSuchUnit"))
        {
          *result = xstrdup ("nosuchunit");
          return 0;
        }
      return ocirun_error_set (err, -r, "%s: %s", what, e.message ? e.message : "D-Bus call failed");
    }
  r = sd_bus_message_read (reply, "o", &job);
  if (r < 0)
    return ocirun_error_set (err, -r, "%s: read the job path", what);
  w.job = job;
  if (wait_job (bus, &w, what, err) < 0)
    return -1;
  *result = w.result;
  return 0;
}

static int
start_scope (sd_bus *bus, const char *unit, const char *slice, const char *id, pid_t pid,
             const struct oci_config_linux_resources *res, struct ocirun_error **err)
{
  cleanup_msg sd_bus_message *m = NULL;
  cleanup_free char *desc = xasprintf ("ocirun container %s", id);
  cleanup_free char *result = NULL;
  cleanup_free char *what = xasprintf ("start systemd scope %s in %s", unit, slice);
  int r;

  r = sd_bus_message_new_method_call (bus, &m, SD_DEST, SD_PATH, SD_MANAGER, "StartTransientUnit");
  if (r < 0)
    return ocirun_error_set (err, -r, "%s: new D-Bus message", what);
  if ((r = sd_bus_message_append (m, "ss", unit, "fail")) < 0
      || (r = sd_bus_message_open_container (m, 'a', "(sv)")) < 0
      || (r = sd_bus_message_append (m, "(sv)", "Description", "s", desc)) < 0
      || (r = sd_bus_message_append (m, "(sv)", "Slice", "s", slice)) < 0
      || (r = sd_bus_message_append (m, "(sv)", "Delegate", "b", 1)) < 0
      || (r = sd_bus_message_append (m, "(sv)", "DefaultDependencies", "b", 0)) < 0
      || (r = sd_bus_message_append (m, "(sv)", "CollectMode", "s", "inactive-or-failed")) < 0
      || (r = sd_bus_message_append (m, "(sv)", "PIDs", "au", 1, (uint32_t) pid)) < 0)
    return ocirun_error_set (err, -r, "%s: build the D-Bus message", what);
  if (append_resources (m, res, err) < 0)
    return ocirun_error_wrap (err, "%s", what);
  if ((r = sd_bus_message_close_container (m)) < 0 || (r = sd_bus_message_append (m, "a(sa(sv))", 0)) < 0)
    return ocirun_error_set (err, -r, "%s: build the D-Bus message", what);
  if (call_job (bus, m, what, &result, err) < 0)
    return -1;
  if (strcmp (result, "done") != 0)
    return ocirun_error_set (err, EIO, "%s: the job ended with \"%s\" (see journalctl -u %s)", what, result, unit);
  return 0;
}

int
systemd_enter (struct ocirun_cgroup *cg, const struct ocirun_cgroup_opts *opts, pid_t pid, struct ocirun_error **err)
{
  cleanup_bus sd_bus *bus = NULL;
  cleanup_free char *slice = NULL;
  cleanup_free char *unit = NULL;
  bool asked = cg_resources_requested (opts->resources, opts->rootless);

  if (systemd_parse_path (opts->cgroups_path, opts->id, opts->rootless, &slice, &unit, err) < 0)
    return -1;
  if (bus_open (opts->rootless, &bus, err) < 0 || start_scope (bus, unit, slice, opts->id, pid, opts->resources, err) < 0)
    {
      if (opts->rootless && ! asked)
        {
          ocirun_debug ("rootless: no systemd scope, staying in the current cgroup: %s", (*err)->msg);
          ocirun_error_free (err);
          free (cg->scope);
          cg->scope = NULL;
          return 0;
        }
      return -1;
    }
  free (cg->scope);
  cg->scope = steal_pointer (&unit);

  cleanup_free char *path = NULL;
  if (cg_own_path (pid, &path, err) < 0)
    return ocirun_error_wrap (err, "find the cgroup of systemd scope %s", cg->scope);
  cleanup_close int root = cg_open_root (err);
  if (root < 0)
    return -1;
  const char *rel = path[0] == '/' && path[1] ? path + 1 : ".";
  cg->dirfd = openat (root, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (cg->dirfd < 0)
    return ocirun_error_set (err, errno, "open cgroup %s of systemd scope %s", path, cg->scope);
  cg->path = steal_pointer (&path);
  cg->created = true;
  return cg_apply_all (cg->dirfd, cg->path, opts->resources, false, opts->rootless, err);
}

int
systemd_update (struct ocirun_cgroup *cg, const struct oci_config_linux_resources *res, struct ocirun_error **err)
{
  cleanup_bus sd_bus *bus = NULL;
  cleanup_msg sd_bus_message *m = NULL;
  cleanup_msg sd_bus_message *reply = NULL;
  cleanup_bus_error sd_bus_error e = SD_BUS_ERROR_NULL;
  int r;

  if (bus_open (ocirun_is_rootless (), &bus, err) < 0)
    return -1;
  r = sd_bus_message_new_method_call (bus, &m, SD_DEST, SD_PATH, SD_MANAGER, "SetUnitProperties");
  if (r < 0)
    return ocirun_error_set (err, -r, "update systemd scope %s: new D-Bus message", cg->scope);
  if ((r = sd_bus_message_append (m, "sb", cg->scope, 1)) < 0 || (r = sd_bus_message_open_container (m, 'a', "(sv)")) < 0)
    return ocirun_error_set (err, -r, "update systemd scope %s: build the D-Bus message", cg->scope);
  if (append_resources (m, res, err) < 0)
    return ocirun_error_wrap (err, "update systemd scope %s", cg->scope);
  if ((r = sd_bus_message_close_container (m)) < 0)
    return ocirun_error_set (err, -r, "update systemd scope %s: build the D-Bus message", cg->scope);
  r = sd_bus_call (bus, m, JOB_TIMEOUT_USEC, &e, &reply);
  if (r < 0)
    return ocirun_error_set (err, -r, "update systemd scope %s: %s", cg->scope, e.message ? e.message : "SetUnitProperties failed");
  return 0;
}

int
systemd_destroy (struct ocirun_cgroup *cg, struct ocirun_error **err)
{
  cleanup_bus sd_bus *bus = NULL;
  cleanup_msg sd_bus_message *m = NULL;
  cleanup_free char *result = NULL;
  cleanup_free char *what = xasprintf ("stop systemd scope %s", cg->scope);
  int r;

  /* Kill first: stopping a scope would otherwise wait for SIGTERM to work.  */
  if (cg->dirfd >= 0)
    {
      if (cg_write (cg->dirfd, "cgroup.kill", "1") < 0)
        {
          cleanup_error struct ocirun_error *e = NULL;
          ocirun_cgroup_kill_all (cg, 9, &e);
        }
      close (cg->dirfd);
      cg->dirfd = -1;
    }
  if (bus_open (ocirun_is_rootless (), &bus, err) < 0)
    return -1;
  r = sd_bus_message_new_method_call (bus, &m, SD_DEST, SD_PATH, SD_MANAGER, "StopUnit");
  if (r < 0 || (r = sd_bus_message_append (m, "ss", cg->scope, "replace")) < 0)
    return ocirun_error_set (err, -r, "%s: build the D-Bus message", what);
  if (call_job (bus, m, what, &result, err) < 0)
    return -1;
  if (strcmp (result, "done") != 0 && strcmp (result, "nosuchunit") != 0)
    ocirun_debug ("%s: job result %s", what, result);
  if (cg->path)
    {
      cleanup_close int root = cg_open_root (err);
      if (root < 0)
        return -1;
      if (cg_remove (root, cg->path, 5000, err) < 0)
        return -1;
    }
  return 0;
}
#endif
