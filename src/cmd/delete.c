/* ocirun delete.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <regex.h>
#include <stdlib.h>
#include "cmd/cmd.h"

static const struct option opts[] = { { "force", no_argument, NULL, 'f' },
                                      { "regex", required_argument, NULL, 'r' },
                                      { "help", no_argument, NULL, 'h' },
                                      { NULL, 0, NULL, 0 } };

int
cmd_delete (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  int c;
  bool force = false;
  const char *regex = NULL;
  const char *usage = "delete [--force] ID | delete [--force] --regex REGEX";
  optind = 0;
  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:fr:h", opts, NULL)) != -1)
    {
      switch (c)
        {
        case 'f': force = true; break;
        case 'r': regex = optarg; break;
        case 'h':
          return cmd_help (usage, "  -f, --force       kill a running container first\n"
                                  "  -r, --regex RE    delete every container whose id matches RE\n");
        default:
          return cmd_bad_option (c, argv, usage, err);
        }
    }
  if (regex)
    {
      regex_t re;
      struct ocirun_container_info *list = NULL;
      size_t n = 0;
      int rc;
      int ret = 0;
      if (optind < argc)
        return ocirun_error_set (err, 0, "--regex takes no container id");
      rc = regcomp (&re, regex, REG_EXTENDED | REG_NOSUB);
      if (rc != 0)
        {
          char buf[256];
          regerror (rc, &re, buf, sizeof (buf));
          return ocirun_error_set (err, 0, "--regex `%s`: %s", regex, buf);
        }
      if (ocirun_container_list (ctx, &list, &n, err) < 0)
        {
          regfree (&re);
          return -1;
        }
      for (size_t i = 0; i < n && ret == 0; i++)
        if (regexec (&re, list[i].id, 0, NULL, 0) == 0)
          {
            ctx->id = list[i].id;
            if (ocirun_container_delete (ctx, force, err) < 0)
              ret = -1;
          }
      regfree (&re);
      ocirun_container_info_free (list, n);
      return ret;
    }
  if (cmd_take_id (ctx, argc, argv, usage, err) < 0)
    return -1;
  return ocirun_container_delete (ctx, force, err) < 0 ? -1 : 0;
}
