/* ocirun: seccomp (libseccomp), including user notification.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_SECCOMP_H
#define OCIRUN_SECCOMP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "error.h"
#include "oci_spec.h"

/* Check actions, operators, architectures, flags; field named in errors.  */
int ocirun_seccomp_validate (const struct oci_config_linux_seccomp *s, struct ocirun_error **err);
/* Build and load the filter in the calling process (the init).  When the
   filter has SCMP_ACT_NOTIFY rules, *notify_fd receives the listener fd (else -1).  */
int ocirun_seccomp_load (const struct oci_config_linux_seccomp *s, int *notify_fd,
                         struct ocirun_error **err);
/* In the runtime: send NOTIFY_FD and the container state (runtime-spec
   "seccomp state" JSON with listenerMetadata) to the agent at listenerPath
   over SCM_RIGHTS; time out instead of hanging if the agent is gone.  */
int ocirun_seccomp_send_to_listener (const struct oci_config_linux_seccomp *s, int notify_fd,
                                     const char *state_json_of_container, pid_t pid,
                                     struct ocirun_error **err);

/* Pure helpers (no kernel access), exposed for the unit tests and features.  */

/* "SCMP_ACT_ERRNO" + errno value -> libseccomp action (SCMP_ACT_ERRNO(ret)...).
   ERRNO_RET < 0 means "not given" (EPERM is used for ERRNO and TRACE).
   Returns 0, or -1 when the name is unknown (no error filled: callers name the field).  */
int ocirun_seccomp_action_from_string (const char *name, int64_t errno_ret, uint32_t *action);
/* "SCMP_CMP_EQ" -> enum scmp_compare value; -1 when unknown.  */
int ocirun_seccomp_op_from_string (const char *name);
/* "SCMP_ARCH_X86_64" -> libseccomp arch token; 0 when unknown.  */
uint32_t ocirun_seccomp_arch_from_string (const char *name);

/* NULL-terminated static lists for the features document.  */
extern const char *const ocirun_seccomp_known_actions[];
extern const char *const ocirun_seccomp_known_operators[];
extern const char *const ocirun_seccomp_known_archs[];
extern const char *const ocirun_seccomp_known_flags[];
/* Is the filter flag (a name from ocirun_seccomp_known_flags) supported by the
   running kernel?  Probes seccomp(2) without installing anything.  */
bool ocirun_seccomp_flag_supported (const char *name);

/* How one spec syscall entry becomes libseccomp rules (runc semantics):
   conditions on distinct argument indexes are ANDed in one rule; a condition
   whose index appears more than once in the entry gets a rule of its own
   (libseccomp rejects two comparisons of one argument in a rule).  */
struct ocirun_seccomp_cond
{
  unsigned int index;
  int op;               /* enum scmp_compare */
  uint64_t value;
  uint64_t value_two;
};
struct ocirun_seccomp_rule
{
  size_t n_conds;
  struct ocirun_seccomp_cond conds[6];
};
/* FIELD names the entry in errors ("linux.seccomp.syscalls[3]").  *RULES is
   malloc'd; an entry without args yields one rule with no condition.  */
int ocirun_seccomp_plan_rules (const struct oci_syscall *sc, const char *field,
                               struct ocirun_seccomp_rule **rules, size_t *n_rules,
                               struct ocirun_error **err);

#endif
