/* ocirun: /dev inside the container.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_DEVICES_H
#define OCIRUN_DEVICES_H

#include <stdbool.h>
#include "error.h"
#include "oci_spec.h"

/* Create the default devices and linux.devices under ROOTFD (before pivot_root).
   BIND_ONLY: mknod is refused (user namespace): bind the host nodes instead.  */
int ocirun_devices_create (int rootfd, const struct oci_config *config, bool bind_only,
                           struct ocirun_error **err);
/* /dev/fd, /dev/std*, /dev/ptmx symlinks (before pivot_root).  */
int ocirun_devices_symlinks (int rootfd, struct ocirun_error **err);
/* Validate linux.devices entries (type, path, major/minor).  */
int ocirun_devices_validate (const struct oci_config_linux *linux, struct ocirun_error **err);

#endif
