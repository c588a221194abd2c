/* ocirun: terminals: the pty, --console-socket, foreground relay.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_TERMINAL_H
#define OCIRUN_TERMINAL_H

#include <stdbool.h>
#include <sys/types.h>
#include "error.h"
#include "oci_spec.h"

int ocirun_console_socket_connect (const char *path, struct ocirun_error **err);
int ocirun_send_fd (int sock, int fd, struct ocirun_error **err);
/* In the container (after pivot_root): open a pty from its devpts, make the
   slave our controlling terminal and stdio, bind it on /dev/console when
   BIND_CONSOLE.  Returns the master fd.  */
int ocirun_pty_setup (bool bind_console, const struct oci_config_process_console_size *size,
                      struct ocirun_error **err);
/* Relay between our stdio and MASTER until the container exits (run/exec in the
   foreground with a terminal).  */
int ocirun_terminal_relay (int master, pid_t pid, int *status, struct ocirun_error **err);

#endif
