/* ocirun: user namespace id maps (direct, or newuidmap/newgidmap when rootless).
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_USERNS_H
#define OCIRUN_USERNS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "error.h"
#include "oci_spec.h"

/* "cid hid size\n"... validated (size > 0, no 32-bit overflow, no overlap).
   FIELD names the config field for messages ("linux.uidMappings").  */
int ocirun_userns_format_map (struct oci_id_mapping **maps, size_t n, const char *field, char **out,
                              struct ocirun_error **err);
/* Does a subordinate-id file (CONTENT, /etc/subuid format) give USER (or UID)
   the host range [start, start+size)?  */
bool ocirun_subid_covers (const char *content, const char *user, uid_t uid, uint64_t start,
                          uint64_t size);
/* Write PID's uid_map and gid_map for the config.  */
int ocirun_userns_write_maps (pid_t pid, const struct oci_config_linux *linux,
                              struct ocirun_error **err);
/* Can we write these maps ourselves (privileged, or a single map of our own id)?  */
bool ocirun_userns_direct_ok (struct oci_id_mapping **maps, size_t n, uid_t own);

#endif
