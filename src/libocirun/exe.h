/* ocirun: the runtime binary cannot be reached from a container
 * (CVE-2019-5736 class).
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_EXE_H
#define OCIRUN_EXE_H

#include <stdbool.h>
#include "error.h"

/* Make sure the running image is not a file a container could write through
   /proc/PID/exe: when /proc/self/exe is already a sealed memfd or sits on a
   read-only mount (3 syscalls), return 0; otherwise copy the binary into a
   sealed memfd and re-execute from it with ARGV (does not return on
   success).  Called by the verbs that put a process into a container
   (create, run, exec, restore): the init and every exec'd process are forked
   from the sealed copy.  */
int ocirun_exe_protect (char **argv, struct ocirun_error **err);

/* Is /proc/self/exe a sealed memfd or on a read-only mount?  */
bool ocirun_exe_is_protected (void);

#endif
