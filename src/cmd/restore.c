/* ocirun restore.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <stdio.h>
#include "cmd/cmd.h"

enum
{
  OPT_BUNDLE = 'b',
  OPT_DETACH = 'd',
  OPT_PID_FILE = 1000,
  OPT_CONSOLE_SOCKET,
  OPT_HELP,
};

int
cmd_restore (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  static const struct option opts[] = {
    CMD_CRIU_LONG_OPTIONS,
    { "bundle", required_argument, NULL, OPT_BUNDLE },
    { "detach", no_argument, NULL, OPT_DETACH },
    { "pid-file", required_argument, NULL, OPT_PID_FILE },
    { "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
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
      if (cmd_criu_option (c, optarg, &o))
        continue;
      switch (c)
        {
        case OPT_BUNDLE: ctx->bundle = optarg; break;
        case OPT_DETACH: ctx->detach = true; break;
        case OPT_PID_FILE: ctx->pid_file = optarg; break;
        case OPT_CONSOLE_SOCKET: ctx->console_socket = optarg; break;
        case 'h':
        case OPT_HELP:
          printf ("Usage: ocirun %s\n"
                  "Restore a container from a CRIU checkpoint and run it under ID\n"
                  "(in the foreground like run, unless --detach).\n"
                  "  -b, --bundle DIR        the bundle (default: the current directory)\n"
                  "  -d, --detach            do not wait for the container\n"
                  "      --pid-file FILE     write the container's pid there\n"
                  "      --console-socket S  send the terminal's new master there\n%s",
                  usage, cmd_criu_help);
          return 0;
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
