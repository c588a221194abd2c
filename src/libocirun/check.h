/* ocirun check: diagnose the host for running containers, rootless above all.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_CHECK_H
#define OCIRUN_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "error.h"

#ifndef OCIRUN_API
#define OCIRUN_API __attribute__ ((visibility ("default")))
#endif

enum ocirun_check_status
{
  OCIRUN_CHECK_OK = 0,
  OCIRUN_CHECK_WARN = 1,  /* something degrades; containers still run */
  OCIRUN_CHECK_FAIL = 2,  /* containers (rootless ones, for a user) cannot run */
};

struct ocirun_check_result
{
  char *name;     /* "user namespaces", "/etc/subuid", "newuidmap", ... */
  enum ocirun_check_status status;
  char *message;
  char *fix;      /* the command that fixes it; NULL when there is nothing to fix */
};

struct ocirun_check_list
{
  struct ocirun_check_result *items;
  size_t n;
};

/* What the checks look at.  Every file is read under ROOT_DIR ("/" for the
   host; `--root-dir` is a test seam); the syscall probes always probe the
   running kernel.  */
struct ocirun_check_host
{
  const char *root_dir;
  bool search_path;           /* also look for newuidmap in PATH_ENV (the real host) */
  uid_t uid;
  gid_t gid;
  bool privileged;            /* uid 0 of the initial user namespace */
  const char *user;           /* the user's name; NULL: unknown (the uid is used) */
  const char *xdg_runtime_dir;/* NULL: unset */
  const char *path_env;
  const char *kernel_release; /* uname -r */
  const char *features;       /* "+CAP +SECCOMP ...": what this build has */
};

/* Diagnose the calling process's host and user (getuid, getenv, uname),
   reading files under ROOT_DIR (NULL: "/").  */
OCIRUN_API int ocirun_check_host (const char *root_dir, struct ocirun_check_list *out,
                                  struct ocirun_error **err);
/* The same for an explicit HOST (what the unit tests call).  */
int ocirun_check_run (const struct ocirun_check_host *host, struct ocirun_check_list *out,
                      struct ocirun_error **err);
OCIRUN_API void ocirun_check_list_free (struct ocirun_check_list *l);
OCIRUN_API bool ocirun_check_any_failed (const struct ocirun_check_list *l);
OCIRUN_API const char *ocirun_check_status_name (enum ocirun_check_status s);
/* A JSON array of {"name","status","message","fix"} (fix: null when none).  */
OCIRUN_API int ocirun_check_to_json (const struct ocirun_check_list *l, char **json,
                                     struct ocirun_error **err);

/* The pure pieces (file contents in, results out), for the unit tests.  */
struct ocirun_check_subid_input
{
  const char *subuid;   /* file contents; NULL: the file is missing */
  const char *subgid;
  const char *passwd;   /* real uids (/etc/passwd) and gids (/etc/group) */
  const char *group;
  const char *user;
  uid_t uid;
  bool privileged;
};
/* Append the /etc/subuid and /etc/subgid results.  */
void ocirun_check_subids (struct ocirun_check_list *l, const struct ocirun_check_subid_input *in);
/* The first range of 65536 ids from 100000 that no range of /etc/subuid or
   /etc/subgid and no real id uses (0 when there is none).  */
uint64_t ocirun_check_free_subid_range (const struct ocirun_check_subid_input *in);
/* Append the three user-namespace results from the contents of
   user.max_user_namespaces, kernel.unprivileged_userns_clone and
   kernel.apparmor_restrict_unprivileged_userns (NULL: the file is absent).  */
void ocirun_check_userns_sysctls (struct ocirun_check_list *l, const char *max_userns,
                                  const char *userns_clone, const char *apparmor_restrict,
                                  bool privileged);
/* The controllers a cgroup.controllers line lacks of the ones containers use
   (memory pids cpu cpuset io), space-separated; "" when none.  */
char *ocirun_check_missing_controllers (const char *controllers);
/* Is RELEASE ("6.1.0-18-amd64") at least MAJOR.MINOR?  */
bool ocirun_check_kernel_at_least (const char *release, int major, int minor);
/* Append a syscall probe result: ERRNUM is the probe's errno (0: it worked;
   EINVAL/E2BIG also mean the kernel knows the call).  */
void ocirun_check_probe_result (struct ocirun_check_list *l, const char *name, int errnum,
                                const char *degrades);
/* Append a result; MESSAGE and FIX (may be NULL) are malloc'd and taken.  */
void ocirun_check_add (struct ocirun_check_list *l, const char *name, enum ocirun_check_status s,
                       char *message, char *fix);

#endif
