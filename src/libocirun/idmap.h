/* ocirun: idmapped mounts (made by the runtime in the host user namespace,
 * attached by the init inside the rootfs).
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_IDMAP_H
#define OCIRUN_IDMAP_H

#include <stdbool.h>
#include <sys/types.h>
#include "error.h"
#include "oci_spec.h"

/* Does the mount ask for an idmapped mount (idmap, ridmap, uidMappings)?  */
bool ocirun_mount_wants_idmap (const struct oci_mount *mnt);

/* Static checks on the idmapped mounts of CONFIG (both maps or none, valid
   ranges, a user namespace to borrow when no maps are given).  */
int ocirun_idmap_validate (const struct oci_config *config, struct ocirun_error **err);

/* In the runtime, once the container's user namespace (if any) is mapped: make
   one detached, idmapped mount per mount that asks for it and send each to the
   init over SYNC_FD (SYNC_IDMAP_MOUNT, value = index in config->mounts).
   BUNDLE resolves relative sources; INIT_PID gives the container's user
   namespace for `idmap` without explicit maps.  */
int ocirun_idmap_send_mounts (const struct oci_config *config, const char *bundle, pid_t init_pid,
                              int sync_fd, struct ocirun_error **err);

/* In the init: receive the idmapped mounts (FDS[i] for config->mounts[i], -1
   otherwise; malloc'd) until message TYPE arrives; *VALUE gets its value.  */
int ocirun_idmap_recv_until (int sync_fd, const struct oci_config *config, int type, int *value,
                             int **fds, struct ocirun_error **err);

#endif
