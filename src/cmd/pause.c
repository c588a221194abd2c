/* ocirun pause / resume.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include "cmd/cmd.h"

static const struct option opts[] = { { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };

static int
pause_or_resume (struct ocirun_context *ctx, int argc, char **argv, bool pause, struct ocirun_error **err)
{
  int c;
  const char *usage = pause ? "pause ID" : "resume ID";
  optind = 0;
  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:h", opts, NULL)) != -1)
    {
      if (c == 'h')
        return cmd_help (usage, pause ? "Freeze every process of the container.\n"
                                      : "Thaw a paused container.\n");
      return cmd_bad_option (c, argv, usage, err);
    }
  if (cmd_take_id (ctx, argc, argv, usage, err) < 0)
    return -1;
  return ocirun_container_pause (ctx, pause, err) < 0 ? -1 : 0;
}

int
cmd_pause (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  return pause_or_resume (ctx, argc, argv, true, err);
}

int
cmd_resume (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  return pause_or_resume (ctx, argc, argv, false, err);
}
