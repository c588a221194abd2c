/* ocirun start.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include "cmd/cmd.h"

static const struct option opts[] = { { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };

int
cmd_start (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  int c;
  optind = 0;
  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:h", opts, NULL)) != -1)
    {
      if (c == 'h')
        return cmd_help ("start ID", "Start a created container: run its process.\n");
      return cmd_bad_option (c, argv, "start ID", err);
    }
  if (cmd_take_id (ctx, argc, argv, "start ID", err) < 0)
    return -1;
  return ocirun_container_start (ctx, err) < 0 ? -1 : 0;
}
