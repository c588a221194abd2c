/* ocirun: small helpers shared by every file.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_UTILS_H
#define OCIRUN_UTILS_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>
#include "error.h"

void cleanup_freep (void *p);
void cleanup_closep (int *fd);
void cleanup_fclosep (FILE **f);
void cleanup_closedirp (DIR **d);
void cleanup_strvp (char ***v);
/* Kill (SIGKILL) and reap a child that was not handed on.  */
void cleanup_pidp (pid_t *pid);

#define cleanup_free __attribute__ ((cleanup (cleanup_freep)))
#define cleanup_close __attribute__ ((cleanup (cleanup_closep)))
#define cleanup_file __attribute__ ((cleanup (cleanup_fclosep)))
#define cleanup_dir __attribute__ ((cleanup (cleanup_closedirp)))
#define cleanup_strv __attribute__ ((cleanup (cleanup_strvp)))
#define cleanup_pid __attribute__ ((cleanup (cleanup_pidp)))

static inline int
steal_fd (int *fd)
{
  int r = *fd;
  *fd = -1;
  return r;
}

static inline void *
steal_ptr (void *pp)
{
  void **p = (void **) pp;
  void *r = *p;
  *p = NULL;
  return r;
}
#define steal_pointer(pp) ((__typeof__ (*(pp))) steal_ptr (pp))

static inline pid_t
steal_pid (pid_t *pid)
{
  pid_t r = *pid;
  *pid = -1;
  return r;
}

void *xmalloc0 (size_t size);
void *xrealloc (void *p, size_t size);
char *xstrdup (const char *s);
char *xasprintf (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
void strv_free (char **v);
size_t strv_len (char *const *v);

int write_all (int fd, const void *buf, size_t len);
/* Read a whole fd/file into a NUL-terminated malloc'd buffer.  */
int read_all_fd (int fd, const char *what, char **out, size_t *len, struct ocirun_error **err);
int read_all_file (const char *path, char **out, size_t *len, struct ocirun_error **err);
/* JSON input (config.json, exec --process, update --resources): a regular
   file (or, for FD, anything) of at most OCIRUN_JSON_MAX bytes, without NUL
   bytes and nested at most OCIRUN_JSON_MAX_DEPTH levels (the parser's free is
   recursive).  */
#define OCIRUN_JSON_MAX (16 << 20)
#define OCIRUN_JSON_MAX_DEPTH 512
int read_json_file (const char *path, char **out, size_t *len, struct ocirun_error **err);
int read_json_fd (int fd, const char *what, char **out, size_t *len, struct ocirun_error **err);
int json_check (const char *buf, size_t len, const char *what, struct ocirun_error **err);
int read_all_file_at (int dirfd, const char *path, char **out, size_t *len, struct ocirun_error **err);
/* Write a file (O_TRUNC) at dirfd; no error text when quiet and the file is missing.  */
int write_file_at (int dirfd, const char *path, const char *data, size_t len, struct ocirun_error **err);
int write_file (const char *path, const char *data, size_t len, struct ocirun_error **err);
/* Write a file atomically: tmp + rename (runtime state: no fsync).  */
int write_file_atomic_at (int dirfd, const char *name, const char *data, size_t len, struct ocirun_error **err);

int mkdir_p (const char *path, mode_t mode, struct ocirun_error **err);
int mkdir_p_at (int dirfd, const char *path, mode_t mode, struct ocirun_error **err);
int rm_rf_at (int dirfd, const char *name);

/* Resolve PATH under the root directory fd ROOTFD without ever escaping it
   (openat2 RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS; fallback: component walk).  */
int openat_in_root (int rootfd, const char *path, int flags, mode_t mode, struct ocirun_error **err);
/* Create every missing directory of PATH under ROOTFD (safely), return an O_PATH
   fd on the final directory (or on a file created when IS_FILE).  */
int mkdirat_in_root (int rootfd, const char *path, mode_t mode, bool is_file, struct ocirun_error **err);
/* Close every fd >= FROM except the KEEP ones (CVE-2024-21626: no runtime
   fd may reach the container).  */
void close_fds_from (int from, const int *keep, size_t n_keep);
/* Mark every fd >= FROM close-on-exec.  */
void cloexec_fds_from (int from);
/* chdir to PATH resolved inside the current root without magic links (a
   /proc/self/fd/N cannot lead out), then check that the kernel agrees the
   working directory is under the root.  */
int chdir_in_root (const char *path, struct ocirun_error **err);
/* "/proc/self/fd/N" into buf.  */
const char *proc_fd_path (int fd, char buf[static 64]);

#ifdef OCIRUN_TESTING
/* Use the component walk instead of openat2 (to test the fallback).  */
void ocirun_utils_force_walk (bool on);
#endif
/* sendmsg DATA with FD as SCM_RIGHTS (FD < 0: none); -1 with errno on failure.  */
int send_with_fd (int sock, const void *data, size_t len, int fd);
bool str_has_prefix (const char *s, const char *prefix);
int parse_signal (const char *name, struct ocirun_error **err);
const char *signal_name (int sig);
/* Like waitpid, restarting on EINTR.  Returns the exit status in shell form.  */
int wait_for_pid (pid_t pid, int *status_out);
int status_to_exit_code (int status);
uint64_t proc_start_time (pid_t pid);
bool running_in_user_namespace (void);
/* Is the caller unprivileged (euid != 0, or root of a non-initial user namespace)?  */
bool ocirun_is_rootless (void);

#endif
