/* ocirun: checkpoint/restore with CRIU (libcriu, loaded with dlopen).
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_CRIU_H
#define OCIRUN_CRIU_H

#include "ocirun.h"
#include "oci_spec.h"

/* Where the create path puts the restored container.  */
struct ocirun_criu_restore_env
{
  const struct oci_config *config;
  const char *bundle;          /* relative bind sources are relative to it */
  const char *rootfs;          /* absolute, resolved */
  const char *state_root;      /* the rootfs is bound at STATE_ROOT/.ID.criu-root for CRIU */
  const char *id;
  const char *cgroup_path;     /* in the cgroup2 tree; NULL: no cgroup */
  const char *console_socket;  /* terminal: where the new master goes */
  const char *criu_path;       /* --criu; NULL: criu in PATH */
  bool terminal;
};

/* Bring the checkpointed process tree back as a child of the caller, in the
   cgroup ENV->cgroup_path.  *pid: its init (host pid).  *pty_master: the
   terminal's new master when the container has one and no console socket
   was given (else -1).  */
int ocirun_criu_restore_init (const struct ocirun_checkpoint_opts *opts,
                              const struct ocirun_criu_restore_env *env, pid_t *pid, int *pty_master,
                              struct ocirun_error **err);

enum ocirun_criu_cg_mode
{
  OCIRUN_CRIU_CG_SOFT = 0,
  OCIRUN_CRIU_CG_FULL,
  OCIRUN_CRIU_CG_STRICT,
  OCIRUN_CRIU_CG_IGNORE,
};
/* --manage-cgroups-mode: soft (the default, also for NULL), full, strict, ignore.  */
int ocirun_criu_cg_mode_from_string (const char *s, enum ocirun_criu_cg_mode *mode,
                                     struct ocirun_error **err);

/* What `criu dump` needs to know about fds 0-2 of the init: their
   /proc/PID/fd link, or "file[MNT_ID:INODE]" (hex, CRIU's external-file key)
   for a file on a mount the container does not have.  Pure.  */
char *ocirun_criu_descriptor_key (const char *link, int mnt_id, unsigned long long ino,
                                  bool mount_in_container);

/* run, with the init brought back by CRIU from OPTS instead of created
   (container.c; restore's create path).  */
int ocirun_container_run_restored (struct ocirun_context *ctx, const struct ocirun_checkpoint_opts *opts,
                                   int *exit_code, struct ocirun_error **err);

#endif
