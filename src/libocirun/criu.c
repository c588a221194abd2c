/* ocirun: checkpoint and restore with CRIU.  libcriu is loaded with dlopen
 * (libcriu.so.2, or $OCIRUN_CRIU_LIBRARY) the first time it is needed, so the
 * binary runs where criu is not installed; only these two verbs need it.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include "container.h"
#include "criu.h"
#include "mounts.h"
#include "namespaces.h"
#include "terminal.h"
#include "utils.h"
#ifdef HAVE_CRIU
#include <dlfcn.h>
/* criu/criu.h needs the protobuf-c headers (libprotobuf-c-dev): where they
   are, it is included and checks the declarations of libcriu.so.2 below.  */
#if defined(__has_include)
#if __has_include(<protobuf-c/protobuf-c.h>)
#include <criu/criu.h>
#define OCIRUN_CRIU_HEADER 1
#endif
#endif
#ifndef OCIRUN_CRIU_HEADER
enum criu_cg_mode
{
  CRIU_CG_MODE_IGNORE,
  CRIU_CG_MODE_NONE,
  CRIU_CG_MODE_PROPS,
  CRIU_CG_MODE_SOFT,
  CRIU_CG_MODE_FULL,
  CRIU_CG_MODE_STRICT,
  CRIU_CG_MODE_DEFAULT,
};
#define CRIU_LOG_DEBUG (4)
typedef struct criu_opts criu_opts;
typedef struct _CriuNotify CriuNotify;
typedef CriuNotify *criu_notify_arg_t;
#endif
int criu_local_init_opts (criu_opts **opts);
void criu_local_free_opts (criu_opts *opts);
int criu_local_set_service_binary (criu_opts *opts, const char *path);
void criu_local_set_images_dir_fd (criu_opts *opts, int fd);
void criu_local_set_work_dir_fd (criu_opts *opts, int fd);
int criu_local_set_log_file (criu_opts *opts, const char *log_file);
void criu_local_set_log_level (criu_opts *opts, int log_level);
void criu_local_set_pid (criu_opts *opts, int pid);
int criu_local_set_root (criu_opts *opts, const char *root);
void criu_local_set_leave_running (criu_opts *opts, bool leave_running);
void criu_local_set_tcp_established (criu_opts *opts, bool tcp_established);
void criu_local_set_ext_unix_sk (criu_opts *opts, bool ext_unix_sk);
void criu_local_set_shell_job (criu_opts *opts, bool shell_job);
void criu_local_set_file_locks (criu_opts *opts, bool file_locks);
void criu_local_set_orphan_pts_master (criu_opts *opts, bool orphan_pts_master);
void criu_local_set_manage_cgroups (criu_opts *opts, bool manage);
void criu_local_set_manage_cgroups_mode (criu_opts *opts, enum criu_cg_mode mode);
int criu_local_set_freeze_cgroup (criu_opts *opts, const char *name);
int criu_local_add_ext_mount (criu_opts *opts, const char *key, const char *val);
int criu_local_add_external (criu_opts *opts, const char *key);
int criu_local_add_inherit_fd (criu_opts *opts, int fd, const char *key);
int criu_local_add_cg_root (criu_opts *opts, const char *ctrl, const char *path);
int criu_local_join_ns_add (criu_opts *opts, const char *ns, const char *ns_file, const char *extra_opt);
void criu_local_set_notify_cb (criu_opts *opts, int (*cb) (char *action, criu_notify_arg_t na));
int criu_get_orphan_pts_master_fd (void);
int criu_local_dump (criu_opts *opts);
int criu_local_restore_child (criu_opts *opts);
#endif

#define DESCRIPTORS_FILE "descriptors.json"
#define DUMP_LOG "dump.log"
#define RESTORE_LOG "restore.log"
/* the keys runc and crun use for namespaces joined by path */
#define EXT_NETNS "extRootNetNS"
#define EXT_PIDNS "extRootPidNS"

int
ocirun_criu_cg_mode_from_string (const char *s, enum ocirun_criu_cg_mode *mode, struct ocirun_error **err)
{
  static const char *const names[] = { "soft", "full", "strict", "ignore" };
  if (s == NULL)
    {
      *mode = OCIRUN_CRIU_CG_SOFT;
      return 0;
    }
  for (size_t i = 0; i < sizeof (names) / sizeof (names[0]); i++)
    if (strcmp (s, names[i]) == 0)
      {
        *mode = (enum ocirun_criu_cg_mode) i;
        return 0;
      }
  return ocirun_error_set (err, 0, "--manage-cgroups-mode `%s`: use soft, full, strict or ignore", s);
}

char *
ocirun_criu_descriptor_key (const char *link, int mnt_id, unsigned long long ino, bool mount_in_container)
{
  /* a file the container cannot see (the runtime's caller's stdio): CRIU
     records it as external and restore hands it the restorer's fd */
  if (link[0] == '/' && ! mount_in_container && mnt_id >= 0)
    return xasprintf ("file[%x:%llx]", (unsigned) mnt_id, ino);
  return xstrdup (link);
}

static int
resolve_image_path (const struct ocirun_checkpoint_opts *opts, char **out, struct ocirun_error **err)
{
  const char *p = opts->image_path && *opts->image_path ? opts->image_path : "checkpoint";
  char *abs = realpath (p, NULL);
  if (abs == NULL)
    return ocirun_error_set (err, errno, "--image-path `%s`", p);
  *out = abs;
  return 0;
}

#ifndef HAVE_CRIU

static int
no_criu (const char *verb, struct ocirun_error **err)
{
  return ocirun_error_set (err, 0,
                           "%s needs CRIU: this ocirun was built without it (install the criu "
                           "package, then configure without --disable-criu and rebuild)",
                           verb);
}

int
ocirun_container_checkpoint (struct ocirun_context *ctx, const struct ocirun_checkpoint_opts *opts,
                             struct ocirun_error **err)
{
  (void) ctx;
  (void) opts;
  (void) resolve_image_path;
  return no_criu ("checkpoint", err);
}

int
ocirun_container_restore (struct ocirun_context *ctx, const struct ocirun_checkpoint_opts *opts,
                          int *exit_code, struct ocirun_error **err)
{
  (void) ctx;
  (void) opts;
  *exit_code = 0;
  return no_criu ("restore", err);
}

int
ocirun_criu_restore_init (const struct ocirun_checkpoint_opts *opts, const struct ocirun_criu_restore_env *env,
                          pid_t *pid, int *pty_master, struct ocirun_error **err)
{
  (void) opts;
  (void) env;
  *pid = -1;
  *pty_master = -1;
  return no_criu ("restore", err);
}

#else /* HAVE_CRIU */

/* The libcriu entry points we use, typed from the header.  */
static struct
{
  void *handle;
#define CRIU_FNS(X)                                                                                \
  X (criu_local_init_opts) X (criu_local_free_opts) X (criu_local_set_service_binary)              \
  X (criu_local_set_images_dir_fd) X (criu_local_set_work_dir_fd) X (criu_local_set_log_file)      \
  X (criu_local_set_log_level) X (criu_local_set_pid) X (criu_local_set_root)                      \
  X (criu_local_set_leave_running) X (criu_local_set_tcp_established)                              \
  X (criu_local_set_ext_unix_sk) X (criu_local_set_shell_job) X (criu_local_set_file_locks)        \
  X (criu_local_set_orphan_pts_master) X (criu_local_set_manage_cgroups)                           \
  X (criu_local_set_manage_cgroups_mode) X (criu_local_set_freeze_cgroup)                          \
  X (criu_local_add_ext_mount) X (criu_local_add_external) X (criu_local_add_inherit_fd)           \
  X (criu_local_add_cg_root) X (criu_local_join_ns_add) X (criu_local_set_notify_cb)               \
  X (criu_get_orphan_pts_master_fd) X (criu_local_dump) X (criu_local_restore_child)
#define CRIU_FIELD(name) __typeof__ (name) *name;
  CRIU_FNS (CRIU_FIELD)
#undef CRIU_FIELD
} lib;

/* Load libcriu once (the handle stays for the life of the process).  */
static int
criu_load (const char *verb, struct ocirun_error **err)
{
  const char *override = getenv ("OCIRUN_CRIU_LIBRARY");
  const char *name = override && *override ? override : "libcriu.so.2";
  void *h;

  if (lib.handle)
    return 0;
  h = dlopen (name, RTLD_NOW | RTLD_LOCAL);
  if (h == NULL)
    {
      const char *why = dlerror ();
      if (override && *override)
        return ocirun_error_set (err, 0,
                                 "%s needs CRIU: install the criu package (cannot load `%s` named by "
                                 "OCIRUN_CRIU_LIBRARY: %s)",
                                 verb, name, why ? why : "not found");
      if (why && strstr (why, "No such file"))
        return ocirun_error_set (err, 0, "%s needs CRIU: install the criu package (libcriu.so.2 not found)",
                                 verb);
      return ocirun_error_set (err, 0, "%s needs CRIU: cannot load libcriu.so.2 (%s): reinstall the criu package",
                               verb, why ? why : "?");
    }
#define CRIU_LOAD(fn)                                                                              \
  if ((lib.fn = (__typeof__ (fn) *) dlsym (h, #fn)) == NULL)                                       \
    {                                                                                              \
      dlclose (h);                                                                                 \
      return ocirun_error_set (err, 0, "%s needs CRIU >= 3.16: `%s` lacks %s (upgrade criu)",       \
                               verb, name, #fn);                                                   \
    }
  CRIU_FNS (CRIU_LOAD)
#undef CRIU_LOAD
  lib.handle = h;
  return 0;
}

static void
cleanup_criu_optsp (criu_opts **o)
{
  if (*o)
    lib.criu_local_free_opts (*o);
}
#define cleanup_criu_opts __attribute__ ((cleanup (cleanup_criu_optsp)))

static bool
require_root (const char *verb, struct ocirun_error **err)
{
  if (geteuid () == 0 && ! running_in_user_namespace ())
    return true;
  ocirun_error_set (err, 0, "%s needs root: CRIU checkpoints and restores containers only as root", verb);
  return false;
}

/* The first "Error (...)" line of CRIU's log (the cause), or NULL.  */
static char *
criu_log_error (const char *dir, const char *log)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, log);
  cleanup_free char *text = NULL;
  char *line = NULL, *save = NULL;
  if (read_all_file (path, &text, NULL, NULL) < 0)
    return NULL;
  for (char *l = strtok_r (text, "\n", &save); l; l = strtok_r (NULL, "\n", &save))
    if ((strstr (l, "Error (") || strstr (l, "Error: "))
        && ! strstr (l, "exited, status=")) /* a helper's exit: its cause follows */
      {
        line = l;
        break;
      }
  return line ? xstrdup (line) : NULL;
}

static int
criu_failed (const char *what, int ret, const char *dir, const char *log, struct ocirun_error **err)
{
  cleanup_free char *line = NULL;
  if (ret == -ECONNREFUSED || ret == -ECOMM || ret == -EBADMSG)
    return ocirun_error_set (err, 0,
                             "%s: cannot talk to the criu binary (%s): install the criu package, or "
                             "name it with --criu PATH",
                             what, strerror (-ret));
  line = criu_log_error (dir, log);
  return ocirun_error_set (err, 0, "%s failed: %s (see %s/%s)", what, line ? line : "criu reported an error",
                           dir, log);
}

static int
open_dir (const char *path, const char *what, bool create, struct ocirun_error **err)
{
  int fd;
  if (create && mkdir (path, 0700) < 0 && errno != EEXIST)
    return ocirun_error_set (err, errno, "%s: create `%s`", what, path);
  fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return ocirun_error_set (err, errno, "%s: open `%s`", what, path);
  return fd;
}

/* The options both directions share.  *work_dir: where the log goes.  */
static int
criu_common (criu_opts *co, const struct ocirun_checkpoint_opts *opts, const char *criu_path, int image_fd,
             int *work_fd, const char *image_path, char **work_dir, const char *log,
             struct ocirun_error **err)
{
  enum ocirun_criu_cg_mode mode;
  static const enum criu_cg_mode modes[] = {
    [OCIRUN_CRIU_CG_SOFT] = CRIU_CG_MODE_SOFT,
    [OCIRUN_CRIU_CG_FULL] = CRIU_CG_MODE_FULL,
    [OCIRUN_CRIU_CG_STRICT] = CRIU_CG_MODE_STRICT,
    [OCIRUN_CRIU_CG_IGNORE] = CRIU_CG_MODE_IGNORE,
  };

  if (ocirun_criu_cg_mode_from_string (opts->manage_cgroups_mode, &mode, err) < 0)
    return -1;
  if (criu_path && lib.criu_local_set_service_binary (co, criu_path) < 0)
    return ocirun_error_set (err, ENOMEM, "--criu `%s`", criu_path);
  lib.criu_local_set_images_dir_fd (co, image_fd);
  if (opts->work_path && *opts->work_path)
    {
      *work_fd = open_dir (opts->work_path, "--work-path", true, err);
      if (*work_fd < 0)
        return -1;
      lib.criu_local_set_work_dir_fd (co, *work_fd);
      *work_dir = realpath (opts->work_path, NULL);
    }
  if (*work_dir == NULL)
    *work_dir = xstrdup (image_path);
  lib.criu_local_set_log_level (co, CRIU_LOG_DEBUG);
  if (lib.criu_local_set_log_file (co, log) < 0)
    return ocirun_error_set (err, ENOMEM, "CRIU log file");
  lib.criu_local_set_tcp_established (co, opts->tcp_established);
  lib.criu_local_set_ext_unix_sk (co, opts->ext_unix_sk);
  lib.criu_local_set_shell_job (co, opts->shell_job);
  lib.criu_local_set_file_locks (co, opts->file_locks);
  lib.criu_local_set_manage_cgroups (co, true);
  lib.criu_local_set_manage_cgroups_mode (co, modes[mode]);
  return 0;
}

/* DEST as CRIU sees it: symlinks resolved inside the rootfs.  */
static char *
dest_in_root (int rootfd, const char *rootfs, const char *dest)
{
  char fdpath[64], buf[PATH_MAX];
  size_t rl = strlen (rootfs);
  ssize_t n;
  cleanup_close int fd = openat_in_root (rootfd, dest, O_PATH, 0, NULL);
  if (fd < 0)
    return xstrdup (dest);
  n = readlink (proc_fd_path (fd, fdpath), buf, sizeof (buf) - 1);
  if (n <= 0)
    return xstrdup (dest);
  buf[n] = '\0';
  if (strncmp (buf, rootfs, rl) == 0 && buf[rl] == '/')
    return xstrdup (buf + rl);
  return xstrdup (dest);
}

static bool
mount_is_bind (const struct oci_mount *m)
{
  struct ocirun_mount_opts o;
  bool bind;
  if (m->type && strcmp (m->type, "bind") == 0)
    return true;
  if (ocirun_mount_parse_options (m->options, m->options_len, &o, NULL) < 0)
    return false;
  bind = o.bind || o.rbind;
  ocirun_mount_opts_release (&o);
  return bind;
}

/* Bind mounts come from the host: CRIU records them as external mounts
   (key: the destination) and restore binds the config's source there.
   A masked file is a bind of /dev/null: external too.  */
static int
add_external_mounts (criu_opts *co, const struct oci_config *config, const char *rootfs, const char *bundle,
                     pid_t pid, struct ocirun_error **err)
{
  cleanup_close int rootfd = open (rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0)
    return ocirun_error_set (err, errno, "open the rootfs `%s`", rootfs);
  for (size_t i = 0; i < config->mounts_len; i++)
    {
      const struct oci_mount *m = config->mounts[i];
      cleanup_free char *key = NULL;
      cleanup_free char *src = NULL;
      if (m->destination == NULL || ! mount_is_bind (m))
        continue;
      key = dest_in_root (rootfd, rootfs, m->destination);
      if (bundle == NULL)
        src = xstrdup (key);
      else if (m->source && m->source[0] == '/')
        src = xstrdup (m->source);
      else
        src = xasprintf ("%s/%s", bundle, m->source ? m->source : "");
      if (lib.criu_local_add_ext_mount (co, key, src) < 0)
        return ocirun_error_set (err, ENOMEM, "mounts[%zu]: CRIU external mount `%s`", i, key);
    }
  for (size_t i = 0; config->linux && i < config->linux->masked_paths_len; i++)
    {
      const char *p = config->linux->masked_paths[i];
      if (bundle == NULL)
        {
          /* checkpoint: only the paths masked with a file bind */
          struct stat st;
          cleanup_free char *in = xasprintf ("/proc/%d/root%s", pid, p);
          if (stat (in, &st) < 0 || S_ISDIR (st.st_mode))
            continue;
        }
      if (lib.criu_local_add_ext_mount (co, p, bundle ? "/dev/null" : p) < 0)
        return ocirun_error_set (err, ENOMEM, "linux.maskedPaths: CRIU external mount `%s`", p);
    }
  return 0;
}

static bool
mount_id_in (const char *mountinfo, int mnt_id)
{
  const char *l = mountinfo;
  while (l && *l)
    {
      if (atoi (l) == mnt_id)
        return true;
      l = strchr (l, '\n');
      if (l)
        l++;
    }
  return false;
}

static int
fd_mnt_id (pid_t pid, int fd)
{
  cleanup_free char *path = xasprintf ("/proc/%d/fdinfo/%d", pid, fd);
  cleanup_free char *text = NULL;
  const char *p;
  if (read_all_file (path, &text, NULL, NULL) < 0 || (p = strstr (text, "mnt_id:")) == NULL)
    return -1;
  return atoi (p + 7);
}

/* Record where fds 0-2 of the init point (DESCRIPTORS_FILE, the generated
   oci_criu_descriptors); files of the caller are marked external.  */
static int
checkpoint_descriptors (criu_opts *co, pid_t pid, int image_fd, struct ocirun_error **err)
{
  cleanup_free char *mountinfo = NULL;
  cleanup_free char *mi_path = xasprintf ("/proc/%d/mountinfo", pid);
  cleanup_free char *json = NULL;
  char *keys[3] = { NULL, NULL, NULL };
  struct oci_criu_descriptors d = { .stdio = keys, .stdio_len = 3 };
  char *msg = NULL;
  int ret = 0;

  if (read_all_file (mi_path, &mountinfo, NULL, err) < 0)
    return ocirun_error_wrap (err, "checkpoint");
  for (int fd = 0; fd < 3; fd++)
    {
      cleanup_free char *p = xasprintf ("/proc/%d/fd/%d", pid, fd);
      char link[PATH_MAX];
      struct stat st;
      ssize_t n = readlink (p, link, sizeof (link) - 1);
      int mnt_id;
      if (n < 0)
        n = 0;
      link[n] = '\0';
      mnt_id = fd_mnt_id (pid, fd);
      keys[fd] = ocirun_criu_descriptor_key (link, mnt_id, stat (p, &st) == 0 ? (unsigned long long) st.st_ino : 0,
                                             mount_id_in (mountinfo, mnt_id));
      if (ret == 0 && strncmp (keys[fd], "file[", 5) == 0 && (fd == 0 || strcmp (keys[fd], keys[0]) != 0)
          && (fd < 2 || strcmp (keys[fd], keys[1]) != 0) && lib.criu_local_add_external (co, keys[fd]) < 0)
        ret = ocirun_error_set (err, ENOMEM, "CRIU external `%s`", keys[fd]);
    }
  if (ret == 0)
    {
      json = oci_criu_descriptors_generate_json (&d, &msg);
      if (json == NULL)
        ret = ocirun_error_set (err, EINVAL, "checkpoint: " DESCRIPTORS_FILE ": %s", msg ? msg : "?");
      else if (write_file_at (image_fd, DESCRIPTORS_FILE, json, strlen (json), err) < 0)
        ret = ocirun_error_wrap (err, "checkpoint: write " DESCRIPTORS_FILE);
    }
  free (msg);
  for (int i = 0; i < 3; i++)
    free (keys[i]);
  return ret;
}

/* Namespaces joined by path stay outside the image: net and pid are marked
   external (restore passes the namespace as an inherited fd), ipc, uts and
   time are joined at restore.  CRIU cannot do that for the others.  */
static int
check_joined_namespaces (const struct oci_config_linux *linux, struct ocirun_error **err)
{
  for (size_t i = 0; linux && i < linux->namespaces_len; i++)
    {
      const struct oci_namespace_reference *ns = linux->namespaces[i];
      int flag = ocirun_ns_flag_from_type (ns->type);
      if (ns->path && *ns->path && (flag == CLONE_NEWUSER || flag == CLONE_NEWNS || flag == CLONE_NEWCGROUP))
        return ocirun_error_set (err, 0,
                                 "linux.namespaces[%zu]: the container joined the %s namespace `%s`: "
                                 "CRIU cannot checkpoint or restore that (give the container its own)",
                                 i, ns->type, ns->path);
    }
  return 0;
}

static int
checkpoint_namespaces (criu_opts *co, const struct oci_config_linux *linux, struct ocirun_error **err)
{
  if (check_joined_namespaces (linux, err) < 0)
    return -1;
  for (size_t i = 0; linux && i < linux->namespaces_len; i++)
    {
      const struct oci_namespace_reference *ns = linux->namespaces[i];
      int flag = ocirun_ns_flag_from_type (ns->type);
      cleanup_free char *key = NULL;
      struct stat st;
      if (ns->path == NULL || *ns->path == '\0' || (flag != CLONE_NEWNET && flag != CLONE_NEWPID))
        continue;
      if (stat (ns->path, &st) < 0)
        return ocirun_error_set (err, errno, "linux.namespaces[%zu].path `%s`", i, ns->path);
      key = xasprintf ("%s[%llu]:%s", flag == CLONE_NEWNET ? "net" : "pid", (unsigned long long) st.st_ino,
                       flag == CLONE_NEWNET ? EXT_NETNS : EXT_PIDNS);
      if (lib.criu_local_add_external (co, key) < 0)
        return ocirun_error_set (err, ENOMEM, "CRIU external `%s`", key);
    }
  return 0;
}

int
ocirun_container_checkpoint (struct ocirun_context *ctx, const struct ocirun_checkpoint_opts *opts,
                             struct ocirun_error **err)
{
  cleanup_store struct ocirun_store *st = NULL;
  cleanup_ocirun_state struct oci_ocirun_state *state = NULL;
  cleanup_oci_config struct oci_config *config = NULL;
  cleanup_criu_opts criu_opts *co = NULL;
  cleanup_close int image_fd = -1;
  cleanup_close int work_fd = -1;
  cleanup_free char *image_path = NULL;
  cleanup_free char *work_dir = NULL;
  cleanup_free char *what = NULL;
  enum ocirun_criu_cg_mode mode;
  const char *status;
  int ret;

  if (ocirun_criu_cg_mode_from_string (opts->manage_cgroups_mode, &mode, err) < 0)
    return -1;
  if (ocirun_container_open (ctx, true, &st, &state, &status, err) < 0)
    return -1;
  if (strcmp (status, "running") != 0 && strcmp (status, "paused") != 0)
    return ocirun_error_set (err, 0, "container `%s` cannot be checkpointed: it is %s, not running", ctx->id,
                             status);
  if (! require_root ("checkpoint", err) || criu_load ("checkpoint", err) < 0)
    return -1;
  if (state->config_path == NULL || ocirun_load_config (state->config_path, &config, err) < 0)
    {
      if (*err == NULL)
        ocirun_error_set (err, 0, "container `%s` has no config recorded", ctx->id);
      return ocirun_error_wrap (err, "checkpoint");
    }
  if (check_joined_namespaces (config->linux, err) < 0)
    return ocirun_error_wrap (err, "checkpoint");
  {
    const char *p = opts->image_path && *opts->image_path ? opts->image_path : "checkpoint";
    image_fd = open_dir (p, "--image-path", true, err);
    if (image_fd < 0 || resolve_image_path (opts, &image_path, err) < 0)
      return -1;
  }
  if ((ret = lib.criu_local_init_opts (&co)) < 0)
    return ocirun_error_set (err, -ret, "checkpoint: initialise libcriu");
  if (criu_common (co, opts, ctx->criu_path, image_fd, &work_fd, image_path, &work_dir, DUMP_LOG, err) < 0)
    return -1;
  lib.criu_local_set_pid (co, (int) state->pid);
  lib.criu_local_set_leave_running (co, opts->leave_running);
  lib.criu_local_set_orphan_pts_master (co, true);
  if (lib.criu_local_set_root (co, state->rootfs) < 0)
    return ocirun_error_set (err, ENOMEM, "CRIU root");
  if (state->cgroup_path && *state->cgroup_path)
    {
      /* CRIU freezes the tree with cgroup.freeze: no process escapes */
      cleanup_free char *freezer = xasprintf ("%s%s", OCIRUN_CGROUP_ROOT, state->cgroup_path);
      if (lib.criu_local_set_freeze_cgroup (co, freezer) < 0)
        return ocirun_error_set (err, ENOMEM, "CRIU freeze cgroup");
    }
  if (add_external_mounts (co, config, state->rootfs, NULL, (pid_t) state->pid, err) < 0
      || checkpoint_namespaces (co, config->linux, err) < 0
      || checkpoint_descriptors (co, (pid_t) state->pid, image_fd, err) < 0)
    return ocirun_error_wrap (err, "checkpoint");
  ret = lib.criu_local_dump (co);
  what = xasprintf ("checkpoint of container `%s`", ctx->id);
  if (ret != 0)
    return criu_failed (what, ret, work_dir, DUMP_LOG, err);
  /* without --leave-running CRIU killed the tree: the container is stopped
     (its record stays until delete, or until restore replaces it) */
  return 0;
}

/* restore: the terminal's new master (--console-socket, or kept for run).  */
static const char *notify_console_socket;
static int notify_pty = -1;
static char *notify_error;

static int
restore_notify (char *action, criu_notify_arg_t na)
{
  int master;
  (void) na;
  if (strcmp (action, "orphan-pts-master") != 0)
    return 0;
  master = lib.criu_get_orphan_pts_master_fd ();
  if (master < 0)
    return 0;
  if (notify_console_socket)
    {
      struct ocirun_error *e = NULL;
      int sock = ocirun_console_socket_connect (notify_console_socket, &e);
      if (sock < 0 || ocirun_send_fd (sock, master, &e) < 0)
        {
          notify_error = xstrdup (e->msg);
          ocirun_error_free (&e);
        }
      if (sock >= 0)
        close (sock);
      close (master);
      return notify_error ? -1 : 0;
    }
  notify_pty = master;
  return 0;
}

/* Hand our fds 0-2 to the restored tree where it had the caller's pipes and
   files (runc does this for pipes).  */
static int
restore_descriptors (criu_opts *co, int image_fd, struct ocirun_error **err)
{
  cleanup_free char *text = NULL;
  char *msg = NULL;
  size_t len = 0;
  struct oci_criu_descriptors *d;
  int ret = 0;

  if (read_all_file_at (image_fd, DESCRIPTORS_FILE, &text, &len, NULL) < 0)
    return 0; /* not ours: CRIU decides */
  d = oci_criu_descriptors_parse_data (text, len, &msg);
  if (d == NULL)
    {
      ret = ocirun_error_set (err, 0, "restore: " DESCRIPTORS_FILE ": %s", msg ? msg : "invalid");
      free (msg);
      return ret;
    }
  for (size_t i = 0; i < d->stdio_len && i < 3 && ret == 0; i++)
    {
      const char *key = d->stdio[i];
      if (key == NULL || (strncmp (key, "pipe:", 5) != 0 && strncmp (key, "file[", 5) != 0))
        continue;
      if (fcntl ((int) i, F_GETFD) < 0)
        ret = ocirun_error_set (err, 0,
                                "restore: fd %zu is closed: the restored process gets it in place of its "
                                "old `%s` (open it)",
                                i, key);
      else if (lib.criu_local_add_inherit_fd (co, (int) i, key) < 0)
        ret = ocirun_error_set (err, ENOMEM, "CRIU inherit fd `%s`", key);
    }
  free_oci_criu_descriptors (d);
  return ret;
}

static int
restore_namespaces (criu_opts *co, const struct oci_config_linux *linux, int ns_fds[2], struct ocirun_error **err)
{
  if (check_joined_namespaces (linux, err) < 0)
    return -1;
  for (size_t i = 0; linux && i < linux->namespaces_len; i++)
    {
      const struct oci_namespace_reference *ns = linux->namespaces[i];
      int flag = ocirun_ns_flag_from_type (ns->type);
      if (ns->path == NULL || *ns->path == '\0')
        continue;
      if (flag == CLONE_NEWNET || flag == CLONE_NEWPID)
        {
          int k = flag == CLONE_NEWNET ? 0 : 1;
          /* not O_CLOEXEC: criu inherits it */
          ns_fds[k] = open (ns->path, O_RDONLY);
          if (ns_fds[k] < 0)
            return ocirun_error_set (err, errno, "linux.namespaces[%zu].path `%s`", i, ns->path);
          if (lib.criu_local_add_inherit_fd (co, ns_fds[k], k == 0 ? EXT_NETNS : EXT_PIDNS) < 0)
            return ocirun_error_set (err, ENOMEM, "CRIU inherit fd");
        }
      else if ((flag == CLONE_NEWIPC || flag == CLONE_NEWUTS || flag == CLONE_NEWTIME)
               && lib.criu_local_join_ns_add (co, ns->type, ns->path, NULL) < 0)
        return ocirun_error_set (err, 0, "linux.namespaces[%zu]: CRIU cannot join `%s`", i, ns->path);
    }
  return 0;
}

/* Mount points the config needs must exist in the rootfs (a fresh copy of
   it may lack them); those on a tmpfs of the config come with the image.  */
static int
restore_mount_points (const struct oci_config *config, const char *rootfs, const char *bundle,
                      struct ocirun_error **err)
{
  cleanup_close int rootfd = open (rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0)
    return ocirun_error_set (err, errno, "open the rootfs `%s`", rootfs);
  for (size_t i = 0; i < config->mounts_len; i++)
    {
      const struct oci_mount *m = config->mounts[i];
      bool on_tmpfs = false, is_file = false;
      int fd;
      size_t dl = strlen (m->destination);
      for (size_t j = 0; j < config->mounts_len && ! on_tmpfs; j++)
        {
          const char *d = config->mounts[j]->destination;
          size_t l = strlen (d);
          on_tmpfs = config->mounts[j]->type && strcmp (config->mounts[j]->type, "tmpfs") == 0 && l < dl
                     && strncmp (m->destination, d, l) == 0 && (m->destination[l] == '/' || l == 1);
        }
      if (on_tmpfs || (m->type && strncmp (m->type, "cgroup", 6) == 0))
        continue;
      if (mount_is_bind (m) && m->source)
        {
          struct stat sb;
          cleanup_free char *src = m->source[0] == '/' ? xstrdup (m->source)
                                                       : xasprintf ("%s/%s", bundle, m->source);
          is_file = stat (src, &sb) == 0 && ! S_ISDIR (sb.st_mode);
        }
      fd = mkdirat_in_root (rootfd, m->destination, 0755, is_file, err);
      if (fd < 0)
        return ocirun_error_wrap (err, "mounts[%zu]: mount point `%s`", i, m->destination);
      close (fd);
    }
  return 0;
}

static int
restore_with_root (criu_opts *co, const struct ocirun_criu_restore_env *env, pid_t *pid,
                   struct ocirun_error **err)
{
  /* CRIU wants the root as a mount point of its own: bind the rootfs
     beside the state directories (never inside one: delete removes those) */
  cleanup_free char *root = xasprintf ("%s/.%s.criu-root", env->state_root, env->id);
  int ret;

  if (mkdir (root, 0700) < 0 && errno != EEXIST)
    return ocirun_error_set (err, errno, "restore: create `%s`", root);
  if (mount (env->rootfs, root, NULL, MS_BIND | MS_REC, NULL) < 0)
    {
      ocirun_error_set (err, errno, "restore: bind the rootfs to `%s`", root);
      rmdir (root);
      return -1;
    }
  /* keep our mount there out of the host's peers */
  mount (NULL, root, NULL, MS_PRIVATE | MS_REC, NULL);
  ret = lib.criu_local_set_root (co, root);
  if (ret == 0)
    ret = lib.criu_local_restore_child (co);
  else
    ret = -ENOMEM;
  if (umount2 (root, MNT_DETACH) < 0)
    ocirun_warning ("restore: unmount `%s`: %s", root, strerror (errno));
  else
    rmdir (root);
  *pid = ret;
  return ret;
}

int
ocirun_criu_restore_init (const struct ocirun_checkpoint_opts *opts, const struct ocirun_criu_restore_env *env,
                          pid_t *pid, int *pty_master, struct ocirun_error **err)
{
  cleanup_criu_opts criu_opts *co = NULL;
  cleanup_close int image_fd = -1;
  cleanup_close int work_fd = -1;
  cleanup_close int netns_fd = -1;
  cleanup_close int pidns_fd = -1;
  cleanup_free char *image_path = NULL;
  cleanup_free char *work_dir = NULL;
  int ns_fds[2] = { -1, -1 };
  int ret;

  *pid = -1;
  *pty_master = -1;
  if (criu_load ("restore", err) < 0 || resolve_image_path (opts, &image_path, err) < 0)
    return -1;
  image_fd = open_dir (image_path, "--image-path", false, err);
  if (image_fd < 0)
    return -1;
  if ((ret = lib.criu_local_init_opts (&co)) < 0)
    return ocirun_error_set (err, -ret, "restore: initialise libcriu");
  if (criu_common (co, opts, env->criu_path, image_fd, &work_fd, image_path, &work_dir, RESTORE_LOG, err) < 0)
    return -1;
  ret = restore_namespaces (co, env->config->linux, ns_fds, err);
  netns_fd = ns_fds[0];
  pidns_fd = ns_fds[1];
  if (ret < 0 || restore_descriptors (co, image_fd, err) < 0
      || add_external_mounts (co, env->config, env->rootfs, env->bundle, -1, err) < 0
      || restore_mount_points (env->config, env->rootfs, env->bundle, err) < 0)
    return ocirun_error_wrap (err, "restore");
  if (env->cgroup_path && lib.criu_local_add_cg_root (co, NULL, env->cgroup_path) < 0)
    return ocirun_error_set (err, ENOMEM, "CRIU cgroup root");
  if (env->terminal)
    {
      lib.criu_local_set_orphan_pts_master (co, true);
      notify_console_socket = env->console_socket;
      notify_pty = -1;
      lib.criu_local_set_notify_cb (co, restore_notify);
    }
  ret = restore_with_root (co, env, pid, err);
  if (*err)
    return -1;
  if (ret <= 0)
    {
      cleanup_free char *what = xasprintf ("restore of container `%s`", env->id);
      cleanup_free char *nerr = steal_pointer (&notify_error);
      if (notify_pty >= 0)
        close (steal_fd (&notify_pty));
      if (nerr)
        return ocirun_error_set (err, 0, "%s: --console-socket: %s", what, nerr);
      return criu_failed (what, ret, work_dir, RESTORE_LOG, err);
    }
  *pty_master = steal_fd (&notify_pty);
  return 0;
}

int
ocirun_container_restore (struct ocirun_context *ctx, const struct ocirun_checkpoint_opts *opts,
                          int *exit_code, struct ocirun_error **err)
{
  cleanup_free char *image_path = NULL;
  enum ocirun_criu_cg_mode mode;
  struct stat sb;

  *exit_code = 0;
  if (ocirun_validate_id (ctx->id, err) < 0
      || ocirun_criu_cg_mode_from_string (opts->manage_cgroups_mode, &mode, err) < 0)
    return -1;
  {
    const char *p = opts->image_path && *opts->image_path ? opts->image_path : "checkpoint";
    if (stat (p, &sb) < 0 || ! S_ISDIR (sb.st_mode))
      return ocirun_error_set (err, 0,
                               "restore: image directory `%s` does not exist (pass the --image-path "
                               "`ocirun checkpoint` wrote to)",
                               p);
    if (resolve_image_path (opts, &image_path, err) < 0)
      return -1;
  }
  {
    cleanup_free char *inventory = xasprintf ("%s/inventory.img", image_path);
    if (stat (inventory, &sb) < 0)
      return ocirun_error_set (err, 0,
                               "restore: `%s` holds no checkpoint (no inventory.img): pass the "
                               "--image-path `ocirun checkpoint` wrote to",
                               image_path);
  }
  if (! require_root ("restore", err) || criu_load ("restore", err) < 0)
    return -1;
  {
    /* a checkpointed container stays, stopped, until something replaces it */
    cleanup_store struct ocirun_store *st = NULL;
    cleanup_ocirun_state struct oci_ocirun_state *state = NULL;
    const char *status;
    struct ocirun_error *e = NULL;
    if (ocirun_container_open (ctx, true, &st, &state, &status, &e) == 0)
      {
        if (strcmp (status, "stopped") != 0)
          return ocirun_error_set (err, 0,
                                   "container `%s` exists and is %s: restore under another id, or "
                                   "delete it first",
                                   ctx->id, status);
        ocirun_store_free (steal_pointer (&st));
        if (ocirun_container_delete (ctx, false, err) < 0)
          return ocirun_error_wrap (err, "restore: replace the stopped container `%s`", ctx->id);
      }
    ocirun_error_free (&e);
  }
  return ocirun_container_run_restored (ctx, opts, exit_code, err);
}

#endif /* HAVE_CRIU */
