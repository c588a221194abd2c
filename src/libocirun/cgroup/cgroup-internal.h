/* ocirun: helpers shared by the cgroup managers (not part of the public interface).
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_CGROUP_INTERNAL_H
#define OCIRUN_CGROUP_INTERNAL_H

#include <linux/bpf.h>
#include "cgroup.h"

/* ---- cgroup.c: small file helpers (return -errno, never fill an error) ---- */

/* Read NAME under DIRFD into a malloc'd NUL-terminated string.  */
int cg_read (int dirfd, const char *name, char **out);
/* One write(2) of VALUE to NAME under DIRFD (cgroup files want one write).  */
int cg_write (int dirfd, const char *name, const char *value);
/* "key value" lines (memory.stat, cgroup.events, ...): value of KEY.  */
int cg_read_keyed (int dirfd, const char *name, const char *key, uint64_t *out);
/* Is the word W in the space-separated list LIST?  */
bool cg_word_in (const char *list, const char *w);
/* Open the cgroup2 root (/sys/fs/cgroup).  */
int cg_open_root (struct ocirun_error **err);
/* "/a/b" for PID from /proc/PID/cgroup ("0::" line).  pid 0 = self.  */
int cg_own_path (pid_t pid, char **out, struct ocirun_error **err);
/* Do the resources ask for anything?  Device rules are counted unless IGNORE_DEVICES.  */
bool cg_resources_requested (const struct oci_config_linux_resources *res, bool ignore_devices);
/* The error for a v1/hybrid/none host when a cgroup is required (pure, unit tested).  */
int cg_check_mode (enum ocirun_cgroup_mode mode, const struct ocirun_cgroup_opts *opts,
                   bool *need_cgroup, struct ocirun_error **err);
/* Remove the cgroup directory PATH (relative to ROOTFD), killing what is left and
   retrying for up to TIMEOUT_MS.  ENOENT is success.  */
int cg_remove (int rootfd, const char *path, int timeout_ms, struct ocirun_error **err);
/* Write every resource and the device rules into the cgroup DIRFD.  */
int cg_apply_all (int dirfd, const char *path, const struct oci_config_linux_resources *res,
                  bool update, bool rootless, struct ocirun_error **err);

/* ---- resources.c ---- */

enum
{
  CG_W_OPTIONAL = 1 << 0,     /* skip quietly when the file does not exist */
  CG_W_WARN_MISSING = 1 << 1, /* skip with a warning when the file does not exist */
  CG_W_BFQ = 1 << 2,          /* io.weight: prefer io.bfq.weight (with bfq_value) */
  CG_W_KEEP_QUOTA = 1 << 3,   /* cpu.max with only a period: keep the current quota */
  CG_W_CHECK_CURRENT = 1 << 4,/* memory.max: refuse a value below memory.current */
  CG_W_UNIFIED = 1 << 5,      /* linux.resources.unified: validate the key */
};

struct cg_write
{
  char *file;
  char *value;
  char *bfq_value;   /* CG_W_BFQ: the value for io.bfq.weight */
  char *what;        /* "linux.resources.memory.limit" */
  int flags;
};

struct cg_writes
{
  struct cg_write *v;
  size_t n;
};

void cg_writes_clear (struct cg_writes *w);
void cleanup_cg_writesp (struct cg_writes *w);
#define cleanup_cg_writes __attribute__ ((cleanup (cleanup_cg_writesp)))

int cg_resources_build (const struct oci_config_linux_resources *res, bool update,
                        struct cg_writes *out, struct ocirun_error **err);
/* Write the list into DIRFD.  */
int cg_resources_write (int dirfd, const struct cg_writes *w, struct ocirun_error **err);
/* unified key check against the cgroup's cgroup.controllers (pure).  */
int cg_unified_check (const char *key, const char *controllers, struct ocirun_error **err);
/* Controllers (space separated, malloc'd) that RES needs.  */
char *cg_needed_controllers (const struct oci_config_linux_resources *res, bool ignore_devices);

/* ---- cgroupfs.c ---- */
int cgroupfs_prepare (const struct ocirun_cgroup_opts *opts, struct ocirun_cgroup *cg,
                      struct ocirun_error **err);
/* The path cgroupfs would use (pure except for reading /proc/self/cgroup for relative
   paths).  NULL *out when no cgroup is wanted.  */
int cgroupfs_path (const struct ocirun_cgroup_opts *opts, const char *own, char **out,
                   struct ocirun_error **err);

/* ---- systemd.c ---- */
int systemd_enter (struct ocirun_cgroup *cg, const struct ocirun_cgroup_opts *opts, pid_t pid,
                   struct ocirun_error **err);
int systemd_destroy (struct ocirun_cgroup *cg, struct ocirun_error **err);
int systemd_update (struct ocirun_cgroup *cg, const struct oci_config_linux_resources *res,
                    struct ocirun_error **err);
/* "slice:prefix:name" -> slice and unit name (pure).  */
int systemd_parse_path (const char *cgroups_path, const char *id, bool rootless, char **slice,
                        char **unit, struct ocirun_error **err);

/* ---- ebpf.c ---- */
/* Build the BPF_PROG_TYPE_CGROUP_DEVICE program for RULES (pure).  */
int cg_devices_program (struct oci_device_cgroup **rules, size_t n, struct bpf_insn **prog,
                        size_t *len, struct ocirun_error **err);

#endif
