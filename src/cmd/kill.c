/* ocirun kill.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <signal.h>
#include "cmd/cmd.h"
#include "utils.h"

static const struct option opts[] = { { "all", no_argument, NULL, 'a' },
                                      { "help", no_argument, NULL, 'h' },
                                      { "signal", required_argument, NULL, 's' },
                                      { NULL, 0, NULL, 0 } };

int
cmd_kill (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  int c, sig = SIGTERM;
  bool all = false;
  const char *signame = NULL;
  const char *usage = "kill [--all] ID [SIGNAL]";
  optind = 0;
  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:ahs:", opts, NULL)) != -1)
    {
      switch (c)
        {
        case 'a': all = true; break;
        case 's': signame = optarg; break;
        case 'h':
          return cmd_help (usage, "Send SIGNAL (a name with or without SIG, or a number; default TERM)\n"
                                  "  -a, --all   to every process of the container\n");
        default:
          return cmd_bad_option (c, argv, usage, err);
        }
    }
  if (optind >= argc)
    return ocirun_error_set (err, 0, "missing container id (usage: ocirun %s)", usage);
  ctx->id = argv[optind];
  if (optind + 1 < argc)
    signame = argv[optind + 1];
  if (optind + 2 < argc)
    return ocirun_error_set (err, 0, "unexpected argument `%s` (usage: ocirun %s)", argv[optind + 2], usage);
  if (signame && (sig = parse_signal (signame, err)) < 0)
    return -1;
  return ocirun_container_kill (ctx, sig, all, err) < 0 ? -1 : 0;
}
