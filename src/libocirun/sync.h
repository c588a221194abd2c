/* ocirun: the parent <-> init protocol.  One message type over a SOCK_SEQPACKET
 * socketpair; errors travel back as messages, file descriptors as SCM_RIGHTS.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_SYNC_H
#define OCIRUN_SYNC_H

#include <stdint.h>
#include "error.h"

enum ocirun_sync_type
{
  SYNC_ERROR = 1,          /* either way: value = errno, text = message */
  SYNC_USERNS_READY,       /* init -> parent: write my id maps (value: pid to map) */
  SYNC_USERNS_DONE,        /* parent -> init: maps written */
  SYNC_CHILD_PID,          /* init -> parent: the container init's pid (double-fork path) */
  SYNC_CGROUP_DONE,        /* parent -> init: cgroup joined, resources applied */
  SYNC_PTY_MASTER,         /* init -> parent: the console master (fd) */
  SYNC_CREATE_RUNTIME,     /* init -> parent: run prestart/createRuntime hooks now */
  SYNC_CREATE_RUNTIME_DONE,/* parent -> init */
  SYNC_SECCOMP_NOTIFY_FD,  /* init -> parent: the seccomp listener fd */
  SYNC_SECCOMP_NOTIFY_DONE,/* parent -> init */
  SYNC_READY,              /* init -> parent: all set up, blocked until start */
  SYNC_EXEC_STATUS,        /* exec child -> parent: pid */
  SYNC_IDMAP_MOUNT,        /* parent -> init: a detached idmapped mount (fd) for mounts[value] */
};

struct ocirun_sync_msg
{
  int32_t type;
  int32_t value;
  char text[4000];
};

int ocirun_sync_pair (int fds[2], struct ocirun_error **err);
int ocirun_sync_send (int fd, int type, int value, const char *text, int passfd,
                      struct ocirun_error **err);
/* Send an error (best effort; used by the init before it exits).  */
void ocirun_sync_send_error (int fd, const struct ocirun_error *e);
/* Receive one message.  A SYNC_ERROR message becomes *err and -1.  A closed
   peer is an error "WHAT exited before ...".  *passfd receives an fd or -1.  */
int ocirun_sync_recv (int fd, struct ocirun_sync_msg *out, int *passfd, struct ocirun_error **err);
/* Receive and require TYPE.  */
int ocirun_sync_expect (int fd, int type, int *value, int *passfd, struct ocirun_error **err);

#endif
