/* ocirun: global options, the verb table, dispatch.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/cmd.h"
#include "exe.h"

static const struct
{
  const char *name;
  ocirun_cmd_fn fn;
  const char *help;
  bool enters; /* puts a process into a container: run from a sealed copy */
} verbs[] = {
  { "create", cmd_create, "create a container (its process waits for start)", true },
  { "start", cmd_start, "start a created container", false },
  { "run", cmd_run, "create and start a container", true },
  { "state", cmd_state, "print a container's state as JSON" },
  { "kill", cmd_kill, "send a signal to a container" },
  { "delete", cmd_delete, "delete a container" },
  { "list", cmd_list, "list containers" },
  { "exec", cmd_exec, "run a new process in a container", true },
  { "ps", cmd_ps, "list the processes of a container" },
  { "pause", cmd_pause, "freeze a container" },
  { "resume", cmd_resume, "thaw a paused container" },
  { "update", cmd_update, "change a container's resources" },
  { "events", cmd_events, "print cgroup stats" },
  { "checkpoint", cmd_checkpoint, "checkpoint a running container (CRIU)" },
  { "restore", cmd_restore, "restore a container from a checkpoint (CRIU)", true },
  { "spec", cmd_spec, "write a default config.json" },
  { "features", cmd_features, "print the features this build supports (JSON)" },
  { "check", cmd_check, "diagnose this host for running containers (rootless above all)" },
};

static void
usage (FILE *f)
{
  fprintf (f,
           "Usage: ocirun [GLOBAL OPTIONS] COMMAND [OPTIONS] [ID] ...\n\n"
           "Global options:\n"
           "      --root DIR              state directory (default /run/ocirun, or\n"
           "                              $XDG_RUNTIME_DIR/ocirun when rootless)\n"
           "      --log FILE              log file\n"
           "      --log-format text|json  log format (json: one object per line)\n"
           "      --log-level LEVEL       error, warning, info or debug\n"
           "      --debug                 debug logging\n"
           "      --systemd-cgroup        use the systemd cgroup manager\n"
           "      --cgroup-manager M      cgroupfs, systemd or disabled\n"
           "      --rootless true|false|auto\n"
           "      --criu PATH             the criu binary (checkpoint, restore)\n"
           "  -v, --version               print the version and the features\n"
           "  -h, --help                  this help\n\n"
           "Commands:\n");
  for (size_t i = 0; i < sizeof (verbs) / sizeof (verbs[0]); i++)
    fprintf (f, "  %-10s %s\n", verbs[i].name, verbs[i].help);
  fprintf (f, "  %-10s %s\n\nRun `ocirun COMMAND --help` for a command's options.\n", "help", "this help");
}

enum
{
  G_ROOT = 1000, G_LOG, G_LOG_FORMAT, G_LOG_LEVEL, G_DEBUG, G_SYSTEMD, G_MANAGER, G_ROOTLESS,
  G_VERSION, G_HELP, G_CRIU,
};

int
main (int argc, char **argv)
{
  static const struct option opts[] = {
    { "root", required_argument, NULL, G_ROOT },
    { "log", required_argument, NULL, G_LOG },
    { "log-format", required_argument, NULL, G_LOG_FORMAT },
    { "log-level", required_argument, NULL, G_LOG_LEVEL },
    { "debug", no_argument, NULL, G_DEBUG },
    { "systemd-cgroup", no_argument, NULL, G_SYSTEMD },
    { "cgroup-manager", required_argument, NULL, G_MANAGER },
    { "rootless", required_argument, NULL, G_ROOTLESS },
    { "criu", required_argument, NULL, G_CRIU },
    { "version", no_argument, NULL, G_VERSION },
    { "help", no_argument, NULL, G_HELP },
    { NULL, 0, NULL, 0 },
  };
  struct ocirun_context ctx = { .rootless = -1 };
  struct ocirun_error *err = NULL;
  const char *log_file = NULL;
  enum ocirun_log_format format = OCIRUN_LOG_TEXT;
  enum ocirun_log_level level = OCIRUN_LOG_LEVEL_WARNING;
  const char *manager = NULL;
  int c, ret;

  signal (SIGPIPE, SIG_DFL);
  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:vh", opts, NULL)) != -1)
    {
      switch (c)
        {
        case G_ROOT: ctx.state_root = optarg; break;
        case G_LOG: log_file = optarg; break;
        case G_LOG_FORMAT:
          if (strcmp (optarg, "json") == 0)
            format = OCIRUN_LOG_JSON;
          else if (strcmp (optarg, "text") != 0)
            {
              fprintf (stderr, "ocirun: --log-format `%s`: use text or json\n", optarg);
              return 1;
            }
          break;
        case G_LOG_LEVEL:
          /* runc's (logrus) names too: trace, panic, fatal */
          if (strcmp (optarg, "debug") == 0 || strcmp (optarg, "trace") == 0)
            level = OCIRUN_LOG_LEVEL_DEBUG;
          else if (strcmp (optarg, "info") == 0)
            level = OCIRUN_LOG_LEVEL_INFO;
          else if (strcmp (optarg, "warning") == 0 || strcmp (optarg, "warn") == 0)
            level = OCIRUN_LOG_LEVEL_WARNING;
          else if (strcmp (optarg, "error") == 0 || strcmp (optarg, "fatal") == 0
                   || strcmp (optarg, "panic") == 0)
            level = OCIRUN_LOG_LEVEL_ERROR;
          else
            {
              fprintf (stderr, "ocirun: --log-level `%s`: use error, warning, info or debug\n", optarg);
              return 1;
            }
          break;
        case G_DEBUG: level = OCIRUN_LOG_LEVEL_DEBUG; break;
        case G_SYSTEMD: ctx.systemd_cgroup = true; break;
        case G_MANAGER: manager = optarg; break;
        case G_ROOTLESS:
          if (strcmp (optarg, "true") == 0)
            ctx.rootless = 1;
          else if (strcmp (optarg, "false") == 0)
            ctx.rootless = 0;
          else if (strcmp (optarg, "auto") == 0)
            ctx.rootless = -1;
          else
            {
              fprintf (stderr, "ocirun: --rootless `%s`: use true, false or auto\n", optarg);
              return 1;
            }
          break;
        case G_CRIU: ctx.criu_path = optarg; break;
        case 'v':
        case G_VERSION:
          printf ("ocirun version %s\nspec: %s\n%s\n", PACKAGE_VERSION, OCI_SPEC_VERSION,
                  ocirun_feature_string ());
          return 0;
        case 'h':
        case G_HELP: usage (stdout); return 0;
        case ':':
          fprintf (stderr, "ocirun: global option `%s` needs an argument (see ocirun --help)\n",
                   argv[optind - 1]);
          return 1;
        default:
          fprintf (stderr, "ocirun: unknown global option `%s` (see ocirun --help)\n", argv[optind - 1]);
          return 1;
        }
    }
  if (ocirun_log_init (log_file, format, level, &err) < 0)
    {
      fprintf (stderr, "ocirun: %s\n", err->msg);
      ocirun_error_free (&err);
      return 1;
    }
  if (manager)
    {
      if (ocirun_cgroup_manager_from_string (manager, &ctx.cgroup_manager, &err) < 0)
        {
          ocirun_log_error (err);
          ocirun_error_free (&err);
          return 1;
        }
      ctx.cgroup_manager_set = true;
    }
  if (optind >= argc)
    {
      usage (stderr);
      return 1;
    }
  if (strcmp (argv[optind], "help") == 0)
    {
      usage (stdout);
      return 0;
    }
  if (ocirun_log_debug_enabled ())
    {
      /* the whole command line: what an engine asked for */
      size_t len = 1;
      for (int i = 0; i < argc; i++)
        len += strlen (argv[i]) + 1;
      char *line = calloc (1, len);
      if (line)
        {
          for (int i = 0; i < argc; i++)
            {
              if (i)
                strcat (line, " ");
              strcat (line, argv[i]);
            }
          ocirun_debug ("ocirun %s: %s", PACKAGE_VERSION, line);
          free (line);
        }
    }
  for (size_t i = 0; i < sizeof (verbs) / sizeof (verbs[0]); i++)
    if (strcmp (argv[optind], verbs[i].name) == 0)
      {
        /* CVE-2019-5736: what a container can see of us must not be the
           host's binary file */
        if (verbs[i].enters && ocirun_exe_protect (argv, &err) < 0)
          {
            ocirun_log_error (err);
            ocirun_error_free (&err);
            return 1;
          }
        ret = verbs[i].fn (&ctx, argc - optind, argv + optind, &err);
        if (ret < 0)
          {
            ocirun_log_error (err);
            ocirun_error_free (&err);
            return 1;
          }
        return ret;
      }
  fprintf (stderr, "ocirun: unknown command `%s` (see ocirun --help)\n", argv[optind]);
  return 1;
}
