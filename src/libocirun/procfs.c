/* ocirun: verified access to procfs (see procfs.h).
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include "procfs.h"
#include "utils.h"

#define PROC_ROOT_INO 1

static int procfs_root_fd = -1;
static dev_t procfs_dev;
static int procfs_openat2 = -1; /* -1 unknown, 0 missing, 1 works */

bool
ocirun_fd_has_fs_magic (int fd, unsigned long magic)
{
  struct statfs sfs;
  return fstatfs (fd, &sfs) == 0 && (unsigned long) sfs.f_type == magic;
}

int
ocirun_procfs_root (struct ocirun_error **err)
{
  struct stat st;
  int fd;

  if (procfs_root_fd >= 0)
    return procfs_root_fd;
  fd = open ("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return ocirun_error_set (err, errno, "open /proc (is procfs mounted?)");
  if (! ocirun_fd_has_fs_magic (fd, PROC_SUPER_MAGIC) || fstat (fd, &st) < 0 || st.st_ino != PROC_ROOT_INO)
    {
      close (fd);
      return ocirun_error_set (err, 0, "/proc is not the root of a procfs mount: refusing to write "
                               "through it (mount proc on /proc)");
    }
  procfs_dev = st.st_dev;
  procfs_root_fd = fd;
  return fd;
}

/* The component walk for kernels without openat2: no symlink, no "..", no
   other filesystem.  */
static int
walk_beneath (int dirfd, const char *rel, const char *full, int flags, struct ocirun_error **err)
{
  cleanup_free char *copy = xstrdup (rel);
  cleanup_close int cur = -1;
  char *save = NULL;
  char *comp = strtok_r (copy, "/", &save);
  int at = dirfd;

  while (comp)
    {
      char *next = strtok_r (NULL, "/", &save);
      struct stat st;
      int fd;
      if (strcmp (comp, "..") == 0 || strcmp (comp, ".") == 0)
        return ocirun_error_set (err, EINVAL, "/proc/%s: `%s` is not allowed", full, comp);
      fd = openat (at, comp, (next ? O_PATH | O_DIRECTORY : flags) | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0 && (errno == ELOOP || errno == ENOTDIR))
        {
          struct stat lst;
          if (fstatat (at, comp, &lst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK (lst.st_mode))
            return ocirun_error_set (err, ELOOP, "/proc/%s is (or passes through) a symlink: refusing it", full);
        }
      if (fd < 0)
        return ocirun_error_set (err, errno, "open /proc/%s", full);
      if (fstat (fd, &st) < 0 || st.st_dev != procfs_dev)
        {
          close (fd);
          return ocirun_error_set (err, EXDEV, "/proc/%s crosses a mount: refusing it", full);
        }
      if (cur >= 0)
        close (cur);
      cur = fd;
      at = fd;
      if (next == NULL)
        return steal_fd (&cur);
      comp = next;
    }
  return ocirun_error_set (err, EINVAL, "/proc/%s: empty path", full);
}

static int
open_beneath (int dirfd, const char *rel, const char *full, int flags, struct ocirun_error **err)
{
  if (procfs_openat2 != 0)
    {
      struct open_how how = { .flags = (uint64_t) (flags | O_NOFOLLOW | O_CLOEXEC),
                              .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV
                                         | RESOLVE_NO_MAGICLINKS };
      int fd = (int) syscall (SYS_openat2, dirfd, rel, &how, sizeof (how));
      if (fd >= 0)
        {
          procfs_openat2 = 1;
          return fd;
        }
      if (errno == ELOOP)
        return ocirun_error_set (err, ELOOP, "/proc/%s is (or passes through) a symlink: refusing it", full);
      if (errno == EXDEV)
        return ocirun_error_set (err, EXDEV, "/proc/%s crosses a mount: refusing it", full);
      /* ENOSYS: Linux < 5.6; EPERM: a seccomp profile already loaded (the
         init loads it before the LSM labels when it may) that does not know
         openat2: the walk does the same with openat */
      if (errno != ENOSYS && errno != EPERM)
        return ocirun_error_set (err, errno, "open /proc/%s", full);
      procfs_openat2 = 0;
    }
  return walk_beneath (dirfd, rel, full, flags, err);
}

/* A leading "self", "thread-self" or pid: procfs' own entries.  */
static bool
is_process_dir (const char *name, size_t len)
{
  if ((len == 4 && strncmp (name, "self", 4) == 0) || (len == 11 && strncmp (name, "thread-self", 11) == 0))
    return true;
  for (size_t i = 0; i < len; i++)
    if (! isdigit ((unsigned char) name[i]))
      return false;
  return len > 0;
}

int
ocirun_procfs_open (const char *rel, int flags, struct ocirun_error **err)
{
  int root = ocirun_procfs_root (err);
  const char *full = rel;
  const char *slash = strchr (rel, '/');
  cleanup_close int base = -1;
  int fd;

  if (root < 0)
    return -1;
  if (slash && is_process_dir (rel, (size_t) (slash - rel)))
    {
      char name[32];
      size_t len = (size_t) (slash - rel);
      if (len >= sizeof (name))
        return ocirun_error_set (err, EINVAL, "/proc/%s: bad path", full);
      memcpy (name, rel, len);
      name[len] = '\0';
      /* "self" and "thread-self" are procfs' own links, in the runtime's procfs */
      base = openat (root, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
      if (base < 0)
        return ocirun_error_set (err, errno, "open /proc/%s", name);
      rel = slash + 1;
    }
  fd = open_beneath (base >= 0 ? base : root, rel, full, flags, err);
  if (fd < 0)
    return -1;
  if (! ocirun_fd_has_fs_magic (fd, PROC_SUPER_MAGIC))
    {
      close (fd);
      return ocirun_error_set (err, EXDEV, "/proc/%s is not on procfs: refusing it", full);
    }
  return fd;
}

char *
ocirun_procfs_read_or_null (const char *rel)
{
  struct ocirun_error *e = NULL;
  char *v = NULL;
  cleanup_close int fd = ocirun_procfs_open (rel, O_RDONLY, &e);
  if (fd < 0 || read_all_fd (fd, rel, &v, NULL, &e) < 0)
    {
      ocirun_debug ("%s", e->msg);
      ocirun_error_free (&e);
      return NULL;
    }
  return v;
}

int
ocirun_procfs_write (const char *rel, const char *data, struct ocirun_error **err)
{
  cleanup_close int fd = ocirun_procfs_open (rel, O_WRONLY, err);
  if (fd < 0)
    return -1;
  if (write_all (fd, data, strlen (data)) < 0)
    return ocirun_error_set (err, errno, "write /proc/%s", rel);
  return 0;
}

int
ocirun_procfs_write_pid (pid_t pid, const char *file, const char *data, struct ocirun_error **err)
{
  char rel[128];
  snprintf (rel, sizeof (rel), "%d/%s", (int) pid, file);
  return ocirun_procfs_write (rel, data, err);
}

void
ocirun_procfs_close (void)
{
  if (procfs_root_fd >= 0)
    close (procfs_root_fd);
  procfs_root_fd = -1;
}

#ifdef OCIRUN_TESTING
void
ocirun_procfs_reset (void)
{
  ocirun_procfs_close ();
  procfs_openat2 = -1;
}

void
ocirun_procfs_force_walk (bool on)
{
  procfs_openat2 = on ? 0 : -1;
}
#endif
