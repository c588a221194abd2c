/* ocirun: rootfs, mounts, pivot_root, masked/readonly paths.
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
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <linux/mount.h>
#include "mounts.h"
#include "devices.h"
#include "utils.h"

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

enum opt_kind { OPT_FLAG, OPT_CLEAR, OPT_PROP, OPT_RATTR_SET, OPT_RATTR_CLR, OPT_SPECIAL };

static const struct
{
  const char *name;
  enum opt_kind kind;
  unsigned long value;
} mount_options[] = {
  { "defaults", OPT_FLAG, 0 },
  { "ro", OPT_FLAG, MS_RDONLY },         { "rw", OPT_CLEAR, MS_RDONLY },
  { "nosuid", OPT_FLAG, MS_NOSUID },     { "suid", OPT_CLEAR, MS_NOSUID },
  { "nodev", OPT_FLAG, MS_NODEV },       { "dev", OPT_CLEAR, MS_NODEV },
  { "noexec", OPT_FLAG, MS_NOEXEC },     { "exec", OPT_CLEAR, MS_NOEXEC },
  { "sync", OPT_FLAG, MS_SYNCHRONOUS },  { "async", OPT_CLEAR, MS_SYNCHRONOUS },
  { "dirsync", OPT_FLAG, MS_DIRSYNC },   { "remount", OPT_FLAG, MS_REMOUNT },
  { "mand", OPT_FLAG, MS_MANDLOCK },     { "nomand", OPT_CLEAR, MS_MANDLOCK },
  { "noatime", OPT_FLAG, MS_NOATIME },   { "atime", OPT_CLEAR, MS_NOATIME },
  { "nodiratime", OPT_FLAG, MS_NODIRATIME }, { "diratime", OPT_CLEAR, MS_NODIRATIME },
  { "relatime", OPT_FLAG, MS_RELATIME }, { "norelatime", OPT_CLEAR, MS_RELATIME },
  { "strictatime", OPT_FLAG, MS_STRICTATIME }, { "nostrictatime", OPT_CLEAR, MS_STRICTATIME },
  { "lazytime", OPT_FLAG, MS_LAZYTIME }, { "nolazytime", OPT_CLEAR, MS_LAZYTIME },
  { "silent", OPT_FLAG, MS_SILENT },     { "loud", OPT_CLEAR, MS_SILENT },
  { "nosymfollow", OPT_FLAG, MS_NOSYMFOLLOW }, { "symfollow", OPT_CLEAR, MS_NOSYMFOLLOW },
  { "bind", OPT_SPECIAL, 1 },            { "rbind", OPT_SPECIAL, 2 },
  { "idmap", OPT_SPECIAL, 3 },           { "ridmap", OPT_SPECIAL, 4 },
  { "copy-symlink", OPT_SPECIAL, 5 },    { "tmpcopyup", OPT_SPECIAL, 6 },
  { "private", OPT_PROP, MS_PRIVATE },   { "rprivate", OPT_PROP, MS_PRIVATE | MS_REC },
  { "shared", OPT_PROP, MS_SHARED },     { "rshared", OPT_PROP, MS_SHARED | MS_REC },
  { "slave", OPT_PROP, MS_SLAVE },       { "rslave", OPT_PROP, MS_SLAVE | MS_REC },
  { "unbindable", OPT_PROP, MS_UNBINDABLE }, { "runbindable", OPT_PROP, MS_UNBINDABLE | MS_REC },
  { "rro", OPT_RATTR_SET, MOUNT_ATTR_RDONLY },   { "rrw", OPT_RATTR_CLR, MOUNT_ATTR_RDONLY },
  { "rnosuid", OPT_RATTR_SET, MOUNT_ATTR_NOSUID }, { "rsuid", OPT_RATTR_CLR, MOUNT_ATTR_NOSUID },
  { "rnodev", OPT_RATTR_SET, MOUNT_ATTR_NODEV },   { "rdev", OPT_RATTR_CLR, MOUNT_ATTR_NODEV },
  { "rnoexec", OPT_RATTR_SET, MOUNT_ATTR_NOEXEC }, { "rexec", OPT_RATTR_CLR, MOUNT_ATTR_NOEXEC },
  { "rnodiratime", OPT_RATTR_SET, MOUNT_ATTR_NODIRATIME },
  { "rdiratime", OPT_RATTR_CLR, MOUNT_ATTR_NODIRATIME },
  { "rnoatime", OPT_RATTR_SET, MOUNT_ATTR_NOATIME },
  { "ratime", OPT_RATTR_CLR, MOUNT_ATTR__ATIME },
  { "rrelatime", OPT_RATTR_SET, MOUNT_ATTR_RELATIME },
  { "rnorelatime", OPT_RATTR_CLR, MOUNT_ATTR__ATIME },
  { "rstrictatime", OPT_RATTR_SET, MOUNT_ATTR_STRICTATIME },
  { "rnostrictatime", OPT_RATTR_CLR, MOUNT_ATTR__ATIME },
  { "rnosymfollow", OPT_RATTR_SET, MOUNT_ATTR_NOSYMFOLLOW },
  { "rsymfollow", OPT_RATTR_CLR, MOUNT_ATTR_NOSYMFOLLOW },
};

unsigned long
ocirun_propagation_from_string (const char *s)
{
  for (size_t i = 0; i < sizeof (mount_options) / sizeof (mount_options[0]); i++)
    if (mount_options[i].kind == OPT_PROP && strcmp (mount_options[i].name, s) == 0)
      return mount_options[i].value;
  return 0;
}

void
ocirun_mount_opts_release (struct ocirun_mount_opts *o)
{
  free (o->data);
  o->data = NULL;
}

int
ocirun_mount_parse_options (char **options, size_t n, struct ocirun_mount_opts *out,
                            struct ocirun_error **err)
{
  size_t dlen = 0;

  memset (out, 0, sizeof (*out));
  out->data = xmalloc0 (1);
  for (size_t i = 0; i < n; i++)
    {
      const char *o = options[i];
      bool found = false;
      for (size_t k = 0; k < sizeof (mount_options) / sizeof (mount_options[0]); k++)
        {
          if (strcmp (o, mount_options[k].name) != 0)
            continue;
          found = true;
          switch (mount_options[k].kind)
            {
            case OPT_FLAG:
              out->flags |= mount_options[k].value;
              out->clear &= ~mount_options[k].value;
              break;
            case OPT_CLEAR:
              out->flags &= ~mount_options[k].value;
              out->clear |= mount_options[k].value;
              break;
            case OPT_PROP:
              if (out->n_propagation < 4)
                out->propagation[out->n_propagation++] = mount_options[k].value;
              break;
            case OPT_RATTR_SET:
              out->recursive_attr = true;
              if (mount_options[k].value & (MOUNT_ATTR_RELATIME | MOUNT_ATTR_NOATIME
                                            | MOUNT_ATTR_STRICTATIME))
                out->attr_clr |= MOUNT_ATTR__ATIME;
              out->attr_set |= mount_options[k].value;
              out->attr_clr &= ~(mount_options[k].value & ~MOUNT_ATTR__ATIME);
              break;
            case OPT_RATTR_CLR:
              out->recursive_attr = true;
              out->attr_clr |= mount_options[k].value;
              out->attr_set &= ~mount_options[k].value;
              break;
            case OPT_SPECIAL:
              switch (mount_options[k].value)
                {
                case 1: out->bind = true; break;
                case 2: out->bind = out->rbind = true; break;
                case 3: out->idmap = true; break;
                case 4: out->idmap = out->ridmap = true; break;
                case 5: out->copy_symlink = true; break;
                default: break;
                }
              break;
            }
          break;
        }
      if (! found)
        {
          size_t l = strlen (o);
          if (strchr (o, ',') && ! str_has_prefix (o, "context="))
            {
              ocirun_mount_opts_release (out);
              return ocirun_error_set (err, 0, "mount option `%s` contains a comma", o);
            }
          out->data = xrealloc (out->data, dlen + l + 2);
          if (dlen)
            out->data[dlen++] = ',';
          memcpy (out->data + dlen, o, l + 1);
          dlen += l;
        }
    }
  return 0;
}

/* Flags a user namespace may not clear on a bind remount: keep what the
   source already has.  */
static unsigned long
locked_flags_of (const char *path)
{
  struct statvfs sv;
  unsigned long f = 0;
  if (statvfs (path, &sv) < 0)
    return 0;
  if (sv.f_flag & ST_NOSUID)
    f |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV)
    f |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC)
    f |= MS_NOEXEC;
  if (sv.f_flag & ST_RDONLY)
    f |= MS_RDONLY;
  if (sv.f_flag & ST_NOATIME)
    f |= MS_NOATIME;
  if (sv.f_flag & ST_NODIRATIME)
    f |= MS_NODIRATIME;
  if (sv.f_flag & ST_RELATIME)
    f |= MS_RELATIME;
  return f;
}

static int
apply_propagation (const char *target, const struct ocirun_mount_opts *o, struct ocirun_error **err)
{
  for (int i = 0; i < o->n_propagation; i++)
    if (mount (NULL, target, NULL, o->propagation[i], NULL) < 0)
      return ocirun_error_set (err, errno, "set propagation");
  return 0;
}

static int
apply_recursive_attrs (int fd, const struct ocirun_mount_opts *o, struct ocirun_error **err)
{
  struct mount_attr attr = { .attr_set = o->attr_set, .attr_clr = o->attr_clr };
  if (! o->recursive_attr)
    return 0;
  if (syscall (SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof (attr)) < 0)
    return ocirun_error_set (err, errno, "mount_setattr (recursive options need Linux >= 5.12)");
  return 0;
}

/* Bind SRC (host path) on the opened target.  */
static int
do_bind (const char *src, const char *target, const struct ocirun_mount_opts *o,
         struct ocirun_error **err)
{
  if (mount (src, target, NULL, MS_BIND | (o->rbind ? MS_REC : 0), NULL) < 0)
    return ocirun_error_set (err, errno, "bind `%s`", src);
  return 0;
}

/* Apply the per-mount flags of a bind mount (TARGET names the new mount).  */
static int
bind_remount (const char *src, const char *target, const struct ocirun_mount_opts *o,
              struct ocirun_error **err)
{
  unsigned long remount_flags;
  remount_flags = o->flags & ~(MS_REMOUNT | MS_BIND | MS_REC);
  if (remount_flags || o->clear)
    {
      unsigned long locked = locked_flags_of (target);
      unsigned long f = MS_BIND | MS_REMOUNT | remount_flags | (locked & ~o->clear);
      if (mount (NULL, target, NULL, f, NULL) < 0)
        {
          /* in a user namespace, the locked flags must stay */
          f = MS_BIND | MS_REMOUNT | remount_flags | locked;
          if (mount (NULL, target, NULL, f, NULL) < 0)
            return ocirun_error_set (err, errno, "remount `%s` with its options", src);
        }
    }
  return 0;
}

static bool
is_bind_mount (const struct oci_mount *mnt, const struct ocirun_mount_opts *o)
{
  return o->bind || (mnt->type && strcmp (mnt->type, "bind") == 0);
}

/* Fallback for filesystems a user namespace may not mount: bind the host's
   (made read-only afterwards by the caller when asked).  */
static int
bind_host_instead (const char *host_path, const char *target, bool readonly, bool *make_ro,
                   struct ocirun_error **err)
{
  if (mount (host_path, target, NULL, MS_BIND | MS_REC, NULL) < 0)
    return ocirun_error_set (err, errno, "bind host `%s`", host_path);
  *make_ro = readonly;
  return 0;
}

static char *
with_label (const char *data, const char *label)
{
  if (label == NULL || *label == '\0')
    return xstrdup (data);
  return xasprintf ("%s%scontext=\"%s\"", data, *data ? "," : "", label);
}

/* Attach a detached mount (from the runtime) on the opened target.  */
static int
attach_detached (int mfd, int target_fd, struct ocirun_error **err)
{
  if (syscall (SYS_move_mount, mfd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    return ocirun_error_set (err, errno, "attach the idmapped mount");
  return 0;
}

/* Mount a filesystem (not a bind) on TARGET, with the rootless fallbacks.  */
static int
mount_fs (struct ocirun_mount_ctx *m, const struct oci_mount *mnt, const struct ocirun_mount_opts *o,
          const char *target, bool *host_ro, struct ocirun_error **err)
{
  const char *type = mnt->type;
  const char *src = mnt->source;
  unsigned long flags = o->flags & ~MS_REMOUNT;
  /* not mqueue: its superblock exists with the IPC namespace, so SELinux
     refuses a context= that differs ("same superblock, different security
     settings") */
  bool labelled = strcmp (type, "tmpfs") == 0 || strcmp (type, "devpts") == 0;
  cleanup_free char *data = with_label (o->data, labelled ? m->mount_label : NULL);
  int e;

  if (strcmp (type, "cgroup") == 0 || strcmp (type, "cgroup2") == 0)
    {
      /* cgroup v2: mount cgroup2 (needs our own cgroup namespace when
         unprivileged), else bind the host's hierarchy (read-only when asked).  */
      if (access ("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0)
        {
          if (mount ("cgroup2", target, "cgroup2", flags, NULL) == 0)
            return 0;
          if (errno != EPERM && errno != EBUSY && errno != EINVAL)
            return ocirun_error_set (err, errno, "mount cgroup2");
        }
      return bind_host_instead ("/sys/fs/cgroup", target, (flags & MS_RDONLY) != 0, host_ro, err);
    }
  if (mount (src && *src ? src : type, target, type, flags, data) == 0)
    return 0;
  e = errno;
  if ((e == EPERM || e == EACCES) && strcmp (type, "sysfs") == 0)
    return bind_host_instead ("/sys", target, true, host_ro, err);
  if ((e == EPERM || e == EACCES) && strcmp (type, "mqueue") == 0)
    return bind_host_instead ("/dev/mqueue", target, (flags & MS_RDONLY) != 0, host_ro, err);
  if ((e == EINVAL || e == EPERM) && strcmp (type, "devpts") == 0)
    {
      /* the gid (e.g. tty=5) may not be mapped: retry without gid=/mode= */
      struct ocirun_mount_opts o2;
      char *opts2[64];
      size_t n2 = 0;
      int r;
      for (size_t i = 0; i < mnt->options_len && n2 < 64; i++)
        if (! str_has_prefix (mnt->options[i], "gid=") && ! str_has_prefix (mnt->options[i], "mode="))
          opts2[n2++] = mnt->options[i];
      if (ocirun_mount_parse_options (opts2, n2, &o2, err) < 0)
        return -1;
      {
        cleanup_free char *d2 = with_label (o2.data, m->mount_label);
        r = mount (src ? src : type, target, type, o2.flags & ~MS_REMOUNT, d2);
        if (r < 0)
          r = ocirun_error_set (err, errno, "mount devpts");
      }
      ocirun_mount_opts_release (&o2);
      return r;
    }
  if (e == ENODEV)
    return ocirun_error_set (err, e, "mount %s: the kernel does not know this filesystem type", type);
  return ocirun_error_set (err, e, "mount %s", type);
}

/* After the mount: per-mount flags, read-only host fallbacks, propagation,
   recursive attributes; all on a fresh fd on the destination (the old fd
   still names the covered directory).  */
static int
mount_post (struct ocirun_mount_ctx *m, const struct oci_mount *mnt, const struct ocirun_mount_opts *o,
            bool bind, bool host_ro, struct ocirun_error **err)
{
  cleanup_close int fd = openat_in_root (m->rootfd, mnt->destination, O_PATH, 0, err);
  char path[64];
  if (fd < 0)
    return -1;
  proc_fd_path (fd, path);
  if (bind && bind_remount (mnt->source, path, o, err) < 0)
    return -1;
  if (host_ro)
    {
      struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
      if (syscall (SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof (attr)) < 0)
        {
          unsigned long locked = locked_flags_of (path);
          if (mount (NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | locked, NULL) < 0)
            return ocirun_error_set (err, errno, "remount the host's filesystem read-only");
        }
    }
  if (apply_propagation (path, o, err) < 0)
    return -1;
  return apply_recursive_attrs (fd, o, err);
}

/* Does any existing component of PATH under ROOTFD be a symlink?  */
static bool
path_has_symlink (int rootfd, const char *path)
{
  cleanup_free char *copy = xstrdup (path);
  cleanup_close int cur = openat (rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  char *save = NULL;
  for (char *c = strtok_r (copy, "/", &save); c && cur >= 0; c = strtok_r (NULL, "/", &save))
    {
      struct stat st;
      int fd;
      if (fstatat (cur, c, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return false; /* missing: created as a directory */
      if (S_ISLNK (st.st_mode))
        return true;
      fd = openat (cur, c, O_PATH | O_NOFOLLOW | O_CLOEXEC);
      close (cur);
      cur = fd;
    }
  return false;
}

/* procfs and sysfs must land where they are asked: a rootfs whose /proc is a
   symlink would have the runtime's writes and the masks go elsewhere.  */
static int
check_kernel_fs_destination (struct ocirun_mount_ctx *m, const struct oci_mount *mnt, size_t idx,
                             struct ocirun_error **err)
{
  if (mnt->type == NULL || (strcmp (mnt->type, "proc") != 0 && strcmp (mnt->type, "sysfs") != 0))
    return 0;
  if (path_has_symlink (m->rootfd, mnt->destination))
    return ocirun_error_set (err, 0,
                             "mounts[%zu].destination: `%s` is a symlink in the rootfs: refusing to mount "
                             "%s there (make it a directory in the image)",
                             idx, mnt->destination, mnt->type);
  return 0;
}

static int
mount_one (struct ocirun_mount_ctx *m, const struct oci_mount *mnt, size_t idx,
           struct ocirun_error **err)
{
  struct ocirun_mount_opts o;
  cleanup_free char *src = NULL;
  struct oci_mount resolved;
  bool bind;
  bool src_is_dir = true;
  cleanup_close int target_fd = -1;
  char fdpath[64];
  const char *target;
  int r = -1;
  bool host_ro = false;
  int idmap_fd = m->idmap_fds ? m->idmap_fds[idx] : -1;

  if (mnt->destination == NULL || mnt->destination[0] != '/')
    return ocirun_error_set (err, 0,
                             "mounts[%zu].destination: `%s` must be an absolute path", idx,
                             mnt->destination ? mnt->destination : "");
  if (ocirun_mount_parse_options (mnt->options, mnt->options_len, &o, err) < 0)
    return ocirun_error_wrap (err, "mounts[%zu].options", idx);
  bind = is_bind_mount (mnt, &o);
  if (bind)
    {
      struct stat st;
      if (mnt->source == NULL || *mnt->source == '\0')
        {
          ocirun_mount_opts_release (&o);
          return ocirun_error_set (err, 0, "mounts[%zu].source: a bind mount needs a source", idx);
        }
      src = mnt->source[0] == '/' || m->bundle == NULL ? xstrdup (mnt->source)
                                                       : xasprintf ("%s/%s", m->bundle, mnt->source);
      if (stat (src, &st) < 0)
        {
          ocirun_error_set (err, errno, "mounts[%zu].source: `%s`", idx, src);
          ocirun_mount_opts_release (&o);
          return -1;
        }
      src_is_dir = S_ISDIR (st.st_mode);
    }
  else if (mnt->type == NULL || *mnt->type == '\0')
    {
      ocirun_mount_opts_release (&o);
      return ocirun_error_set (err, 0, "mounts[%zu].type: missing (e.g. \"tmpfs\", \"proc\", \"bind\")", idx);
    }
  if (! bind && check_kernel_fs_destination (m, mnt, idx, err) < 0)
    {
      ocirun_mount_opts_release (&o);
      return -1;
    }
  if ((o.idmap || mnt->uid_mappings_len || mnt->gid_mappings_len) && idmap_fd < 0)
    {
      ocirun_mount_opts_release (&o);
      return ocirun_error_set (err, EPROTO, "mounts[%zu]: the idmapped mount was not received", idx);
    }
  target_fd = mkdirat_in_root (m->rootfd, mnt->destination, 0755, ! src_is_dir, err);
  if (target_fd < 0)
    {
      ocirun_mount_opts_release (&o);
      return ocirun_error_wrap (err, "mounts[%zu]: create destination `%s`", idx, mnt->destination);
    }
  target = proc_fd_path (target_fd, fdpath);
  resolved = *mnt;
  if (src)
    resolved.source = src;

  if (idmap_fd >= 0)
    {
      r = attach_detached (idmap_fd, target_fd, err);
      close (idmap_fd);
      m->idmap_fds[idx] = -1;
    }
  else if (bind)
    r = do_bind (src, target, &o, err);
  else
    r = mount_fs (m, mnt, &o, target, &host_ro, err);
  if (r == 0)
    r = mount_post (m, &resolved, &o, bind, host_ro, err);
  ocirun_mount_opts_release (&o);
  if (r < 0)
    return ocirun_error_wrap (err, "mounts[%zu] on `%s`", idx, mnt->destination);
  return 0;
}

void
ocirun_mounts_ctx_release (struct ocirun_mount_ctx *m)
{
  if (m->rootfd >= 0)
    close (m->rootfd);
  if (m->devnull_fd >= 0)
    close (m->devnull_fd);
  m->rootfd = m->devnull_fd = -1;
}

int
ocirun_mounts_prepare_rootfs (struct ocirun_mount_ctx *m, struct ocirun_error **err)
{
  /* The null device masks are bound from: the host's, opened now, before
     anything of the container is mounted, and checked (CVE-2025-31133).  */
  if (m->config->linux && m->config->linux->masked_paths_len)
    {
      m->devnull_fd = ocirun_open_dev_null ("/dev/null", err);
      if (m->devnull_fd < 0)
        return ocirun_error_wrap (err, "linux.maskedPaths");
    }
  /* Nothing we do may propagate back to the host.  */
  if (mount (NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
    return ocirun_error_set (err, errno, "make / a slave mount");
  if (mount (m->rootfs, m->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
    return ocirun_error_set (err, errno, "bind the rootfs `%s` onto itself", m->rootfs);
  /* The bind is a slave like everything under / now: pivot_root accepts that
     (it refuses shared mounts), and rootfsPropagation "slave" keeps a master.  */
  m->rootfd = open (m->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (m->rootfd < 0)
    return ocirun_error_set (err, errno, "open rootfs `%s`", m->rootfs);
  return 0;
}

int
ocirun_mounts_do_config (struct ocirun_mount_ctx *m, struct ocirun_error **err)
{
  for (size_t i = 0; i < m->config->mounts_len; i++)
    if (mount_one (m, m->config->mounts[i], i, err) < 0)
      return -1;
  return 0;
}

int
ocirun_mounts_pivot (struct ocirun_mount_ctx *m, bool no_pivot, struct ocirun_error **err)
{
  if (fchdir (m->rootfd) < 0)
    return ocirun_error_set (err, errno, "chdir to the rootfs");
  if (no_pivot)
    {
      if (mount (m->rootfs, "/", NULL, MS_MOVE, NULL) < 0)
        return ocirun_error_set (err, errno, "move the rootfs to / (--no-pivot)");
      if (chroot (".") < 0)
        return ocirun_error_set (err, errno, "chroot into the rootfs (--no-pivot)");
    }
  else
    {
      /* pivot_root(".", "."): the old root ends up stacked on the new one and
         is detached right away, so no directory for it is needed.  */
      if (syscall (SYS_pivot_root, ".", ".") < 0)
        return ocirun_error_set (err, errno,
                                 "pivot_root into `%s` (for an initramfs root use --no-pivot)",
                                 m->rootfs);
      /* The old root is already a slave (prepare_rootfs): detaching it does
         not propagate to the host.  (No MS_SLAVE on "." here: that would
         reach the new root and undo per-mount propagation.)  */
      if (umount2 (".", MNT_DETACH) < 0)
        return ocirun_error_set (err, errno, "detach the old root");
    }
  if (chdir ("/") < 0)
    return ocirun_error_set (err, errno, "chdir /");
  close (m->rootfd);
  m->rootfd = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (m->rootfd < 0)
    return ocirun_error_set (err, errno, "open the new root");
  return 0;
}

int
ocirun_open_dev_null (const char *path, struct ocirun_error **err)
{
  struct stat st;
  cleanup_close int fd = open (path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return ocirun_error_set (err, errno, "open %s", path);
  if (fstat (fd, &st) < 0)
    return ocirun_error_set (err, errno, "stat %s", path);
  if (! S_ISCHR (st.st_mode) || major (st.st_rdev) != 1 || minor (st.st_rdev) != 3)
    return ocirun_error_set (err, 0, "%s is not the null device (char 1:3): refusing to mask with it", path);
  return steal_fd (&fd);
}

static bool mount_api_missing;

/* Remount the bind mount named by PATH (a /proc/self/fd link) read-only.  */
static int
remount_ro (const char *path, struct ocirun_error **err)
{
  if (mount (NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | locked_flags_of (path), NULL) < 0)
    return ocirun_error_set (err, errno, "make the bind read-only");
  return 0;
}

int
ocirun_bind_fd (int src_fd, int target_fd, bool recursive, bool readonly, int root_fd, const char *path,
                struct ocirun_error **err)
{
  char src[64], dst[64];
  if (! mount_api_missing)
    {
      struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };
      unsigned int flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);
      cleanup_close int tree = (int) syscall (SYS_open_tree, src_fd, "", flags);
      bool ro_later = false;
      if (tree >= 0)
        {
          if (readonly && syscall (SYS_mount_setattr, tree, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0),
                                   &ro, sizeof (ro)) < 0)
            {
              /* Linux 5.2 - 5.11: no mount_setattr; remount once attached */
              if (errno != ENOSYS)
                return ocirun_error_set (err, errno, "make the bind read-only");
              ro_later = true;
            }
          if (syscall (SYS_move_mount, tree, "", target_fd, "",
                       MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
            return ocirun_error_set (err, errno, "attach the bind");
          /* the tree's fd now names the attached mount */
          return ro_later ? remount_ro (proc_fd_path (tree, dst), err) : 0;
        }
      if (errno != ENOSYS)
        return ocirun_error_set (err, errno, "clone the mount to bind");
      mount_api_missing = true;
    }
  /* Linux < 5.2: through the fds' /proc/self/fd links */
  proc_fd_path (src_fd, src);
  proc_fd_path (target_fd, dst);
  if (mount (src, dst, NULL, MS_BIND | (recursive ? MS_REC : 0), NULL) < 0)
    return ocirun_error_set (err, errno, "bind");
  if (readonly)
    {
      /* the target's fd still names what is below the new mount: look the
         path up again (inside the root) to reach it */
      cleanup_close int fd2 = openat_in_root (root_fd, path, O_PATH | O_NOFOLLOW, 0, err);
      char p2[64];
      if (fd2 < 0)
        return -1;
      return remount_ro (proc_fd_path (fd2, p2), err);
    }
  return 0;
}

/* A read-only empty tmpfs on the directory open at FD.  */
static int
mask_dir (struct ocirun_mount_ctx *m, int fd, struct ocirun_error **err)
{
  char fdpath[64];
  cleanup_free char *data = with_label ("size=0,mode=0555", m->mount_label);
  if (! mount_api_missing)
    {
      cleanup_close int fs = (int) syscall (SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
      cleanup_close int mnt = -1;
      if (fs >= 0)
        {
          if (syscall (SYS_fsconfig, fs, FSCONFIG_SET_STRING, "size", "0", 0) < 0
              || syscall (SYS_fsconfig, fs, FSCONFIG_SET_STRING, "mode", "0555", 0) < 0
              || (m->mount_label && *m->mount_label
                  && syscall (SYS_fsconfig, fs, FSCONFIG_SET_STRING, "context", m->mount_label, 0) < 0)
              || syscall (SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
            return ocirun_error_set (err, errno, "create the masking tmpfs");
          mnt = (int) syscall (SYS_fsmount, fs, FSMOUNT_CLOEXEC,
                               MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
          if (mnt < 0)
            return ocirun_error_set (err, errno, "mount the masking tmpfs");
          if (syscall (SYS_move_mount, mnt, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
            return ocirun_error_set (err, errno, "attach the masking tmpfs");
          return 0;
        }
      if (errno != ENOSYS)
        return ocirun_error_set (err, errno, "fsopen tmpfs");
      mount_api_missing = true;
    }
  if (mount ("tmpfs", proc_fd_path (fd, fdpath), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, data) < 0)
    return ocirun_error_set (err, errno, "mount tmpfs");
  return 0;
}

static int
mask_path (struct ocirun_mount_ctx *m, const char *path, struct ocirun_error **err)
{
  struct stat st;
  /* the final component is never followed: what we check is what we mount on */
  cleanup_close int fd = openat_in_root (m->rootfd, path, O_PATH | O_NOFOLLOW, 0, NULL);
  if (fd < 0)
    return 0; /* missing paths are ignored */
  if (fstat (fd, &st) < 0)
    return ocirun_error_set (err, errno, "linux.maskedPaths: stat `%s`", path);
  if (S_ISDIR (st.st_mode))
    {
      if (mask_dir (m, fd, err) < 0)
        return ocirun_error_wrap (err, "linux.maskedPaths: mask directory `%s`", path);
      return 0;
    }
  if (S_ISLNK (st.st_mode))
    return 0; /* a symlink cannot be a mount point; its target is masked if listed */
  if (m->devnull_fd < 0)
    return ocirun_error_set (err, EBADF, "linux.maskedPaths: no verified /dev/null");
  if (ocirun_bind_fd (m->devnull_fd, fd, false, true, m->rootfd, path, err) < 0)
    return ocirun_error_wrap (err, "linux.maskedPaths: mask `%s` with /dev/null", path);
  return 0;
}

static int
readonly_path (struct ocirun_mount_ctx *m, const char *path, struct ocirun_error **err)
{
  struct stat st;
  cleanup_close int fd = openat_in_root (m->rootfd, path, O_PATH | O_NOFOLLOW, 0, NULL);
  if (fd < 0)
    return 0;
  if (fstat (fd, &st) < 0)
    return ocirun_error_set (err, errno, "linux.readonlyPaths: stat `%s`", path);
  if (S_ISLNK (st.st_mode))
    return 0; /* as for masks: the target is made read-only if listed */
  /* recursively: whatever was mounted below (masks included) is read-only too */
  if (ocirun_bind_fd (fd, fd, true, true, m->rootfd, path, err) < 0)
    return ocirun_error_wrap (err, "linux.readonlyPaths: make `%s` read-only", path);
  return 0;
}

#ifndef MOVE_MOUNT_BENEATH
#define MOVE_MOUNT_BENEATH 0x00000200
#endif

/* Optional fields of the mount on "/" (the last one listed), from mountinfo.  */
static bool
root_has_master (void)
{
  cleanup_free char *info = NULL;
  bool master = false;
  char *save = NULL;
  if (read_all_file ("/proc/self/mountinfo", &info, NULL, NULL) < 0)
    return true;
  for (char *l = strtok_r (info, "\n", &save); l; l = strtok_r (NULL, "\n", &save))
    {
      char point[8];
      if (sscanf (l, "%*d %*d %*s %*s %7s", point) == 1 && strcmp (point, "/") == 0)
        {
          char *sep = strstr (l, " - ");
          char *mst = strstr (l, " master:");
          master = mst && (sep == NULL || mst < sep);
        }
    }
  return master;
}

/* rootfsPropagation "slave" on a host whose / is private leaves the root
   nothing to be a slave of.  Give it a master of its own: a shared copy of
   the root, kept beneath a mount the container already has (Linux >= 6.5),
   so that mounts made on that copy (by whoever joins this mount namespace)
   reach the root.  The spec's default filesystems are the last choice, so
   their mount points keep showing only their own filesystem.  */
static int
give_root_a_master (const struct oci_config *config, struct ocirun_error **err)
{
  static const char *const preferred[] = { "/sys/fs/cgroup", "/dev/mqueue", "/proc/acpi",
                                           "/sys/firmware", "/proc" };
  const struct oci_config_linux *linux = config->linux;
  bool readonly = config->root && config->root->readonly;
  struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };
  cleanup_close int copy = -1;
  bool placed = false;

  if (mount (NULL, "/", NULL, MS_SHARED, NULL) < 0)
    return ocirun_error_set (err, errno, "linux.rootfsPropagation: make / shared");
  copy = (int) syscall (SYS_open_tree, AT_FDCWD, "/", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (copy >= 0 && readonly)
    syscall (SYS_mount_setattr, copy, "", AT_EMPTY_PATH, &ro, sizeof (ro));
  for (size_t i = 0; copy >= 0 && ! placed && i < sizeof (preferred) / sizeof (preferred[0]); i++)
    placed = syscall (SYS_move_mount, copy, "", AT_FDCWD, preferred[i],
                      MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_BENEATH) == 0;
  for (size_t i = 0; copy >= 0 && ! placed && linux && i < linux->masked_paths_len; i++)
    placed = syscall (SYS_move_mount, copy, "", AT_FDCWD, linux->masked_paths[i],
                      MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_BENEATH) == 0;
  if (! placed)
    ocirun_debug ("rootfsPropagation slave: no master for / (%s)", strerror (errno));
  if (mount (NULL, "/", NULL, MS_SLAVE, NULL) < 0)
    return ocirun_error_set (err, errno, "linux.rootfsPropagation: make / a slave");
  return 0;
}

int
ocirun_mounts_mask (struct ocirun_mount_ctx *m, struct ocirun_error **err)
{
  const struct oci_config_linux *linux = m->config->linux;
  if (linux == NULL)
    return 0;
  for (size_t i = 0; i < linux->masked_paths_len; i++)
    if (mask_path (m, linux->masked_paths[i], err) < 0)
      return -1;
  for (size_t i = 0; i < linux->readonly_paths_len; i++)
    if (readonly_path (m, linux->readonly_paths[i], err) < 0)
      return -1;
  if (m->devnull_fd >= 0)
    close (m->devnull_fd);
  m->devnull_fd = -1;
  return 0;
}

int
ocirun_mounts_finalize (struct ocirun_mount_ctx *m, struct ocirun_error **err)
{
  const struct oci_config_linux *linux = m->config->linux;

  if (linux)
    {
      if (linux->rootfs_propagation && *linux->rootfs_propagation)
        {
          unsigned long p = ocirun_propagation_from_string (linux->rootfs_propagation);
          if (p == 0)
            return ocirun_error_set (err, 0,
                                     "linux.rootfsPropagation: unknown value `%s` (use private, "
                                     "shared, slave or unbindable)",
                                     linux->rootfs_propagation);
          if (mount (NULL, "/", NULL, p | MS_REC, NULL) < 0)
            return ocirun_error_set (err, errno, "linux.rootfsPropagation: set `%s`",
                                     linux->rootfs_propagation);
          if ((p & MS_SLAVE) && ! root_has_master () && give_root_a_master (m->config, err) < 0)
            return -1;
        }
    }
  if (m->config->root && m->config->root->readonly_present && m->config->root->readonly)
    {
      unsigned long locked = locked_flags_of ("/");
      if (mount (NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | locked, NULL) < 0)
        return ocirun_error_set (err, errno, "root.readonly: remount / read-only");
    }
  return 0;
}
