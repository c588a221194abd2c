/* ocirun: OCI hooks.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_HOOKS_H
#define OCIRUN_HOOKS_H

#include <stdbool.h>
#include "error.h"
#include "oci_spec.h"

/* Run HOOKS in order, each with STATE_JSON on stdin, its env and timeout.
   WARN_ONLY (poststart, poststop): a failing hook is logged, the rest still run. */
int ocirun_hooks_run (struct oci_hook **hooks, size_t n, const char *kind, const char *state_json,
                      bool warn_only, struct ocirun_error **err);

#endif
