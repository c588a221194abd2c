/* ocirun: the container lifecycle (create, start, run, state, kill, delete,
 * pause, list).  The "what"; init.c is the "how".
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/sched.h>
#include <time.h>
#include "caps.h"
#include "container.h"
#include "criu.h"
#include "devices.h"
#include "hooks.h"
#include "idmap.h"
#include "init.h"
#include "lsm.h"
#include "mounts.h"
#include "namespaces.h"
#include "notify.h"
#include "process.h"
#include "procfs.h"
#include "seccomp.h"
#include "sync.h"
#include "terminal.h"
#include "userns.h"
#include "utils.h"

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

void
cleanup_oci_configp (struct oci_config **c)
{
  free_oci_config (*c);
}

int
ocirun_validate_id (const char *id, struct ocirun_error **err)
{
  size_t l;
  if (id == NULL || *id == '\0')
    return ocirun_error_set (err, 0, "missing container id");
  l = strlen (id);
  for (const char *c = id; *c; c++)
    if ((unsigned char) *c < 0x20 || *c == 0x7f)
      /* never echo a newline or escape sequence into a one-line error */
      return ocirun_error_set (err, 0, "invalid container id: it contains control characters "
                               "(use only letters, digits, `_`, `-`, `.` and `+`)");
  if (l > 200)
    return ocirun_error_set (err, 0, "invalid container id `%.20s...`: longer than 200 characters", id);
  if (strcmp (id, ".") == 0 || strcmp (id, "..") == 0)
    return ocirun_error_set (err, 0, "invalid container id `%s`", id);
  for (const char *c = id; *c; c++)
    if (! ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')
           || *c == '_' || *c == '-' || *c == '.' || *c == '+'))
      return ocirun_error_set (err, 0,
                               "invalid container id `%s`: use only letters, digits, `_`, `-`, `.` and `+`",
                               id);
  return 0;
}

int
ocirun_validate_oci_version (const char *v, struct ocirun_error **err)
{
  const char *p = v;
  int parts = 0;
  if (v == NULL || *v == '\0')
    return ocirun_error_set (err, 0, "ociVersion: missing (use \"1.0.0\" to \"1.3.0\")");
  /* MAJOR.MINOR.PATCH with an optional -suffix or +build */
  while (parts < 3)
    {
      if (*p < '0' || *p > '9')
        break;
      while (*p >= '0' && *p <= '9')
        p++;
      parts++;
      if (parts < 3 && *p == '.')
        p++;
      else
        break;
    }
  if (parts < 2 || (*p != '\0' && *p != '-' && *p != '+'))
    return ocirun_error_set (err, 0, "ociVersion: `%s` is not a version (use \"1.0.0\" to \"1.3.0\")", v);
  if (v[0] != '1' || v[1] != '.')
    return ocirun_error_set (err, 0,
                             "ociVersion: `%s` is not supported: this runtime implements 1.x "
                             "(1.0.0 to 1.3.0)",
                             v);
  return 0;
}

int
ocirun_default_state_root (char **out, struct ocirun_error **err)
{
  return ocirun_store_resolve_root (NULL, out, err);
}

int
ocirun_load_config (const char *path, struct oci_config **out, struct ocirun_error **err)
{
  cleanup_free char *msg = NULL;
  cleanup_free char *buf = NULL;
  struct oci_config *c;
  size_t len = 0;

  if (read_json_file (path, &buf, &len, err) < 0)
    return ocirun_error_wrap (err, "cannot read the bundle's config");
  c = oci_config_parse_data (buf, len, &msg);
  if (c == NULL)
    return ocirun_error_set (err, 0, "%s: %s", path, msg ? msg : "cannot parse");
  if (ocirun_validate_oci_version (c->oci_version, err) < 0)
    {
      free_oci_config (c);
      return ocirun_error_wrap (err, "%s", path);
    }
  *out = c;
  return 0;
}

static bool
resources_requested (const struct oci_config_linux_resources *r)
{
  if (r == NULL)
    return false;
  return r->memory || r->cpu || r->pids || r->block_io || r->hugepage_limits_len || r->network
         || (r->rdma && r->rdma->len) || (r->unified && r->unified->len) || r->devices_len;
}

int
ocirun_write_pid_file (const char *path, pid_t pid, struct ocirun_error **err)
{
  char buf[32];
  int n = snprintf (buf, sizeof (buf), "%d", pid);
  cleanup_free char *dir = xstrdup (path);
  char *slash = strrchr (dir, '/');
  cleanup_close int dfd = -1;
  const char *name = path;
  if (slash)
    {
      *slash = '\0';
      dfd = open (*dir ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (dfd < 0)
        return ocirun_error_set (err, errno, "--pid-file: open directory of `%s`", path);
      name = slash + 1;
    }
  if (write_file_atomic_at (dfd >= 0 ? dfd : AT_FDCWD, name, buf, (size_t) n, err) < 0)
    return ocirun_error_wrap (err, "--pid-file");
  return 0;
}

pid_t
ocirun_clone (int flags, int cgroup_fd, bool *into_cgroup, struct ocirun_error **err)
{
  struct clone_args ca = { .flags = (uint64_t) (unsigned) flags, .exit_signal = SIGCHLD };
  pid_t pid;

  *into_cgroup = false;
  if (cgroup_fd >= 0)
    {
      ca.flags |= CLONE_INTO_CGROUP;
      ca.cgroup = (uint64_t) cgroup_fd;
    }
  pid = (pid_t) syscall (SYS_clone3, &ca, sizeof (ca));
  if (pid >= 0)
    {
      *into_cgroup = cgroup_fd >= 0;
      return pid;
    }
  if (cgroup_fd >= 0 && (errno == EINVAL || errno == ENOSYS || errno == E2BIG || errno == EBUSY
                         || errno == EOPNOTSUPP))
    {
      ca.flags &= ~CLONE_INTO_CGROUP;
      ca.cgroup = 0;
      pid = (pid_t) syscall (SYS_clone3, &ca, sizeof (ca));
      if (pid >= 0)
        return pid;
    }
  if (errno == ENOSYS || errno == E2BIG)
    {
      pid = (pid_t) syscall (SYS_clone, (unsigned long) flags | SIGCHLD, 0, 0, 0, 0);
      if (pid >= 0)
        return pid;
    }
  if (errno == EPERM && geteuid () != 0 && ! (flags & CLONE_NEWUSER))
    return ocirun_error_set (err, errno,
                             "create the container's namespaces: an unprivileged user needs a user "
                             "namespace (add {\"type\": \"user\"} and id mappings, see `ocirun spec --rootless`; "
                             "run `ocirun check` for a diagnosis)");
  return ocirun_error_set (err, errno, "create the container's namespaces");
}

static struct oci_config_linux_resources *
augment_device_rules (const struct oci_config_linux_resources *res, const struct oci_config_linux *linux,
                      size_t *n_added);
static void free_augmented_resources (struct oci_config_linux_resources *copy, size_t orig_len);

/* Everything create and run share.  */
struct create_result
{
  pid_t pid;
  int pty_master;
  struct ocirun_store *store;
  struct oci_config *config;
  struct oci_ocirun_state *state;
};

char *
ocirun_state_json_for_hooks (const struct oci_ocirun_state *s, const char *status)
{
  struct oci_state st = { 0 };
  char *msg = NULL, *json;
  st.oci_version = s->oci_version;
  st.id = s->id;
  st.status = (char *) status;
  st.pid = s->pid;
  st.pid_present = s->pid_present;
  st.bundle = s->bundle;
  st.annotations = s->annotations;
  json = oci_state_generate_json (&st, &msg);
  free (msg);
  return json ? json : xstrdup ("{}");
}

static bool
annotation_is (const struct oci_map_string *a, const char *key, const char *value)
{
  for (size_t i = 0; a && i < a->len; i++)
    if (strcmp (a->keys[i], key) == 0)
      return strcmp (a->values[i], value) == 0;
  return false;
}

static struct oci_map_string *
dup_map (const struct oci_map_string *m)
{
  struct oci_map_string *r;
  if (m == NULL)
    return NULL;
  r = xmalloc0 (sizeof (*r));
  r->len = m->len;
  r->keys = xmalloc0 ((m->len + 1) * sizeof (char *));
  r->values = xmalloc0 ((m->len + 1) * sizeof (char *));
  for (size_t i = 0; i < m->len; i++)
    {
      r->keys[i] = xstrdup (m->keys[i]);
      r->values[i] = xstrdup (m->values[i]);
    }
  return r;
}

static char *
owner_name (void)
{
  struct passwd *pw = getpwuid (geteuid ());
  return pw ? xstrdup (pw->pw_name) : xasprintf ("%u", geteuid ());
}

static int
validate_config (const struct oci_config *c, struct ocirun_error **err)
{
  if (c->root == NULL || c->root->path == NULL)
    return ocirun_error_set (err, 0, "root.path: required (the container's root filesystem)");
  if (c->process == NULL)
    return ocirun_error_set (err, 0, "process: required to create a container");
  if (ocirun_process_validate (c->process, err) < 0
      || ocirun_caps_validate (c->process->capabilities, err) < 0
      || ocirun_devices_validate (c->linux, err) < 0 || ocirun_sysctl_validate (c, err) < 0)
    return -1;
  if (c->linux && c->linux->seccomp && ocirun_seccomp_validate (c->linux->seccomp, err) < 0)
    return -1;
  for (size_t i = 0; i < c->mounts_len; i++)
    {
      struct ocirun_mount_opts o;
      if (c->mounts[i]->destination == NULL || c->mounts[i]->destination[0] != '/')
        return ocirun_error_set (err, 0, "mounts[%zu].destination: `%s` must be an absolute path", i,
                                 c->mounts[i]->destination ? c->mounts[i]->destination : "");
      if (ocirun_mount_parse_options (c->mounts[i]->options, c->mounts[i]->options_len, &o, err) < 0)
        return ocirun_error_wrap (err, "mounts[%zu].options", i);
      ocirun_mount_opts_release (&o);
    }
  if (c->process->user && c->process->user->umask_present && c->process->user->umask > 0777)
    return ocirun_error_set (err, 0, "process.user.umask: %u is not a valid mode", c->process->user->umask);
  if (ocirun_lsm_validate (c->process->selinux_label, c->process->apparmor_profile, err) < 0)
    return -1;
  if (ocirun_idmap_validate (c, err) < 0)
    return -1;
  return 0;
}

/* The init exists: remember it and its cgroup.  */
static void
record_init (struct oci_ocirun_state *state, const struct ocirun_cgroup *cg, pid_t pid)
{
  state->pid = pid;
  state->init_start_time = proc_start_time (pid);
  free (state->boot_id);
  state->boot_id = ocirun_boot_id ();
  if (cg && cg->path)
    {
      state->cgroup_path = xstrdup (cg->path);
      state->use_systemd_cgroup = cg->manager == OCIRUN_CGROUP_MANAGER_SYSTEMD;
      state->use_systemd_cgroup_present = true;
      if (cg->scope)
        state->systemd_scope = xstrdup (cg->scope);
    }
}

/* The runtime environment exists: hooks see the container as created.  */
static int
run_create_runtime_hooks (const struct oci_config *config, const struct oci_ocirun_state *state,
                          struct ocirun_error **err)
{
  cleanup_free char *sj = NULL;
  if (config->hooks == NULL)
    return 0;
  sj = ocirun_state_json_for_hooks (state, "created");
  if (ocirun_hooks_run (config->hooks->prestart, config->hooks->prestart_len, "prestart", sj, false, err) < 0
      || ocirun_hooks_run (config->hooks->create_runtime, config->hooks->create_runtime_len, "createRuntime",
                           sj, false, err) < 0)
    return -1;
  return 0;
}

static void
cleanup_failed_create (struct create_result *r, struct ocirun_cgroup *cg, pid_t pid)
{
  if (pid > 0)
    {
      kill (pid, SIGKILL);
      wait_for_pid (pid, NULL);
    }
  if (cg)
    {
      struct ocirun_error *e = NULL;
      if (ocirun_cgroup_destroy (cg, &e) < 0)
        {
          ocirun_warning ("%s", e->msg);
          ocirun_error_free (&e);
        }
    }
  if (r->store)
    {
      ocirun_store_remove (r->store, NULL);
      ocirun_store_free (r->store);
      r->store = NULL;
    }
}

/* RESTORE: the init comes back from a CRIU image instead of being cloned.  */
static int
do_create (struct ocirun_context *ctx, bool foreground, const struct ocirun_checkpoint_opts *restore,
           struct create_result *res, struct ocirun_error **err)
{
  cleanup_free char *bundle = NULL;
  cleanup_free char *config_path = NULL;
  cleanup_free char *rootfs = NULL;
  cleanup_free char *state_root = NULL;
  cleanup_oci_config struct oci_config *config = NULL;
  cleanup_cgroup struct ocirun_cgroup *cg = NULL;
  cleanup_close int console = -1;
  cleanup_close int fifo = -1;
  cleanup_close int pty = -1;
  int sync[2] = { -1, -1 };
  struct ocirun_ns_plan ns = { 0 };
  struct ocirun_cgroup_opts cgopts = { 0 };
  struct ocirun_init_args ia = { 0 };
  struct oci_config_linux_resources *aug_resources = NULL;
  bool rootless = ocirun_is_rootless ();
  pid_t pid = -1;
  bool into_cgroup = false, terminal, new_userns, double_fork;
  struct oci_ocirun_state *state = NULL;
  int clone_flags;
  const struct oci_config_linux *linux;
  char buf[PATH_MAX];

  memset (res, 0, sizeof (*res));
  res->pty_master = -1;
  if (ocirun_validate_id (ctx->id, err) < 0)
    return -1;
  bundle = realpath (ctx->bundle ? ctx->bundle : ".", NULL);
  if (bundle == NULL)
    return ocirun_error_set (err, errno, "--bundle `%s`", ctx->bundle ? ctx->bundle : ".");
  if (ctx->config_file)
    config_path = ctx->config_file[0] == '/' ? xstrdup (ctx->config_file)
                                             : xasprintf ("%s/%s", bundle, ctx->config_file);
  else
    config_path = xasprintf ("%s/config.json", bundle);
  if (ocirun_load_config (config_path, &config, err) < 0 || validate_config (config, err) < 0)
    return -1;
  linux = config->linux;
  {
    cleanup_free char *rp = config->root->path[0] == '/' ? xstrdup (config->root->path)
                                                         : xasprintf ("%s/%s", bundle, config->root->path);
    struct stat st;
    if (realpath (rp, buf) == NULL || stat (buf, &st) < 0)
      return ocirun_error_set (err, 0, "root.path: `%s` does not exist (create the rootfs, or fix root.path)", rp);
    if (! S_ISDIR (st.st_mode))
      return ocirun_error_set (err, 0, "root.path: `%s` is not a directory", rp);
    rootfs = xstrdup (buf);
  }
  terminal = config->process->terminal_present && config->process->terminal;
  if (terminal && ! foreground && ctx->console_socket == NULL)
    return ocirun_error_set (err, 0,
                             "process.terminal is true: pass --console-socket (or set terminal to false)");
  if (ocirun_ns_plan_build (linux, &ns, err) < 0)
    return -1;
  if (! (ns.new_flags & CLONE_NEWNS) && ! (ns.join_flags & CLONE_NEWNS))
    {
      ocirun_ns_plan_release (&ns);
      return ocirun_error_set (err, 0, "linux.namespaces: a mount namespace is required (add {\"type\": \"mount\"})");
    }
  new_userns = (ns.new_flags & CLONE_NEWUSER) != 0;
  if (new_userns && (linux->uid_mappings_len == 0 || linux->gid_mappings_len == 0))
    {
      ocirun_ns_plan_release (&ns);
      return ocirun_error_set (err, 0, "linux.uidMappings/gidMappings: a new user namespace needs both id maps");
    }
  /* The slow path: joining namespaces while creating a user namespace, a
     joined user namespace, or a time namespace (offsets must be set before
     any process enters it).  */
  double_fork = (ns.join_flags & CLONE_NEWUSER) || (new_userns && (ns.join_flags & ~CLONE_NEWPID))
                || (ns.new_flags & CLONE_NEWTIME);

  if (ocirun_store_resolve_root (ctx->state_root, &state_root, err) < 0)
    goto fail_ns;
  if (ocirun_store_create (state_root, ctx->id, &res->store, err) < 0)
    goto fail_ns;

  /* An interrupted create leaves a record that says so.  */
  state = xmalloc0 (sizeof (*state));
  state->oci_version = xstrdup (config->oci_version);
  state->id = xstrdup (ctx->id);
  state->status = xstrdup ("creating");
  state->pid = getpid ();
  state->pid_present = true;
  state->init_start_time = proc_start_time (getpid ());
  state->init_start_time_present = true;
  state->boot_id = ocirun_boot_id ();
  state->bundle = xstrdup (bundle);
  state->rootfs = xstrdup (rootfs);
  state->created = ocirun_timestamp_now ();
  state->owner = owner_name ();
  state->annotations = dup_map (config->annotations);
  state->config_path = xstrdup (config_path);
  state->rootless = rootless;
  state->rootless_present = true;
  if (ctx->pid_file)
    state->pidfile = xstrdup (ctx->pid_file);
  res->state = state;
  if (ocirun_store_write_state (res->store, state, err) < 0)
    goto fail;

  if (! restore)
    {
      /* NOTIFY_SOCKET: the container gets a socket of ours (see notify.h) */
      cleanup_free char *state_dir = xasprintf ("%s/%s", state_root, ctx->id);
      if (ocirun_notify_prepare (config, res->store->dirfd, state_dir, err) < 0)
        goto fail;
    }
  if (! restore && mkfifoat (res->store->dirfd, OCIRUN_FIFO_NAME, 0600) < 0)
    {
      ocirun_error_set (err, errno, "create exec.fifo");
      goto fail;
    }
  fifo = restore ? -1 : openat (res->store->dirfd, OCIRUN_FIFO_NAME, O_RDWR | O_CLOEXEC);
  if (! restore && fifo < 0)
    {
      ocirun_error_set (err, errno, "open exec.fifo");
      goto fail;
    }

  cgopts.id = ctx->id;
  cgopts.cgroups_path = linux ? linux->cgroups_path : NULL;
  cgopts.resources = linux ? linux->resources : NULL;
  if (cgopts.resources && cgopts.resources->devices_len)
    {
      size_t added;
      aug_resources = augment_device_rules (cgopts.resources, linux, &added);
      cgopts.resources = aug_resources;
    }
  cgopts.manager = ctx->cgroup_manager_set ? ctx->cgroup_manager
                   : ctx->systemd_cgroup   ? OCIRUN_CGROUP_MANAGER_SYSTEMD
                                           : OCIRUN_CGROUP_MANAGER_CGROUPFS;
  cgopts.rootless = rootless;
  cgopts.annotations = config->annotations;
  if (cgopts.manager == OCIRUN_CGROUP_MANAGER_DISABLED && resources_requested (cgopts.resources))
    ocirun_warning ("linux.resources are not enforced: the cgroup manager is disabled");
  if (ocirun_cgroup_prepare (&cgopts, &cg, err) < 0)
    goto fail;
  if (restore)
    {
      struct ocirun_criu_restore_env env = {
        .config = config, .bundle = bundle, .rootfs = rootfs, .state_root = state_root, .id = ctx->id,
        .cgroup_path = cg ? cg->path : NULL, .console_socket = ctx->console_socket,
        .criu_path = ctx->criu_path, .terminal = terminal,
      };
      ocirun_ns_plan_release (&ns);
      if (ocirun_criu_restore_init (restore, &env, &pid, &pty, err) < 0)
        goto fail;
      if (ocirun_cgroup_enter (cg, &cgopts, pid, false, err) < 0)
        goto fail_child;
      record_init (state, cg, pid);
      if (run_create_runtime_hooks (config, state, err) < 0)
        goto fail_child;
      goto created;
    }

  if (terminal && ctx->console_socket)
    {
      console = ocirun_console_socket_connect (ctx->console_socket, err);
      if (console < 0)
        goto fail;
    }
  if (ocirun_sync_pair (sync, err) < 0)
    goto fail;
  /* every /proc write of the init goes through the runtime's own procfs,
     opened here, before anything of the container exists */
  if (ocirun_procfs_root (err) < 0)
    goto fail;

  ia.config = config;
  ia.id = ctx->id;
  ia.bundle = bundle;
  ia.rootfs = rootfs;
  ia.sync_fd = sync[1];
  ia.fifo_fd = fifo;
  ia.ns = &ns;
  ia.double_fork = double_fork;
  ia.new_userns = new_userns;
  ia.terminal = terminal;
  ia.no_pivot = ctx->no_pivot;
  ia.no_new_keyring = ctx->no_new_keyring;
  ia.keep_groups = annotation_is (config->annotations, "run.oci.keep_original_groups", "1");
  ia.setgroups_denied = new_userns && geteuid () != 0
                        && ocirun_userns_direct_ok (linux->gid_mappings, linux->gid_mappings_len, getegid ());
  ia.preserve_fds = ctx->preserve_fds;
  /* root can still reach a non-dumpable init's /proc/PID (ns, uid_map); an
     unprivileged runtime could not */
  ia.nondumpable = geteuid () == 0;
  ia.parent_fds[ia.n_parent_fds++] = res->store->dirfd;
  ia.parent_fds[ia.n_parent_fds++] = res->store->rootfd;
  ia.parent_fds[ia.n_parent_fds++] = console;
  ia.parent_fds[ia.n_parent_fds++] = cg && cg->dirfd >= 0 ? cg->dirfd : -1;

  /* Joining a pid namespace applies to our children: do it here.  */
  for (size_t i = 0; i < ns.n_joins; i++)
    if (ns.joins[i].flag == CLONE_NEWPID && ! (ns.join_flags & CLONE_NEWUSER))
      {
        if (setns (ns.joins[i].fd, CLONE_NEWPID) < 0)
          {
            ocirun_error_set (err, errno, "join the pid namespace");
            goto fail;
          }
        close (ns.joins[i].fd);
        ns.joins[i].fd = -1;
      }

  /* The cgroup namespace is created by the init once it is in its final
     cgroup (the systemd manager moves it there only after clone).  */
  clone_flags = double_fork ? 0 : (ns.new_flags & ~CLONE_NEWCGROUP);
  pid = ocirun_clone (clone_flags, cg && cg->dirfd >= 0 ? cg->dirfd : -1, &into_cgroup, err);
  if (pid < 0)
    goto fail;
  if (pid == 0)
    {
      close (sync[0]);
      ocirun_init_main (&ia);
    }
  close (sync[1]);
  sync[1] = -1;
  ocirun_ns_plan_release (&ns);

  /* Drive the init.  */
  if (double_fork)
    {
      int child_pid;
      pid_t intermediate = pid;
      if (new_userns)
        {
          if (ocirun_sync_expect (sync[0], SYNC_USERNS_READY, NULL, NULL, err) < 0
              || ocirun_userns_write_maps (intermediate, linux, err) < 0
              || ocirun_sync_send (sync[0], SYNC_USERNS_DONE, 0, NULL, -1, err) < 0)
            goto fail_child;
        }
      if (ocirun_sync_expect (sync[0], SYNC_CHILD_PID, &child_pid, NULL, err) < 0)
        goto fail_child;
      if (child_pid != intermediate)
        {
          wait_for_pid (intermediate, NULL);
          pid = child_pid;
        }
    }
  else if (new_userns)
    {
      if (ocirun_userns_write_maps (pid, linux, err) < 0
          || ocirun_sync_send (sync[0], SYNC_USERNS_DONE, 0, NULL, -1, err) < 0)
        goto fail_child;
    }
  if (ocirun_cgroup_enter (cg, &cgopts, pid, into_cgroup, err) < 0)
    goto fail_child;
  if (ocirun_oom_score_adj_apply (pid, config->process, err) < 0)
    goto fail_child;
  /* idmapped mounts are made here, in the host user namespace */
  if (ocirun_idmap_send_mounts (config, bundle, pid, sync[0], err) < 0)
    goto fail_child;
  if (ocirun_sync_send (sync[0], SYNC_CGROUP_DONE, pid, NULL, -1, err) < 0)
    goto fail_child;

  record_init (state, cg, pid);

  for (;;)
    {
      struct ocirun_sync_msg m;
      int passfd = -1;
      if (ocirun_sync_recv (sync[0], &m, &passfd, err) < 0)
        goto fail_child;
      if (m.type == SYNC_READY)
        break;
      switch (m.type)
        {
        case SYNC_CREATE_RUNTIME:
          if (run_create_runtime_hooks (config, state, err) < 0
              || ocirun_sync_send (sync[0], SYNC_CREATE_RUNTIME_DONE, 0, NULL, -1, err) < 0)
            goto fail_child;
          break;
        case SYNC_PTY_MASTER:
          if (passfd < 0)
            {
              ocirun_error_set (err, EPROTO, "no terminal received from the container");
              goto fail_child;
            }
          if (console >= 0)
            {
              if (ocirun_send_fd (console, passfd, err) < 0)
                {
                  close (passfd);
                  goto fail_child;
                }
              close (passfd);
            }
          else
            pty = passfd;
          break;
        case SYNC_SECCOMP_NOTIFY_FD:
          {
            cleanup_free char *sj = ocirun_state_json_for_hooks (state, "creating");
            int r = ocirun_seccomp_send_to_listener (linux->seccomp, passfd, sj, pid, err);
            close (passfd);
            if (r < 0 || ocirun_sync_send (sync[0], SYNC_SECCOMP_NOTIFY_DONE, 0, NULL, -1, err) < 0)
              goto fail_child;
            break;
          }
        default:
          if (passfd >= 0)
            close (passfd);
          ocirun_error_set (err, EPROTO, "unexpected message %d from the container init", m.type);
          goto fail_child;
        }
    }
  close (sync[0]);
  sync[0] = -1;

created:
  free (state->status);
  state->status = xstrdup (restore ? "running" : "created");
  if (ocirun_store_write_state (res->store, state, err) < 0)
    goto fail_child;
  if (ctx->pid_file && ocirun_write_pid_file (ctx->pid_file, pid, err) < 0)
    goto fail_child;

  res->pid = pid;
  res->pty_master = steal_fd (&pty);
  res->config = steal_pointer (&config);
  /* The cgroup stays; the record in the state store owns it now.  */
  ocirun_cgroup_free (steal_pointer (&cg));
  if (aug_resources)
    free_augmented_resources (aug_resources, linux->resources->devices_len);
  return 0;

fail_child:
  {
    /* Tell the user why the init died if it died without a word.  */
    int status;
    if (*err && (*err)->errnum == EPIPE && waitpid (pid, &status, WNOHANG) == pid)
      {
        pid = -1;
        ocirun_error_wrap (err, "%s", WIFSIGNALED (status) ? "killed by a signal" : "exited");
      }
  }
fail:
  if (sync[0] >= 0)
    close (sync[0]);
  if (sync[1] >= 0)
    close (sync[1]);
fail_ns:
  ocirun_ns_plan_release (&ns);
  cleanup_failed_create (res, cg, pid);
  if (aug_resources)
    free_augmented_resources (aug_resources, linux->resources->devices_len);
  free_oci_ocirun_state (state);
  res->state = NULL;
  return -1;
}

/* The device cgroup must let the container use its default nodes and every
   linux.devices entry: append allow rules after the config's (last match
   wins), as runc and crun do.  Returns a shallow copy of RES owning only the
   new rules and the array (free it with free_augmented_resources).  */
static struct oci_config_linux_resources *
augment_device_rules (const struct oci_config_linux_resources *res, const struct oci_config_linux *linux,
                      size_t *n_added)
{
  static const struct
  {
    char type;
    int64_t major, minor;
  } defaults[] = {
    { 'c', 1, 3 }, { 'c', 1, 5 }, { 'c', 1, 7 }, { 'c', 1, 8 }, { 'c', 1, 9 },
    { 'c', 5, 0 }, { 'c', 5, 1 }, { 'c', 5, 2 }, { 'c', 136, -1 },
  };
  size_t n_dev = linux ? linux->devices_len : 0;
  size_t total = res->devices_len + sizeof (defaults) / sizeof (defaults[0]) + n_dev;
  struct oci_config_linux_resources *copy = xmalloc0 (sizeof (*copy));
  size_t k = 0;

  *copy = *res;
  copy->devices = xmalloc0 ((total + 1) * sizeof (*copy->devices));
  for (size_t i = 0; i < res->devices_len; i++)
    copy->devices[k++] = res->devices[i];
  *n_added = 0;
  for (size_t i = 0; i < sizeof (defaults) / sizeof (defaults[0]) + n_dev; i++)
    {
      struct oci_device_cgroup *r = xmalloc0 (sizeof (*r));
      char t;
      int64_t maj, min;
      if (i < sizeof (defaults) / sizeof (defaults[0]))
        {
          t = defaults[i].type;
          maj = defaults[i].major;
          min = defaults[i].minor;
        }
      else
        {
          const struct oci_device *d = linux->devices[i - sizeof (defaults) / sizeof (defaults[0])];
          t = d->type && d->type[0] == 'b' ? 'b' : 'c';
          maj = d->major;
          min = d->minor;
          if (d->type && d->type[0] == 'p')
            {
              free (r);
              continue;
            }
        }
      r->allow = true;
      r->allow_present = true;
      r->type = xasprintf ("%c", t);
      r->major = maj;
      r->major_present = maj >= 0;
      r->minor = min;
      r->minor_present = min >= 0;
      r->access = xstrdup ("rwm");
      copy->devices[k++] = r;
      (*n_added)++;
    }
  copy->devices_len = k;
  return copy;
}

static void
free_augmented_resources (struct oci_config_linux_resources *copy, size_t orig_len)
{
  if (copy == NULL)
    return;
  for (size_t i = orig_len; i < copy->devices_len; i++)
    free_oci_device_cgroup (copy->devices[i]);
  free (copy->devices);
  free (copy);
}

static void
release_result (struct create_result *r)
{
  ocirun_store_free (r->store);
  free_oci_config (r->config);
  free_oci_ocirun_state (r->state);
  if (r->pty_master >= 0)
    close (r->pty_master);
}

int
ocirun_container_create (struct ocirun_context *ctx, struct ocirun_error **err)
{
  struct create_result r;
  if (do_create (ctx, false, NULL, &r, err) < 0)
    return -1;
  release_result (&r);
  return 0;
}

int
ocirun_container_open (struct ocirun_context *ctx, bool exclusive, struct ocirun_store **st,
                       struct oci_ocirun_state **state, const char **status,
                       struct ocirun_error **err)
{
  cleanup_free char *root = NULL;
  if (ocirun_validate_id (ctx->id, err) < 0)
    return -1;
  if (ocirun_store_resolve_root (ctx->state_root, &root, err) < 0)
    return -1;
  if (ocirun_store_open (root, ctx->id, exclusive, st, err) < 0)
    return -1;
  if (ocirun_store_read_state (*st, state, err) < 0)
    {
      ocirun_store_free (*st);
      *st = NULL;
      return -1;
    }
  if (status)
    *status = ocirun_store_live_status (*st, *state);
  return 0;
}

int
ocirun_container_cgroup (const struct oci_ocirun_state *state, struct ocirun_cgroup **cg,
                         struct ocirun_error **err)
{
  return ocirun_cgroup_load (state->use_systemd_cgroup ? OCIRUN_CGROUP_MANAGER_SYSTEMD
                                                       : OCIRUN_CGROUP_MANAGER_CGROUPFS,
                             state->cgroup_path, state->systemd_scope, cg, err);
}

int
ocirun_signal_init (const struct oci_ocirun_state *state, int sig, struct ocirun_error **err)
{
  cleanup_close int pidfd = (int) syscall (SYS_pidfd_open, (pid_t) state->pid, 0);
  if (pidfd >= 0)
    {
      /* the pid could have been reused between our check and now: re-check */
      if (! ocirun_state_process_alive (state))
        return ocirun_error_set (err, ESRCH, "container `%s` is not running", state->id);
      if (syscall (SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0)
        return ocirun_error_set (err, errno, "send signal %d to container `%s`", sig, state->id);
      return 0;
    }
  if (kill ((pid_t) state->pid, sig) < 0)
    return ocirun_error_set (err, errno, "send signal %d to container `%s`", sig, state->id);
  return 0;
}

static int
start_locked (struct ocirun_store *st, struct oci_ocirun_state *state, const char *status,
              struct ocirun_error **err)
{
  cleanup_close int fifo = -1;
  cleanup_close int notify = -1;
  char c = '0';
  cleanup_oci_config struct oci_config *config = NULL;

  if (strcmp (status, "created") != 0)
    return ocirun_error_set (err, 0, "container `%s` cannot be started: it is %s, not created", st->id,
                             status);
  fifo = openat (st->dirfd, OCIRUN_FIFO_NAME, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fifo < 0)
    {
      if (errno == ENXIO)
        return ocirun_error_set (err, 0, "container `%s` cannot be started: its init is gone", st->id);
      return ocirun_error_set (err, errno, "open exec.fifo of `%s`", st->id);
    }
  if (ocirun_notify_listen (st->dirfd, &notify, err) < 0)
    return -1;
  if (write (fifo, &c, 1) != 1)
    return ocirun_error_set (err, errno, "start container `%s`", st->id);
  unlinkat (st->dirfd, OCIRUN_FIFO_NAME, 0);
  free (state->status);
  state->status = xstrdup ("running");
  if (ocirun_store_write_state (st, state, err) < 0)
    return -1;
  if (state->config_path && ocirun_load_config (state->config_path, &config, NULL) == 0 && config->hooks
      && config->hooks->poststart_len)
    {
      cleanup_free char *sj = ocirun_state_json_for_hooks (state, "running");
      ocirun_hooks_run (config->hooks->poststart, config->hooks->poststart_len, "poststart", sj, true,
                        NULL);
    }
  if (notify >= 0)
    {
      /* NOTIFY_SOCKET: relay until READY=1 (other commands may run meanwhile) */
      flock (st->dirfd, LOCK_UN);
      return ocirun_notify_relay (st->dirfd, notify, (pid_t) state->pid, err);
    }
  return 0;
}

int
ocirun_container_start (struct ocirun_context *ctx, struct ocirun_error **err)
{
  cleanup_store struct ocirun_store *st = NULL;
  cleanup_ocirun_state struct oci_ocirun_state *state = NULL;
  const char *status;
  if (ocirun_container_open (ctx, true, &st, &state, &status, err) < 0)
    return -1;
  return start_locked (st, state, status, err);
}

static int
delete_locked (struct ocirun_store *st, struct oci_ocirun_state *state, const char *status,
               bool force, struct ocirun_error **err)
{
  cleanup_cgroup struct ocirun_cgroup *cg = NULL;
  cleanup_oci_config struct oci_config *config = NULL;

  if (strcmp (status, "stopped") != 0)
    {
      if (! force)
        return ocirun_error_set (err, 0,
                                 "container `%s` is %s: stop it first (ocirun kill %s KILL), or use "
                                 "delete --force",
                                 st->id, status, st->id);
      if (strcmp (status, "creating") != 0)
        {
          if (state->cgroup_path && ocirun_container_cgroup (state, &cg, NULL) == 0)
            ocirun_cgroup_kill_all (cg, SIGKILL, NULL);
          ocirun_signal_init (state, SIGKILL, NULL);
          /* wait (bounded) until it is gone */
          for (int i = 0; i < 500 && ocirun_state_process_alive (state); i++)
            {
              struct timespec ts = { 0, 10 * 1000 * 1000 };
              nanosleep (&ts, NULL);
            }
        }
    }
  if (state->cgroup_path && cg == NULL)
    {
      struct ocirun_error *e = NULL;
      if (ocirun_container_cgroup (state, &cg, &e) < 0)
        {
          ocirun_debug ("load cgroup: %s", e->msg);
          ocirun_error_free (&e);
        }
    }
  if (cg)
    {
      struct ocirun_error *e = NULL;
      if (ocirun_cgroup_destroy (cg, &e) < 0)
        {
          ocirun_warning ("%s", e->msg);
          ocirun_error_free (&e);
        }
    }
  if (state->config_path && strcmp (status, "creating") != 0
      && ocirun_load_config (state->config_path, &config, NULL) == 0 && config->hooks
      && config->hooks->poststop_len)
    {
      cleanup_free char *sj = ocirun_state_json_for_hooks (state, "stopped");
      ocirun_hooks_run (config->hooks->poststop, config->hooks->poststop_len, "poststop", sj, true, NULL);
    }
  return ocirun_store_remove (st, err);
}

int
ocirun_container_delete (struct ocirun_context *ctx, bool force, struct ocirun_error **err)
{
  cleanup_store struct ocirun_store *st = NULL;
  cleanup_ocirun_state struct oci_ocirun_state *state = NULL;
  cleanup_free char *root = NULL;
  const char *status;

  if (ocirun_validate_id (ctx->id, err) < 0 || ocirun_store_resolve_root (ctx->state_root, &root, err) < 0)
    return -1;
  if (ocirun_store_open (root, ctx->id, true, &st, err) < 0)
    {
      /* like runc and crun: --force on a missing container is success (engines
         clean up after a failed create that already removed everything) */
      if (force && (*err)->errnum == ENOENT)
        {
          ocirun_error_free (err);
          return 0;
        }
      return -1;
    }
  if (ocirun_store_read_state (st, &state, err) < 0)
    {
      /* an interrupted create: nothing runs, the directory can go */
      struct stat sb;
      if (fstatat (st->dirfd, OCIRUN_STATE_NAME, &sb, 0) < 0 && errno == ENOENT)
        {
          ocirun_error_free (err);
          return ocirun_store_remove (st, err);
        }
      if (! force)
        return -1;
      ocirun_error_free (err);
      return ocirun_store_remove (st, err);
    }
  status = ocirun_store_live_status (st, state);
  return delete_locked (st, state, status, force, err);
}

int
ocirun_container_kill (struct ocirun_context *ctx, int sig, bool all, struct ocirun_error **err)
{
  cleanup_store struct ocirun_store *st = NULL;
  cleanup_ocirun_state struct oci_ocirun_state *state = NULL;
  const char *status;
  if (ocirun_container_open (ctx, true, &st, &state, &status, err) < 0)
    return -1;
  if (strcmp (status, "stopped") == 0 || strcmp (status, "creating") == 0)
    return ocirun_error_set (err, 0, "container `%s` is not running (it is %s)", ctx->id, status);
  if (all && state->cgroup_path)
    {
      cleanup_cgroup struct ocirun_cgroup *cg = NULL;
      if (ocirun_container_cgroup (state, &cg, err) < 0)
        return -1;
      return ocirun_cgroup_kill_all (cg, sig, err);
    }
  if (all)
    {
      /* no cgroup: every process of the container's pid namespace */
      cleanup_free pid_t *pids = NULL;
      size_t n = 0;
      if (ocirun_pidns_processes ((pid_t) state->pid, &pids, &n, err) < 0)
        return ocirun_error_wrap (err, "kill --all");
      if (ocirun_signal_init (state, sig, err) < 0)
        return -1;
      for (size_t i = 0; i < n; i++)
        if (pids[i] != (pid_t) state->pid)
          kill (pids[i], sig);
      return 0;
    }
  return ocirun_signal_init (state, sig, err);
}

int
ocirun_container_pause (struct ocirun_context *ctx, bool pause, struct ocirun_error **err)
{
  cleanup_store struct ocirun_store *st = NULL;
  cleanup_ocirun_state struct oci_ocirun_state *state = NULL;
  cleanup_cgroup struct ocirun_cgroup *cg = NULL;
  const char *status;
  if (ocirun_container_open (ctx, true, &st, &state, &status, err) < 0)
    return -1;
  if (pause && strcmp (status, "running") != 0 && strcmp (status, "created") != 0)
    return ocirun_error_set (err, 0, "container `%s` cannot be paused: it is %s", ctx->id, status);
  if (! pause && strcmp (status, "paused") != 0)
    return ocirun_error_set (err, 0, "container `%s` cannot be resumed: it is %s, not paused", ctx->id,
                             status);
  if (state->cgroup_path == NULL)
    return ocirun_error_set (err, 0, "container `%s` has no cgroup: pause needs cgroup v2 (and a cgroup manager)",
                             ctx->id);
  if (ocirun_container_cgroup (state, &cg, err) < 0)
    return -1;
  return ocirun_cgroup_freeze (cg, pause, err);
}

int
ocirun_container_state (struct ocirun_context *ctx, char **json, struct ocirun_error **err)
{
  cleanup_store struct ocirun_store *st = NULL;
  cleanup_ocirun_state struct oci_ocirun_state *state = NULL;
  struct oci_ocirun_state out = { 0 };
  const char *status;
  cleanup_free char *msg = NULL;

  if (ocirun_container_open (ctx, false, &st, &state, &status, err) < 0)
    return -1;
  out.oci_version = state->oci_version;
  out.id = state->id;
  out.status = (char *) status;
  out.pid = strcmp (status, "stopped") == 0 ? 0 : state->pid;
  out.pid_present = true;
  out.bundle = state->bundle;
  out.rootfs = state->rootfs;
  out.created = state->created;
  out.owner = state->owner;
  out.annotations = state->annotations;
  *json = oci_ocirun_state_generate_json (&out, &msg);
  if (*json == NULL)
    return ocirun_error_set (err, 0, "serialize state: %s", msg ? msg : "?");
  return 0;
}

int
ocirun_container_list (struct ocirun_context *ctx, struct ocirun_container_info **list, size_t *n,
                       struct ocirun_error **err)
{
  cleanup_free char *root = NULL;
  cleanup_strv char **ids = NULL;
  size_t count = 0;
  struct ocirun_container_info *v;

  if (ocirun_store_resolve_root (ctx->state_root, &root, err) < 0
      || ocirun_store_list_ids (root, &ids, err) < 0)
    return -1;
  v = xmalloc0 ((strv_len (ids) + 1) * sizeof (*v));
  for (size_t i = 0; ids[i]; i++)
    {
      struct ocirun_store *st = NULL;
      struct oci_ocirun_state *state = NULL;
      struct ocirun_error *e = NULL;
      /* a record being created or deleted right now, or left by an
         interrupted create, is not listed (as runc): say why with --debug */
      if (ocirun_store_open (root, ids[i], false, &st, &e) < 0)
        {
          ocirun_debug ("list: %s", e->msg);
          ocirun_error_free (&e);
          continue;
        }
      if (ocirun_store_read_state (st, &state, &e) < 0)
        {
          ocirun_debug ("list: %s", e->msg);
          ocirun_error_free (&e);
        }
      else
        {
          const char *status = ocirun_store_live_status (st, state);
          v[count].id = xstrdup (ids[i]);
          v[count].pid = strcmp (status, "stopped") == 0 ? 0 : (pid_t) state->pid;
          v[count].status = xstrdup (status);
          v[count].bundle = xstrdup (state->bundle);
          v[count].created = xstrdup (state->created);
          v[count].owner = xstrdup (state->owner);
          count++;
          free_oci_ocirun_state (state);
        }
      ocirun_store_free (st);
    }
  *list = v;
  *n = count;
  return 0;
}

void
ocirun_container_info_free (struct ocirun_container_info *list, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      free (list[i].id);
      free (list[i].status);
      free (list[i].bundle);
      free (list[i].created);
      free (list[i].owner);
    }
  free (list);
}

/* run: forward signals to the container init.  */
static volatile pid_t forward_pid;

static void
forward_signal (int sig)
{
  if (forward_pid > 0)
    kill (forward_pid, sig);
}

/* run, or restore (RESTORE: the init comes back running from an image).  */
static int
run_container (struct ocirun_context *ctx, const struct ocirun_checkpoint_opts *restore, int *exit_code,
               struct ocirun_error **err)
{
  struct create_result r;
  int status = 0;
  const char *st_status;

  *exit_code = 0;
  if (! ctx->detach && ! ctx->no_subreaper)
    prctl (PR_SET_CHILD_SUBREAPER, 1);
  if (do_create (ctx, ! ctx->detach, restore, &r, err) < 0)
    return -1;
  st_status = ocirun_store_live_status (r.store, r.state);
  if (ctx->detach)
    {
      int ret = restore ? 0 : start_locked (r.store, r.state, st_status, err);
      release_result (&r);
      return ret;
    }
  /* forward every catchable signal to the container */
  forward_pid = r.pid;
  for (int sig = 1; sig < NSIG; sig++)
    {
      struct sigaction sa = { .sa_handler = forward_signal, .sa_flags = SA_RESTART };
      if (sig == SIGKILL || sig == SIGSTOP || sig == SIGCHLD || sig == SIGPIPE || sig == 32 || sig == 33)
        continue;
      sigaction (sig, &sa, NULL);
    }
  if (! restore && start_locked (r.store, r.state, st_status, err) < 0)
    {
      kill (r.pid, SIGKILL);
      wait_for_pid (r.pid, NULL);
      delete_locked (r.store, r.state, "stopped", true, NULL);
      release_result (&r);
      return -1;
    }
  /* let other commands (state, kill, exec) in while we wait */
  flock (r.store->dirfd, LOCK_UN);
  if (r.pty_master >= 0)
    {
      if (ocirun_terminal_relay (r.pty_master, r.pid, &status, err) < 0)
        {
          release_result (&r);
          return -1;
        }
    }
  else
    {
      for (;;)
        {
          pid_t w = waitpid (-1, &status, 0);
          if (w == r.pid)
            break;
          if (w < 0 && errno != EINTR)
            break;
        }
    }
  forward_pid = 0;
  *exit_code = status_to_exit_code (status);
  if (! ctx->keep)
    {
      flock (r.store->dirfd, LOCK_EX);
      delete_locked (r.store, r.state, "stopped", true, NULL);
    }
  release_result (&r);
  return 0;
}

int
ocirun_container_run (struct ocirun_context *ctx, int *exit_code, struct ocirun_error **err)
{
  return run_container (ctx, NULL, exit_code, err);
}

int
ocirun_container_run_restored (struct ocirun_context *ctx, const struct ocirun_checkpoint_opts *opts,
                               int *exit_code, struct ocirun_error **err)
{
  return run_container (ctx, opts, exit_code, err);
}
