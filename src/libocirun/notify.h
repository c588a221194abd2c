/* ocirun: NOTIFY_SOCKET proxy (sd_notify from the container to the host).
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_NOTIFY_H
#define OCIRUN_NOTIFY_H

#include <sys/types.h>
#include "error.h"
#include "oci_spec.h"

/* Where the container finds its socket.  */
#define OCIRUN_NOTIFY_DIR_IN_CONTAINER "/run/notify"
#define OCIRUN_NOTIFY_SOCKET_IN_CONTAINER "/run/notify/notify.sock"

/* How it works, without a daemon:
   - create: when NOTIFY_SOCKET is in the runtime's environment, remember it in
     the state directory (notify-host), make STATE/notify/ and add to CONFIG (in
     memory) a bind mount of it on /run/notify plus
     NOTIFY_SOCKET=/run/notify/notify.sock in process.env;
   - start: bind STATE/notify/notify.sock (the container sees it through the
     directory mount) before releasing the init, then relay what the container
     sends to the host socket until READY=1, or until the container exits.  */
int ocirun_notify_prepare (struct oci_config *config, int state_dirfd, const char *state_dir,
                           struct ocirun_error **err);
/* Before the init is released: *SOCK = the bound socket, or -1 when the
   container was created without NOTIFY_SOCKET.  */
int ocirun_notify_listen (int state_dirfd, int *sock, struct ocirun_error **err);
/* After: forward messages to the host socket until READY=1 or PID exits.  */
int ocirun_notify_relay (int state_dirfd, int sock, pid_t pid, struct ocirun_error **err);

#endif
