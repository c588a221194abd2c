/* ocirun: the container process's attributes.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "process.h"
#include "procfs.h"
#include "utils.h"

static const struct
{
  const char *name;
  int resource;
} rlimits[] = {
  { "RLIMIT_AS", RLIMIT_AS },           { "RLIMIT_CORE", RLIMIT_CORE },
  { "RLIMIT_CPU", RLIMIT_CPU },         { "RLIMIT_DATA", RLIMIT_DATA },
  { "RLIMIT_FSIZE", RLIMIT_FSIZE },     { "RLIMIT_LOCKS", RLIMIT_LOCKS },
  { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
  { "RLIMIT_NICE", RLIMIT_NICE },       { "RLIMIT_NOFILE", RLIMIT_NOFILE },
  { "RLIMIT_NPROC", RLIMIT_NPROC },     { "RLIMIT_RSS", RLIMIT_RSS },
  { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },   { "RLIMIT_RTTIME", RLIMIT_RTTIME },
  { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING }, { "RLIMIT_STACK", RLIMIT_STACK },
};

int
ocirun_rlimit_from_name (const char *name)
{
  for (size_t i = 0; i < sizeof (rlimits) / sizeof (rlimits[0]); i++)
    if (strcmp (name, rlimits[i].name) == 0)
      return rlimits[i].resource;
  return -1;
}

int
ocirun_rlimits_validate (const struct oci_config_process *p, struct ocirun_error **err)
{
  bool seen[RLIM_NLIMITS] = { false };
  for (size_t i = 0; i < p->rlimits_len; i++)
    {
      const struct oci_config_process_rlimits_element *r = p->rlimits[i];
      int res = r->type ? ocirun_rlimit_from_name (r->type) : -1;
      if (res < 0)
        return ocirun_error_set (err, 0, "process.rlimits[%zu].type: unknown rlimit `%s`", i,
                                 r->type ? r->type : "");
      if (seen[res])
        return ocirun_error_set (err, 0, "process.rlimits[%zu].type: `%s` is set twice", i, r->type);
      seen[res] = true;
      if (r->soft > r->hard)
        return ocirun_error_set (err, 0,
                                 "process.rlimits[%zu]: soft limit %llu is above the hard limit %llu for %s",
                                 i, (unsigned long long) r->soft, (unsigned long long) r->hard, r->type);
    }
  return 0;
}

int
ocirun_rlimits_apply (const struct oci_config_process *p, struct ocirun_error **err)
{
  for (size_t i = 0; i < p->rlimits_len; i++)
    {
      const struct oci_config_process_rlimits_element *r = p->rlimits[i];
      struct rlimit rl = { .rlim_cur = r->soft, .rlim_max = r->hard };
      int res = ocirun_rlimit_from_name (r->type);
      if (setrlimit (res, &rl) < 0)
        {
          struct rlimit cur;
          int e = errno;
          getrlimit (res, &cur);
          if (e == EPERM)
            return ocirun_error_set (err, e,
                                     "process.rlimits: set %s to %llu:%llu (the current hard limit is "
                                     "%llu; raising it needs CAP_SYS_RESOURCE, lower the value)",
                                     r->type, (unsigned long long) r->soft,
                                     (unsigned long long) r->hard, (unsigned long long) cur.rlim_max);
          return ocirun_error_set (err, e, "process.rlimits: set %s", r->type);
        }
    }
  return 0;
}

const char *
ocirun_env_get (char **env, size_t n, const char *name)
{
  size_t l = strlen (name);
  for (size_t i = 0; i < n; i++)
    if (strncmp (env[i], name, l) == 0 && env[i][l] == '=')
      return env[i] + l + 1;
  return NULL;
}

static int
check_exec_file (const char *path, const char *argv0, struct ocirun_error **err)
{
  struct stat st;
  if (stat (path, &st) < 0)
    return ocirun_error_set (err, 0, "exec `%s`: %s: no such file or directory", argv0, path);
  if (S_ISDIR (st.st_mode))
    return ocirun_error_set (err, 0, "exec `%s`: %s is a directory: permission denied", argv0, path);
  if (access (path, X_OK) < 0)
    return ocirun_error_set (err, 0, "exec `%s`: %s: permission denied", argv0, path);
  return 0;
}

int
ocirun_find_executable (const char *argv0, char **env, size_t n_env, const char *cwd, char **out,
                        struct ocirun_error **err)
{
  const char *path;
  cleanup_free char *copy = NULL;
  char *save = NULL;
  bool seen_noexec = false;
  cleanup_free char *noexec_path = NULL;

  if (argv0 == NULL || *argv0 == '\0')
    return ocirun_error_set (err, 0, "process.args: empty (give the program to run)");
  if (strchr (argv0, '/'))
    {
      cleanup_free char *full = NULL;
      if (argv0[0] != '/' && cwd)
        full = xasprintf ("%s/%s", cwd, argv0);
      if (check_exec_file (full ? full : argv0, argv0, err) < 0)
        return -1;
      *out = xstrdup (argv0);
      return 0;
    }
  path = ocirun_env_get (env, n_env, "PATH");
  if (path == NULL)
    path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  copy = xstrdup (path);
  for (char *dir = strtok_r (copy, ":", &save); dir; dir = strtok_r (NULL, ":", &save))
    {
      cleanup_free char *cand = xasprintf ("%s/%s", *dir ? dir : ".", argv0);
      struct stat st;
      if (stat (cand, &st) < 0 || S_ISDIR (st.st_mode))
        continue;
      if (access (cand, X_OK) == 0)
        {
          *out = steal_pointer (&cand);
          return 0;
        }
      if (! seen_noexec)
        {
          seen_noexec = true;
          noexec_path = steal_pointer (&cand);
        }
    }
  if (seen_noexec)
    return ocirun_error_set (err, 0, "exec `%s`: %s: permission denied", argv0, noexec_path);
  return ocirun_error_set (err, 0, "exec `%s`: executable file not found in $PATH", argv0);
}

int
ocirun_oom_score_adj_apply (pid_t pid, const struct oci_config_process *p, struct ocirun_error **err)
{
  char val[32];
  if (p == NULL || ! p->oom_score_adj_present)
    return 0;
  if (p->oom_score_adj < -1000 || p->oom_score_adj > 1000)
    return ocirun_error_set (err, 0, "process.oomScoreAdj: %lld is outside -1000..1000",
                             (long long) p->oom_score_adj);
  snprintf (val, sizeof (val), "%lld", (long long) p->oom_score_adj);
  if (ocirun_procfs_write_pid (pid, "oom_score_adj", val, err) < 0)
    return ocirun_error_wrap (err, "process.oomScoreAdj: set %s (lowering it needs CAP_SYS_RESOURCE)", val);
  return 0;
}

struct sysctl_ns
{
  const char *prefix;
  bool exact;
  const char *ns;
};
static const struct sysctl_ns sysctl_table[] = {
  { "kernel.msgmax", true, "ipc" },   { "kernel.msgmnb", true, "ipc" },
  { "kernel.msgmni", true, "ipc" },   { "kernel.sem", true, "ipc" },
  { "kernel.shmall", true, "ipc" },   { "kernel.shmmax", true, "ipc" },
  { "kernel.shmmni", true, "ipc" },   { "kernel.shm_rmid_forced", true, "ipc" },
  { "fs.mqueue.", false, "ipc" },     { "net.", false, "network" },
  { "kernel.hostname", true, "uts" }, { "kernel.domainname", true, "uts" },
};

static bool
has_new_ns (const struct oci_config *config, const char *type)
{
  if (config->linux == NULL)
    return false;
  for (size_t i = 0; i < config->linux->namespaces_len; i++)
    if (config->linux->namespaces[i]->type && strcmp (config->linux->namespaces[i]->type, type) == 0)
      return true;
  return false;
}

int
ocirun_sysctl_validate (const struct oci_config *config, struct ocirun_error **err)
{
  const struct oci_map_string *s = config->linux ? config->linux->sysctl : NULL;
  for (size_t i = 0; s && i < s->len; i++)
    {
      const char *k = s->keys[i];
      const struct sysctl_ns *match = NULL;
      char norm[256];
      snprintf (norm, sizeof (norm), "%s", k);
      for (char *c = norm; *c; c++)
        if (*c == '/')
          *c = '.';
      for (size_t j = 0; j < sizeof (sysctl_table) / sizeof (sysctl_table[0]); j++)
        if (sysctl_table[j].exact ? strcmp (norm, sysctl_table[j].prefix) == 0
                                  : str_has_prefix (norm, sysctl_table[j].prefix))
          match = &sysctl_table[j];
      if (match == NULL)
        return ocirun_error_set (err, 0,
                                 "linux.sysctl: `%s` is not namespaced: it would change the host "
                                 "(remove it)",
                                 k);
      if (! has_new_ns (config, match->ns))
        return ocirun_error_set (err, 0,
                                 "linux.sysctl: `%s` needs the container to have its own %s namespace "
                                 "(add it to linux.namespaces)",
                                 k, match->ns);
      if (strstr (norm, ".."))
        return ocirun_error_set (err, 0, "linux.sysctl: invalid key `%s`", k);
    }
  return 0;
}

int
ocirun_sysctl_apply (const struct oci_config *config, struct ocirun_error **err)
{
  const struct oci_map_string *s = config->linux ? config->linux->sysctl : NULL;
  for (size_t i = 0; s && i < s->len; i++)
    {
      /* through the runtime's own procfs: a volume or symlink on the
         container's /proc/sys cannot redirect the write */
      cleanup_free char *path = xasprintf ("sys/%s", s->keys[i]);
      for (char *c = path + 4; *c; c++)
        if (*c == '.')
          *c = '/';
      if (ocirun_procfs_write (path, s->values[i], err) < 0)
        return ocirun_error_wrap (err, "linux.sysctl: set `%s`", s->keys[i]);
    }
  return 0;
}

int
ocirun_personality_apply (const struct oci_config_linux *linux, struct ocirun_error **err)
{
  unsigned long persona;
  if (linux == NULL || linux->personality == NULL)
    return 0;
  if (linux->personality->domain == NULL || strcmp (linux->personality->domain, "LINUX") == 0)
    persona = PER_LINUX;
  else if (strcmp (linux->personality->domain, "LINUX32") == 0)
    persona = PER_LINUX32;
  else
    return ocirun_error_set (err, 0, "linux.personality.domain: unknown `%s` (LINUX or LINUX32)",
                             linux->personality->domain);
  if (linux->personality->flags_len)
    return ocirun_error_set (err, 0, "linux.personality.flags: no flags are supported");
  if (personality (persona) < 0)
    return ocirun_error_set (err, errno, "linux.personality: set %s", linux->personality->domain);
  return 0;
}

int
ocirun_scheduler_apply (const struct oci_config_process *p, struct ocirun_error **err)
{
  static const struct
  {
    const char *name;
    int policy;
  } policies[] = {
    { "SCHED_OTHER", SCHED_OTHER }, { "SCHED_FIFO", SCHED_FIFO }, { "SCHED_RR", SCHED_RR },
    { "SCHED_BATCH", SCHED_BATCH }, { "SCHED_IDLE", SCHED_IDLE }, { "SCHED_DEADLINE", 6 },
  };
  struct
  {
    uint32_t size;
    uint32_t sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime, sched_deadline, sched_period;
  } attr = { .size = 48 };
  const struct oci_config_process_scheduler *s = p ? p->scheduler : NULL;
  int policy = -1;

  if (s == NULL)
    return 0;
  for (size_t i = 0; s->policy && i < sizeof (policies) / sizeof (policies[0]); i++)
    if (strcmp (s->policy, policies[i].name) == 0)
      policy = policies[i].policy;
  if (policy < 0)
    return ocirun_error_set (err, 0, "process.scheduler.policy: unknown policy `%s`",
                             s->policy ? s->policy : "");
  attr.sched_policy = (uint32_t) policy;
  attr.sched_nice = s->nice_present ? s->nice : 0;
  attr.sched_priority = s->priority_present ? (uint32_t) s->priority : 0;
  attr.sched_runtime = s->runtime_present ? s->runtime : 0;
  attr.sched_deadline = s->deadline_present ? s->deadline : 0;
  attr.sched_period = s->period_present ? s->period : 0;
  for (size_t i = 0; i < s->flags_len; i++)
    {
      static const char *flags[] = { "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM",
                                     "SCHED_FLAG_DL_OVERRUN", "SCHED_FLAG_KEEP_POLICY",
                                     "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN",
                                     "SCHED_FLAG_UTIL_CLAMP_MAX" };
      bool ok = false;
      for (size_t k = 0; k < sizeof (flags) / sizeof (flags[0]); k++)
        if (strcmp (s->flags[i], flags[k]) == 0)
          {
            attr.sched_flags |= 1ULL << k;
            ok = true;
          }
      if (! ok)
        return ocirun_error_set (err, 0, "process.scheduler.flags: unknown flag `%s`", s->flags[i]);
    }
  if (syscall (SYS_sched_setattr, 0, &attr, 0) < 0)
    return ocirun_error_set (err, errno, "process.scheduler: sched_setattr %s", s->policy);
  return 0;
}

int
ocirun_io_priority_apply (const struct oci_config_process *p, struct ocirun_error **err)
{
  const struct oci_config_process_io_priority *io = p ? p->io_priority : NULL;
  int cls;
  if (io == NULL)
    return 0;
  if (io->class == NULL)
    return ocirun_error_set (err, 0, "process.ioPriority.class: missing");
  if (strcmp (io->class, "IOPRIO_CLASS_RT") == 0)
    cls = 1;
  else if (strcmp (io->class, "IOPRIO_CLASS_BE") == 0)
    cls = 2;
  else if (strcmp (io->class, "IOPRIO_CLASS_IDLE") == 0)
    cls = 3;
  else
    return ocirun_error_set (err, 0, "process.ioPriority.class: unknown class `%s`", io->class);
  if (io->priority < 0 || io->priority > 7)
    return ocirun_error_set (err, 0, "process.ioPriority.priority: %d is outside 0..7", io->priority);
  if (syscall (SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, (cls << 13) | io->priority) < 0)
    return ocirun_error_set (err, errno, "process.ioPriority: ioprio_set");
  return 0;
}

int
ocirun_process_validate (const struct oci_config_process *p, struct ocirun_error **err)
{
  if (p == NULL)
    return 0;
  if (p->cwd == NULL || p->cwd[0] != '/')
    return ocirun_error_set (err, 0, "process.cwd: `%s` must be an absolute path", p->cwd ? p->cwd : "");
  if (p->args_len == 0)
    return ocirun_error_set (err, 0, "process.args: empty (give the program to run)");
  return ocirun_rlimits_validate (p, err);
}

static bool
setgroups_denied_here (void)
{
  cleanup_free char *v = ocirun_procfs_read_or_null ("self/setgroups");
  return v && str_has_prefix (v, "deny");
}

int
ocirun_set_user (const struct oci_config_process *p, bool keep_groups, bool setgroups_allowed,
                 struct ocirun_error **err)
{
  uid_t uid = p->user ? p->user->uid : 0;
  gid_t gid = p->user ? p->user->gid : 0;

  if (prctl (PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
    return ocirun_error_set (err, errno, "prctl KEEPCAPS");
  if (! keep_groups && setgroups_allowed)
    {
      size_t n = p->user ? p->user->additional_gids_len : 0;
      gid_t *g = xmalloc0 ((n + 1) * sizeof (gid_t));
      for (size_t i = 0; i < n; i++)
        g[i] = p->user->additional_gids[i];
      if (setgroups (n, g) < 0)
        {
          int e = errno;
          free (g);
          /* setgroups denied by an ancestor user namespace (the runtime runs
             in one made by `unshare -r`): nothing to drop if nothing is asked */
          if (e == EPERM && n == 0 && setgroups_denied_here ())
            goto groups_done;
          return ocirun_error_set (err, e, "process.user.additionalGids: setgroups%s",
                                   e == EPERM && setgroups_denied_here ()
                                       ? " (setgroups is denied in this user namespace: remove the additional gids)"
                                       : "");
        }
      free (g);
    }
  else if (! setgroups_allowed && p->user && p->user->additional_gids_len)
    return ocirun_error_set (err, EPERM,
                             "process.user.additionalGids: setgroups is denied in this user namespace "
                             "(a single-id mapping): remove the additional gids");
groups_done:
  if (setresgid (gid, gid, gid) < 0)
    return ocirun_error_set (err, errno, "process.user.gid: set gid %u (is it mapped?)", gid);
  if (setresuid (uid, uid, uid) < 0)
    return ocirun_error_set (err, errno, "process.user.uid: set uid %u (is it mapped?)", uid);
  return 0;
}

int
ocirun_set_env (const struct oci_config_process *p, struct ocirun_error **err)
{
  bool has_home = false;
  /* socket activation: LISTEN_FDS (from process.env, else the runtime's
     environment with --preserve-fds) needs LISTEN_PID to be the process that
     will run: us, as the container sees us (we are about to execve).  */
  cleanup_free char *listen_fds = getenv ("LISTEN_FDS") ? xstrdup (getenv ("LISTEN_FDS")) : NULL;
  clearenv ();
  if (listen_fds)
    setenv ("LISTEN_FDS", listen_fds, 1);
  for (size_t i = 0; i < p->env_len; i++)
    {
      char *eq = strchr (p->env[i], '=');
      cleanup_free char *name = NULL;
      if (eq == NULL || eq == p->env[i])
        return ocirun_error_set (err, 0, "process.env[%zu]: `%s` is not NAME=VALUE", i, p->env[i]);
      name = strndup (p->env[i], (size_t) (eq - p->env[i]));
      if (setenv (name, eq + 1, 1) < 0)
        return ocirun_error_set (err, errno, "process.env[%zu]: setenv", i);
      if (strcmp (name, "HOME") == 0)
        has_home = true;
    }
  if (getenv ("LISTEN_FDS"))
    {
      char pid[32];
      snprintf (pid, sizeof (pid), "%d", getpid ());
      setenv ("LISTEN_PID", pid, 1);
    }
  if (! has_home)
    {
      uid_t uid = p->user ? p->user->uid : 0;
      struct passwd *pw = getpwuid (uid);
      setenv ("HOME", pw && pw->pw_dir ? pw->pw_dir : "/", 1);
    }
  return 0;
}

int
ocirun_time_offsets_apply (const struct oci_config_linux *linux, struct ocirun_error **err)
{
  const struct oci_map_config_linux_time_offsets_element *t = linux ? linux->time_offsets : NULL;
  cleanup_free char *buf = NULL;
  size_t len = 0;
  if (t == NULL || t->len == 0)
    return 0;
  buf = xmalloc0 (64 * t->len + 1);
  for (size_t i = 0; i < t->len; i++)
    {
      const char *clk = t->keys[i];
      if (strcmp (clk, "monotonic") != 0 && strcmp (clk, "boottime") != 0)
        return ocirun_error_set (err, 0, "linux.timeOffsets: unknown clock `%s` (monotonic or boottime)", clk);
      len += (size_t) sprintf (buf + len, "%s %lld %u\n", clk, (long long) t->values[i]->secs,
                               t->values[i]->nanosecs);
    }
  if (ocirun_procfs_write ("self/timens_offsets", buf, err) < 0)
    return ocirun_error_wrap (err, "linux.timeOffsets");
  return 0;
}
