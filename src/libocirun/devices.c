/* ocirun: /dev inside the container.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <dirent.h>
#include "devices.h"
#include "utils.h"

static const struct
{
  const char *path;
  int major, minor;
} default_devices[] = {
  { "/dev/null", 1, 3 },    { "/dev/zero", 1, 5 }, { "/dev/full", 1, 7 },
  { "/dev/random", 1, 8 },  { "/dev/urandom", 1, 9 }, { "/dev/tty", 5, 0 },
};

int
ocirun_devices_validate (const struct oci_config_linux *linux, struct ocirun_error **err)
{
  if (linux == NULL)
    return 0;
  for (size_t i = 0; i < linux->devices_len; i++)
    {
      const struct oci_device *d = linux->devices[i];
      if (d->path == NULL || d->path[0] != '/')
        return ocirun_error_set (err, 0, "linux.devices[%zu].path: must be an absolute path", i);
      if (d->type == NULL || strlen (d->type) != 1 || strchr ("cbup", d->type[0]) == NULL)
        return ocirun_error_set (err, 0, "linux.devices[%zu].type: `%s` is not one of c, b, u, p",
                                 i, d->type ? d->type : "");
      if (d->type[0] != 'p' && (! d->major_present || ! d->minor_present))
        return ocirun_error_set (err, 0, "linux.devices[%zu]: major and minor are required for type %s",
                                 i, d->type);
    }
  return 0;
}

static bool
node_matches (const char *path, mode_t type, unsigned maj, unsigned min)
{
  struct stat st;
  return stat (path, &st) == 0 && (st.st_mode & S_IFMT) == type && major (st.st_rdev) == maj
         && minor (st.st_rdev) == min;
}

/* The host's node for a device: at the same path, under /dev/{char,block},
   or anywhere directly in /dev.  NULL when there is none.  */
static char *
find_host_node (const char *path, mode_t type, unsigned maj, unsigned min)
{
  cleanup_free char *byno = xasprintf ("/dev/%s/%u:%u", type == S_IFBLK ? "block" : "char", maj, min);
  cleanup_dir DIR *d = NULL;
  struct dirent *de;
  if (node_matches (path, type, maj, min))
    return xstrdup (path);
  if (node_matches (byno, type, maj, min))
    return steal_pointer (&byno);
  d = opendir ("/dev");
  while (d && (de = readdir (d)))
    {
      cleanup_free char *cand = xasprintf ("/dev/%s", de->d_name);
      if (de->d_type != DT_CHR && de->d_type != DT_BLK)
        continue;
      if (node_matches (cand, type, maj, min))
        return steal_pointer (&cand);
    }
  return NULL;
}

/* Create one node at PATH (inside the rootfs) or bind the host's.  */
static int
make_node (int rootfd, const char *path, mode_t type, unsigned maj, unsigned min, mode_t perm,
           bool has_owner, uid_t uid, gid_t gid, bool bind_only, struct ocirun_error **err)
{
  const char *rel = path;
  cleanup_free char *parent = NULL;
  const char *name;
  cleanup_close int pfd = -1;
  char *slash;

  while (*rel == '/')
    rel++;
  parent = xstrdup (rel);
  slash = strrchr (parent, '/');
  if (slash)
    {
      *slash = '\0';
      name = rel + (slash - parent) + 1;
      pfd = mkdirat_in_root (rootfd, parent, 0755, false, err);
    }
  else
    {
      name = rel;
      pfd = openat (rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    }
  if (pfd < 0)
    return ocirun_error_wrap (err, "create parent of `%s`", path);
  {
    /* O_PATH fds cannot be used for mknodat: reopen as a directory */
    char buf[64];
    int dfd = open (proc_fd_path (pfd, buf), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
      return ocirun_error_set (err, errno, "open parent of `%s`", path);
    close (pfd);
    pfd = dfd;
  }
  if (! bind_only)
    {
      unlinkat (pfd, name, 0);
      if (mknodat (pfd, name, type | perm, makedev (maj, min)) == 0)
        {
          if (fchmodat (pfd, name, perm, 0) < 0)
            return ocirun_error_set (err, errno, "chmod `%s`", path);
          if (has_owner && fchownat (pfd, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
            return ocirun_error_set (err, errno, "chown `%s`", path);
          return 0;
        }
      if (errno != EPERM)
        return ocirun_error_set (err, errno, "mknod `%s`", path);
    }
  /* Bind the host's node over an empty file.  */
  {
    cleanup_close int f = -1;
    char buf[64];
    cleanup_free char *host = find_host_node (path, type, maj, min);
    if (host == NULL)
      return ocirun_error_set (err, 0,
                               "`%s`: mknod is refused in a user namespace and the host has no %s "
                               "device %u:%u to bind (create it on the host, or remove it)",
                               path, type == S_IFBLK ? "block" : "char", maj, min);
    f = openat (pfd, name, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0000);
    if (f < 0)
      return ocirun_error_set (err, errno, "create `%s`", path);
    close (f);
    f = openat (pfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (f < 0)
      return ocirun_error_set (err, errno, "open `%s`", path);
    if (mount (host, proc_fd_path (f, buf), NULL, MS_BIND, NULL) < 0)
      return ocirun_error_set (err, errno, "bind host device `%s` onto `%s`", host, path);
  }
  return 0;
}

int
ocirun_devices_create (int rootfd, const struct oci_config *config, bool bind_only,
                       struct ocirun_error **err)
{
  const struct oci_config_linux *linux = config->linux;

  for (size_t i = 0; i < sizeof (default_devices) / sizeof (default_devices[0]); i++)
    {
      bool overridden = false;
      for (size_t j = 0; linux && j < linux->devices_len; j++)
        if (strcmp (linux->devices[j]->path, default_devices[i].path) == 0)
          overridden = true;
      if (overridden)
        continue;
      if (make_node (rootfd, default_devices[i].path, S_IFCHR, (unsigned) default_devices[i].major,
                     (unsigned) default_devices[i].minor, 0666, false, 0, 0, bind_only, err) < 0)
        return -1;
    }
  for (size_t i = 0; linux && i < linux->devices_len; i++)
    {
      const struct oci_device *d = linux->devices[i];
      mode_t type = d->type[0] == 'b' ? S_IFBLK : d->type[0] == 'p' ? S_IFIFO : S_IFCHR;
      mode_t perm = d->file_mode_present ? (mode_t) d->file_mode : 0666;
      bool owner = d->uid_present || d->gid_present;
      if (make_node (rootfd, d->path, type, (unsigned) d->major, (unsigned) d->minor, perm & 07777,
                     owner, d->uid_present ? d->uid : 0, d->gid_present ? d->gid : 0,
                     bind_only && type != S_IFIFO, err) < 0)
        return ocirun_error_wrap (err, "linux.devices[%zu]", i);
    }
  return 0;
}

int
ocirun_devices_symlinks (int rootfd, struct ocirun_error **err)
{
  static const struct
  {
    const char *target, *path;
  } links[] = {
    { "/proc/self/fd", "dev/fd" },     { "/proc/self/fd/0", "dev/stdin" },
    { "/proc/self/fd/1", "dev/stdout" }, { "/proc/self/fd/2", "dev/stderr" },
    { "/proc/kcore", "dev/core" },
  };
  char buf[64];
  cleanup_close int dev = openat_in_root (rootfd, "/dev", O_PATH | O_DIRECTORY, 0, NULL);
  cleanup_close int devfd = -1;
  if (dev < 0)
    return 0;
  devfd = open (proc_fd_path (dev, buf), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (devfd < 0)
    return ocirun_error_set (err, errno, "open /dev");
  for (size_t i = 0; i < sizeof (links) / sizeof (links[0]); i++)
    if (symlinkat (links[i].target, devfd, links[i].path + 4) < 0 && errno != EEXIST)
      return ocirun_error_set (err, errno, "symlink /%s", links[i].path);
  {
    struct stat st;
    /* /dev/ptmx -> pts/ptmx when a devpts instance is mounted */
    if (fstatat (devfd, "pts/ptmx", &st, 0) == 0)
      {
        if (fstatat (devfd, "ptmx", &st, AT_SYMLINK_NOFOLLOW) == 0 && ! S_ISLNK (st.st_mode))
          unlinkat (devfd, "ptmx", 0);
        if (symlinkat ("pts/ptmx", devfd, "ptmx") < 0 && errno != EEXIST)
          return ocirun_error_set (err, errno, "symlink /dev/ptmx");
      }
  }
  return 0;
}
