/* ocirun exec.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <stdlib.h>
#include <string.h>
#include "cmd/cmd.h"
#include "utils.h"

enum
{
  E_PROCESS = 1000, E_TTY, E_CONSOLE, E_DETACH, E_PIDFILE, E_CWD, E_ENV, E_USER, E_CAP, E_NNP,
  E_PRESERVE, E_LABEL, E_APPARMOR, E_GROUP, E_HELP, E_CGROUP, E_IGNORE_PAUSED,
};

static const struct option opts[] = {
  { "process", required_argument, NULL, E_PROCESS }, { "tty", no_argument, NULL, E_TTY },
  { "console-socket", required_argument, NULL, E_CONSOLE }, { "detach", no_argument, NULL, E_DETACH },
  { "pid-file", required_argument, NULL, E_PIDFILE }, { "cwd", required_argument, NULL, E_CWD },
  { "env", required_argument, NULL, E_ENV }, { "user", required_argument, NULL, E_USER },
  { "cap", required_argument, NULL, E_CAP }, { "no-new-privs", no_argument, NULL, E_NNP },
  { "preserve-fds", required_argument, NULL, E_PRESERVE },
  { "process-label", required_argument, NULL, E_LABEL }, { "apparmor", required_argument, NULL, E_APPARMOR },
  { "additional-gids", required_argument, NULL, E_GROUP }, { "cgroup", required_argument, NULL, E_CGROUP },
  { "ignore-paused", no_argument, NULL, E_IGNORE_PAUSED },
  { "help", no_argument, NULL, E_HELP }, { NULL, 0, NULL, 0 },
};

static void
push (char ***v, const char *s)
{
  size_t n = strv_len (*v);
  *v = xrealloc (*v, (n + 2) * sizeof (char *));
  (*v)[n] = xstrdup (s);
  (*v)[n + 1] = NULL;
}

int
cmd_exec (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  int c, code = 0, ret = -1;
  struct ocirun_exec_opts o = { 0 };
  cleanup_strv char **env = NULL;
  cleanup_strv char **caps = NULL;
  cleanup_strv char **gids = NULL;
  const char *usage = "exec [OPTIONS] ID [COMMAND [ARGS...]]";

  optind = 0;
  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:tdp:e:u:c:g:w:h", opts, NULL)) != -1)
    {
      switch (c)
        {
        case 'p':
        case E_PROCESS: o.process_file = optarg; break;
        case 't':
        case E_TTY: o.tty = o.tty_set = true; break;
        case E_CONSOLE: ctx->console_socket = optarg; break;
        case 'd':
        case E_DETACH: ctx->detach = true; break;
        case E_PIDFILE: ctx->pid_file = optarg; break;
        case 'w':
        case E_CWD: o.cwd = optarg; break;
        case 'e':
        case E_ENV:
          if (strchr (optarg, '=') == NULL)
            return ocirun_error_set (err, 0, "--env `%s`: use NAME=VALUE", optarg);
          push (&env, optarg);
          break;
        case 'u':
        case E_USER: o.user = optarg; break;
        case 'c':
        case E_CAP: push (&caps, optarg); break;
        case 'g':
        case E_GROUP: push (&gids, optarg); break;
        case E_NNP: o.no_new_privs = true; break;
        case E_PRESERVE:
          if (cmd_parse_int (optarg, "--preserve-fds", &ctx->preserve_fds, err) < 0)
            return -1;
          break;
        case E_LABEL: o.process_label = optarg; break;
        case E_APPARMOR: o.apparmor = optarg; break;
        case E_CGROUP: break;
        case E_IGNORE_PAUSED: break;
        case 'h':
        case E_HELP:
          return cmd_help (usage,
                           "  -p, --process FILE       the process JSON (runtime-spec Process)\n"
                           "  -t, --tty                allocate a terminal\n"
                           "      --console-socket S   send the terminal's master to S\n"
                           "  -d, --detach             do not wait for the process\n"
                           "      --pid-file FILE      write the process's pid there\n"
                           "  -w, --cwd DIR            working directory\n"
                           "  -e, --env NAME=VALUE     add to the environment\n"
                           "  -u, --user UID[:GID]     run as this user\n"
                           "  -c, --cap CAP            add a capability\n"
                           "      --no-new-privs       set no_new_privs\n"
                           "      --preserve-fds N     pass fds 3..3+N-1\n"
                           "      --process-label L    SELinux label\n"
                           "      --apparmor P         AppArmor profile\n");
        default:
          return cmd_bad_option (c, argv, usage, err);
        }
    }
  if (optind >= argc)
    return ocirun_error_set (err, 0, "missing container id (usage: ocirun %s)", usage);
  ctx->id = argv[optind++];
  if (o.process_file && optind < argc)
    return ocirun_error_set (err, 0, "exec: give either --process or a command, not both");
  o.args = argv + optind;
  o.env = env;
  o.caps = caps;
  o.additional_gids = gids;
  if (ocirun_container_exec (ctx, &o, &code, err) < 0)
    return -1;
  ret = code;
  return ret;
}
