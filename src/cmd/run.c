/* ocirun run.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include "cmd/cmd.h"

int
cmd_run (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  int code = 0;
  int r = cmd_parse_create_opts (ctx, argc, argv, true, "run [OPTIONS] ID", err);
  if (r != 0)
    return r < 0 ? -1 : 0;
  if (ocirun_container_run (ctx, &code, err) < 0)
    return -1;
  return code;
}
