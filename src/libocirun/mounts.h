/* ocirun: rootfs, mounts, pivot_root, masked/readonly paths.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_MOUNTS_H
#define OCIRUN_MOUNTS_H

#include <stdbool.h>
#include <stdint.h>
#include "error.h"
#include "oci_spec.h"

struct ocirun_mount_opts
{
  unsigned long flags;         /* MS_* to set */
  unsigned long clear;         /* MS_* explicitly cleared (rw, suid, ...) */
  unsigned long propagation[4];/* MS_SHARED/SLAVE/PRIVATE/UNBINDABLE (| MS_REC) in order */
  int n_propagation;
  uint64_t attr_set;           /* MOUNT_ATTR_* for recursive r* options */
  uint64_t attr_clr;
  bool recursive_attr;
  bool bind;
  bool rbind;
  bool idmap;
  bool ridmap;
  bool copy_symlink;
  char *data;                  /* comma-separated fs-specific options */
};

int ocirun_mount_parse_options (char **options, size_t n, struct ocirun_mount_opts *out,
                                struct ocirun_error **err);
void ocirun_mount_opts_release (struct ocirun_mount_opts *o);
unsigned long ocirun_propagation_from_string (const char *s);

struct ocirun_mount_ctx
{
  const struct oci_config *config;
  const char *rootfs;         /* absolute, resolved */
  int rootfd;                 /* O_PATH on the rootfs (after the bind) */
  bool in_userns;             /* the init is in a user namespace of its own */
  bool new_netns;
  bool new_cgroupns;
  bool new_ipcns;
  const char *mount_label;
  const char *bundle;         /* relative bind sources are relative to it */
  int *idmap_fds;             /* per mount: a detached idmapped mount from the runtime, or -1 */
  int devnull_fd;             /* the host's /dev/null, opened and checked before any config mount */
};

/* Before pivot_root: make the mount tree private to us, bind the rootfs onto
   itself, then perform every mount in config->mounts under it.  */
int ocirun_mounts_prepare_rootfs (struct ocirun_mount_ctx *m, struct ocirun_error **err);
int ocirun_mounts_do_config (struct ocirun_mount_ctx *m, struct ocirun_error **err);
/* pivot_root into the rootfs (or MS_MOVE + chroot when NO_PIVOT).  */
int ocirun_mounts_pivot (struct ocirun_mount_ctx *m, bool no_pivot, struct ocirun_error **err);
/* Before pivot_root, after every other mount: maskedPaths, readonlyPaths.
   Masks are bound from m->devnull_fd (never from the path /dev/null, never
   by a path at all: open_tree + move_mount), on targets opened without
   following symlinks; read-only paths are made read-only recursively, so
   the masks below them are too, whatever order the lists come in.  */
int ocirun_mounts_mask (struct ocirun_mount_ctx *m, struct ocirun_error **err);
/* After pivot_root: rootfsPropagation, root.readonly.  */
int ocirun_mounts_finalize (struct ocirun_mount_ctx *m, struct ocirun_error **err);
void ocirun_mounts_ctx_release (struct ocirun_mount_ctx *m);

/* Bind the file or directory open at SRC_FD onto the target open at
   TARGET_FD (recursively when RECURSIVE, read-only when READONLY), by fds
   only: open_tree + move_mount (Linux >= 5.2), else /proc/self/fd (then
   PATH is looked up again under ROOT_FD to make the new mount read-only).  */
int ocirun_bind_fd (int src_fd, int target_fd, bool recursive, bool readonly, int root_fd, const char *path,
                    struct ocirun_error **err);
/* Open the null device and check it is one (char 1:3).  */
int ocirun_open_dev_null (const char *path, struct ocirun_error **err);

#endif
