/* ocirun list.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/cmd.h"
#include "oci_spec.h"

static const struct option opts[] = { { "quiet", no_argument, NULL, 'q' },
                                      { "format", required_argument, NULL, 'f' },
                                      { "help", no_argument, NULL, 'h' },
                                      { NULL, 0, NULL, 0 } };

int
cmd_list (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  int c;
  bool quiet = false, json = false;
  struct ocirun_container_info *list = NULL;
  size_t n = 0;
  const char *usage = "list [-q] [--format table|json]";
  optind = 0;
  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:qf:h", opts, NULL)) != -1)
    {
      switch (c)
        {
        case 'q': quiet = true; break;
        case 'f':
          if (strcmp (optarg, "json") == 0)
            json = true;
          else if (strcmp (optarg, "table") != 0)
            return ocirun_error_set (err, 0, "--format `%s`: use table or json", optarg);
          break;
        case 'h': return cmd_help (usage, "List the containers.\n");
        default:
          return cmd_bad_option (c, argv, usage, err);
        }
    }
  if (optind < argc)
    return ocirun_error_set (err, 0, "unexpected argument `%s` (usage: ocirun %s)", argv[optind], usage);
  if (ocirun_container_list (ctx, &list, &n, err) < 0)
    return -1;
  if (json)
    {
      /* an array of state objects, each written by the generated serializer */
      fputs ("[", stdout);
      for (size_t i = 0; i < n; i++)
        {
          struct oci_ocirun_state s = { 0 };
          char *msg = NULL, *out;
          s.oci_version = (char *) OCI_SPEC_VERSION;
          s.id = list[i].id;
          s.pid = list[i].pid;
          s.pid_present = true;
          s.status = list[i].status;
          s.bundle = list[i].bundle;
          s.created = list[i].created;
          s.owner = list[i].owner;
          out = oci_ocirun_state_generate_json (&s, &msg);
          if (out)
            printf ("%s%s", i ? "," : "", out);
          free (out);
          free (msg);
        }
      fputs ("]\n", stdout);
    }
  else if (quiet)
    for (size_t i = 0; i < n; i++)
      puts (list[i].id);
  else
    {
      printf ("%-20s %-8s %-10s %-40s %-31s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
      for (size_t i = 0; i < n; i++)
        printf ("%-20s %-8d %-10s %-40s %-31s %s\n", list[i].id, list[i].pid, list[i].status,
                list[i].bundle, list[i].created, list[i].owner);
    }
  ocirun_container_info_free (list, n);
  return 0;
}
