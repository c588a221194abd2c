/* ocirun: the on-disk state store.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include "ocirun.h"
#include "status.h"
#include "utils.h"

static int
check_private_dir (const char *path, struct ocirun_error **err)
{
  struct stat st;
  if (lstat (path, &st) < 0)
    return ocirun_error_set (err, errno, "stat state root `%s`", path);
  if (! S_ISDIR (st.st_mode))
    return ocirun_error_set (err, 0, "state root `%s` is not a directory (remove it or pass --root)", path);
  if (st.st_uid != geteuid ())
    return ocirun_error_set (err, 0,
                             "state root `%s` is owned by uid %u, not by you (uid %u): remove it or pass --root DIR",
                             path, st.st_uid, geteuid ());
  return 0;
}

int
ocirun_store_resolve_root (const char *requested, char **out, struct ocirun_error **err)
{
  const char *xdg;
  struct stat st;

  if (requested && *requested)
    {
      if (mkdir_p (requested, 0700, err) < 0)
        return ocirun_error_wrap (err, "create state root (--root)");
      *out = xstrdup (requested);
      return 0;
    }
  if (! ocirun_is_rootless ())
    {
      if (mkdir_p ("/run/ocirun", 0700, err) < 0)
        return -1;
      *out = xstrdup ("/run/ocirun");
      return 0;
    }
  xdg = getenv ("XDG_RUNTIME_DIR");
  if (xdg && *xdg)
    {
      cleanup_free char *p = xasprintf ("%s/ocirun", xdg);
      if (mkdir_p (p, 0700, err) < 0)
        return ocirun_error_wrap (err, "create state root in XDG_RUNTIME_DIR");
      *out = steal_pointer (&p);
      return 0;
    }
  /* Root of a user namespace without XDG_RUNTIME_DIR is treated like any
     unprivileged user: its real uid on the host owns /run/user/UID.  */
  {
    cleanup_free char *run_user = xasprintf ("/run/user/%u", geteuid ());
    if (stat (run_user, &st) == 0 && S_ISDIR (st.st_mode) && st.st_uid == geteuid ()
        && access (run_user, W_OK) == 0)
      {
        cleanup_free char *p = xasprintf ("%s/ocirun", run_user);
        if (mkdir_p (p, 0700, err) < 0)
          return -1;
        *out = steal_pointer (&p);
        return 0;
      }
  }
  {
    cleanup_free char *p = xasprintf ("/tmp/ocirun-%u", geteuid ());
    if (mkdir (p, 0700) < 0 && errno != EEXIST)
      return ocirun_error_set (err, errno, "create state root `%s`", p);
    if (check_private_dir (p, err) < 0)
      return -1;
    *out = steal_pointer (&p);
  }
  return 0;
}

void
ocirun_store_free (struct ocirun_store *st)
{
  if (st == NULL)
    return;
  if (st->dirfd >= 0)
    close (st->dirfd);
  if (st->rootfd >= 0)
    close (st->rootfd);
  free (st->root);
  free (st->id);
  free (st);
}

void
cleanup_storep (struct ocirun_store **st)
{
  ocirun_store_free (*st);
}

/* "does not exist", with ENOENT as its errno (ERR may be NULL).  */
static int
not_found (struct ocirun_error **err, const char *id)
{
  ocirun_error_set (err, 0, "container `%s` does not exist", id);
  if (err && *err)
    (*err)->errnum = ENOENT;
  return -1;
}

static struct ocirun_store *
store_new (const char *root, const char *id)
{
  struct ocirun_store *st = xmalloc0 (sizeof (*st));
  st->root = xstrdup (root);
  st->id = xstrdup (id);
  st->rootfd = -1;
  st->dirfd = -1;
  return st;
}

int
ocirun_store_create (const char *root, const char *id, struct ocirun_store **out,
                     struct ocirun_error **err)
{
  cleanup_store struct ocirun_store *st = store_new (root, id);

  st->rootfd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (st->rootfd < 0)
    return ocirun_error_set (err, errno, "open state root `%s`", root);
  if (mkdirat (st->rootfd, id, 0700) < 0)
    {
      if (errno == EEXIST)
        return ocirun_error_set (err, 0, "container `%s` already exists (delete it first, or pick another id)", id);
      return ocirun_error_set (err, errno, "create state directory `%s/%s`", root, id);
    }
  st->dirfd = openat (st->rootfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (st->dirfd < 0)
    {
      int e = errno;
      unlinkat (st->rootfd, id, AT_REMOVEDIR);
      return ocirun_error_set (err, e, "open state directory `%s/%s`", root, id);
    }
  if (flock (st->dirfd, LOCK_EX) < 0)
    {
      int e = errno;
      unlinkat (st->rootfd, id, AT_REMOVEDIR);
      return ocirun_error_set (err, e, "lock state directory `%s/%s`", root, id);
    }
  *out = steal_pointer (&st);
  return 0;
}

int
ocirun_store_open (const char *root, const char *id, bool exclusive, struct ocirun_store **out,
                   struct ocirun_error **err)
{
  cleanup_store struct ocirun_store *st = store_new (root, id);

  st->rootfd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (st->rootfd < 0)
    {
      if (errno == ENOENT)
        return not_found (err, id);
      return ocirun_error_set (err, errno, "open state root `%s`", root);
    }
  st->dirfd = openat (st->rootfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (st->dirfd < 0)
    {
      if (errno == ENOENT)
        return not_found (err, id);
      return ocirun_error_set (err, errno, "open state directory `%s/%s`", root, id);
    }
  if (flock (st->dirfd, exclusive ? LOCK_EX : LOCK_SH) < 0)
    return ocirun_error_set (err, errno, "lock state directory `%s/%s`", root, id);
  /* A concurrent delete may have removed it while we waited for the lock.  */
  {
    struct stat a, b;
    if (fstatat (st->rootfd, id, &a, AT_SYMLINK_NOFOLLOW) < 0 || fstat (st->dirfd, &b) < 0
        || a.st_ino != b.st_ino)
      return not_found (err, id);
  }
  *out = steal_pointer (&st);
  return 0;
}

int
ocirun_store_remove (struct ocirun_store *st, struct ocirun_error **err)
{
  if (rm_rf_at (st->rootfd, st->id) < 0 && errno != ENOENT)
    return ocirun_error_set (err, errno, "remove state directory `%s/%s`", st->root, st->id);
  return 0;
}

int
ocirun_store_write_state (struct ocirun_store *st, const struct oci_ocirun_state *state,
                          struct ocirun_error **err)
{
  cleanup_free char *msg = NULL;
  cleanup_free char *json = oci_ocirun_state_generate_json (state, &msg);
  if (json == NULL)
    return ocirun_error_set (err, 0, "serialize state: %s", msg ? msg : "unknown error");
  return write_file_atomic_at (st->dirfd, OCIRUN_STATE_NAME, json, strlen (json), err);
}

int
ocirun_store_read_state (struct ocirun_store *st, struct oci_ocirun_state **out,
                         struct ocirun_error **err)
{
  cleanup_free char *buf = NULL;
  cleanup_free char *msg = NULL;
  size_t len;
  struct ocirun_error *e = NULL;

  if (read_all_file_at (st->dirfd, OCIRUN_STATE_NAME, &buf, &len, &e) < 0)
    {
      if (e->errnum != ENOENT)
        {
          ocirun_error_propagate (err, &e);
          return -1;
        }
      ocirun_error_free (&e);
      return ocirun_error_set (err, 0,
                               "container `%s` has no state (its creation was interrupted): "
                               "remove it with `ocirun delete --force %s`",
                               st->id, st->id);
    }
  *out = oci_ocirun_state_parse_data (buf, len, &msg);
  if (*out == NULL)
    return ocirun_error_set (err, 0,
                             "state of container `%s` is corrupt (%s): remove it with `ocirun delete --force %s`",
                             st->id, msg ? msg : "?", st->id);
  return 0;
}

void
cleanup_ocirun_statep (struct oci_ocirun_state **s)
{
  free_oci_ocirun_state (*s);
}

char *
ocirun_boot_id (void)
{
  char *v = NULL;
  size_t len = 0;
  if (read_all_file ("/proc/sys/kernel/random/boot_id", &v, &len, NULL) < 0)
    return NULL;
  while (len && (v[len - 1] == '\n' || v[len - 1] == ' '))
    v[--len] = '\0';
  return v;
}

bool
ocirun_state_process_alive (const struct oci_ocirun_state *state)
{
  char path[64], buf[512];
  int fd;
  ssize_t n;
  char *p;

  if (! state->pid_present || state->pid <= 0)
    return false;
  if (state->boot_id && *state->boot_id)
    {
      /* a record that outlived a reboot (a persistent --root): its pid now
         names a stranger */
      cleanup_free char *now = ocirun_boot_id ();
      if (now && strcmp (now, state->boot_id) != 0)
        return false;
    }
  snprintf (path, sizeof (path), "/proc/%ld/stat", (long) state->pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  n = read (fd, buf, sizeof (buf) - 1);
  close (fd);
  if (n <= 0)
    return false;
  buf[n] = '\0';
  p = strrchr (buf, ')');
  if (p == NULL || p[1] == '\0' || p[2] == 'Z' || p[2] == 'X')
    return false;
  if (state->init_start_time_present && state->init_start_time
      && proc_start_time ((pid_t) state->pid) != state->init_start_time)
    return false;
  return true;
}

const char *
ocirun_store_live_status (struct ocirun_store *st, const struct oci_ocirun_state *state)
{
  struct stat sb;

  if (state->status && strcmp (state->status, "creating") == 0)
    {
      /* still being created by a live runtime?  */
      if (ocirun_state_process_alive (state))
        return "creating";
      return "stopped";
    }
  if (! ocirun_state_process_alive (state))
    return "stopped";
  if (fstatat (st->dirfd, OCIRUN_FIFO_NAME, &sb, 0) == 0)
    return "created";
  if (state->cgroup_path && *state->cgroup_path)
    {
      cleanup_free char *events = NULL;
      cleanup_free char *p = xasprintf ("/sys/fs/cgroup%s/cgroup.events", state->cgroup_path);
      if (read_all_file (p, &events, NULL, NULL) == 0 && strstr (events, "frozen 1"))
        return "paused";
    }
  return "running";
}

int
ocirun_store_list_ids (const char *root, char ***ids, struct ocirun_error **err)
{
  cleanup_dir DIR *d = opendir (root);
  struct dirent *de;
  size_t n = 0;
  char **v = xmalloc0 (sizeof (char *));

  if (d == NULL)
    {
      if (errno == ENOENT)
        {
          *ids = v;
          return 0;
        }
      free (v);
      return ocirun_error_set (err, errno, "open state root `%s`", root);
    }
  while ((de = readdir (d)))
    {
      if (de->d_name[0] == '.')
        continue;
      if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
        continue;
      v = xrealloc (v, (n + 2) * sizeof (char *));
      v[n++] = xstrdup (de->d_name);
      v[n] = NULL;
    }
  *ids = v;
  return 0;
}

char *
ocirun_timestamp_now (void)
{
  struct timespec ts;
  struct tm tm;
  char buf[64];
  size_t len;
  clock_gettime (CLOCK_REALTIME, &ts);
  gmtime_r (&ts.tv_sec, &tm);
  len = strftime (buf, sizeof (buf) - 16, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf (buf + len, sizeof (buf) - len, ".%09ldZ", ts.tv_nsec);
  return xstrdup (buf);
}
