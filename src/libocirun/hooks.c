/* ocirun: OCI hooks.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include "hooks.h"
#include "utils.h"

static int
run_one (const struct oci_hook *h, const char *kind, size_t idx, const char *state_json,
         struct ocirun_error **err)
{
  int in[2];
  pid_t pid;
  int status;
  cleanup_close int pidfd = -1;
  struct sigaction ign = { .sa_handler = SIG_IGN }, old;

  if (h->path == NULL || h->path[0] != '/')
    return ocirun_error_set (err, 0, "hooks.%s[%zu].path: `%s` must be an absolute path", kind, idx,
                             h->path ? h->path : "");
  if (h->timeout_present && h->timeout <= 0)
    return ocirun_error_set (err, 0, "hooks.%s[%zu].timeout: must be greater than 0", kind, idx);
  if (pipe2 (in, O_CLOEXEC) < 0)
    return ocirun_error_set (err, errno, "pipe");
  pid = fork ();
  if (pid < 0)
    {
      close (in[0]);
      close (in[1]);
      return ocirun_error_set (err, errno, "fork hook");
    }
  if (pid == 0)
    {
      /* args and env come from the parser, NULL-terminated (oci_spec.h):
         they go to execve as they are, with no allocation in the child */
      char *path_argv[] = { h->path, NULL };
      char *empty_env[] = { NULL };
      char **argv = h->args_len > 0 ? h->args : path_argv;
      char **envp = h->env != NULL ? h->env : empty_env;
      sigset_t all;
      sigemptyset (&all);
      sigprocmask (SIG_SETMASK, &all, NULL);
      signal (SIGPIPE, SIG_DFL);
      dup2 (in[0], 0);
      /* stdout of a hook must not reach an engine reading ours */
      if (! isatty (1))
        dup2 (2, 1);
      execve (h->path, argv, envp);
      dprintf (2, "ocirun: hooks.%s[%zu]: exec `%s`: %s\n", kind, idx, h->path, strerror (errno));
      _exit (127);
    }
  close (in[0]);
  /* A hook may exit without reading its stdin: EPIPE is not our failure.  */
  sigaction (SIGPIPE, &ign, &old);
  write_all (in[1], state_json, strlen (state_json));
  close (in[1]);
  sigaction (SIGPIPE, &old, NULL);

  if (h->timeout_present)
    {
      pidfd = (int) syscall (SYS_pidfd_open, pid, 0);
      if (pidfd >= 0)
        {
          struct pollfd p = { .fd = pidfd, .events = POLLIN };
          /* seconds to ms without overflow: longer than INT_MAX ms is forever */
          int ms = h->timeout > INT_MAX / 1000 ? -1 : (int) h->timeout * 1000;
          int r;
          do
            r = poll (&p, 1, ms);
          while (r < 0 && errno == EINTR);
          if (r == 0)
            {
              kill (pid, SIGKILL);
              wait_for_pid (pid, NULL);
              return ocirun_error_set (err, ETIMEDOUT, "hooks.%s[%zu] `%s` timed out after %lld s",
                                       kind, idx, h->path, (long long) h->timeout);
            }
        }
    }
  if (wait_for_pid (pid, &status) < 0)
    return ocirun_error_set (err, errno, "wait for hook");
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return 0;
  if (WIFSIGNALED (status))
    return ocirun_error_set (err, 0, "hooks.%s[%zu] `%s` was killed by signal %d", kind, idx, h->path,
                             WTERMSIG (status));
  return ocirun_error_set (err, 0, "hooks.%s[%zu] `%s` exited with status %d", kind, idx, h->path,
                           WEXITSTATUS (status));
}

int
ocirun_hooks_run (struct oci_hook **hooks, size_t n, const char *kind, const char *state_json,
                  bool warn_only, struct ocirun_error **err)
{
  for (size_t i = 0; i < n; i++)
    {
      struct ocirun_error *e = NULL;
      if (run_one (hooks[i], kind, i, state_json, &e) < 0)
        {
          if (! warn_only)
            {
              *err = e;
              return -1;
            }
          ocirun_warning ("%s", e->msg);
          ocirun_error_free (&e);
        }
    }
  return 0;
}
