/* ocirun: namespaces.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <dirent.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/nsfs.h>
#include "namespaces.h"
#include "utils.h"

static const struct
{
  const char *type;
  const char *proc;
  int flag;
} ns_table[] = {
  { "user", "user", CLONE_NEWUSER },     { "mount", "mnt", CLONE_NEWNS },
  { "pid", "pid", CLONE_NEWPID },        { "network", "net", CLONE_NEWNET },
  { "uts", "uts", CLONE_NEWUTS },        { "ipc", "ipc", CLONE_NEWIPC },
  { "cgroup", "cgroup", CLONE_NEWCGROUP }, { "time", "time", CLONE_NEWTIME },
};
#define N_NS (sizeof (ns_table) / sizeof (ns_table[0]))

int
ocirun_ns_flag_from_type (const char *type)
{
  for (size_t i = 0; i < N_NS; i++)
    if (strcmp (type, ns_table[i].type) == 0)
      return ns_table[i].flag;
  return -1;
}

const char *
ocirun_ns_type_from_flag (int flag)
{
  for (size_t i = 0; i < N_NS; i++)
    if (ns_table[i].flag == flag)
      return ns_table[i].type;
  return "?";
}

const char *
ocirun_ns_proc_name (int flag)
{
  for (size_t i = 0; i < N_NS; i++)
    if (ns_table[i].flag == flag)
      return ns_table[i].proc;
  return "?";
}

void
ocirun_ns_plan_release (struct ocirun_ns_plan *plan)
{
  for (size_t i = 0; i < plan->n_joins; i++)
    if (plan->joins[i].fd >= 0)
      close (plan->joins[i].fd);
  plan->n_joins = 0;
}

int
ocirun_ns_plan_build (const struct oci_config_linux *linux, struct ocirun_ns_plan *plan,
                      struct ocirun_error **err)
{
  memset (plan, 0, sizeof (*plan));
  if (linux == NULL)
    return 0;
  for (size_t i = 0; i < linux->namespaces_len; i++)
    {
      const struct oci_namespace_reference *ns = linux->namespaces[i];
      int flag;
      if (ns->type == NULL)
        {
          ocirun_ns_plan_release (plan);
          return ocirun_error_set (err, 0, "linux.namespaces[%zu].type: missing", i);
        }
      flag = ocirun_ns_flag_from_type (ns->type);
      if (flag < 0)
        {
          ocirun_ns_plan_release (plan);
          return ocirun_error_set (err, 0,
                                   "linux.namespaces[%zu].type: unknown namespace type `%s` "
                                   "(valid: mount, pid, network, uts, ipc, user, cgroup, time)",
                                   i, ns->type);
        }
      if ((plan->new_flags | plan->join_flags) & flag)
        {
          ocirun_ns_plan_release (plan);
          return ocirun_error_set (err, 0, "linux.namespaces[%zu]: namespace `%s` listed twice", i,
                                   ns->type);
        }
      if (ns->path && *ns->path)
        {
          int fd = open (ns->path, O_RDONLY | O_CLOEXEC);
          int t;
          if (fd < 0)
            {
              int e = errno;
              ocirun_ns_plan_release (plan);
              return ocirun_error_set (err, e, "linux.namespaces[%zu].path: open `%s`", i, ns->path);
            }
          t = ioctl (fd, NS_GET_NSTYPE);
          if (t >= 0 && t != flag)
            {
              close (fd);
              ocirun_ns_plan_release (plan);
              return ocirun_error_set (err, 0,
                                       "linux.namespaces[%zu].path: `%s` is a %s namespace, not %s", i,
                                       ns->path, ocirun_ns_type_from_flag (t), ns->type);
            }
          if (t < 0 && errno == ENOTTY)
            {
              close (fd);
              ocirun_ns_plan_release (plan);
              return ocirun_error_set (err, 0,
                                       "linux.namespaces[%zu].path: `%s` is not a namespace file", i,
                                       ns->path);
            }
          plan->joins[plan->n_joins].flag = flag;
          plan->joins[plan->n_joins].fd = fd;
          plan->n_joins++;
          plan->join_flags |= flag;
        }
      else
        plan->new_flags |= flag;
    }
  return 0;
}

int
ocirun_ns_join_all (struct ocirun_ns_plan *plan, int mask, struct ocirun_error **err)
{
  /* user first, so the others are joined with its capabilities; then the rest in
     table order (mount late is fine: setns keeps open fds valid).  */
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < plan->n_joins; i++)
      {
        struct ocirun_ns_join *j = &plan->joins[i];
        if (! (j->flag & mask) || j->fd < 0)
          continue;
        if ((pass == 0) != (j->flag == CLONE_NEWUSER))
          continue;
        if (setns (j->fd, j->flag) < 0)
          return ocirun_error_set (err, errno, "join %s namespace", ocirun_ns_type_from_flag (j->flag));
        close (j->fd);
        j->fd = -1;
      }
  return 0;
}

int
ocirun_netns_loopback_up (struct ocirun_error **err)
{
  struct ifreq ifr = { 0 };
  cleanup_close int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return ocirun_error_set (err, errno, "network namespace: socket to set up lo");
  snprintf (ifr.ifr_name, sizeof (ifr.ifr_name), "lo");
  if (ioctl (fd, SIOCGIFFLAGS, &ifr) < 0)
    return ocirun_error_set (err, errno, "network namespace: read the flags of lo");
  if (ifr.ifr_flags & IFF_UP)
    return 0;
  ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (ioctl (fd, SIOCSIFFLAGS, &ifr) < 0)
    return ocirun_error_set (err, errno, "network namespace: bring lo up");
  return 0;
}

int
ocirun_pidns_processes (pid_t pid, pid_t **pids, size_t *n, struct ocirun_error **err)
{
  char path[64];
  struct stat want, self, st;
  cleanup_dir DIR *d = NULL;
  struct dirent *de;
  size_t count = 0;
  pid_t *v = xmalloc0 (sizeof (pid_t));

  snprintf (path, sizeof (path), "/proc/%d/ns/pid", pid);
  if (stat (path, &want) < 0)
    {
      free (v);
      return ocirun_error_set (err, errno, "open the pid namespace of %d", pid);
    }
  if (stat ("/proc/self/ns/pid", &self) == 0 && self.st_ino == want.st_ino && self.st_dev == want.st_dev)
    {
      free (v);
      return ocirun_error_set (err, 0,
                               "the container has no cgroup and shares the host's pid namespace: its "
                               "processes cannot be found (give it a cgroup or a pid namespace)");
    }
  d = opendir ("/proc");
  if (d == NULL)
    {
      free (v);
      return ocirun_error_set (err, errno, "open /proc");
    }
  while ((de = readdir (d)))
    {
      char *end;
      long p = strtol (de->d_name, &end, 10);
      if (*end || p <= 0)
        continue;
      snprintf (path, sizeof (path), "/proc/%ld/ns/pid", p);
      if (stat (path, &st) < 0 || st.st_ino != want.st_ino || st.st_dev != want.st_dev)
        continue;
      v = xrealloc (v, (count + 1) * sizeof (pid_t));
      v[count++] = (pid_t) p;
    }
  *pids = v;
  *n = count;
  return 0;
}
