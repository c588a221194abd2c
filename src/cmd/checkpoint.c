/* ocirun checkpoint.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include "cmd/cmd.h"

enum
{
  OPT_IMAGE_PATH = 1000,
  OPT_WORK_PATH,
  OPT_LEAVE_RUNNING,
  OPT_TCP_ESTABLISHED,
  OPT_EXT_UNIX_SK,
  OPT_SHELL_JOB,
  OPT_FILE_LOCKS,
  OPT_MANAGE_CGROUPS_MODE,
  OPT_HELP,
};

int
cmd_checkpoint (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  static const struct option opts[] = {
    { "image-path", required_argument, NULL, OPT_IMAGE_PATH },
    { "work-path", required_argument, NULL, OPT_WORK_PATH },
    { "leave-running", no_argument, NULL, OPT_LEAVE_RUNNING },
    { "tcp-established", no_argument, NULL, OPT_TCP_ESTABLISHED },
    { "ext-unix-sk", no_argument, NULL, OPT_EXT_UNIX_SK },
    { "shell-job", no_argument, NULL, OPT_SHELL_JOB },
    { "file-locks", no_argument, NULL, OPT_FILE_LOCKS },
    { "manage-cgroups-mode", required_argument, NULL, OPT_MANAGE_CGROUPS_MODE },
    { "help", no_argument, NULL, OPT_HELP },
    { NULL, 0, NULL, 0 },
  };
  const char *usage = "checkpoint [OPTIONS] ID";
  struct ocirun_checkpoint_opts o = { 0 };
  int c;

  optind = 0;
  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:h", opts, NULL)) != -1)
    {
      switch (c)
        {
        case OPT_IMAGE_PATH: o.image_path = optarg; break;
        case OPT_WORK_PATH: o.work_path = optarg; break;
        case OPT_LEAVE_RUNNING: o.leave_running = true; break;
        case OPT_TCP_ESTABLISHED: o.tcp_established = true; break;
        case OPT_EXT_UNIX_SK: o.ext_unix_sk = true; break;
        case OPT_SHELL_JOB: o.shell_job = true; break;
        case OPT_FILE_LOCKS: o.file_locks = true; break;
        case OPT_MANAGE_CGROUPS_MODE: o.manage_cgroups_mode = optarg; break;
        case 'h':
        case OPT_HELP:
          return cmd_help (usage,
                           "Checkpoint a running container with CRIU; it is stopped afterwards.\n"
                           "      --image-path DIR    where the image goes (default: ./checkpoint)\n"
                           "      --work-path DIR     where CRIU's log goes (default: the image path)\n"
                           "      --leave-running     keep the container running\n"
                           "      --tcp-established   checkpoint established TCP connections\n"
                           "      --ext-unix-sk       allow external unix sockets\n"
                           "      --shell-job         allow a shell job (a terminal of the caller)\n"
                           "      --file-locks        checkpoint file locks\n"
                           "      --manage-cgroups-mode soft|full|strict|ignore  (default: soft)\n");
        default:
          return cmd_bad_option (c, argv, usage, err);
        }
    }
  if (cmd_take_id (ctx, argc, argv, usage, err) < 0)
    return -1;
  return ocirun_container_checkpoint (ctx, &o, err) < 0 ? -1 : 0;
}
