/* ocirun: capabilities (libcap).
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_CAPS_H
#define OCIRUN_CAPS_H

#include "error.h"
#include "oci_spec.h"

/* Every name in every set must be known ("process.capabilities.bounding:
   unknown capability `CAP_FOO`").  NULL caps: valid.  */
int ocirun_caps_validate (const struct oci_config_process_capabilities *caps, struct ocirun_error **err);
/* Before the uid switch: drop from the bounding set what is not listed
   (NULL caps => drop everything).  */
int ocirun_caps_drop_bounding (const struct oci_config_process_capabilities *caps,
                               struct ocirun_error **err);
/* After the uid switch (with KEEPCAPS): set effective, permitted, inheritable,
   then raise the ambient ones; clears KEEPCAPS.  */
int ocirun_caps_apply (const struct oci_config_process_capabilities *caps, struct ocirun_error **err);

/* "CAP_SYS_ADMIN" -> 21; -1 when the name is not a capability libcap knows.  */
int ocirun_cap_from_name (const char *name);
/* Every capability name ("CAP_CHOWN"...) known to libcap and to the running
   kernel, as a malloc'd array of malloc'd strings.  */
char **ocirun_caps_supported (size_t *n);

#endif
