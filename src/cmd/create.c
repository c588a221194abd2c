/* ocirun create.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include "cmd/cmd.h"

int
cmd_create (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  int r = cmd_parse_create_opts (ctx, argc, argv, false, "create [OPTIONS] ID", err);
  if (r != 0)
    return r < 0 ? -1 : 0;
  return ocirun_container_create (ctx, err) < 0 ? -1 : 0;
}
