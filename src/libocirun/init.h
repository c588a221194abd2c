/* ocirun: what runs inside the new namespaces before execve.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_INIT_H
#define OCIRUN_INIT_H

#include <stdbool.h>
#include "namespaces.h"
#include "oci_spec.h"

struct ocirun_init_args
{
  const struct oci_config *config;
  const char *id;
  const char *bundle;
  const char *rootfs;          /* absolute */
  int sync_fd;                 /* the init's end of the sync socket */
  int fifo_fd;                 /* exec.fifo, O_RDWR: blocks until start */
  struct ocirun_ns_plan *ns;
  bool double_fork;            /* join/unshare here, then fork the real init */
  bool new_userns;
  bool terminal;
  bool no_pivot;
  bool no_new_keyring;
  bool keep_groups;            /* run.oci.keep_original_groups=1 */
  bool setgroups_denied;       /* single-id map written without newgidmap */
  bool nondumpable;            /* no /proc/PID access for the container until execve */
  int preserve_fds;
  int parent_fds[8];           /* the runtime's fds to close first (state lock, cgroup, ...) */
  size_t n_parent_fds;
  char *exec_path;             /* filled by the init */
};

/* Runs in the cloned child; never returns.  */
__attribute__ ((noreturn)) void ocirun_init_main (struct ocirun_init_args *a);

#endif
