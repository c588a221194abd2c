/* ocirun: what runs inside the new namespaces before execve.  A single-threaded
 * init, driven step by step by the parent over the sync socket; every error
 * travels back to the parent as a message, then the init exits.
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
#include <linux/sched.h>
#include "caps.h"
#include "devices.h"
#include "hooks.h"
#include "idmap.h"
#include "init.h"
#include "lsm.h"
#include "mounts.h"
#include "process.h"
#include "procfs.h"
#include "seccomp.h"
#include "sync.h"
#include "terminal.h"
#include "utils.h"

extern char **environ;

static char *
container_state_json (struct ocirun_init_args *a, pid_t host_pid, const char *status)
{
  struct oci_state st = { 0 };
  char *msg = NULL;
  char *json;
  st.oci_version = a->config->oci_version;
  st.id = (char *) a->id;
  st.status = (char *) status;
  st.pid = host_pid;
  st.pid_present = true;
  st.bundle = (char *) a->bundle;
  st.annotations = a->config->annotations;
  json = oci_state_generate_json (&st, &msg);
  free (msg);
  return json ? json : xstrdup ("{}");
}

/* Become root of a new user namespace when 0 is mapped.  */
static void
become_ns_root (void)
{
  if (setresgid (0, 0, 0) < 0)
    ocirun_debug ("setresgid(0) in the user namespace: %s", strerror (errno));
  if (setresuid (0, 0, 0) < 0)
    ocirun_debug ("setresuid(0) in the user namespace: %s", strerror (errno));
}

/* The slow path: we were cloned with no namespace flags (or only some); join,
   create the user namespace, have it mapped, create the rest, fork the init.  */
static int
double_fork_setup (struct ocirun_init_args *a, struct ocirun_error **err)
{
  struct ocirun_ns_plan *ns = a->ns;
  int rest = ns->new_flags & ~(CLONE_NEWUSER | CLONE_NEWCGROUP);
  pid_t child;

  if (ocirun_ns_join_all (ns, ~CLONE_NEWPID, err) < 0)
    return -1;
  if (ns->new_flags & CLONE_NEWUSER)
    {
      if (unshare (CLONE_NEWUSER) < 0)
        return ocirun_error_set (err, errno, "create the user namespace");
      if (ocirun_sync_send (a->sync_fd, SYNC_USERNS_READY, 0, NULL, -1, err) < 0
          || ocirun_sync_expect (a->sync_fd, SYNC_USERNS_DONE, NULL, NULL, err) < 0)
        return -1;
      become_ns_root ();
    }
  if (rest && unshare (rest) < 0)
    return ocirun_error_set (err, errno, "create namespaces (%#x)", rest);
  if (rest & CLONE_NEWTIME)
    {
      if (ocirun_time_offsets_apply (a->config->linux, err) < 0)
        return -1;
    }
  if (! (rest & (CLONE_NEWPID | CLONE_NEWTIME)))
    {
      /* no fork needed: we are the init */
      if (ocirun_sync_send (a->sync_fd, SYNC_CHILD_PID, getpid (), NULL, -1, err) < 0)
        return -1;
      return 0;
    }
  {
    struct clone_args ca = { .flags = CLONE_PARENT, .exit_signal = 0 };
    child = (pid_t) syscall (SYS_clone3, &ca, sizeof (ca));
    if (child < 0)
      return ocirun_error_set (err, errno, "fork the container init");
    if (child > 0)
      {
        /* the intermediate process: report and go */
        ocirun_sync_send (a->sync_fd, SYNC_CHILD_PID, child, NULL, -1, NULL);
        _exit (0);
      }
  }
  return 0;
}

static int
wait_for_start (struct ocirun_init_args *a, struct ocirun_error **err)
{
  char c;
  ssize_t r;
  do
    r = read (a->fifo_fd, &c, 1);
  while (r < 0 && errno == EINTR);
  if (r <= 0)
    return ocirun_error_set (err, errno, "wait for start");
  close (a->fifo_fd);
  a->fifo_fd = -1;
  return 0;
}

/* Close what is the runtime's, join or create the namespaces, wait for the
   cgroup and the id maps.  */
static int
init_enter_namespaces (struct ocirun_init_args *a, struct ocirun_mount_ctx *m, pid_t *host_pid,
                       struct ocirun_error **err)
{
  const struct oci_config *c = a->config;

  /* The state directory's lock lives on an open file description we share
     with the runtime: drop our copy or the lock outlives create.  */
  for (size_t i = 0; i < a->n_parent_fds; i++)
    if (a->parent_fds[i] >= 0)
      close (a->parent_fds[i]);
  /* Nothing of ours reaches a hook or the container's program: every fd
     above the preserved ones is close-on-exec (those still needed are
     closed explicitly before the program runs).  */
  cloexec_fds_from (3 + a->preserve_fds);
  if (prctl (PR_SET_PDEATHSIG, SIGKILL) < 0)
    return ocirun_error_set (err, errno, "prctl PDEATHSIG");
  if (a->double_fork)
    {
      if (double_fork_setup (a, err) < 0)
        return -1;
      /* a forked init does not inherit the parent-death signal */
      if (prctl (PR_SET_PDEATHSIG, SIGKILL) < 0)
        return ocirun_error_set (err, errno, "prctl PDEATHSIG");
    }
  else
    {
      if (a->new_userns)
        {
          if (ocirun_sync_expect (a->sync_fd, SYNC_USERNS_DONE, NULL, NULL, err) < 0)
            return -1;
          become_ns_root ();
        }
      if (ocirun_ns_join_all (a->ns, ~(CLONE_NEWPID | CLONE_NEWUSER), err) < 0)
        return -1;
    }
  /* The id maps and time offsets are written: from here until execve no
     process of the container may open our /proc/PID files (exe, fd, mem,
     root): only a ptracer with privilege over the runtime's user namespace
     could.  */
  if (a->nondumpable && prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
    return ocirun_error_set (err, errno, "prctl PR_SET_DUMPABLE");
  /* The parent has put us in the cgroup and applied the resources (and sent
     the idmapped mounts it made).  */
  if (ocirun_idmap_recv_until (a->sync_fd, c, SYNC_CGROUP_DONE, host_pid, &m->idmap_fds, err) < 0)
    return -1;
  /* now in the final cgroup: a new cgroup namespace is rooted there */
  if ((a->ns->new_flags & CLONE_NEWCGROUP) && unshare (CLONE_NEWCGROUP) < 0)
    return ocirun_error_set (err, errno, "create the cgroup namespace");

  /* a new network namespace gets its loopback up (engines expect it) */
  if ((a->ns->new_flags & CLONE_NEWNET) && ocirun_netns_loopback_up (err) < 0)
    return -1;
  return 0;
}

/* The root filesystem, the hooks in the container's namespaces, pivot_root,
   the terminal and the working directory's creation.  */
static int
init_build_rootfs (struct ocirun_init_args *a, struct ocirun_mount_ctx *m, pid_t host_pid,
                   struct ocirun_error **err)
{
  const struct oci_config *c = a->config;
  const struct oci_config_process *p = c->process;
  const struct oci_config_linux *linux = c->linux;
  bool in_userns;

  in_userns = running_in_user_namespace ();
  m->in_userns = in_userns;
  m->mount_label = ocirun_lsm_mount_label (linux ? linux->mount_label : NULL);

  if (ocirun_mounts_prepare_rootfs (m, err) < 0 || ocirun_mounts_do_config (m, err) < 0
      || ocirun_devices_create (m->rootfd, c, in_userns, err) < 0
      || ocirun_devices_symlinks (m->rootfd, err) < 0)
    return -1;

  /* prestart + createRuntime run in the runtime's namespaces.  */
  if (ocirun_sync_send (a->sync_fd, SYNC_CREATE_RUNTIME, 0, NULL, -1, err) < 0
      || ocirun_sync_expect (a->sync_fd, SYNC_CREATE_RUNTIME_DONE, NULL, NULL, err) < 0)
    return -1;
  if (c->hooks && c->hooks->create_container_len)
    {
      cleanup_free char *state = container_state_json (a, host_pid, "created");
      /* a hook in the container's namespaces starts in its root, not in a
         directory of the runtime's */
      if (fchdir (m->rootfd) < 0)
        return ocirun_error_set (err, errno, "chdir to the rootfs");
      if (ocirun_hooks_run (c->hooks->create_container, c->hooks->create_container_len,
                           "createContainer", state, false, err) < 0)
        return -1;
    }

  if (ocirun_mounts_mask (m, err) < 0 || ocirun_mounts_pivot (m, a->no_pivot, err) < 0)
    return -1;

  if (c->hostname && *c->hostname && sethostname (c->hostname, strlen (c->hostname)) < 0)
    return ocirun_error_set (err, errno, "hostname: set `%s`", c->hostname);
  if (c->domainname && *c->domainname && setdomainname (c->domainname, strlen (c->domainname)) < 0)
    return ocirun_error_set (err, errno, "domainname: set `%s`", c->domainname);
  if (ocirun_sysctl_apply (c, err) < 0)
    return -1;

  if (a->terminal)
    {
      bool bind_console = true;
      int master = ocirun_pty_setup (bind_console, p->console_size, err);
      if (master < 0)
        return -1;
      if (ocirun_sync_send (a->sync_fd, SYNC_PTY_MASTER, 0, NULL, master, err) < 0)
        return -1;
      close (master);
    }
  else if (setsid () < 0)
    /* a session of its own, as runc: CRIU checkpoints only a tree that
       holds its session leader */
    return ocirun_error_set (err, errno, "setsid");

  /* cwd is created when missing (before a read-only root forbids it),
     inside the root whatever symlinks the image has */
  if (p && p->cwd)
    {
      int fd = mkdirat_in_root (m->rootfd, p->cwd, 0755, false, err);
      if (fd < 0)
        return ocirun_error_wrap (err, "process.cwd");
      close (fd);
    }

  if (ocirun_mounts_finalize (m, err) < 0)
    return -1;
  ocirun_mounts_ctx_release (m);

  return 0;
}

/* Keyring, limits, the working directory (inside the root, with no fd of
   the runtime's left) and the program to run.  */
static int
init_process (struct ocirun_init_args *a, struct ocirun_error **err)
{
  const struct oci_config *c = a->config;
  const struct oci_config_process *p = c->process;
  const struct oci_config_linux *linux = c->linux;
  const char *selinux_label = p ? p->selinux_label : NULL;

  if (! a->no_new_keyring && ocirun_keyring_join (a->id, selinux_label, err) < 0)
    return -1;
  if (p)
    {
      if (ocirun_rlimits_apply (p, err) < 0 || ocirun_personality_apply (linux, err) < 0
          || ocirun_scheduler_apply (p, err) < 0 || ocirun_io_priority_apply (p, err) < 0)
        return -1;
      /* CVE-2024-21626: no fd of the runtime left for a /proc/self/fd/N
         cwd to lead out through, and the cwd resolved inside the root */
      {
        int keep[] = { a->sync_fd, a->fifo_fd, ocirun_procfs_root (err) };
        if (keep[2] < 0)
          return -1;
        close_fds_from (3 + a->preserve_fds, keep, 3);
      }
      if (chdir_in_root (p->cwd, err) < 0)
        return ocirun_error_wrap (err, "process.cwd");
      if (ocirun_set_env (p, err) < 0)
        return -1;
      if (ocirun_find_executable (p->args[0], p->env, p->env_len, p->cwd, &a->exec_path, err) < 0)
        return -1;
    }

  return 0;
}

/* The security-ordered end: seccomp, capabilities, user, LSM labels,
   no_new_privs, umask.  */
static int
init_confine (struct ocirun_init_args *a, struct ocirun_error **err)
{
  const struct oci_config *c = a->config;
  const struct oci_config_process *p = c->process;
  const struct oci_config_linux *linux = c->linux;
  int notify_fd = -1;
  bool nnp = p && p->no_new_privileges_present && p->no_new_privileges;
  const char *selinux_label = p ? p->selinux_label : NULL;
  const char *apparmor = p ? p->apparmor_profile : NULL;

  if (linux && linux->seccomp && ! nnp)
    {
      if (ocirun_seccomp_load (linux->seccomp, &notify_fd, err) < 0)
        return -1;
    }
  if (ocirun_caps_drop_bounding (p ? p->capabilities : NULL, err) < 0)
    return -1;
  if (ocirun_set_user (p, a->keep_groups, ! a->setgroups_denied, err) < 0)
    return -1;
  if (ocirun_caps_apply (p ? p->capabilities : NULL, err) < 0)
    return -1;
  if (ocirun_lsm_set_exec_labels (selinux_label, apparmor, err) < 0)
    return -1;
  if (nnp && prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return ocirun_error_set (err, errno, "process.noNewPrivileges");
  if (linux && linux->seccomp && nnp)
    {
      if (ocirun_seccomp_load (linux->seccomp, &notify_fd, err) < 0)
        return -1;
    }
  if (notify_fd >= 0)
    {
      if (ocirun_sync_send (a->sync_fd, SYNC_SECCOMP_NOTIFY_FD, 0, NULL, notify_fd, err) < 0
          || ocirun_sync_expect (a->sync_fd, SYNC_SECCOMP_NOTIFY_DONE, NULL, NULL, err) < 0)
        return -1;
      close (notify_fd);
    }
  if (p && p->user && p->user->umask_present)
    umask (p->user->umask);
  else
    umask (0022);
  return 0;
}

static int
init_setup (struct ocirun_init_args *a, pid_t *host_pid_out, struct ocirun_error **err)
{
  struct ocirun_mount_ctx m = { .config = a->config, .rootfs = a->rootfs, .rootfd = -1, .bundle = a->bundle,
                                .devnull_fd = -1 };
  pid_t host_pid = 0;

  if (init_enter_namespaces (a, &m, &host_pid, err) < 0)
    return -1;
  *host_pid_out = host_pid;
  if (init_build_rootfs (a, &m, host_pid, err) < 0)
    return -1;
  return init_process (a, err) < 0 ? -1 : init_confine (a, err);
}

void
ocirun_init_main (struct ocirun_init_args *a)
{
  struct ocirun_error *err = NULL;
  pid_t host_pid = 0;
  const struct oci_config *c = a->config;

  if (init_setup (a, &host_pid, &err) < 0)
    {
      ocirun_sync_send_error (a->sync_fd, err);
      _exit (1);
    }
  /* From here on the runtime may exit (create returns): outlive it.  */
  prctl (PR_SET_PDEATHSIG, 0);
  if (ocirun_sync_send (a->sync_fd, SYNC_READY, 0, NULL, -1, &err) < 0)
    _exit (1);
  close (a->sync_fd);

  /* Blocked until `start` writes to exec.fifo.  */
  if (wait_for_start (a, &err) < 0)
    _exit (1);
  /* Only the caller's fds (stdio, --preserve-fds) go on: no path the
     program or a hook names can lead out through one of ours.  */
  ocirun_procfs_close ();
  close_fds_from (3 + a->preserve_fds, NULL, 0);
  if (c->hooks && c->hooks->start_container_len)
    {
      cleanup_free char *state = container_state_json (a, host_pid, "running");
      if (ocirun_hooks_run (c->hooks->start_container, c->hooks->start_container_len,
                           "startContainer", state, false, &err) < 0)
        {
          dprintf (2, "ocirun: %s\n", err->msg);
          _exit (1);
        }
    }
  /* the generated arrays end with NULL */
  execve (a->exec_path, c->process->args, environ);
  dprintf (2, "ocirun: exec `%s`: %s\n", a->exec_path, strerror (errno));
  _exit (errno == ENOENT ? 127 : 126);
}
