/* ocirun: verified access to procfs.  Every write ocirun makes under /proc
 * goes through here: from a procfs root the runtime opened and checked
 * itself, never through a path a container (its rootfs, a volume mounted on
 * /proc/sys, a symlink) could redirect.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_PROCFS_H
#define OCIRUN_PROCFS_H

#include <stdbool.h>
#include <sys/types.h>
#include "error.h"

/* The runtime's procfs root: opened once (before any container exists) from
   the runtime's own mount namespace, checked to be the root of a procfs
   mount; inherited by the init across clone (close-on-exec).  Returns the fd
   (owned by this module) or -1.  */
int ocirun_procfs_root (struct ocirun_error **err);

/* Open REL ("sys/net/ipv4/ip_forward", "self/attr/exec", "1234/uid_map")
   below the procfs root: a leading "self", "thread-self" or pid is entered
   with procfs' own link, the rest is resolved without following any symlink
   or crossing any mount (openat2 RESOLVE_BENEATH|NO_SYMLINKS|NO_XDEV, else a
   component walk with O_NOFOLLOW and a device check); the result is checked
   to be on procfs.  */
int ocirun_procfs_open (const char *rel, int flags, struct ocirun_error **err);

/* The contents of REL (opened as above), or NULL (logged at debug level).  */
char *ocirun_procfs_read_or_null (const char *rel);

/* Write DATA to REL (opened as above, O_WRONLY).  */
int ocirun_procfs_write (const char *rel, const char *data, struct ocirun_error **err);
/* The same for a pid: "PID/FILE".  */
int ocirun_procfs_write_pid (pid_t pid, const char *file, const char *data, struct ocirun_error **err);

/* Close the procfs root: before the container's program runs.  */
void ocirun_procfs_close (void);

/* Is FD on a filesystem with this magic (PROC_SUPER_MAGIC, DEVPTS_SUPER_MAGIC, ...)?  */
bool ocirun_fd_has_fs_magic (int fd, unsigned long magic);

#ifdef OCIRUN_TESTING
/* Forget the cached root (tests), and force the component walk.  */
void ocirun_procfs_reset (void);
void ocirun_procfs_force_walk (bool on);
#endif

#endif
