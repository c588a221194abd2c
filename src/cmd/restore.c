/* ocirun restore.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include "cmd/cmd.h"

enum
{
  OPT_BUNDLE = 'b',
  OPT_DETACH = 'd',
  OPT_IMAGE_PATH = 1000,
  OPT_WORK_PATH,
  OPT_PID_FILE,
  OPT_CONSOLE_SOCKET,
  OPT_TCP_ESTABLISHED,
  OPT_EXT_UNIX_SK,
  OPT_SHELL_JOB,
  OPT_FILE_LOCKS,
  OPT_MANAGE_CGROUPS_MODE,
  OPT_HELP,
};

int
cmd_restore (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  static const struct option opts[] = {
    { "image-path", required_argument, NULL, OPT_IMAGE_PATH },
    { "work-path", required_argument, NULL, OPT_WORK_PATH },
    { "bundle", required_argument, NULL, OPT_BUNDLE },
    { "detach", no_argument, NULL, OPT_DETACH },
    { "pid-file", required_argument, NULL, OPT_PID_FILE },
    { "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
    { "tcp-established", no_argument, NULL, OPT_TCP_ESTABLISHED },
    { "ext-unix-sk", no_argument, NULL, OPT_EXT_UNIX_SK },
    { "shell-job", no_argument, NULL, OPT_SHELL_JOB },
    { "file-locks", no_argument, NULL, OPT_FILE_LOCKS },
    { "manage-cgroups-mode", required_argument, NULL, OPT_MANAGE_CGROUPS_MODE },
    { "help", no_argument, NULL, OPT_HELP },
    { NULL, 0, NULL, 0 },
  };
  const char *usage = "restore [OPTIONS] ID";
  struct ocirun_checkpoint_opts o = { 0 };
  int c, code = 0;

  optind = 0;
  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:b:dh", opts, NULL)) != -1)
    {
      switch (c)
        {
        case OPT_IMAGE_PATH: o.image_path = optarg; break;
        case OPT_WORK_PATH: o.work_path = optarg; break;
        case OPT_BUNDLE: ctx->bundle = optarg; break;
        case OPT_DETACH: ctx->detach = true; break;
        case OPT_PID_FILE: ctx->pid_file = optarg; break;
        case OPT_CONSOLE_SOCKET: ctx->console_socket = optarg; break;
        case OPT_TCP_ESTABLISHED: o.tcp_established = true; break;
        case OPT_EXT_UNIX_SK: o.ext_unix_sk = true; break;
        case OPT_SHELL_JOB: o.shell_job = true; break;
        case OPT_FILE_LOCKS: o.file_locks = true; break;
        case OPT_MANAGE_CGROUPS_MODE: o.manage_cgroups_mode = optarg; break;
        case 'h':
        case OPT_HELP:
          return cmd_help (usage,
                           "Restore a container from a CRIU checkpoint and run it under ID\n"
                           "(in the foreground like run, unless --detach).\n"
                           "      --image-path DIR    the checkpoint (default: ./checkpoint)\n"
                           "      --work-path DIR     where CRIU's log goes (default: the image path)\n"
                           "  -b, --bundle DIR        the bundle (default: the current directory)\n"
                           "  -d, --detach            do not wait for the container\n"
                           "      --pid-file FILE     write the container's pid there\n"
                           "      --console-socket S  send the terminal's new master there\n"
                           "      --tcp-established   restore established TCP connections\n"
                           "      --ext-unix-sk       allow external unix sockets\n"
                           "      --shell-job         allow a shell job (a terminal of the caller)\n"
                           "      --file-locks        restore file locks\n"
                           "      --manage-cgroups-mode soft|full|strict|ignore  (default: soft)\n");
        default:
          return cmd_bad_option (c, argv, usage, err);
        }
    }
  if (cmd_take_id (ctx, argc, argv, usage, err) < 0)
    return -1;
  if (ocirun_container_restore (ctx, &o, &code, err) < 0)
    return -1;
  return code;
}
