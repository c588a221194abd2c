/* ocirun: namespaces in the config: new ones and ones joined by path.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_NAMESPACES_H
#define OCIRUN_NAMESPACES_H

#include <stdbool.h>
#include <sys/types.h>
#include "error.h"
#include "oci_spec.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
/* Bring `lo` up in the current (new) network namespace.  */
int ocirun_netns_loopback_up (struct ocirun_error **err);
/* Every process in the pid namespace of PID (which must not be ours).  */
int ocirun_pidns_processes (pid_t pid, pid_t **pids, size_t *n, struct ocirun_error **err);

#endif

#define OCIRUN_NS_MAX 8

struct ocirun_ns_join
{
  int flag;    /* CLONE_NEW* */
  int fd;      /* opened namespace file */
};

struct ocirun_ns_plan
{
  int new_flags;                        /* namespaces to create */
  int join_flags;                       /* namespaces to join */
  struct ocirun_ns_join joins[OCIRUN_NS_MAX];
  size_t n_joins;
};

int ocirun_ns_flag_from_type (const char *type);
const char *ocirun_ns_type_from_flag (int flag);
/* "mnt", "pid", ... as in /proc/PID/ns/.  */
const char *ocirun_ns_proc_name (int flag);
/* Validate linux.namespaces and open the paths to join.  */
int ocirun_ns_plan_build (const struct oci_config_linux *linux, struct ocirun_ns_plan *plan,
                          struct ocirun_error **err);
void ocirun_ns_plan_release (struct ocirun_ns_plan *plan);
/* setns() into every joined namespace whose flag is in MASK (user first).  */
int ocirun_ns_join_all (struct ocirun_ns_plan *plan, int mask, struct ocirun_error **err);

/* Bring `lo` up in the current (new) network namespace.  */
int ocirun_netns_loopback_up (struct ocirun_error **err);
/* Every process in the pid namespace of PID (which must not be ours).  */
int ocirun_pidns_processes (pid_t pid, pid_t **pids, size_t *n, struct ocirun_error **err);

#endif
