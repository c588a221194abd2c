/* ocirun: the container process's attributes.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_PROCESS_H
#define OCIRUN_PROCESS_H

#include <stdbool.h>
#include "error.h"
#include "oci_spec.h"

/* RLIMIT_* name -> resource, -1 if unknown.  */
int ocirun_rlimit_from_name (const char *name);
/* Validate process.rlimits: known types, no duplicates, soft <= hard.  */
int ocirun_rlimits_validate (const struct oci_config_process *p, struct ocirun_error **err);
int ocirun_rlimits_apply (const struct oci_config_process *p, struct ocirun_error **err);

/* Find ARGV0 through PATH (from ENV, else the default), as the container sees it.
   Errors contain "executable file not found in $PATH", "no such file or
   directory" or "permission denied" (engines map those to 127/126).  */
int ocirun_find_executable (const char *argv0, char **env, size_t n_env, const char *cwd, char **out,
                            struct ocirun_error **err);
/* Value of NAME in an env array, or NULL.  */
const char *ocirun_env_get (char **env, size_t n, const char *name);

int ocirun_oom_score_adj_apply (pid_t pid, const struct oci_config_process *p, struct ocirun_error **err);
/* Check each key lives in a namespace the container owns.  */
int ocirun_sysctl_validate (const struct oci_config *config, struct ocirun_error **err);
int ocirun_sysctl_apply (const struct oci_config *config, struct ocirun_error **err);
int ocirun_personality_apply (const struct oci_config_linux *linux, struct ocirun_error **err);
int ocirun_scheduler_apply (const struct oci_config_process *p, struct ocirun_error **err);
int ocirun_io_priority_apply (const struct oci_config_process *p, struct ocirun_error **err);
int ocirun_process_validate (const struct oci_config_process *p, struct ocirun_error **err);
/* Switch to process.user (groups, gid, uid); capabilities are kept with KEEPCAPS.  */
int ocirun_set_user (const struct oci_config_process *p, bool keep_groups, bool setgroups_allowed,
                     struct ocirun_error **err);
/* Replace the environment with process.env; add HOME when missing.  */
int ocirun_set_env (const struct oci_config_process *p, struct ocirun_error **err);
int ocirun_time_offsets_apply (const struct oci_config_linux *linux, struct ocirun_error **err);

#endif
