/* ocirun checkpoint.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <stdio.h>
#include "cmd/cmd.h"

enum
{
  OPT_LEAVE_RUNNING = 1000,
  OPT_HELP,
};

int
cmd_checkpoint (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  static const struct option opts[] = {
    CMD_CRIU_LONG_OPTIONS,
    { "leave-running", no_argument, NULL, OPT_LEAVE_RUNNING },
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
      if (cmd_criu_option (c, optarg, &o))
        continue;
      switch (c)
        {
        case OPT_LEAVE_RUNNING: o.leave_running = true; break;
        case 'h':
        case OPT_HELP:
          printf ("Usage: ocirun %s\nCheckpoint a running container with CRIU; it is stopped afterwards.\n"
                  "      --leave-running     keep the container running\n%s",
                  usage, cmd_criu_help);
          return 0;
        default:
          return cmd_bad_option (c, argv, usage, err);
        }
    }
  if (cmd_take_id (ctx, argc, argv, usage, err) < 0)
    return -1;
  return ocirun_container_checkpoint (ctx, &o, err) < 0 ? -1 : 0;
}
