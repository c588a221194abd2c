/* ocirun spec.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd/cmd.h"
#include "utils.h"

static const struct option opts[] = { { "rootless", no_argument, NULL, 'r' },
                                      { "bundle", required_argument, NULL, 'b' },
                                      { "help", no_argument, NULL, 'h' },
                                      { NULL, 0, NULL, 0 } };

int
cmd_spec (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  int c;
  bool rootless = false;
  const char *bundle = ".";
  cleanup_free char *json = NULL;
  cleanup_free char *path = NULL;
  int fd;
  const char *usage = "spec [--rootless] [--bundle DIR]";
  (void) ctx;
  optind = 0;
  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:rb:h", opts, NULL)) != -1)
    {
      switch (c)
        {
        case 'r': rootless = true; break;
        case 'b': bundle = optarg; break;
        case 'h':
          return cmd_help (usage, "Write a default config.json in the bundle.\n"
                                  "      --rootless   for an unprivileged user (user namespace, no cgroup)\n");
        default:
          return cmd_bad_option (c, argv, usage, err);
        }
    }
  if (optind < argc)
    return ocirun_error_set (err, 0, "unexpected argument `%s` (usage: ocirun %s)", argv[optind], usage);
  if (ocirun_spec_generate (rootless, &json, err) < 0)
    return -1;
  path = xasprintf ("%s/config.json", bundle);
  fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      if (errno == EEXIST)
        return ocirun_error_set (err, 0, "`%s` exists: remove it first", path);
      return ocirun_error_set (err, errno, "create `%s`", path);
    }
  if (write_all (fd, json, strlen (json)) < 0)
    {
      ocirun_error_set (err, errno, "write `%s`", path);
      close (fd);
      return -1;
    }
  close (fd);
  return 0;
}
