/* ocirun: what the VM test drivers (cgroup-driver.c, systemd-driver.c) share:
 * CHECK prints "ok   - ..." or "FAIL - ..." and counts; msg and rd.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_VM_DRIVER_H
#define OCIRUN_VM_DRIVER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "utils.h"
#include "cgroup/cgroup.h"
#include "cgroup/cgroup-internal.h"

static int n_pass, n_fail;

#define CHECK(cond, ...)                                                     \
  do {                                                                       \
    if (cond)                                                                \
      { n_pass++; printf ("ok   - "); }                                      \
    else                                                                     \
      { n_fail++; printf ("FAIL - "); }                                      \
    printf (__VA_ARGS__);                                                    \
    printf ("\n");                                                           \
    fflush (stdout);                                                         \
  } while (0)

static const char *
msg (struct ocirun_error *e)
{
  return e && e->msg ? e->msg : "";
}

static char *
rd (struct ocirun_cgroup *cg, const char *file)
{
  static char buf[4096];
  char *s = NULL;
  buf[0] = '\0';
  if (cg->dirfd >= 0 && cg_read (cg->dirfd, file, &s) == 0)
    {
      snprintf (buf, sizeof buf, "%s", s);
      size_t l = strlen (buf);
      while (l && buf[l - 1] == '\n')
        buf[--l] = '\0';
    }
  free (s);
  return buf;
}

#endif
