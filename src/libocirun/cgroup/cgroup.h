/* ocirun: cgroup v2 manager interface (cgroupfs, systemd, disabled).
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_CGROUP_H
#define OCIRUN_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "../error.h"
#include "oci_spec.h"

#define OCIRUN_CGROUP_ROOT "/sys/fs/cgroup"

enum ocirun_cgroup_mode
{
  OCIRUN_CGROUP_MODE_NONE = 0,   /* no cgroup2 mounted at /sys/fs/cgroup */
  OCIRUN_CGROUP_MODE_V1,         /* legacy or hybrid: /sys/fs/cgroup is not cgroup2 */
  OCIRUN_CGROUP_MODE_UNIFIED,    /* pure cgroup v2 */
};
enum ocirun_cgroup_mode ocirun_cgroup_mode (void);

enum ocirun_cgroup_manager
{
  OCIRUN_CGROUP_MANAGER_CGROUPFS = 0,
  OCIRUN_CGROUP_MANAGER_SYSTEMD,
  OCIRUN_CGROUP_MANAGER_DISABLED,
};
int ocirun_cgroup_manager_from_string (const char *s, enum ocirun_cgroup_manager *out,
                                       struct ocirun_error **err);
const char *ocirun_cgroup_manager_name (enum ocirun_cgroup_manager m);

/* What the lifecycle code asks for.  */
struct ocirun_cgroup_opts
{
  const char *id;                                     /* container id */
  const char *cgroups_path;                           /* linux.cgroupsPath, may be NULL */
  const struct oci_config_linux_resources *resources; /* may be NULL */
  enum ocirun_cgroup_manager manager;
  bool rootless;                                      /* unprivileged caller */
  const struct oci_map_string *annotations;           /* may be NULL */
};

/* A container's cgroup.  path == NULL means "no cgroup" (disabled, or rootless
   with nothing asked on a host where none can be had).  */
struct ocirun_cgroup
{
  enum ocirun_cgroup_manager manager;
  char *path;       /* absolute within the cgroup2 tree, e.g. "/machine.slice/ocirun-x.scope" */
  char *scope;      /* systemd unit name, or NULL */
  int dirfd;        /* O_DIRECTORY fd on the cgroup (usable with CLONE_INTO_CGROUP), or -1 */
  bool created;     /* we created the directory (remove it on failure) */
};

/* Phase 1, before the container process exists: decide the path, check the host
   (v1/hybrid => clear error if a cgroup is required), create the directory
   (cgroupfs) with only the needed controllers enabled in the parents.
   For systemd the directory does not exist yet (dirfd = -1).
   On success *out is set (possibly with path == NULL).  */
int ocirun_cgroup_prepare (const struct ocirun_cgroup_opts *opts, struct ocirun_cgroup **out,
                           struct ocirun_error **err);
/* Phase 2, right after clone: put PID in the cgroup if it is not already there
   (systemd: StartTransientUnit of a scope with Delegate=yes and PIDs=[pid]; cgroupfs
   fallback when CLONE_INTO_CGROUP was not used: write cgroup.procs), then apply
   every resource.  A resource that cannot be applied fails with a message naming it.  */
int ocirun_cgroup_enter (struct ocirun_cgroup *cg, const struct ocirun_cgroup_opts *opts,
                         pid_t pid, bool already_in, struct ocirun_error **err);
/* Re-open a container's cgroup from what the state store kept.  */
int ocirun_cgroup_load (enum ocirun_cgroup_manager manager, const char *path, const char *scope,
                        struct ocirun_cgroup **out, struct ocirun_error **err);
/* Remove the cgroup (retrying while the last processes exit; kills leftovers),
   stop the systemd scope.  No-op when path is NULL.  */
int ocirun_cgroup_destroy (struct ocirun_cgroup *cg, struct ocirun_error **err);
void ocirun_cgroup_free (struct ocirun_cgroup *cg);
void cleanup_cgroupp (struct ocirun_cgroup **cg);
#define cleanup_cgroup __attribute__ ((cleanup (cleanup_cgroupp)))

/* Verbs.  */
int ocirun_cgroup_freeze (struct ocirun_cgroup *cg, bool freeze, struct ocirun_error **err);
int ocirun_cgroup_is_frozen (struct ocirun_cgroup *cg, bool *frozen, struct ocirun_error **err);
/* Signal every process (SIGKILL via cgroup.kill when available; others: freeze,
   signal each pid in cgroup.procs, thaw).  */
int ocirun_cgroup_kill_all (struct ocirun_cgroup *cg, int sig, struct ocirun_error **err);
int ocirun_cgroup_pids (struct ocirun_cgroup *cg, pid_t **pids, size_t *n, struct ocirun_error **err);
int ocirun_cgroup_update (struct ocirun_cgroup *cg, const struct oci_config_linux_resources *res,
                          struct ocirun_error **err);
/* Stats as a runc/crun-compatible "events --stats" JSON "data" object (malloc'd).  */
int ocirun_cgroup_stats_json (struct ocirun_cgroup *cg, char **json, struct ocirun_error **err);
/* memory.events oom_kill counter (for events).  */
int ocirun_cgroup_oom_kills (struct ocirun_cgroup *cg, uint64_t *count, struct ocirun_error **err);

/* Pure conversions (unit tested without root).  */
uint64_t ocirun_cgroup_shares_to_weight (uint64_t shares);
/* blkio weight 10..1000 -> io.weight 1..10000 */
uint64_t ocirun_cgroup_blkio_weight_to_io (uint64_t w);
/* Build the list of (file, value) writes for RES.  Returned arrays are malloc'd,
   NULL-terminated, and owned by the caller.  */
int ocirun_cgroup_resources_to_files (const struct oci_config_linux_resources *res, bool update,
                                      char ***files, char ***values, struct ocirun_error **err);

/* Devices: build and attach a BPF_PROG_TYPE_CGROUP_DEVICE program to DIRFD.  */
int ocirun_cgroup_devices_apply (int cgroup_dirfd, struct oci_device_cgroup **rules, size_t n,
                                 struct ocirun_error **err);

#endif
