/* ocirun CLI: helpers shared by the verbs.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/cmd.h"

int
cmd_help (const char *usage, const char *options)
{
  printf ("Usage: ocirun %s\n%s", usage, options ? options : "");
  return 0;
}

void
cmd_print (const char *s)
{
  fputs (s, stdout);
  fputc ('\n', stdout);
}

int
cmd_parse_int (const char *s, const char *what, int *out, struct ocirun_error **err)
{
  char *end;
  long v;
  errno = 0;
  v = strtol (s, &end, 10);
  if (*s == '\0' || *end != '\0' || errno || v < 0 || v > 1000000)
    return ocirun_error_set (err, 0, "%s: `%s` is not a valid number", what, s);
  *out = (int) v;
  return 0;
}

int
cmd_bad_option (int c, char **argv, const char *usage, struct ocirun_error **err)
{
  if (c == ':')
    return ocirun_error_set (err, 0, "option `%s` needs an argument (usage: ocirun %s)", argv[optind - 1], usage);
  return ocirun_error_set (err, 0, "unknown option `%s` (usage: ocirun %s)", argv[optind - 1], usage);
}

int
cmd_take_id (struct ocirun_context *ctx, int argc, char **argv, const char *usage,
             struct ocirun_error **err)
{
  if (optind >= argc)
    return ocirun_error_set (err, 0, "missing container id (usage: ocirun %s)", usage);
  if (optind + 1 < argc)
    return ocirun_error_set (err, 0, "unexpected argument `%s` (usage: ocirun %s)", argv[optind + 1], usage);
  ctx->id = argv[optind];
  return 0;
}

enum
{
  OPT_BUNDLE = 'b',
  OPT_PID_FILE = 1000,
  OPT_CONSOLE_SOCKET,
  OPT_PRESERVE_FDS,
  OPT_NO_PIVOT,
  OPT_NO_NEW_KEYRING,
  OPT_CONFIG,
  OPT_DETACH,
  OPT_KEEP,
  OPT_NO_SUBREAPER,
  OPT_HELP,
};

int
cmd_parse_create_opts (struct ocirun_context *ctx, int argc, char **argv, bool is_run,
                       const char *usage, struct ocirun_error **err)
{
  static const struct option opts[] = {
    { "bundle", required_argument, NULL, OPT_BUNDLE },
    { "pid-file", required_argument, NULL, OPT_PID_FILE },
    { "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
    { "preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS },
    { "no-pivot", no_argument, NULL, OPT_NO_PIVOT },
    { "no-new-keyring", no_argument, NULL, OPT_NO_NEW_KEYRING },
    { "config", required_argument, NULL, OPT_CONFIG },
    { "detach", no_argument, NULL, OPT_DETACH },
    { "keep", no_argument, NULL, OPT_KEEP },
    { "no-subreaper", no_argument, NULL, OPT_NO_SUBREAPER },
    { "help", no_argument, NULL, OPT_HELP },
    { NULL, 0, NULL, 0 },
  };
  int c;
  optind = 0;
  opterr = 0;
  while ((c = getopt_long (argc, argv, is_run ? "+:b:dfh" : "+:b:fh", opts, NULL)) != -1)
    {
      switch (c)
        {
        case OPT_BUNDLE: ctx->bundle = optarg; break;
        case OPT_PID_FILE: ctx->pid_file = optarg; break;
        case OPT_CONSOLE_SOCKET: ctx->console_socket = optarg; break;
        case OPT_PRESERVE_FDS:
          if (cmd_parse_int (optarg, "--preserve-fds", &ctx->preserve_fds, err) < 0)
            return -1;
          break;
        case OPT_NO_PIVOT: ctx->no_pivot = true; break;
        case OPT_NO_NEW_KEYRING: ctx->no_new_keyring = true; break;
        case 'f':
        case OPT_CONFIG: ctx->config_file = optarg; break;
        case 'd':
        case OPT_DETACH:
          if (! is_run)
            goto bad;
          ctx->detach = true;
          break;
        case OPT_KEEP:
          if (! is_run)
            goto bad;
          ctx->keep = true;
          break;
        case OPT_NO_SUBREAPER:
          if (! is_run)
            goto bad;
          ctx->no_subreaper = true;
          break;
        case 'h':
        case OPT_HELP:
          cmd_help (usage,
                    "  -b, --bundle DIR        the bundle (default: the current directory)\n"
                    "      --config FILE       the config (default: BUNDLE/config.json)\n"
                    "      --pid-file FILE     write the container's pid there\n"
                    "      --console-socket S  send the terminal's master to this AF_UNIX socket\n"
                    "      --preserve-fds N    pass fds 3..3+N-1 to the container\n"
                    "      --no-pivot          use MS_MOVE+chroot (initramfs roots)\n"
                    "      --no-new-keyring    keep the caller's session keyring\n"
                    "  -d, --detach            (run) do not wait for the container\n"
                    "      --keep              (run) do not delete the container after it exits\n"
                    "      --no-subreaper      (run) do not become a child subreaper\n");
          return 1;
        default:
        bad:
          return cmd_bad_option (c, argv, usage, err);
        }
    }
  if (cmd_take_id (ctx, argc, argv, usage, err) < 0)
    return -1;
  if (getenv ("LISTEN_FDS") && ctx->preserve_fds == 0)
    {
      /* systemd socket activation: pass the fds on, LISTEN_PID is fixed by the init */
      int n = atoi (getenv ("LISTEN_FDS"));
      if (n > 0)
        ctx->preserve_fds = n;
    }
  return 0;
}
