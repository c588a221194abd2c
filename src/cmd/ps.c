/* ocirun ps.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/cmd.h"
#include "utils.h"

static const struct option opts[] = { { "format", required_argument, NULL, 'f' },
                                      { "help", no_argument, NULL, 'h' },
                                      { NULL, 0, NULL, 0 } };

static void
print_cmdline (pid_t pid)
{
  char path[64];
  cleanup_free char *buf = NULL;
  size_t len = 0;
  snprintf (path, sizeof (path), "/proc/%d/cmdline", pid);
  if (read_all_file (path, &buf, &len, NULL) < 0)
    return;
  for (size_t i = 0; i + 1 < len; i++)
    if (buf[i] == '\0')
      buf[i] = ' ';
  fputs (buf, stdout);
}

int
cmd_ps (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  int c;
  bool json = false;
  pid_t *pids = NULL;
  size_t n = 0;
  const char *usage = "ps [--format table|json] ID";
  optind = 0;
  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:f:h", opts, NULL)) != -1)
    {
      switch (c)
        {
        case 'f':
          if (strcmp (optarg, "json") == 0)
            json = true;
          else if (strcmp (optarg, "table") != 0)
            return ocirun_error_set (err, 0, "--format `%s`: use table or json", optarg);
          break;
        case 'h': return cmd_help (usage, "List the container's processes.\n");
        default:
          return cmd_bad_option (c, argv, usage, err);
        }
    }
  if (cmd_take_id (ctx, argc, argv, usage, err) < 0)
    return -1;
  if (ocirun_container_ps (ctx, &pids, &n, err) < 0)
    return -1;
  if (json)
    {
      fputs ("[", stdout);
      for (size_t i = 0; i < n; i++)
        printf ("%s%d", i ? "," : "", pids[i]);
      fputs ("]\n", stdout);
    }
  else
    {
      printf ("PID   CMD\n");
      for (size_t i = 0; i < n; i++)
        {
          printf ("%-5d ", pids[i]);
          print_cmdline (pids[i]);
          putchar ('\n');
        }
    }
  free (pids);
  return 0;
}
