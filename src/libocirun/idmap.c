/* ocirun: idmapped mounts.  The mount_setattr(MOUNT_ATTR_IDMAP) call needs
 * CAP_SYS_ADMIN over the mount's owner, so the runtime (host user namespace)
 * makes each idmapped mount as a detached tree (open_tree for binds, fsmount
 * for other filesystems), applies the mapping with a user namespace fd (the
 * container's, or a throwaway one holding the mount's own maps), and hands the
 * fd to the init, which attaches it inside the rootfs with move_mount.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include "idmap.h"
#include "mounts.h"
#include "sync.h"
#include "userns.h"
#include "utils.h"

bool
ocirun_mount_wants_idmap (const struct oci_mount *mnt)
{
  if (mnt->uid_mappings_len || mnt->gid_mappings_len)
    return true;
  for (size_t i = 0; i < mnt->options_len; i++)
    if (strcmp (mnt->options[i], "idmap") == 0 || strcmp (mnt->options[i], "ridmap") == 0)
      return true;
  return false;
}

static bool
config_has_new_userns (const struct oci_config *config)
{
  const struct oci_config_linux *l = config->linux;
  for (size_t i = 0; l && i < l->namespaces_len; i++)
    if (l->namespaces[i]->type && strcmp (l->namespaces[i]->type, "user") == 0)
      return true;
  return false;
}

int
ocirun_idmap_validate (const struct oci_config *config, struct ocirun_error **err)
{
  for (size_t i = 0; i < config->mounts_len; i++)
    {
      const struct oci_mount *mnt = config->mounts[i];
      cleanup_free char *u = NULL;
      cleanup_free char *g = NULL;
      char field[64];
      if (! ocirun_mount_wants_idmap (mnt))
        continue;
      if ((mnt->uid_mappings_len == 0) != (mnt->gid_mappings_len == 0))
        return ocirun_error_set (err, 0,
                                 "mounts[%zu]: an idmapped mount needs both uidMappings and gidMappings "
                                 "(or neither, to use the container's user namespace)",
                                 i);
      if (mnt->uid_mappings_len)
        {
          snprintf (field, sizeof (field), "mounts[%zu].uidMappings", i);
          if (ocirun_userns_format_map (mnt->uid_mappings, mnt->uid_mappings_len, field, &u, err) < 0)
            return -1;
          snprintf (field, sizeof (field), "mounts[%zu].gidMappings", i);
          if (ocirun_userns_format_map (mnt->gid_mappings, mnt->gid_mappings_len, field, &g, err) < 0)
            return -1;
        }
      else if (! config_has_new_userns (config))
        return ocirun_error_set (err, 0,
                                 "mounts[%zu]: `idmap` without uidMappings/gidMappings uses the "
                                 "container's user namespace: add {\"type\": \"user\"} to "
                                 "linux.namespaces, or give the mount its own mappings",
                                 i);
    }
  return 0;
}

/* A user namespace holding the mount's own maps: a child creates it and
   waits; we write its maps, keep an fd on it and let the child go.  */
static int
userns_with_maps (const struct oci_mount *mnt, size_t idx, struct ocirun_error **err)
{
  cleanup_free char *u = NULL;
  cleanup_free char *g = NULL;
  char field[64], path[64];
  int pipefd[2];
  pid_t pid;
  int fd = -1;
  struct clone_args ca = { .flags = CLONE_NEWUSER, .exit_signal = SIGCHLD };

  snprintf (field, sizeof (field), "mounts[%zu].uidMappings", idx);
  if (ocirun_userns_format_map (mnt->uid_mappings, mnt->uid_mappings_len, field, &u, err) < 0)
    return -1;
  snprintf (field, sizeof (field), "mounts[%zu].gidMappings", idx);
  if (ocirun_userns_format_map (mnt->gid_mappings, mnt->gid_mappings_len, field, &g, err) < 0)
    return -1;
  if (pipe2 (pipefd, O_CLOEXEC) < 0)
    return ocirun_error_set (err, errno, "pipe");
  pid = (pid_t) syscall (SYS_clone3, &ca, sizeof (ca));
  if (pid < 0)
    {
      close (pipefd[0]);
      close (pipefd[1]);
      return ocirun_error_set (err, errno, "mounts[%zu]: create a user namespace for the mapping", idx);
    }
  if (pid == 0)
    {
      char c;
      close (pipefd[1]);
      /* wait until the parent is done with our namespace */
      while (read (pipefd[0], &c, 1) < 0 && errno == EINTR)
        ;
      _exit (0);
    }
  close (pipefd[0]);
  snprintf (path, sizeof (path), "/proc/%d/uid_map", pid);
  if (write_file (path, u, strlen (u), err) < 0)
    {
      ocirun_error_wrap (err, "mounts[%zu].uidMappings", idx);
      goto out;
    }
  snprintf (path, sizeof (path), "/proc/%d/gid_map", pid);
  if (write_file (path, g, strlen (g), err) < 0)
    {
      ocirun_error_wrap (err, "mounts[%zu].gidMappings", idx);
      goto out;
    }
  snprintf (path, sizeof (path), "/proc/%d/ns/user", pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    ocirun_error_set (err, errno, "open %s", path);
out:
  close (pipefd[1]);
  wait_for_pid (pid, NULL);
  return fd;
}

/* mount(2) flags -> MOUNT_ATTR_* for fsmount.  */
static unsigned int
attrs_of (unsigned long flags)
{
  unsigned int a = 0;
  if (flags & MS_RDONLY)
    a |= MOUNT_ATTR_RDONLY;
  if (flags & MS_NOSUID)
    a |= MOUNT_ATTR_NOSUID;
  if (flags & MS_NODEV)
    a |= MOUNT_ATTR_NODEV;
  if (flags & MS_NOEXEC)
    a |= MOUNT_ATTR_NOEXEC;
  if (flags & MS_NOATIME)
    a |= MOUNT_ATTR_NOATIME;
  else if (flags & MS_STRICTATIME)
    a |= MOUNT_ATTR_STRICTATIME;
  if (flags & MS_NODIRATIME)
    a |= MOUNT_ATTR_NODIRATIME;
  return a;
}

/* A new filesystem (tmpfs...) as a detached mount.  */
static int
new_fs_mount (const struct oci_mount *mnt, const struct ocirun_mount_opts *o, size_t idx,
              struct ocirun_error **err)
{
  cleanup_close int fsfd = (int) syscall (SYS_fsopen, mnt->type, FSOPEN_CLOEXEC);
  cleanup_free char *data = xstrdup (o->data ? o->data : "");
  char *save = NULL;
  int mfd;

  if (fsfd < 0)
    return ocirun_error_set (err, errno, "mounts[%zu]: fsopen `%s`", idx, mnt->type);
  if (mnt->source && *mnt->source
      && syscall (SYS_fsconfig, fsfd, FSCONFIG_SET_STRING, "source", mnt->source, 0) < 0)
    return ocirun_error_set (err, errno, "mounts[%zu].source: `%s`", idx, mnt->source);
  for (char *kv = strtok_r (data, ",", &save); kv; kv = strtok_r (NULL, ",", &save))
    {
      char *eq = strchr (kv, '=');
      long r;
      if (eq)
        {
          *eq = '\0';
          r = syscall (SYS_fsconfig, fsfd, FSCONFIG_SET_STRING, kv, eq + 1, 0);
        }
      else
        r = syscall (SYS_fsconfig, fsfd, FSCONFIG_SET_FLAG, kv, NULL, 0);
      if (r < 0)
        return ocirun_error_set (err, errno, "mounts[%zu].options: `%s`", idx, kv);
    }
  if (syscall (SYS_fsconfig, fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
    return ocirun_error_set (err, errno, "mounts[%zu]: create the %s filesystem", idx, mnt->type);
  mfd = (int) syscall (SYS_fsmount, fsfd, FSMOUNT_CLOEXEC, attrs_of (o->flags));
  if (mfd < 0)
    return ocirun_error_set (err, errno, "mounts[%zu]: fsmount %s", idx, mnt->type);
  return mfd;
}

static int
make_idmapped (const struct oci_mount *mnt, size_t idx, const char *bundle, pid_t init_pid,
               struct ocirun_error **err)
{
  struct ocirun_mount_opts o;
  cleanup_close int mfd = -1;
  cleanup_close int usernsfd = -1;
  bool bind;
  struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP };

  if (ocirun_mount_parse_options (mnt->options, mnt->options_len, &o, err) < 0)
    return ocirun_error_wrap (err, "mounts[%zu].options", idx);
  bind = o.bind || (mnt->type && strcmp (mnt->type, "bind") == 0);
  if (bind)
    {
      cleanup_free char *src = NULL;
      if (mnt->source == NULL || *mnt->source == '\0')
        {
          ocirun_mount_opts_release (&o);
          return ocirun_error_set (err, 0, "mounts[%zu].source: a bind mount needs a source", idx);
        }
      src = mnt->source[0] == '/' || bundle == NULL ? xstrdup (mnt->source)
                                                    : xasprintf ("%s/%s", bundle, mnt->source);
      mfd = (int) syscall (SYS_open_tree, AT_FDCWD, src,
                           OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (o.rbind ? AT_RECURSIVE : 0));
      if (mfd < 0)
        {
          int e = errno;
          ocirun_mount_opts_release (&o);
          if (e == EPERM)
            return ocirun_error_set (err, e,
                                     "mounts[%zu]: an idmapped mount of `%s` needs CAP_SYS_ADMIN on "
                                     "the host (run as root, or drop idmap)",
                                     idx, src);
          return ocirun_error_set (err, e, "mounts[%zu].source: `%s`", idx, src);
        }
    }
  else
    {
      if (mnt->type == NULL)
        {
          ocirun_mount_opts_release (&o);
          return ocirun_error_set (err, 0, "mounts[%zu].type: missing", idx);
        }
      mfd = new_fs_mount (mnt, &o, idx, err);
      if (mfd < 0)
        {
          ocirun_mount_opts_release (&o);
          return -1;
        }
    }
  if (mnt->uid_mappings_len)
    usernsfd = userns_with_maps (mnt, idx, err);
  else
    {
      char path[64];
      snprintf (path, sizeof (path), "/proc/%d/ns/user", init_pid);
      usernsfd = open (path, O_RDONLY | O_CLOEXEC);
      if (usernsfd < 0)
        ocirun_error_set (err, errno, "mounts[%zu]: open the container's user namespace", idx);
    }
  if (usernsfd < 0)
    {
      ocirun_mount_opts_release (&o);
      return -1;
    }
  attr.userns_fd = (uint64_t) usernsfd;
  if (syscall (SYS_mount_setattr, mfd, "", AT_EMPTY_PATH | (o.ridmap ? AT_RECURSIVE : 0), &attr,
               sizeof (attr))
      < 0)
    {
      int e = errno;
      ocirun_mount_opts_release (&o);
      if (e == EINVAL && ! bind)
        return ocirun_error_set (err, e,
                                 "mounts[%zu]: the kernel cannot idmap a %s mount (idmapped tmpfs needs "
                                 "Linux >= 6.3)",
                                 idx, mnt->type);
      if (e == EINVAL)
        return ocirun_error_set (err, e,
                                 "mounts[%zu]: the filesystem of `%s` does not support idmapped mounts",
                                 idx, mnt->source);
      return ocirun_error_set (err, e, "mounts[%zu]: idmap the mount", idx);
    }
  ocirun_mount_opts_release (&o);
  return steal_fd (&mfd);
}

int
ocirun_idmap_send_mounts (const struct oci_config *config, const char *bundle, pid_t init_pid,
                          int sync_fd, struct ocirun_error **err)
{
  for (size_t i = 0; i < config->mounts_len; i++)
    {
      int fd;
      int r;
      if (! ocirun_mount_wants_idmap (config->mounts[i]))
        continue;
      fd = make_idmapped (config->mounts[i], i, bundle, init_pid, err);
      if (fd < 0)
        return ocirun_error_wrap (err, "on `%s`", config->mounts[i]->destination);
      r = ocirun_sync_send (sync_fd, SYNC_IDMAP_MOUNT, (int) i, NULL, fd, err);
      close (fd);
      if (r < 0)
        return -1;
    }
  return 0;
}

int
ocirun_idmap_recv_until (int sync_fd, const struct oci_config *config, int type, int *value,
                         int **fds, struct ocirun_error **err)
{
  int *v = xmalloc0 ((config->mounts_len + 1) * sizeof (int));
  for (size_t i = 0; i <= config->mounts_len; i++)
    v[i] = -1;
  *fds = v;
  for (;;)
    {
      struct ocirun_sync_msg m;
      int passfd = -1;
      if (ocirun_sync_recv (sync_fd, &m, &passfd, err) < 0)
        return -1;
      if (m.type == type)
        {
          if (passfd >= 0)
            close (passfd);
          if (value)
            *value = m.value;
          return 0;
        }
      if (m.type != SYNC_IDMAP_MOUNT || passfd < 0 || m.value < 0
          || (size_t) m.value >= config->mounts_len)
        {
          if (passfd >= 0)
            close (passfd);
          return ocirun_error_set (err, EPROTO, "sync protocol: expected message %d, got %d", type,
                                   m.type);
        }
      if (v[m.value] >= 0)
        close (v[m.value]);
      v[m.value] = passfd;
    }
}
