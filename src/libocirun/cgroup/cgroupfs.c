/* ocirun: the cgroupfs manager: create the container's cgroup directly in cgroup2,
 * enabling only the needed controllers on the way down.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../utils.h"
#include "cgroup-internal.h"

/* Controllers enabled when available, so that stats work.  */
static const char *const stats_controllers[] = { "cpu", "io", "memory", "pids", NULL };

static char *
normalize (const char *p)
{
  /* collapse "//", drop "." components and a trailing "/" */
  size_t l = strlen (p);
  char *out = xmalloc0 (l + 2);
  size_t o = 0;
  for (const char *s = p; *s;)
    {
      while (*s == '/')
        s++;
      size_t c = strcspn (s, "/");
      if (c == 0)
        break;
      if (! (c == 1 && s[0] == '.'))
        {
          out[o++] = '/';
          memcpy (out + o, s, c);
          o += c;
        }
      s += c;
    }
  if (o == 0)
    out[o++] = '/';
  out[o] = '\0';
  return out;
}

int
cgroupfs_path (const struct ocirun_cgroup_opts *opts, const char *own, char **out, struct ocirun_error **err)
{
  const char *cp = opts->cgroups_path;
  *out = NULL;
  if (cp && cp[0])
    {
      /* no ".." anywhere: the path must stay inside the hierarchy */
      for (const char *s = cp; (s = strstr (s, "..")); s += 2)
        if ((s == cp || s[-1] == '/') && (s[2] == '/' || s[2] == '\0'))
          return ocirun_error_set (err, EINVAL, "linux.cgroupsPath \"%s\" contains \"..\"", cp);
      if (strchr (cp, ':') && cp[0] != '/')
        return ocirun_error_set (err, EINVAL, "linux.cgroupsPath \"%s\" looks like a systemd path "
                                 "(slice:prefix:name): use --cgroup-manager=systemd, or give a path", cp);
      cleanup_free char *joined = cp[0] == '/' ? xstrdup (cp) : xasprintf ("%s/%s", own ? own : "/", cp);
      *out = normalize (joined);
      if (strcmp (*out, "/") == 0)
        {
          free (*out);
          *out = NULL;
          return ocirun_error_set (err, EINVAL, "linux.cgroupsPath \"%s\" is the root cgroup", cp);
        }
      return 0;
    }
  if (opts->rootless)
    {
      cleanup_free char *joined = xasprintf ("%s/ocirun-%s", own ? own : "/", opts->id);
      *out = normalize (joined);
      return 0;
    }
  *out = xasprintf ("/ocirun/%s", opts->id);
  return 0;
}

static int
missing_controller_error (const char *c, const char *where, bool rootless, struct ocirun_error **err)
{
  if (rootless)
    return ocirun_error_set (err, EPERM,
                             "cgroup controller \"%s\" is not delegated to uid %d (enable it with a systemd "
                             "drop-in: /etc/systemd/system/user@.service.d/delegate.conf with [Service] "
                             "Delegate=cpu cpuset io memory pids)", c, (int) geteuid ());
  return ocirun_error_set (err, ENOENT, "cgroup controller \"%s\" is not available in %s%s (cgroup.controllers "
                           "lacks it: enable it in the parent's cgroup.subtree_control, or drop the resource "
                           "that needs it)", c, OCIRUN_CGROUP_ROOT, where);
}

/* In DIRFD (the cgroup WHERE), make sure every controller of NEEDED (space separated)
   is in cgroup.subtree_control; optional stats controllers are added when possible.  */
static int
enable_controllers (int dirfd, const char *where, const char *needed, bool rootless, struct ocirun_error **err)
{
  cleanup_free char *avail = NULL;
  cleanup_free char *enabled = NULL;
  cleanup_free char *req = xstrdup ("");
  int r;

  if ((r = cg_read (dirfd, "cgroup.controllers", &avail)) < 0)
    return ocirun_error_set (err, -r, "read %s%s/cgroup.controllers", OCIRUN_CGROUP_ROOT, where);
  if ((r = cg_read (dirfd, "cgroup.subtree_control", &enabled)) < 0)
    return ocirun_error_set (err, -r, "read %s%s/cgroup.subtree_control", OCIRUN_CGROUP_ROOT, where);

  for (const char *p = needed; *p;)
    {
      size_t l = strcspn (p, " ");
      cleanup_free char *c = strndup (p, l);
      p += l;
      while (*p == ' ')
        p++;
      if (c[0] == '\0' || cg_word_in (enabled, c))
        continue;
      if (! cg_word_in (avail, c))
        return missing_controller_error (c, where, rootless, err);
      char *n = xasprintf ("%s%s+%s", req, req[0] ? " " : "", c);
      free (req);
      req = n;
    }
  if (req[0])
    {
      r = cg_write (dirfd, "cgroup.subtree_control", req);
      if (r == -EBUSY)
        return ocirun_error_set (err, EBUSY,
                                 "cannot enable controllers \"%s\" in %s%s: the cgroup has processes of its own "
                                 "(cgroup v2 \"no internal processes\" rule: move them to a child cgroup, or use a "
                                 "cgroupsPath under a cgroup without processes)", req, OCIRUN_CGROUP_ROOT, where);
      if (r == -EACCES || r == -EPERM || r == -EROFS)
        return ocirun_error_set (err, -r, "cannot enable controllers \"%s\" in %s%s%s", req, OCIRUN_CGROUP_ROOT,
                                 where, rootless ? " (the cgroup is not delegated to this user: run from a "
                                 "delegated cgroup, e.g. systemd-run --user --scope -p Delegate=yes, or use "
                                 "--cgroup-manager=systemd)" : "");
      if (r < 0)
        return ocirun_error_set (err, -r, "enable controllers \"%s\" in %s%s/cgroup.subtree_control", req,
                                 OCIRUN_CGROUP_ROOT, where);
    }
  /* Best effort: the controllers that stats read.  */
  for (size_t i = 0; stats_controllers[i]; i++)
    if (! cg_word_in (enabled, stats_controllers[i]) && ! cg_word_in (needed, stats_controllers[i])
        && cg_word_in (avail, stats_controllers[i]))
      {
        char buf[32];
        snprintf (buf, sizeof buf, "+%s", stats_controllers[i]);
        if (cg_write (dirfd, "cgroup.subtree_control", buf) < 0)
          ocirun_debug ("cgroup %s: cannot enable %s for stats", where, stats_controllers[i]);
      }
  return 0;
}

static int
mkdir_error (int e, const char *path, bool rootless, struct ocirun_error **err)
{
  if (e == EACCES || e == EPERM || e == EROFS)
    return ocirun_error_set (err, e, "cannot create cgroup %s%s%s", OCIRUN_CGROUP_ROOT, path,
                             rootless ? " (it is outside the cgroup delegated to this user: use a relative "
                             "cgroupsPath, run from a delegated cgroup, or use --cgroup-manager=systemd)"
                             : "");
  return ocirun_error_set (err, e, "cannot create cgroup %s%s", OCIRUN_CGROUP_ROOT, path);
}

/* Create PATH and enable NEEDED on the way down.  Sets *created when the leaf was made.  */
static int
create_path (int rootfd, const char *path, const char *needed, bool rootless, bool *created, int *leaf_fd,
             struct ocirun_error **err)
{
  cleanup_close int cur = dup (rootfd);
  cleanup_free char *where = xstrdup ("");
  if (cur < 0)
    return ocirun_error_set (err, errno, "dup");
  *created = false;
  for (const char *s = path; *s;)
    {
      while (*s == '/')
        s++;
      size_t l = strcspn (s, "/");
      if (l == 0)
        break;
      cleanup_free char *comp = strndup (s, l);
      s += l;
      bool last = strspn (s, "/") == strlen (s);

      if (enable_controllers (cur, where[0] ? where : "/", needed, rootless, err) < 0)
        return -1;
      char *nw = xasprintf ("%s/%s", where, comp);
      free (where);
      where = nw;
      if (mkdirat (cur, comp, 0755) == 0)
        {
          if (last)
            *created = true;
        }
      else if (errno != EEXIST)
        return mkdir_error (errno, where, rootless, err);
      int next = openat (cur, comp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (next < 0)
        {
          int e = errno;
          if (last && *created)
            unlinkat (cur, comp, AT_REMOVEDIR);
          return ocirun_error_set (err, e, "open cgroup %s%s", OCIRUN_CGROUP_ROOT, where);
        }
      close (cur);
      cur = next;
    }
  *leaf_fd = steal_fd (&cur);
  return 0;
}

/* The top of the subtree delegated to us on the way to PATH: the first existing
   ancestor we own, else the deepest existing one.  */
static char *
delegation_root (int rootfd, const char *path)
{
  cleanup_free char *cur = xstrdup ("");
  char *deepest = xstrdup ("/");
  for (const char *s = path; *s;)
    {
      while (*s == '/')
        s++;
      size_t l = strcspn (s, "/");
      if (l == 0)
        break;
      char *next = xasprintf ("%s/%.*s", cur, (int) l, s);
      free (cur);
      cur = next;
      s += l;
      struct stat st;
      if (fstatat (rootfd, cur + 1, &st, 0) < 0)
        break;
      free (deepest);
      deepest = xstrdup (cur);
      if (st.st_uid == geteuid ())
        break;
    }
  return deepest;
}

int
cgroupfs_prepare (const struct ocirun_cgroup_opts *opts, struct ocirun_cgroup *cg, struct ocirun_error **err)
{
  cleanup_free char *own = NULL;
  cleanup_free char *path = NULL;
  cleanup_free char *needed = NULL;
  cleanup_error struct ocirun_error *own_err = NULL;
  bool asked = cg_resources_requested (opts->resources, opts->rootless);

  if (cg_own_path (0, &own, &own_err) < 0 && (opts->rootless || (opts->cgroups_path && opts->cgroups_path[0] != '/')))
    {
      if (opts->rootless && ! asked)
        return 0;
      *err = steal_pointer (&own_err);
      return -1;
    }
  if (opts->rootless && ! asked && opts->cgroups_path == NULL)
    return 0; /* nothing asked: stay in the current cgroup */
  if (cgroupfs_path (opts, own, &path, err) < 0)
    return -1;

  needed = cg_needed_controllers (opts->resources, opts->rootless);
  cleanup_close int root = cg_open_root (err);
  if (root < 0)
    return -1;

  if (opts->rootless)
    {
      /* The delegated subtree: what it offers is all we can get.  */
      cleanup_free char *deleg = delegation_root (root, path);
      const char *rel = deleg[0] == '/' && deleg[1] ? deleg + 1 : ".";
      cleanup_close int dfd = openat (root, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      cleanup_free char *avail = NULL;
      if (dfd >= 0 && cg_read (dfd, "cgroup.controllers", &avail) == 0)
        for (const char *p = needed; *p;)
          {
            size_t l = strcspn (p, " ");
            cleanup_free char *c = strndup (p, l);
            p += l;
            while (*p == ' ')
              p++;
            if (c[0] && ! cg_word_in (avail, c))
              return missing_controller_error (c, deleg, true, err);
          }
    }

  /* unified keys: a controller the hierarchy lacks gets the precise message now,
     before anything is created.  */
  if (opts->resources && opts->resources->unified && opts->resources->unified->len > 0)
    {
      const char *rel = opts->rootless && own && own[0] == '/' && own[1] ? own + 1 : ".";
      cleanup_close int basefd = openat (root, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      cleanup_free char *avail = NULL;
      if (basefd >= 0 && cg_read (basefd, "cgroup.controllers", &avail) == 0)
        for (size_t i = 0; i < opts->resources->unified->len; i++)
          if (cg_unified_check (opts->resources->unified->keys[i], avail, err) < 0)
            return -1;
    }

  bool created = false;
  int fd = -1;
  if (create_path (root, path, needed, opts->rootless, &created, &fd, err) < 0)
    {
      if (opts->rootless && ! asked)
        {
          /* Only a cgroupsPath, no limit: not worth failing for.  */
          ocirun_debug ("rootless: not using cgroup %s: %s", path, (*err)->msg);
          ocirun_error_free (err);
          return 0;
        }
      return -1;
    }
  cg->dirfd = fd;
  cg->created = created;
  cg->path = steal_pointer (&path);
  return 0;
}
