/* ocirun: the library's public entry points, one per CLI verb.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_H
#define OCIRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "error.h"
#include "cgroup/cgroup.h"

#ifndef OCIRUN_API
#define OCIRUN_API __attribute__ ((visibility ("default")))
#endif

/* Global options plus what the verbs share.  Strings are borrowed.  */
struct ocirun_context
{
  const char *state_root;        /* --root; NULL: the default for this user */
  const char *id;
  const char *bundle;            /* --bundle; NULL: cwd */
  const char *config_file;       /* --config; NULL: BUNDLE/config.json */
  const char *console_socket;
  const char *pid_file;
  int preserve_fds;
  bool detach;
  bool no_pivot;
  bool no_new_keyring;
  bool no_subreaper;
  bool keep;                     /* run --keep: do not delete after exit */
  bool systemd_cgroup;
  bool cgroup_manager_set;
  enum ocirun_cgroup_manager cgroup_manager;
  int rootless;                  /* --rootless: -1 auto, 0 false, 1 true */
  const char *criu_path;         /* --criu: the criu binary; NULL: criu in PATH */
};

OCIRUN_API int ocirun_container_create (struct ocirun_context *ctx, struct ocirun_error **err);
OCIRUN_API int ocirun_container_start (struct ocirun_context *ctx, struct ocirun_error **err);
/* Foreground: *exit_code is the container's (128+signal when killed).  */
OCIRUN_API int ocirun_container_run (struct ocirun_context *ctx, int *exit_code,
                                     struct ocirun_error **err);
OCIRUN_API int ocirun_container_state (struct ocirun_context *ctx, char **json,
                                       struct ocirun_error **err);
OCIRUN_API int ocirun_container_kill (struct ocirun_context *ctx, int sig, bool all,
                                      struct ocirun_error **err);
OCIRUN_API int ocirun_container_delete (struct ocirun_context *ctx, bool force,
                                        struct ocirun_error **err);
OCIRUN_API int ocirun_container_pause (struct ocirun_context *ctx, bool pause,
                                       struct ocirun_error **err);

struct ocirun_container_info
{
  char *id;
  pid_t pid;
  char *status;
  char *bundle;
  char *created;
  char *owner;
};
OCIRUN_API int ocirun_container_list (struct ocirun_context *ctx, struct ocirun_container_info **list,
                                      size_t *n, struct ocirun_error **err);
OCIRUN_API void ocirun_container_info_free (struct ocirun_container_info *list, size_t n);

OCIRUN_API int ocirun_container_ps (struct ocirun_context *ctx, pid_t **pids, size_t *n,
                                    struct ocirun_error **err);
/* RESOURCES_JSON: a LinuxResources document (may be NULL); it is merged with the
   flag values in OVERRIDE (may be NULL).  */
OCIRUN_API int ocirun_container_update (struct ocirun_context *ctx, const char *resources_json,
                                        const struct oci_config_linux_resources *override,
                                        struct ocirun_error **err);
OCIRUN_API int ocirun_container_stats (struct ocirun_context *ctx, char **json,
                                       struct ocirun_error **err);

struct ocirun_exec_opts
{
  const char *process_file;      /* --process */
  char **args;                   /* when no --process */
  bool tty;
  bool tty_set;
  const char *cwd;
  char **env;                    /* NULL-terminated, appended */
  const char *user;              /* "uid[:gid]" */
  char **caps;                   /* NULL-terminated, added */
  bool no_new_privs;
  const char *process_label;
  const char *apparmor;
  char **additional_gids;
};
OCIRUN_API int ocirun_container_exec (struct ocirun_context *ctx, const struct ocirun_exec_opts *opts,
                                      int *exit_code, struct ocirun_error **err);

/* checkpoint / restore (CRIU, loaded at run time).  */
struct ocirun_checkpoint_opts
{
  const char *image_path;           /* --image-path; NULL: ./checkpoint */
  const char *work_path;            /* --work-path: CRIU's log; NULL: the image path */
  const char *manage_cgroups_mode;  /* soft (NULL), full, strict or ignore */
  bool leave_running;               /* checkpoint: keep the container running */
  bool tcp_established;
  bool ext_unix_sk;
  bool shell_job;
  bool file_locks;
};
/* Without leave_running the container is stopped afterwards (its record
   stays until delete, or until a restore under its id replaces it).  */
OCIRUN_API int ocirun_container_checkpoint (struct ocirun_context *ctx,
                                            const struct ocirun_checkpoint_opts *opts,
                                            struct ocirun_error **err);
/* Like run, with the process restored from the image: ctx->bundle, detach,
   pid_file, console_socket apply; in the foreground *exit_code is the
   container's.  */
OCIRUN_API int ocirun_container_restore (struct ocirun_context *ctx,
                                         const struct ocirun_checkpoint_opts *opts, int *exit_code,
                                         struct ocirun_error **err);

/* A config.json for `spec`.  */
OCIRUN_API int ocirun_spec_generate (bool rootless, char **json, struct ocirun_error **err);
/* The runtime-spec features document for this build.  */
OCIRUN_API int ocirun_features_json (char **json, struct ocirun_error **err);
/* "+SECCOMP +CAP ..." */
OCIRUN_API const char *ocirun_feature_string (void);

/* Validation helpers shared with the CLI.  */
OCIRUN_API int ocirun_validate_id (const char *id, struct ocirun_error **err);
OCIRUN_API int ocirun_validate_oci_version (const char *v, struct ocirun_error **err);
OCIRUN_API int ocirun_default_state_root (char **out, struct ocirun_error **err);

#endif
