/* ocirun: SELinux and AppArmor labels.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_LSM_H
#define OCIRUN_LSM_H

#include <stdbool.h>
#include "error.h"

bool ocirun_selinux_enabled (void);
bool ocirun_apparmor_enabled (void);
/* Before pivot_root (host view): an AppArmor profile that is not loaded is an
   error naming it; labels are ignored with a debug message when the LSM is off.  */
int ocirun_lsm_validate (const char *selinux_label, const char *apparmor_profile,
                         struct ocirun_error **err);
/* Just before execve: setexeccon(SELINUX_LABEL), aa_change_onexec(PROFILE).  */
int ocirun_lsm_set_exec_labels (const char *selinux_label, const char *apparmor_profile,
                                struct ocirun_error **err);
/* Label for mounts the runtime creates: NULL when SELinux is off or no label.  */
const char *ocirun_lsm_mount_label (const char *mount_label);

/* A new session keyring named after the container (labelled when SELinux is on). */
int ocirun_keyring_join (const char *id, const char *selinux_label, struct ocirun_error **err);

#endif
