/* ocirun events.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd/cmd.h"

static const struct option opts[] = { { "stats", no_argument, NULL, 's' },
                                      { "interval", required_argument, NULL, 'i' },
                                      { "help", no_argument, NULL, 'h' },
                                      { NULL, 0, NULL, 0 } };

int
cmd_events (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  int c, interval = 5;
  bool stats = false;
  const char *usage = "events [--stats] [--interval SECONDS] ID";
  optind = 0;
  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:si:h", opts, NULL)) != -1)
    {
      switch (c)
        {
        case 's': stats = true; break;
        case 'i':
          {
            /* "5s" or "5" */
            char buf[32];
            snprintf (buf, sizeof (buf), "%s", optarg);
            if (buf[0] && buf[strlen (buf) - 1] == 's')
              buf[strlen (buf) - 1] = '\0';
            if (cmd_parse_int (buf, "--interval", &interval, err) < 0)
              return -1;
            if (interval == 0)
              return ocirun_error_set (err, 0, "--interval: must be at least 1 second");
            break;
          }
        case 'h':
          return cmd_help (usage, "Print cgroup stats as JSON events (--stats: once).\n");
        default:
          return cmd_bad_option (c, argv, usage, err);
        }
    }
  if (cmd_take_id (ctx, argc, argv, usage, err) < 0)
    return -1;
  for (;;)
    {
      char *json = NULL;
      if (ocirun_container_stats (ctx, &json, err) < 0)
        return -1;
      printf ("{\"type\":\"stats\",\"id\":\"%s\",\"data\":%s}\n", ctx->id, json);
      fflush (stdout);
      free (json);
      if (stats)
        return 0;
      sleep ((unsigned) interval);
    }
}
