/* ocirun check.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/cmd.h"
#include "libocirun/check.h"

enum
{
  OPT_JSON = 3000,
  OPT_ROOT_DIR,
};

static const struct option opts[] = { { "json", no_argument, NULL, OPT_JSON },
                                      { "root-dir", required_argument, NULL, OPT_ROOT_DIR },
                                      { "help", no_argument, NULL, 'h' },
                                      { NULL, 0, NULL, 0 } };

static void
print_text (const struct ocirun_check_list *l)
{
  for (size_t i = 0; i < l->n; i++)
    {
      const struct ocirun_check_result *r = &l->items[i];
      printf ("%-6s%s: %s", ocirun_check_status_name (r->status), r->name, r->message);
      if (r->fix)
        printf (" (fix: %s)", r->fix);
      putchar ('\n');
    }
}

int
cmd_check (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  const char *usage = "check [--json] [--root-dir DIR]";
  const char *root_dir = NULL;
  struct ocirun_check_list list = { 0 };
  bool json = false, failed;
  int c;

  (void) ctx;
  optind = 0;
  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:h", opts, NULL)) != -1)
    {
      switch (c)
        {
        case OPT_JSON: json = true; break;
        case OPT_ROOT_DIR: root_dir = optarg; break;
        case 'h':
          return cmd_help (usage,
                           "Diagnose this host for running containers (as this user): one line per\n"
                           "check, ok, warn or fail, with the command that fixes it.  Exits 1 when a\n"
                           "check fails (a warning does not).\n"
                           "      --json          a JSON array of {name, status, message, fix}\n"
                           "      --root-dir DIR  (for tests) read every file under DIR (DIR/etc/subuid,\n"
                           "                      DIR/proc/..., DIR/sys/...); syscalls still probe the kernel\n");
        default:
          return cmd_bad_option (c, argv, usage, err);
        }
    }
  if (optind < argc)
    return ocirun_error_set (err, 0, "unexpected argument `%s` (usage: ocirun %s)", argv[optind], usage);
  if (ocirun_check_host (root_dir, &list, err) < 0)
    return -1;
  if (json)
    {
      char *out = NULL;
      if (ocirun_check_to_json (&list, &out, err) < 0)
        {
          ocirun_check_list_free (&list);
          return -1;
        }
      cmd_print (out);
      free (out);
    }
  else
    print_text (&list);
  failed = ocirun_check_any_failed (&list);
  ocirun_check_list_free (&list);
  return failed ? 1 : 0;
}
