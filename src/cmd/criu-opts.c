/* ocirun CLI: the CRIU options checkpoint and restore share.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include "cmd/cmd.h"

const char cmd_criu_help[] =
  "      --image-path DIR    the image (default: ./checkpoint)\n"
  "      --work-path DIR     where CRIU's log goes (default: the image path)\n"
  "      --tcp-established   established TCP connections too\n"
  "      --ext-unix-sk       allow external unix sockets\n"
  "      --shell-job         allow a shell job (a terminal of the caller)\n"
  "      --file-locks        file locks too\n"
  "      --manage-cgroups-mode soft|full|strict|ignore  (default: soft)\n";

bool
cmd_criu_option (int c, const char *arg, struct ocirun_checkpoint_opts *o)
{
  switch (c)
    {
    case CMD_OPT_IMAGE_PATH: o->image_path = arg; return true;
    case CMD_OPT_WORK_PATH: o->work_path = arg; return true;
    case CMD_OPT_TCP_ESTABLISHED: o->tcp_established = true; return true;
    case CMD_OPT_EXT_UNIX_SK: o->ext_unix_sk = true; return true;
    case CMD_OPT_SHELL_JOB: o->shell_job = true; return true;
    case CMD_OPT_FILE_LOCKS: o->file_locks = true; return true;
    case CMD_OPT_MANAGE_CGROUPS_MODE: o->manage_cgroups_mode = arg; return true;
    default: return false;
    }
}
