/* ocirun features.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <stdlib.h>
#include <string.h>
#include "cmd/cmd.h"

int
cmd_features (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  char *json = NULL;
  (void) ctx;
  if (argc > 1)
    {
      if (strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "--help") == 0)
        return cmd_help ("features", "Print the runtime-spec features JSON of this build.\n");
      return ocirun_error_set (err, 0, "unexpected argument `%s` (usage: ocirun features)", argv[1]);
    }
  if (ocirun_features_json (&json, err) < 0)
    return -1;
  cmd_print (json);
  free (json);
  return 0;
}
