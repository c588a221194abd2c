/* ocirun state.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <stdlib.h>
#include "cmd/cmd.h"

static const struct option opts[] = { { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };

int
cmd_state (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  int c;
  char *json = NULL;
  optind = 0;
  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:h", opts, NULL)) != -1)
    {
      if (c == 'h')
        return cmd_help ("state ID", "Print the container's state as JSON.\n");
      return cmd_bad_option (c, argv, "state ID", err);
    }
  if (cmd_take_id (ctx, argc, argv, "state ID", err) < 0)
    return -1;
  if (ocirun_container_state (ctx, &json, err) < 0)
    return -1;
  cmd_print (json);
  free (json);
  return 0;
}
