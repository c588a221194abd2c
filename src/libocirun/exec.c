/* ocirun: exec: run a new process in a running container.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "caps.h"
#include "container.h"
#include "lsm.h"
#include "namespaces.h"
#include "process.h"
#include "procfs.h"
#include "seccomp.h"
#include "sync.h"
#include "terminal.h"
#include "utils.h"

extern char **environ;

static const int exec_ns_order[] = { CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWIPC,
                                     CLONE_NEWUTS, CLONE_NEWCGROUP };

static char **
strv_dup_n (char **v, size_t n)
{
  char **r = xmalloc0 ((n + 1) * sizeof (char *));
  for (size_t i = 0; i < n; i++)
    r[i] = xstrdup (v[i]);
  return r;
}

static void
strv_append (char ***v, size_t *n, const char *s)
{
  *v = xrealloc (*v, (*n + 2) * sizeof (char *));
  (*v)[(*n)++] = xstrdup (s);
  (*v)[*n] = NULL;
}

/* exec --user, --additional-gids, --cap on top of the process.  */
static int
apply_identity_overrides (const struct ocirun_exec_opts *o, struct oci_config_process *p,
                          struct ocirun_error **err)
{
  if (o->user)
    {
      char *end;
      unsigned long uid = strtoul (o->user, &end, 10);
      if (end == o->user || (*end != '\0' && *end != ':'))
        {
          return ocirun_error_set (err, 0, "--user `%s`: use UID[:GID] (numbers)", o->user);
        }
      if (p->user == NULL)
        p->user = xmalloc0 (sizeof (*p->user));
      p->user->uid = (uint32_t) uid;
      if (*end == ':')
        p->user->gid = (uint32_t) strtoul (end + 1, NULL, 10);
    }
  for (size_t i = 0; o->additional_gids && o->additional_gids[i]; i++)
    {
      if (p->user == NULL)
        p->user = xmalloc0 (sizeof (*p->user));
      p->user->additional_gids = xrealloc (p->user->additional_gids,
                                           (p->user->additional_gids_len + 1) * sizeof (uint32_t));
      p->user->additional_gids[p->user->additional_gids_len++]
          = (uint32_t) strtoul (o->additional_gids[i], NULL, 10);
    }
  for (size_t i = 0; o->caps && o->caps[i]; i++)
    {
      if (p->capabilities == NULL)
        p->capabilities = xmalloc0 (sizeof (*p->capabilities));
      strv_append (&p->capabilities->bounding, &p->capabilities->bounding_len, o->caps[i]);
      strv_append (&p->capabilities->effective, &p->capabilities->effective_len, o->caps[i]);
      strv_append (&p->capabilities->permitted, &p->capabilities->permitted_len, o->caps[i]);
    }
  return 0;
}

/* Build the exec process from --process, or from the container's process with
   the command line's overrides.  */
static int
build_process (const struct ocirun_exec_opts *o, const struct oci_config *config,
               struct oci_config_process **out, struct ocirun_error **err)
{
  struct oci_config_process *p;
  cleanup_free char *msg = NULL;

  if (o->process_file)
    {
      cleanup_free char *buf = NULL;
      size_t len = 0;
      if (read_json_file (o->process_file, &buf, &len, err) < 0)
        return ocirun_error_wrap (err, "--process");
      p = oci_config_process_parse_data (buf, len, &msg);
      if (p == NULL)
        return ocirun_error_set (err, 0, "--process %s: %s", o->process_file, msg ? msg : "?");
    }
  else
    {
      cleanup_free char *json = NULL;
      if (o->args == NULL || o->args[0] == NULL)
        return ocirun_error_set (err, 0, "exec: give a command to run, or --process FILE");
      json = oci_config_process_generate_json (config->process, &msg);
      if (json == NULL)
        return ocirun_error_set (err, 0, "exec: %s", msg ? msg : "?");
      p = oci_config_process_parse_data (json, strlen (json), &msg);
      if (p == NULL)
        return ocirun_error_set (err, 0, "exec: %s", msg ? msg : "?");
      /* generated arrays carry a length, not a NULL terminator */
      for (size_t i = 0; i < p->args_len; i++)
        free (p->args[i]);
      free (p->args);
      p->args_len = strv_len (o->args);
      p->args = strv_dup_n (o->args, p->args_len);
      p->terminal = o->tty;
      p->terminal_present = true;
    }
  if (o->cwd)
    {
      free (p->cwd);
      p->cwd = xstrdup (o->cwd);
    }
  for (size_t i = 0; o->env && o->env[i]; i++)
    strv_append (&p->env, &p->env_len, o->env[i]);
  if (o->tty_set)
    {
      p->terminal = o->tty;
      p->terminal_present = true;
    }
  if (apply_identity_overrides (o, p, err) < 0)
    {
      free_oci_config_process (p);
      return -1;
    }
  if (o->no_new_privs)
    {
      p->no_new_privileges = true;
      p->no_new_privileges_present = true;
    }
  if (o->process_label)
    {
      free (p->selinux_label);
      p->selinux_label = xstrdup (o->process_label);
    }
  if (o->apparmor)
    {
      free (p->apparmor_profile);
      p->apparmor_profile = xstrdup (o->apparmor);
    }
  if (p->cwd == NULL)
    p->cwd = xstrdup ("/");
  if (p->args_len == 0)
    {
      free_oci_config_process (p);
      return ocirun_error_set (err, 0, "process.args: empty (give the program to run)");
    }
  *out = p;
  return 0;
}

struct exec_child
{
  const struct oci_config_process *p;
  const struct oci_config *config;
  int ns_fds[6];
  int sync_fd;
  int preserve_fds;
  bool in_userns;
  bool nondumpable;
  const char *keyring_id; /* join a session keyring of this name (NULL: keep the caller's) */
};

static int
exec_child_setup (struct exec_child *c, char **path, struct ocirun_error **err)
{
  const struct oci_config_process *p = c->p;
  int notify_fd = -1;
  bool nnp = p->no_new_privileges_present && p->no_new_privileges;
  const struct oci_config_linux_seccomp *sc = c->config->linux ? c->config->linux->seccomp : NULL;

  for (size_t i = 0; i < 6; i++)
    if (c->ns_fds[i] >= 0)
      {
        if (setns (c->ns_fds[i], exec_ns_order[i]) < 0)
          return ocirun_error_set (err, errno, "join the container's %s namespace",
                                   ocirun_ns_type_from_flag (exec_ns_order[i]));
        close (c->ns_fds[i]);
        c->ns_fds[i] = -1;
        if (exec_ns_order[i] == CLONE_NEWUSER)
          {
            /* root of the container's user namespace when 0 is mapped */
            if (setresgid (0, 0, 0) < 0 || setresuid (0, 0, 0) < 0)
              ocirun_debug ("become root in the container's user namespace: %s", strerror (errno));
          }
      }
  /* In the container now: nothing of it may open our /proc/PID files until
     execve (CVE-2019-5736), and no fd of ours is left for a cwd like
     /proc/self/fd/N to lead out through (CVE-2024-21626).  */
  if (c->nondumpable && prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
    return ocirun_error_set (err, errno, "prctl PR_SET_DUMPABLE");
  {
    int keep[] = { c->sync_fd, ocirun_procfs_root (err) };
    if (keep[1] < 0)
      return -1;
    close_fds_from (3 + c->preserve_fds, keep, 2);
  }
  if (chdir_in_root (p->cwd, err) < 0)
    return ocirun_error_wrap (err, "process.cwd");
  if (p->terminal_present && p->terminal)
    {
      int master = ocirun_pty_setup (false, p->console_size, err);
      if (master < 0)
        return -1;
      if (ocirun_sync_send (c->sync_fd, SYNC_PTY_MASTER, 0, NULL, master, err) < 0)
        return -1;
      close (master);
    }
  if (ocirun_rlimits_validate (p, err) < 0 || ocirun_rlimits_apply (p, err) < 0
      || ocirun_scheduler_apply (p, err) < 0 || ocirun_io_priority_apply (p, err) < 0)
    return -1;
  if (ocirun_set_env (p, err) < 0)
    return -1;
  if (ocirun_find_executable (p->args[0], p->env, p->env_len, p->cwd, path, err) < 0)
    return -1;
  /* like the init: not the caller's session keyring */
  if (c->keyring_id && ocirun_keyring_join (c->keyring_id, p->selinux_label, err) < 0)
    return -1;
  if (sc && ! nnp && ocirun_seccomp_load (sc, &notify_fd, err) < 0)
    return -1;
  if (ocirun_caps_drop_bounding (p->capabilities, err) < 0)
    return -1;
  if (ocirun_set_user (p, false, ! c->in_userns || geteuid () == 0, err) < 0)
    return -1;
  if (ocirun_caps_apply (p->capabilities, err) < 0)
    return -1;
  if (ocirun_lsm_set_exec_labels (p->selinux_label, p->apparmor_profile, err) < 0)
    return -1;
  if (nnp && prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return ocirun_error_set (err, errno, "noNewPrivileges");
  if (sc && nnp && ocirun_seccomp_load (sc, &notify_fd, err) < 0)
    return -1;
  if (notify_fd >= 0)
    {
      /* A filter of its own, so a listener of its own: the parent hands it to
         the agent at listenerPath, as for the init.  */
      struct ocirun_sync_msg m;
      int r = ocirun_sync_send (c->sync_fd, SYNC_SECCOMP_NOTIFY_FD, 0, NULL, notify_fd, err);
      close (notify_fd);
      if (r < 0 || ocirun_sync_recv (c->sync_fd, &m, NULL, err) < 0)
        return -1;
      if (m.type != SYNC_SECCOMP_NOTIFY_DONE)
        return ocirun_error_set (err, EPROTO, "unexpected message %d from the runtime", m.type);
    }
  if (p->user && p->user->umask_present)
    umask (p->user->umask);
  return 0;
}

/* Open the container's namespaces the child joins (those that differ from
   ours), and join its pid namespace here: it applies to our children.  */
static int
join_container_namespaces (const struct oci_ocirun_state *state, struct exec_child *c,
                           struct ocirun_error **err)
{
  for (size_t i = 0; i < 6; i++)
    {
      char path[64], self[64];
      struct stat a, b;
      c->ns_fds[i] = -1;
      snprintf (path, sizeof (path), "/proc/%ld/ns/%s", (long) state->pid,
                ocirun_ns_proc_name (exec_ns_order[i]));
      snprintf (self, sizeof (self), "/proc/self/ns/%s", ocirun_ns_proc_name (exec_ns_order[i]));
      if (stat (path, &a) < 0 || (stat (self, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev))
        continue;
      c->ns_fds[i] = open (path, O_RDONLY | O_CLOEXEC);
      if (c->ns_fds[i] < 0)
        {
          ocirun_error_set (err, errno, "open %s", path);
          return -1;
        }
      if (exec_ns_order[i] == CLONE_NEWUSER)
        c->in_userns = true;
    }
  {
    char path[64], self[64];
    struct stat a, b;
    snprintf (path, sizeof (path), "/proc/%ld/ns/pid", (long) state->pid);
    snprintf (self, sizeof (self), "/proc/self/ns/pid");
    if (stat (path, &a) == 0 && stat (self, &b) == 0 && a.st_ino != b.st_ino)
      {
        cleanup_close int pidns = open (path, O_RDONLY | O_CLOEXEC);
        /* joining a pid namespace owned by another user namespace needs its
           capabilities: then the child joins the user namespace first and
           we fork once more from there */
        if (pidns < 0 || setns (pidns, CLONE_NEWPID) < 0)
          {
            ocirun_error_set (err, errno, "join the container's pid namespace");
            return -1;
          }
      }
  }
  return 0;
}

/* The parent's half of the exec protocol: hand the pty and the seccomp
   listener on until the child is ready, then wait for its execve (EOF).
   On failure the child is reaped.  */
static int
drive_exec_child (int sock, pid_t pid, int console, int *pty, const struct oci_ocirun_state *state,
                  const char *status, const struct oci_config *config, struct ocirun_error **err)
{
  for (;;)
    {
      struct ocirun_sync_msg m;
      int passfd = -1;
      if (ocirun_sync_recv (sock, &m, &passfd, err) < 0)
        {
          wait_for_pid (pid, NULL);
          return -1;
        }
      if (m.type == SYNC_PTY_MASTER)
        {
          if (console >= 0)
            {
              ocirun_send_fd (console, passfd, NULL);
              close (passfd);
            }
          else
            *pty = passfd;
          continue;
        }
      if (m.type == SYNC_SECCOMP_NOTIFY_FD)
        {
          cleanup_free char *sj = ocirun_state_json_for_hooks (state, status);
          const struct oci_config_linux_seccomp *sc = config->linux ? config->linux->seccomp : NULL;
          int r = ocirun_seccomp_send_to_listener (sc, passfd, sj, pid, err);
          if (passfd >= 0)
            close (passfd);
          if (r < 0 || ocirun_sync_send (sock, SYNC_SECCOMP_NOTIFY_DONE, 0, NULL, -1, err) < 0)
            {
              kill (pid, SIGKILL);
              wait_for_pid (pid, NULL);
              return -1;
            }
          continue;
        }
      if (passfd >= 0)
        close (passfd);
      if (m.type == SYNC_READY)
        break;
    }
  {
    /* EOF now means execve succeeded (the socket is close-on-exec) */
    struct ocirun_sync_msg m;
    struct ocirun_error *e = NULL;
    if (ocirun_sync_recv (sock, &m, NULL, &e) < 0 && e && e->errnum != EPIPE)
      {
        *err = e;
        wait_for_pid (pid, NULL);
        return -1;
      }
    ocirun_error_free (&e);
  }
  return 0;
}

int
ocirun_container_exec (struct ocirun_context *ctx, const struct ocirun_exec_opts *opts,
                       int *exit_code, struct ocirun_error **err)
{
  cleanup_store struct ocirun_store *st = NULL;
  cleanup_ocirun_state struct oci_ocirun_state *state = NULL;
  cleanup_oci_config struct oci_config *config = NULL;
  struct oci_config_process *p = NULL;
  struct exec_child c = { 0 };
  const char *status;
  cleanup_close int cgfd = -1;
  cleanup_close int console = -1;
  cleanup_close int pty = -1;
  int sync[2] = { -1, -1 };
  bool into_cgroup;
  pid_t pid;
  int ret = -1;
  cleanup_free char *exec_path = NULL;

  *exit_code = 0;
  if (ocirun_container_open (ctx, false, &st, &state, &status, err) < 0)
    return -1;
  if (strcmp (status, "running") != 0 && strcmp (status, "created") != 0)
    return ocirun_error_set (err, 0, "cannot exec in container `%s`: it is %s", ctx->id, status);
  if (ocirun_load_config (state->config_path, &config, err) < 0)
    return ocirun_error_wrap (err, "exec");
  if (build_process (opts, config, &p, err) < 0)
    return -1;
  if (ocirun_caps_validate (p->capabilities, err) < 0
      || ocirun_lsm_validate (p->selinux_label, p->apparmor_profile, err) < 0)
    goto out;
  /* the runtime's procfs, opened before any namespace of the container is
     joined: every /proc write of the child goes through it */
  if (ocirun_procfs_root (err) < 0)
    goto out;
  if (p->terminal_present && p->terminal && ctx->detach && ! ctx->console_socket)
    {
      ocirun_error_set (err, 0, "exec --tty --detach needs --console-socket");
      goto out;
    }
  if (p->terminal_present && p->terminal && ctx->console_socket)
    {
      console = ocirun_console_socket_connect (ctx->console_socket, err);
      if (console < 0)
        goto out;
    }

  if (join_container_namespaces (state, &c, err) < 0)
    goto out_fds;
  if (state->cgroup_path)
    {
      cleanup_free char *cgp = xasprintf ("/sys/fs/cgroup%s", state->cgroup_path);
      cgfd = open (cgp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
  if (ocirun_sync_pair (sync, err) < 0)
    goto out_fds;
  c.p = p;
  c.config = config;
  c.sync_fd = sync[1];
  c.preserve_fds = ctx->preserve_fds;
  c.keyring_id = ctx->no_new_keyring ? NULL : ctx->id;
  c.nondumpable = geteuid () == 0;
  pid = ocirun_clone (0, cgfd, &into_cgroup, err);
  if (pid < 0)
    goto out_fds;
  if (pid == 0)
    {
      struct ocirun_error *e = NULL;
      close (sync[0]);
      prctl (PR_SET_PDEATHSIG, SIGKILL);
      if (exec_child_setup (&c, &exec_path, &e) < 0)
        {
          ocirun_sync_send_error (c.sync_fd, e);
          _exit (126);
        }
      /* only the caller's fds and the sync socket (close-on-exec) remain */
      ocirun_procfs_close ();
      close_fds_from (3 + ctx->preserve_fds, &c.sync_fd, 1);
      prctl (PR_SET_PDEATHSIG, 0);
      ocirun_sync_send (c.sync_fd, SYNC_READY, 0, NULL, -1, NULL);
      /* the generated arrays end with NULL (and strv_dup_n's too) */
      execve (exec_path, p->args, environ);
      ocirun_error_set (&e, errno, "exec `%s`", exec_path);
      ocirun_sync_send_error (c.sync_fd, e);
      _exit (errno == ENOENT ? 127 : 126);
    }
  close (sync[1]);
  sync[1] = -1;
  if (! into_cgroup && state->cgroup_path && cgfd >= 0)
    {
      char buf[32];
      int n = snprintf (buf, sizeof (buf), "%d", pid);
      if (write_file_at (cgfd, "cgroup.procs", buf, (size_t) n, NULL) < 0)
        ocirun_debug ("could not move exec process into the container's cgroup");
    }
  if (drive_exec_child (sync[0], pid, console, &pty, state, status, config, err) < 0)
    goto out_fds;
  if (ctx->pid_file && ocirun_write_pid_file (ctx->pid_file, pid, err) < 0)
    goto out_fds;
  if (ctx->detach)
    ret = 0;
  else
    {
      int wstatus = 0;
      /* the store lock is not held across the wait */
      ocirun_store_free (steal_pointer (&st));
      if (pty >= 0)
        ret = ocirun_terminal_relay (pty, pid, &wstatus, err);
      else
        ret = wait_for_pid (pid, &wstatus) < 0 ? ocirun_error_set (err, errno, "wait") : 0;
      *exit_code = status_to_exit_code (wstatus);
    }
out_fds:
  for (size_t i = 0; i < 6; i++)
    if (c.ns_fds[i] > 0)
      close (c.ns_fds[i]);
  if (sync[0] >= 0)
    close (sync[0]);
  if (sync[1] >= 0)
    close (sync[1]);
out:
  free_oci_config_process (p);
  return ret;
}
