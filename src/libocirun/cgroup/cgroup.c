/* ocirun: cgroup v2 manager dispatch, mode detection and the verbs shared by
 * every manager (freeze, kill, pids, update, stats, destroy).
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>
#include "../utils.h"
#include "cgroup-internal.h"

#ifndef CGROUP2_SUPER_MAGIC
# define CGROUP2_SUPER_MAGIC 0x63677270
#endif

/* ---- small helpers ---- */

int
cg_read (int dirfd, const char *name, char **out)
{
  cleanup_close int fd = openat (dirfd, name, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -errno;
  size_t cap = 4096, len = 0;
  cleanup_free char *buf = malloc (cap + 1);
  if (buf == NULL)
    return -ENOMEM;
  for (;;)
    {
      ssize_t r = read (fd, buf + len, cap - len);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        return -errno;
      if (r == 0)
        break;
      len += (size_t) r;
      if (len == cap)
        {
          cap *= 2;
          buf = xrealloc (buf, cap + 1);
        }
    }
  buf[len] = '\0';
  *out = steal_pointer (&buf);
  return 0;
}

int
cg_write (int dirfd, const char *name, const char *value)
{
  cleanup_close int fd = openat (dirfd, name, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return -errno;
  size_t len = strlen (value);
  ssize_t r;
  do
    r = write (fd, value, len);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return -errno;
  if ((size_t) r != len)
    return -EIO;
  return 0;
}

int
cg_read_keyed (int dirfd, const char *name, const char *key, uint64_t *out)
{
  cleanup_free char *buf = NULL;
  int r = cg_read (dirfd, name, &buf);
  if (r < 0)
    return r;
  size_t kl = strlen (key);
  for (char *line = buf; line && *line; line = strchr (line, '\n') ? strchr (line, '\n') + 1 : NULL)
    if (strncmp (line, key, kl) == 0 && line[kl] == ' ')
      {
        *out = strtoull (line + kl + 1, NULL, 10);
        return 0;
      }
  return -ENOENT;
}

bool
cg_word_in (const char *list, const char *w)
{
  size_t wl = strlen (w);
  for (const char *p = list; p && *p;)
    {
      while (*p == ' ' || *p == '\n')
        p++;
      size_t l = strcspn (p, " \n");
      if (l == wl && strncmp (p, w, wl) == 0)
        return true;
      p += l;
    }
  return false;
}

int
cg_open_root (struct ocirun_error **err)
{
  int fd = open (OCIRUN_CGROUP_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return ocirun_error_set (err, errno, "open %s", OCIRUN_CGROUP_ROOT);
  return fd;
}

int
cg_own_path (pid_t pid, char **out, struct ocirun_error **err)
{
  char file[64];
  cleanup_free char *buf = NULL;
  if (pid == 0)
    snprintf (file, sizeof file, "/proc/self/cgroup");
  else
    snprintf (file, sizeof file, "/proc/%d/cgroup", (int) pid);
  int r = cg_read (AT_FDCWD, file, &buf);
  if (r < 0)
    return ocirun_error_set (err, -r, "read %s", file);
  for (char *line = buf; line && *line; line = strchr (line, '\n') ? strchr (line, '\n') + 1 : NULL)
    if (strncmp (line, "0::", 3) == 0)
      {
        size_t l = strcspn (line + 3, "\n");
        char *p = strndup (line + 3, l);
        /* " (deleted)" suffix when the cgroup was removed.  */
        *out = p;
        return 0;
      }
  return ocirun_error_set (err, ENOENT, "%s has no cgroup v2 (\"0::\") entry", file);
}

enum ocirun_cgroup_mode
ocirun_cgroup_mode (void)
{
  struct statfs st;
  if (statfs (OCIRUN_CGROUP_ROOT, &st) < 0)
    return OCIRUN_CGROUP_MODE_NONE;
  if (st.f_type == CGROUP2_SUPER_MAGIC)
    return OCIRUN_CGROUP_MODE_UNIFIED;
  return OCIRUN_CGROUP_MODE_V1;
}

int
ocirun_cgroup_manager_from_string (const char *s, enum ocirun_cgroup_manager *out, struct ocirun_error **err)
{
  if (strcmp (s, "cgroupfs") == 0)
    *out = OCIRUN_CGROUP_MANAGER_CGROUPFS;
  else if (strcmp (s, "systemd") == 0)
    *out = OCIRUN_CGROUP_MANAGER_SYSTEMD;
  else if (strcmp (s, "disabled") == 0 || strcmp (s, "none") == 0)
    *out = OCIRUN_CGROUP_MANAGER_DISABLED;
  else
    return ocirun_error_set (err, EINVAL, "unknown cgroup manager \"%s\" (use cgroupfs, systemd or disabled)", s);
  return 0;
}

const char *
ocirun_cgroup_manager_name (enum ocirun_cgroup_manager m)
{
  switch (m)
    {
    case OCIRUN_CGROUP_MANAGER_CGROUPFS: return "cgroupfs";
    case OCIRUN_CGROUP_MANAGER_SYSTEMD: return "systemd";
    case OCIRUN_CGROUP_MANAGER_DISABLED: return "disabled";
    }
  return "unknown";
}

bool
cg_resources_requested (const struct oci_config_linux_resources *r, bool ignore_devices)
{
  if (r == NULL)
    return false;
  if (! ignore_devices && r->devices_len > 0)
    return true;
  if (r->memory || r->cpu || r->pids || r->block_io || r->hugepage_limits_len > 0 || r->network)
    return true;
  if (r->rdma && r->rdma->len > 0)
    return true;
  if (r->unified && r->unified->len > 0)
    return true;
  return false;
}

int
cg_check_mode (enum ocirun_cgroup_mode mode, const struct ocirun_cgroup_opts *opts, bool *need_cgroup,
               struct ocirun_error **err)
{
  *need_cgroup = false;
  if (opts->manager == OCIRUN_CGROUP_MANAGER_DISABLED)
    return 0;
  if (mode == OCIRUN_CGROUP_MODE_UNIFIED)
    {
      *need_cgroup = true;
      return 0;
    }
  /* A user namespace cannot create device nodes: device rules need no cgroup then.  */
  bool asked = cg_resources_requested (opts->resources, opts->rootless);
  if (! asked && opts->cgroups_path == NULL)
    return 0;
  if (! asked && opts->rootless)
    return 0;
  const char *what = mode == OCIRUN_CGROUP_MODE_V1 ? "cgroup v1 (hybrid)" : "no cgroup2 filesystem at " OCIRUN_CGROUP_ROOT;
  return ocirun_error_set (err, EOPNOTSUPP,
                           "cgroup v2 is required for linux.resources/cgroupsPath but this host runs %s: "
                           "boot with systemd.unified_cgroup_hierarchy=1, or pass --cgroup-manager=disabled "
                           "to run without a cgroup (limits are then not enforced)", what);
}

/* ---- lifecycle ---- */

static struct ocirun_cgroup *
cg_new (enum ocirun_cgroup_manager m)
{
  struct ocirun_cgroup *cg = xmalloc0 (sizeof *cg);
  cg->manager = m;
  cg->dirfd = -1;
  return cg;
}

void
ocirun_cgroup_free (struct ocirun_cgroup *cg)
{
  if (cg == NULL)
    return;
  if (cg->dirfd >= 0)
    close (cg->dirfd);
  free (cg->path);
  free (cg->scope);
  free (cg);
}

void
cleanup_cgroupp (struct ocirun_cgroup **cg)
{
  ocirun_cgroup_free (*cg);
  *cg = NULL;
}

int
ocirun_cgroup_prepare (const struct ocirun_cgroup_opts *opts, struct ocirun_cgroup **out,
                       struct ocirun_error **err)
{
  cleanup_cgroup struct ocirun_cgroup *cg = cg_new (opts->manager);
  bool need = false;

  if (cg_check_mode (ocirun_cgroup_mode (), opts, &need, err) < 0)
    return -1;
  if (! need)
    {
      *out = steal_pointer (&cg);
      return 0;
    }
  switch (opts->manager)
    {
    case OCIRUN_CGROUP_MANAGER_CGROUPFS:
      if (cgroupfs_prepare (opts, cg, err) < 0)
        return -1;
      break;
    case OCIRUN_CGROUP_MANAGER_SYSTEMD:
#ifdef HAVE_SYSTEMD
      /* The scope is created in phase 2, when the pid exists.  */
      {
        cleanup_free char *slice = NULL;
        if (systemd_parse_path (opts->cgroups_path, opts->id, opts->rootless, &slice, &cg->scope, err) < 0)
          return -1;
      }
      break;
#else
      return ocirun_error_set (err, EOPNOTSUPP, "the systemd cgroup manager is not available: ocirun was "
                               "built without libsystemd (use --cgroup-manager=cgroupfs)");
#endif
    case OCIRUN_CGROUP_MANAGER_DISABLED:
      break;
    }
  *out = steal_pointer (&cg);
  return 0;
}

int
cg_apply_all (int dirfd, const char *path, const struct oci_config_linux_resources *res, bool update,
              bool rootless, struct ocirun_error **err)
{
  cleanup_cg_writes struct cg_writes w = { 0 };
  if (res == NULL)
    return 0;
  if (cg_resources_build (res, update, &w, err) < 0)
    return -1;
  if (cg_resources_write (dirfd, &w, err) < 0)
    return ocirun_error_wrap (err, "cgroup %s", path);
  if (res->devices_len > 0)
    {
      if (rootless)
        ocirun_debug ("rootless: linux.resources.devices not applied (a user namespace cannot create devices)");
      else if (ocirun_cgroup_devices_apply (dirfd, res->devices, res->devices_len, err) < 0)
        return ocirun_error_wrap (err, "linux.resources.devices on cgroup %s", path);
    }
  return 0;
}

int
ocirun_cgroup_enter (struct ocirun_cgroup *cg, const struct ocirun_cgroup_opts *opts, pid_t pid, bool already_in,
                     struct ocirun_error **err)
{
  if (cg->manager == OCIRUN_CGROUP_MANAGER_DISABLED)
    return 0;
#ifdef HAVE_SYSTEMD
  if (cg->manager == OCIRUN_CGROUP_MANAGER_SYSTEMD && cg->scope)
    return systemd_enter (cg, opts, pid, err);
#endif
  if (cg->path == NULL || cg->dirfd < 0)
    return 0;
  if (! already_in)
    {
      char buf[32];
      snprintf (buf, sizeof buf, "%d", (int) pid);
      int r = cg_write (cg->dirfd, "cgroup.procs", buf);
      if (r < 0)
        return ocirun_error_set (err, -r, "move pid %d into cgroup %s (write cgroup.procs)", (int) pid, cg->path);
    }
  return cg_apply_all (cg->dirfd, cg->path, opts->resources, false, opts->rootless, err);
}

int
ocirun_cgroup_load (enum ocirun_cgroup_manager manager, const char *path, const char *scope,
                    struct ocirun_cgroup **out, struct ocirun_error **err)
{
  cleanup_cgroup struct ocirun_cgroup *cg = cg_new (manager);
  if (path && path[0])
    {
      cg->path = xstrdup (path);
      cleanup_close int root = cg_open_root (err);
      if (root < 0)
        return -1;
      const char *rel = path[0] == '/' && path[1] ? path + 1 : path[0] == '/' ? "." : path;
      cg->dirfd = openat (root, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (cg->dirfd < 0 && errno != ENOENT)
        return ocirun_error_set (err, errno, "open cgroup %s", path);
    }
  if (scope && scope[0])
    cg->scope = xstrdup (scope);
  *out = steal_pointer (&cg);
  return 0;
}

static void
sleep_ms (int ms)
{
  struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000L };
  nanosleep (&ts, NULL);
}

static int64_t
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Every pid listed in DIRFD's cgroup.procs and its children's.  */
static void
collect_pids (int dirfd, pid_t **pids, size_t *n)
{
  cleanup_free char *procs = NULL;
  if (cg_read (dirfd, "cgroup.procs", &procs) == 0)
    for (char *p = procs; *p;)
      {
        char *end;
        long pid = strtol (p, &end, 10);
        if (end == p)
          break;
        *pids = xrealloc (*pids, (*n + 1) * sizeof (pid_t));
        (*pids)[(*n)++] = (pid_t) pid;
        p = end;
        while (*p == '\n')
          p++;
      }
  int dfd = dup (dirfd);
  if (dfd < 0)
    return;
  cleanup_dir DIR *d = fdopendir (dfd);
  if (d == NULL)
    {
      close (dfd);
      return;
    }
  struct dirent *de;
  while ((de = readdir (d)))
    if (de->d_type == DT_DIR && strcmp (de->d_name, ".") && strcmp (de->d_name, ".."))
      {
        cleanup_close int sub = openat (dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (sub >= 0)
          collect_pids (sub, pids, n);
      }
}

/* Signal every pid of DIRFD's subtree.  */
static void
signal_tree (int dirfd, int sig)
{
  cleanup_free pid_t *pids = NULL;
  size_t n = 0;
  collect_pids (dirfd, &pids, &n);
  for (size_t i = 0; i < n; i++)
    if (pids[i] > 0)
      kill (pids[i], sig);
}

/* rmdir every child cgroup, then the directory itself.  */
static int
rmdir_tree (int parentfd, const char *name)
{
  cleanup_close int fd = openat (parentfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT ? 0 : -errno;
  int dfd = dup (fd);
  if (dfd >= 0)
    {
      cleanup_dir DIR *d = fdopendir (dfd);
      if (d == NULL)
        close (dfd);
      struct dirent *de;
      while (d && (de = readdir (d)))
        if (de->d_type == DT_DIR && strcmp (de->d_name, ".") && strcmp (de->d_name, ".."))
          rmdir_tree (fd, de->d_name);
    }
  if (unlinkat (parentfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
    return -errno;
  return 0;
}

int
cg_remove (int rootfd, const char *path, int timeout_ms, struct ocirun_error **err)
{
  const char *rel = path[0] == '/' ? path + 1 : path;
  if (rel[0] == '\0')
    return ocirun_error_set (err, EINVAL, "refusing to remove the root cgroup");
  int64_t deadline = now_ms () + timeout_ms;
  bool killed = false;
  for (;;)
    {
      int r = rmdir_tree (rootfd, rel);
      if (r == 0)
        return 0;
      if (r != -EBUSY)
        return ocirun_error_set (err, -r, "remove cgroup %s", path);
      if (now_ms () > deadline)
        return ocirun_error_set (err, EBUSY, "remove cgroup %s: processes are still running after %d ms "
                                 "(see %s%s/cgroup.procs)", path, timeout_ms, OCIRUN_CGROUP_ROOT, path);
      cleanup_close int fd = openat (rootfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0)
        continue;
      if (! killed)
        {
          if (cg_write (fd, "cgroup.kill", "1") < 0)
            signal_tree (fd, SIGKILL);
          killed = true;
        }
      uint64_t populated = 1;
      if (cg_read_keyed (fd, "cgroup.events", "populated", &populated) == 0 && populated == 0)
        continue;
      sleep_ms (20);
      if (now_ms () > deadline - timeout_ms / 2)
        killed = false; /* late stragglers (a fork that raced the kill): kill again */
    }
}

int
ocirun_cgroup_destroy (struct ocirun_cgroup *cg, struct ocirun_error **err)
{
  if (cg == NULL || cg->manager == OCIRUN_CGROUP_MANAGER_DISABLED)
    return 0;
#ifdef HAVE_SYSTEMD
  if (cg->manager == OCIRUN_CGROUP_MANAGER_SYSTEMD && cg->scope)
    return systemd_destroy (cg, err);
#endif
  if (cg->path == NULL)
    return 0;
  if (cg->dirfd >= 0)
    {
      close (cg->dirfd);
      cg->dirfd = -1;
    }
  cleanup_close int root = cg_open_root (err);
  if (root < 0)
    return -1;
  return cg_remove (root, cg->path, 5000, err);
}

static int
need_dir (struct ocirun_cgroup *cg, struct ocirun_error **err)
{
  if (cg == NULL || cg->path == NULL)
    return ocirun_error_set (err, ENOENT, "the container has no cgroup (cgroup manager disabled, or rootless "
                             "without a delegated cgroup)");
  if (cg->dirfd < 0)
    return ocirun_error_set (err, ENOENT, "cgroup %s does not exist (the container is gone?)", cg->path);
  return 0;
}

static int
wait_frozen (struct ocirun_cgroup *cg, bool freeze, int timeout_ms, struct ocirun_error **err)
{
  int64_t deadline = now_ms () + timeout_ms;
  for (int delay = 1;; delay = delay < 50 ? delay * 2 : 50)
    {
      uint64_t v = 0;
      int r = cg_read_keyed (cg->dirfd, "cgroup.events", "frozen", &v);
      if (r < 0)
        return ocirun_error_set (err, -r, "read %s/cgroup.events", cg->path);
      if ((v == 1) == freeze)
        return 0;
      if (now_ms () > deadline)
        return ocirun_error_set (err, ETIMEDOUT, "cgroup %s did not become %s within %d ms", cg->path,
                                 freeze ? "frozen" : "thawed", timeout_ms);
      sleep_ms (delay);
    }
}

int
ocirun_cgroup_freeze (struct ocirun_cgroup *cg, bool freeze, struct ocirun_error **err)
{
  if (need_dir (cg, err) < 0)
    return -1;
  int r = cg_write (cg->dirfd, "cgroup.freeze", freeze ? "1" : "0");
  if (r < 0)
    return ocirun_error_set (err, -r, "%s cgroup %s (write cgroup.freeze)", freeze ? "freeze" : "thaw", cg->path);
  return wait_frozen (cg, freeze, 10000, err);
}

int
ocirun_cgroup_is_frozen (struct ocirun_cgroup *cg, bool *frozen, struct ocirun_error **err)
{
  *frozen = false;
  if (cg == NULL || cg->path == NULL || cg->dirfd < 0)
    return 0;
  uint64_t v = 0;
  int r = cg_read_keyed (cg->dirfd, "cgroup.events", "frozen", &v);
  if (r < 0)
    return ocirun_error_set (err, -r, "read %s/cgroup.events", cg->path);
  *frozen = v == 1;
  return 0;
}

int
ocirun_cgroup_kill_all (struct ocirun_cgroup *cg, int sig, struct ocirun_error **err)
{
  if (need_dir (cg, err) < 0)
    return -1;
  if (sig == SIGKILL && cg_write (cg->dirfd, "cgroup.kill", "1") == 0)
    return 0;
  cleanup_error struct ocirun_error *ferr = NULL;
  bool frozen = ocirun_cgroup_freeze (cg, true, &ferr) == 0;
  signal_tree (cg->dirfd, sig);
  if (frozen && ocirun_cgroup_freeze (cg, false, err) < 0)
    return -1;
  return 0;
}

int
ocirun_cgroup_pids (struct ocirun_cgroup *cg, pid_t **pids, size_t *n, struct ocirun_error **err)
{
  *pids = NULL;
  *n = 0;
  if (need_dir (cg, err) < 0)
    return -1;
  collect_pids (cg->dirfd, pids, n);
  return 0;
}

int
ocirun_cgroup_update (struct ocirun_cgroup *cg, const struct oci_config_linux_resources *res,
                      struct ocirun_error **err)
{
  if (need_dir (cg, err) < 0)
    return -1;
#ifdef HAVE_SYSTEMD
  if (cg->manager == OCIRUN_CGROUP_MANAGER_SYSTEMD && cg->scope && systemd_update (cg, res, err) < 0)
    return -1;
#endif
  return cg_apply_all (cg->dirfd, cg->path, res, true, ocirun_is_rootless (), err);
}

int
ocirun_cgroup_oom_kills (struct ocirun_cgroup *cg, uint64_t *count, struct ocirun_error **err)
{
  *count = 0;
  if (need_dir (cg, err) < 0)
    return -1;
  int r = cg_read_keyed (cg->dirfd, "memory.events", "oom_kill", count);
  if (r < 0 && r != -ENOENT)
    return ocirun_error_set (err, -r, "read %s/memory.events", cg->path);
  return 0;
}

/* ---- stats ("events --stats" data, runc's field names) ---- */

struct sbuf
{
  char *s;
  size_t len, cap;
};

static void __attribute__ ((format (printf, 2, 3)))
sb_printf (struct sbuf *b, const char *fmt, ...)
{
  va_list ap;
  for (;;)
    {
      size_t room = b->cap - b->len;
      va_start (ap, fmt);
      int n = vsnprintf (b->s ? b->s + b->len : NULL, room, fmt, ap);
      va_end (ap);
      if (n < 0)
        return;
      if ((size_t) n < room)
        {
          b->len += (size_t) n;
          return;
        }
      b->cap = (b->cap + (size_t) n + 1) * 2;
      b->s = xrealloc (b->s, b->cap);
    }
}

/* A cgroup value file: a number, or "max" = UINT64_MAX.  */
static uint64_t
read_u64 (int dirfd, const char *name, bool *ok)
{
  cleanup_free char *s = NULL;
  *ok = cg_read (dirfd, name, &s) == 0;
  if (! *ok)
    return 0;
  if (strncmp (s, "max", 3) == 0)
    return UINT64_MAX;
  return strtoull (s, NULL, 10);
}

static void
stats_cpu (int fd, struct sbuf *b)
{
  uint64_t usage = 0, user = 0, sys = 0, periods = 0, throttled = 0, throttled_us = 0;
  cg_read_keyed (fd, "cpu.stat", "usage_usec", &usage);
  cg_read_keyed (fd, "cpu.stat", "user_usec", &user);
  cg_read_keyed (fd, "cpu.stat", "system_usec", &sys);
  cg_read_keyed (fd, "cpu.stat", "nr_periods", &periods);
  cg_read_keyed (fd, "cpu.stat", "nr_throttled", &throttled);
  cg_read_keyed (fd, "cpu.stat", "throttled_usec", &throttled_us);
  sb_printf (b, "\"cpu\":{\"usage\":{\"total\":%" PRIu64 ",\"kernel\":%" PRIu64 ",\"user\":%" PRIu64 "},"
             "\"throttling\":{\"periods\":%" PRIu64 ",\"throttledPeriods\":%" PRIu64 ",\"throttledTime\":%" PRIu64 "}}",
             usage * 1000, sys * 1000, user * 1000, periods, throttled, throttled_us * 1000);
}

static void
stats_memory (int fd, struct sbuf *b)
{
  bool ok;
  uint64_t usage = read_u64 (fd, "memory.current", &ok);
  uint64_t limit = read_u64 (fd, "memory.max", &ok);
  uint64_t peak = read_u64 (fd, "memory.peak", &ok);
  bool has_peak = ok;
  uint64_t swap = read_u64 (fd, "memory.swap.current", &ok);
  uint64_t swap_limit = read_u64 (fd, "memory.swap.max", &ok);
  uint64_t failcnt = 0, cache = 0;
  cg_read_keyed (fd, "memory.events", "max", &failcnt);
  cg_read_keyed (fd, "memory.stat", "file", &cache);
  sb_printf (b, ",\"memory\":{\"cache\":%" PRIu64 ",\"usage\":{\"usage\":%" PRIu64 ",\"limit\":%" PRIu64,
             cache, usage, limit);
  if (has_peak)
    sb_printf (b, ",\"max\":%" PRIu64, peak);
  /* runc reports swap as memory+swap, like v1's memsw.  */
  sb_printf (b, ",\"failcnt\":%" PRIu64 "},\"swap\":{\"usage\":%" PRIu64 ",\"limit\":%" PRIu64 ",\"failcnt\":0}",
             failcnt, swap + usage, swap_limit == UINT64_MAX || limit == UINT64_MAX ? UINT64_MAX : swap_limit + limit);
  cleanup_free char *stat = NULL;
  sb_printf (b, ",\"raw\":{");
  if (cg_read (fd, "memory.stat", &stat) == 0)
    {
      bool first = true;
      for (char *line = stat; *line;)
        {
          size_t l = strcspn (line, "\n");
          char *sp = memchr (line, ' ', l);
          if (sp)
            {
              sb_printf (b, "%s\"%.*s\":%" PRIu64, first ? "" : ",", (int) (sp - line), line,
                         (uint64_t) strtoull (sp + 1, NULL, 10));
              first = false;
            }
          line += l;
          if (*line == '\n')
            line++;
        }
    }
  sb_printf (b, "}}");
}

static void
stats_io (int fd, struct sbuf *b)
{
  cleanup_free char *io = NULL;
  struct sbuf bytes = { 0 }, ios = { 0 };
  sb_printf (&bytes, "%s", "");
  sb_printf (&ios, "%s", "");
  if (cg_read (fd, "io.stat", &io) == 0)
    for (char *line = io; *line;)
      {
        size_t l = strcspn (line, "\n");
        char save = line[l];
        line[l] = '\0';
        unsigned maj, min;
        if (sscanf (line, "%u:%u", &maj, &min) == 2)
          {
            static const struct { const char *key, *op; bool bytes; } keys[] = {
              { "rbytes=", "Read", true }, { "wbytes=", "Write", true },
              { "rios=", "Read", false }, { "wios=", "Write", false },
            };
            for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
              {
                char *p = strstr (line, keys[k].key);
                if (p == NULL)
                  continue;
                struct sbuf *t = keys[k].bytes ? &bytes : &ios;
                sb_printf (t, "%s{\"major\":%u,\"minor\":%u,\"op\":\"%s\",\"value\":%" PRIu64 "}",
                           t->len ? "," : "", maj, min, keys[k].op,
                           (uint64_t) strtoull (p + strlen (keys[k].key), NULL, 10));
              }
          }
        line[l] = save;
        line += l;
        if (*line == '\n')
          line++;
      }
  sb_printf (b, ",\"blkio\":{\"ioServiceBytesRecursive\":[%s],\"ioServicedRecursive\":[%s]}", bytes.s, ios.s);
  free (bytes.s);
  free (ios.s);
}

int
ocirun_cgroup_stats_json (struct ocirun_cgroup *cg, char **json, struct ocirun_error **err)
{
  if (need_dir (cg, err) < 0)
    return -1;
  struct sbuf b = { 0 };
  bool ok;
  sb_printf (&b, "{");
  stats_cpu (cg->dirfd, &b);
  stats_memory (cg->dirfd, &b);
  uint64_t cur = read_u64 (cg->dirfd, "pids.current", &ok);
  uint64_t lim = read_u64 (cg->dirfd, "pids.max", &ok);
  sb_printf (&b, ",\"pids\":{\"current\":%" PRIu64 ",\"limit\":%" PRIu64 "}", cur, lim == UINT64_MAX ? 0 : lim);
  stats_io (cg->dirfd, &b);
  sb_printf (&b, "}");
  *json = b.s;
  return 0;
}
