/* ocirun: lifecycle internals shared by container.c and exec.c.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_CONTAINER_H
#define OCIRUN_CONTAINER_H

#include "ocirun.h"
#include "status.h"

/* Parse and validate the bundle's config (file name prefixed to errors).  */
int ocirun_load_config (const char *path, struct oci_config **out, struct ocirun_error **err);
/* Open the container, read its state, compute the live status.  */
int ocirun_container_open (struct ocirun_context *ctx, bool exclusive, struct ocirun_store **st,
                           struct oci_ocirun_state **state, const char **status,
                           struct ocirun_error **err);
int ocirun_container_cgroup (const struct oci_ocirun_state *state, struct ocirun_cgroup **cg,
                             struct ocirun_error **err);
/* Send SIG to the init (pidfd, checked against its start time).  */
int ocirun_signal_init (const struct oci_ocirun_state *state, int sig, struct ocirun_error **err);
/* The runtime-spec state document of the container, with STATUS (for hooks
   and the seccomp agent); never NULL.  */
char *ocirun_state_json_for_hooks (const struct oci_ocirun_state *s, const char *status);
void cleanup_oci_configp (struct oci_config **c);
#define cleanup_oci_config __attribute__ ((cleanup (cleanup_oci_configp)))
int ocirun_write_pid_file (const char *path, pid_t pid, struct ocirun_error **err);
/* clone3 with a fallback to clone; CGROUP_FD >= 0 uses CLONE_INTO_CGROUP.
   *into_cgroup says whether that worked.  */
pid_t ocirun_clone (int flags, int cgroup_fd, bool *into_cgroup, struct ocirun_error **err);

#endif
