/* ocirun check: diagnose the host for running containers, rootless above all.
 * Each check reads files under the root directory (the host's "/", or a
 * crafted tree in the tests) and appends one result; the pure pieces take the
 * files' contents, so the unit tests call them without any file.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <linux/openat2.h>
#include <yajl/yajl_gen.h>
#include "check.h"
#include "check-internal.h"
#include "ocirun.h"
#include "utils.h"

#define WANTED_CONTROLLERS "memory pids cpu cpuset io"
#define DELEGATE_FIX                                                                              \
  "mkdir -p /etc/systemd/system/user@.service.d && printf '[Service]\\nDelegate=" WANTED_CONTROLLERS \
  "\\n' > /etc/systemd/system/user@.service.d/delegate.conf && systemctl daemon-reload"

/* ---- the result list ------------------------------------------------------ */

/* One line each: control characters (a crafted passwd) become '?'.  */
static char *
one_line (char *s)
{
  for (char *p = s; p && *p; p++)
    if ((unsigned char) *p < 0x20 || *p == 0x7f)
      *p = '?';
  return s;
}

void
ocirun_check_add (struct ocirun_check_list *l, const char *name, enum ocirun_check_status s,
                  char *message, char *fix)
{
  struct ocirun_check_result *r;
  l->items = xrealloc (l->items, (l->n + 1) * sizeof (*l->items));
  r = &l->items[l->n++];
  r->name = xstrdup (name);
  r->status = s;
  r->message = one_line (message);
  r->fix = one_line (fix);
}

void
ocirun_check_list_free (struct ocirun_check_list *l)
{
  for (size_t i = 0; i < l->n; i++)
    {
      free (l->items[i].name);
      free (l->items[i].message);
      free (l->items[i].fix);
    }
  free (l->items);
  l->items = NULL;
  l->n = 0;
}

bool
ocirun_check_any_failed (const struct ocirun_check_list *l)
{
  for (size_t i = 0; i < l->n; i++)
    if (l->items[i].status == OCIRUN_CHECK_FAIL)
      return true;
  return false;
}

const char *
ocirun_check_status_name (enum ocirun_check_status s)
{
  return s == OCIRUN_CHECK_FAIL ? "fail" : s == OCIRUN_CHECK_WARN ? "warn" : "ok";
}

/* A string as JSON; bytes that are not UTF-8 become '?'.  */
static yajl_gen_status
gen_string (yajl_gen g, const char *s)
{
  cleanup_free char *ascii = NULL;
  yajl_gen_status st;
  if (s == NULL)
    return yajl_gen_null (g);
  st = yajl_gen_string (g, (const unsigned char *) s, strlen (s));
  if (st != yajl_gen_invalid_string)
    return st;
  ascii = xstrdup (s);
  for (char *p = ascii; *p; p++)
    if ((unsigned char) *p >= 0x80)
      *p = '?';
  return yajl_gen_string (g, (const unsigned char *) ascii, strlen (ascii));
}

int
ocirun_check_to_json (const struct ocirun_check_list *l, char **json, struct ocirun_error **err)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  const unsigned char *buf;
  size_t len;
  int ret = 0;

  if (g == NULL)
    return ocirun_error_set (err, ENOMEM, "check: JSON generator");
  yajl_gen_config (g, yajl_gen_validate_utf8, 1);
  yajl_gen_array_open (g);
  for (size_t i = 0; i < l->n; i++)
    {
      const struct ocirun_check_result *r = &l->items[i];
      yajl_gen_map_open (g);
      gen_string (g, "name");
      gen_string (g, r->name);
      gen_string (g, "status");
      gen_string (g, ocirun_check_status_name (r->status));
      gen_string (g, "message");
      gen_string (g, r->message);
      gen_string (g, "fix");
      gen_string (g, r->fix);
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
  if (yajl_gen_get_buf (g, &buf, &len) != yajl_gen_status_ok)
    ret = ocirun_error_set (err, 0, "check: cannot generate the JSON");
  else
    {
      *json = xmalloc0 (len + 1);
      memcpy (*json, buf, len);
    }
  yajl_gen_free (g);
  return ret;
}

/* ---- user namespaces ------------------------------------------------------ */

static char *
sysctl_fix (const char *key, const char *value, const char *conf)
{
  return xasprintf ("sysctl -w %s=%s && echo %s=%s > /etc/sysctl.d/%s.conf", key, value, key, value,
                    conf);
}

static void
check_max_userns (struct ocirun_check_list *l, const char *value, bool privileged)
{
  const char *name = "user namespaces";
  enum ocirun_check_status bad = privileged ? OCIRUN_CHECK_WARN : OCIRUN_CHECK_FAIL;
  uint64_t v;

  if (value == NULL)
    ocirun_check_add (l, name, bad,
                      xstrdup ("no /proc/sys/user/max_user_namespaces: the kernel has no user namespaces"),
                      xstrdup ("boot a kernel built with CONFIG_USER_NS=y"));
  else if (! parse_u64 (value, &v))
    ocirun_check_add (l, name, OCIRUN_CHECK_WARN,
                      xasprintf ("user.max_user_namespaces: cannot parse `%s`", value), NULL);
  else if (v == 0)
    ocirun_check_add (l, name, bad,
                      xstrdup ("user.max_user_namespaces = 0: no user namespace can be created"),
                      sysctl_fix ("user.max_user_namespaces", "15000", "90-max-user-namespaces"));
  else
    ocirun_check_add (l, name, OCIRUN_CHECK_OK,
                      xasprintf ("user.max_user_namespaces = %llu", (unsigned long long) v), NULL);
}

void
ocirun_check_userns_sysctls (struct ocirun_check_list *l, const char *max_userns,
                             const char *userns_clone, const char *apparmor_restrict, bool privileged)
{
  enum ocirun_check_status bad = privileged ? OCIRUN_CHECK_WARN : OCIRUN_CHECK_FAIL;
  const char *clone_key = "kernel.unprivileged_userns_clone";
  const char *aa_key = "kernel.apparmor_restrict_unprivileged_userns";

  check_max_userns (l, max_userns, privileged);
  if (userns_clone == NULL)
    ocirun_check_add (l, "unprivileged user namespaces", OCIRUN_CHECK_OK,
                      xasprintf ("no %s: not restricted", clone_key), NULL);
  else if (userns_clone[0] == '0')
    ocirun_check_add (l, "unprivileged user namespaces", bad,
                      xasprintf ("%s = 0: unprivileged users cannot create user namespaces", clone_key),
                      sysctl_fix (clone_key, "1", "90-unprivileged-userns-clone"));
  else
    ocirun_check_add (l, "unprivileged user namespaces", OCIRUN_CHECK_OK,
                      xasprintf ("%s = %c", clone_key, userns_clone[0]), NULL);

  if (apparmor_restrict == NULL)
    ocirun_check_add (l, "AppArmor user namespaces", OCIRUN_CHECK_OK,
                      xasprintf ("no %s: not restricted", aa_key), NULL);
  else if (apparmor_restrict[0] == '1')
    {
      char *fix = sysctl_fix (aa_key, "0", "90-apparmor-userns");
      ocirun_check_add (l, "AppArmor user namespaces", bad,
                        xasprintf ("%s = 1: AppArmor denies user namespaces to unprivileged programs "
                                   "without a profile that allows them", aa_key),
                        xasprintf ("%s (or load an AppArmor profile for ocirun with the `userns,` rule)", fix));
      free (fix);
    }
  else
    ocirun_check_add (l, "AppArmor user namespaces", OCIRUN_CHECK_OK,
                      xasprintf ("%s = %c", aa_key, apparmor_restrict[0]), NULL);
}

/* ---- small pure helpers ----------------------------------------------------- */

static bool
word_in (const char *list, const char *word)
{
  size_t n = strlen (word);
  for (const char *p = list; p && (p = strstr (p, word)); p += n)
    if ((p == list || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n')
        && (p[n] == '\0' || p[n] == ' ' || p[n] == '\t' || p[n] == '\n'))
      return true;
  return false;
}

char *
ocirun_check_missing_controllers (const char *controllers)
{
  static const char *const wanted[] = { "memory", "pids", "cpu", "cpuset", "io" };
  char *out = xstrdup ("");
  for (size_t i = 0; i < sizeof (wanted) / sizeof (wanted[0]); i++)
    if (! word_in (controllers, wanted[i]))
      {
        char *n = xasprintf ("%s%s%s", out, *out ? " " : "", wanted[i]);
        free (out);
        out = n;
      }
  return out;
}

bool
ocirun_check_kernel_at_least (const char *release, int major, int minor)
{
  int ma = 0, mi = 0;
  if (release == NULL || sscanf (release, "%d.%d", &ma, &mi) != 2)
    return false;
  return ma > major || (ma == major && mi >= minor);
}

void
ocirun_check_probe_result (struct ocirun_check_list *l, const char *name, int errnum,
                           const char *degrades)
{
  if (errnum == 0 || errnum == EINVAL || errnum == E2BIG)
    ocirun_check_add (l, name, OCIRUN_CHECK_OK, xstrdup ("the kernel has it"), NULL);
  else if (errnum == ENOSYS)
    ocirun_check_add (l, name, OCIRUN_CHECK_WARN,
                      xasprintf ("not available (an older kernel, or a seccomp filter hides it): %s",
                                 degrades),
                      xasprintf ("run a kernel with %s, outside a seccomp profile that hides it", name));
  else
    ocirun_check_add (l, name, OCIRUN_CHECK_WARN,
                      xasprintf ("refused (%s; a seccomp filter?): %s", strerror (errnum), degrades),
                      xasprintf ("allow %s in the seccomp profile ocirun runs under", name));
}

/* The cgroup v2 path of a /proc/self/cgroup ("0::/user.slice/..."), or NULL.  */
static char *
unified_cgroup_path (const char *proc_self_cgroup)
{
  const char *p = proc_self_cgroup;
  while (p && *p)
    {
      const char *end = strchr (p, '\n');
      size_t len = end ? (size_t) (end - p) : strlen (p);
      if (len >= 3 && strncmp (p, "0::", 3) == 0)
        {
          char *path = strndup (p + 3, len - 3);
          if (path == NULL)
            abort ();
          return path;
        }
      p = end ? end + 1 : NULL;
    }
  return NULL;
}

/* ---- what reads the host -------------------------------------------------- */

struct check_ctx
{
  const struct ocirun_check_host *host;
  struct ocirun_check_list *l;
  int rootfd;
  const char *uname;   /* the user's name, or its uid */
  enum ocirun_check_status bad; /* what a rootless blocker is: fail, or warn for root */
};

/* Read PATH under the root: 0, or -1 (missing or unreadable).  */
static int
read_host (const struct check_ctx *c, const char *path, char **out)
{
  cleanup_error struct ocirun_error *e = NULL;
  cleanup_close int fd = openat_in_root (c->rootfd, path, O_RDONLY, 0, &e);
  *out = NULL;
  if (fd < 0 || read_all_fd (fd, path, out, NULL, &e) < 0)
    return -1;
  return 0;
}

/* The first line of PATH (NULL: missing).  */
static char *
read_host_line (const struct check_ctx *c, const char *path)
{
  char *s = NULL;
  if (read_host (c, path, &s) < 0)
    return NULL;
  s[strcspn (s, "\n")] = '\0';
  return s;
}

/* An O_PATH fd on PATH under the root, and its stat: -1 when missing.  */
static int
stat_host (const struct check_ctx *c, const char *path, struct stat *st)
{
  cleanup_error struct ocirun_error *e = NULL;
  cleanup_close int fd = openat_in_root (c->rootfd, path, O_PATH, 0, &e);
  if (fd < 0 || fstat (fd, st) < 0)
    return -1;
  return steal_fd (&fd);
}

static void
check_userns (const struct check_ctx *c)
{
  cleanup_free char *max = read_host_line (c, "/proc/sys/user/max_user_namespaces");
  cleanup_free char *clone = read_host_line (c, "/proc/sys/kernel/unprivileged_userns_clone");
  cleanup_free char *aa = read_host_line (c, "/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
  ocirun_check_userns_sysctls (c->l, max, clone, aa, c->host->privileged);
}

static void
check_subids_host (const struct check_ctx *c)
{
  cleanup_free char *subuid = NULL, *subgid = NULL, *passwd = NULL, *group = NULL;
  struct ocirun_check_subid_input in = { .user = c->host->user, .uid = c->host->uid,
                                         .privileged = c->host->privileged };
  read_host (c, "/etc/subuid", &subuid);
  read_host (c, "/etc/subgid", &subgid);
  read_host (c, "/etc/passwd", &passwd);
  read_host (c, "/etc/group", &group);
  in.subuid = subuid;
  in.subgid = subgid;
  in.passwd = passwd;
  in.group = group;
  ocirun_check_subids (c->l, &in);
}

/* ---- newuidmap, newgidmap ------------------------------------------------- */

/* Where run_idmap_helper (userns.c) runs them from.  */
static const char *const helper_dirs[] = { "/usr/bin", "/bin", "/usr/sbin", "/usr/local/bin" };
#define HELPER_DIRS_TEXT "/usr/bin, /bin, /usr/sbin or /usr/local/bin"

static bool
has_file_caps (int fd)
{
  char buf[64];
  return getxattr (proc_fd_path (fd, buf), "security.capability", NULL, 0) > 0;
}

static void
check_helper_file (const struct check_ctx *c, const char *helper, const char *path, int fd,
                   const struct stat *st)
{
  if (S_ISREG (st->st_mode) && (st->st_mode & 0111) && st->st_uid == 0 && (st->st_mode & S_ISUID))
    ocirun_check_add (c->l, helper, OCIRUN_CHECK_OK, xasprintf ("%s is setuid root", path), NULL);
  else if (S_ISREG (st->st_mode) && (st->st_mode & 0111) && has_file_caps (fd))
    ocirun_check_add (c->l, helper, OCIRUN_CHECK_OK, xasprintf ("%s has file capabilities", path), NULL);
  else if (S_ISREG (st->st_mode) && (st->st_mode & 0111) && st->st_uid == 0)
    ocirun_check_add (c->l, helper, c->bad,
                      xasprintf ("%s is neither setuid root nor has file capabilities: it cannot "
                                 "write id maps", path),
                      xasprintf ("chmod u+s %s", path));
  else
    ocirun_check_add (c->l, helper, c->bad,
                      xasprintf ("%s is not an executable owned by root (owner uid %u, mode %04o)",
                                 path, st->st_uid, st->st_mode & 07777),
                      xasprintf ("chown root:root %s && chmod 4755 %s", path, path));
}

/* A HELPER in PATH that ocirun does not run (it looks only in helper_dirs).  */
static char *
find_in_path (const char *path_env, const char *helper)
{
  cleanup_free char *copy = xstrdup (path_env ? path_env : "");
  char *save = NULL;
  for (char *d = strtok_r (copy, ":", &save); d; d = strtok_r (NULL, ":", &save))
    {
      char *p = xasprintf ("%s/%s", d, helper);
      if (*d == '/' && access (p, X_OK) == 0)
        return p;
      free (p);
    }
  return NULL;
}

static void
check_helper (const struct check_ctx *c, const char *helper)
{
  cleanup_free char *other = NULL;
  const char *who = c->host->privileged ? " (root does not need it)" : "";

  for (size_t i = 0; i < sizeof (helper_dirs) / sizeof (helper_dirs[0]); i++)
    {
      cleanup_free char *path = xasprintf ("%s/%s", helper_dirs[i], helper);
      struct stat st;
      cleanup_close int fd = stat_host (c, path, &st);
      if (fd >= 0)
        {
          check_helper_file (c, helper, path, fd, &st);
          return;
        }
    }
  if (c->host->search_path && (other = find_in_path (c->host->path_env, helper)) != NULL)
    ocirun_check_add (c->l, helper, c->bad,
                      xasprintf ("%s is in PATH, but ocirun runs it only from " HELPER_DIRS_TEXT "%s",
                                 other, who),
                      xasprintf ("ln -s %s /usr/local/bin/%s", other, helper));
  else
    ocirun_check_add (c->l, helper, c->bad,
                      xasprintf ("not found in " HELPER_DIRS_TEXT ": an unprivileged user can map "
                                 "only its own id%s", who),
                      xstrdup ("apt-get install uidmap"));
}

/* ---- cgroups -------------------------------------------------------------- */

static bool
check_cgroup_version (const struct check_ctx *c)
{
  cleanup_free char *ctrl = read_host_line (c, "/sys/fs/cgroup/cgroup.controllers");
  cleanup_free char *hybrid = NULL;
  const char *fix = "boot with systemd.unified_cgroup_hierarchy=1 (GRUB_CMDLINE_LINUX in "
                    "/etc/default/grub, then update-grub)";

  if (ctrl)
    {
      ocirun_check_add (c->l, "cgroup v2", OCIRUN_CHECK_OK,
                        xasprintf ("unified hierarchy (controllers: %s)", *ctrl ? ctrl : "none"), NULL);
      return true;
    }
  hybrid = read_host_line (c, "/sys/fs/cgroup/unified/cgroup.controllers");
  ocirun_check_add (c->l, "cgroup v2", OCIRUN_CHECK_WARN,
                    xasprintf ("%s: a config with linux.resources or cgroupsPath fails, one "
                               "without runs without a cgroup",
                               hybrid ? "hybrid hierarchy (cgroup v2 only at /sys/fs/cgroup/unified)"
                                      : "no cgroup v2 at /sys/fs/cgroup"),
                    xstrdup (fix));
  return false;
}

/* The cgroup whose controllers this user may use: its user@UID.service (what
   systemd delegates), else the current one.  */
static char *
delegated_cgroup (const struct check_ctx *c, char **controllers)
{
  cleanup_free char *self = NULL;
  char *cg = xasprintf ("/user.slice/user-%u.slice/user@%u.service", c->host->uid, c->host->uid);
  cleanup_free char *file = xasprintf ("/sys/fs/cgroup%s/cgroup.controllers", cg);

  *controllers = read_host_line (c, file);
  if (*controllers)
    return cg;
  free (cg);
  if (read_host (c, "/proc/self/cgroup", &self) < 0 || (cg = unified_cgroup_path (self)) == NULL)
    return NULL;
  free (file);
  file = xasprintf ("/sys/fs/cgroup%s/cgroup.controllers", strcmp (cg, "/") ? cg : "");
  *controllers = read_host_line (c, file);
  return cg;
}

static void
check_cgroup_delegation (const struct check_ctx *c)
{
  const char *name = "cgroup delegation";
  cleanup_free char *ctrl = NULL, *missing = NULL, *dir = NULL;
  cleanup_free char *cg = delegated_cgroup (c, &ctrl);
  cleanup_close int fd = -1;
  struct stat st;

  if (cg == NULL || ctrl == NULL)
    {
      ocirun_check_add (c->l, name, OCIRUN_CHECK_WARN,
                        cg ? xasprintf ("cannot read the controllers of your cgroup %s", cg)
                           : xstrdup ("cannot find your cgroup in /proc/self/cgroup"),
                        NULL);
      return;
    }
  dir = xasprintf ("/sys/fs/cgroup%s", strcmp (cg, "/") ? cg : "");
  fd = stat_host (c, dir, &st);
  if (fd >= 0 && st.st_uid != c->host->uid)
    {
      ocirun_check_add (c->l, name, OCIRUN_CHECK_WARN,
                        xasprintf ("your cgroup %s belongs to uid %u, not to you: containers stay in "
                                   "it and cannot have resources", cg, st.st_uid),
                        xstrdup ("log in through a systemd session (user@UID.service is delegated), "
                                 "or run ocirun under systemd-run --user --scope -p Delegate=yes"));
      return;
    }
  missing = ocirun_check_missing_controllers (ctrl);
  if (*missing)
    ocirun_check_add (c->l, name, OCIRUN_CHECK_WARN,
                      xasprintf ("%s is not delegated %s: containers cannot limit them", missing, cg),
                      xstrdup (DELEGATE_FIX));
  else
    ocirun_check_add (c->l, name, OCIRUN_CHECK_OK,
                      xasprintf (WANTED_CONTROLLERS " delegated (%s)", cg), NULL);
}

/* ---- confinement ---------------------------------------------------------- */

static bool
built_with (const struct check_ctx *c, const char *feature)
{
  return c->host->features && word_in (c->host->features, feature);
}

static void
check_seccomp (const struct check_ctx *c)
{
  cleanup_free char *status = NULL, *actions = NULL;
  bool kernel = read_host (c, "/proc/self/status", &status) == 0
                && (strncmp (status, "Seccomp:", 8) == 0 || strstr (status, "\nSeccomp:"));

  if (! kernel)
    ocirun_check_add (c->l, "seccomp", OCIRUN_CHECK_WARN,
                      xstrdup ("the kernel has no seccomp (no Seccomp: line in /proc/self/status): "
                               "linux.seccomp cannot be applied"),
                      xstrdup ("boot a kernel built with CONFIG_SECCOMP=y and CONFIG_SECCOMP_FILTER=y"));
  else if (! built_with (c, "+SECCOMP"))
    ocirun_check_add (c->l, "seccomp", OCIRUN_CHECK_WARN,
                      xstrdup ("this build of ocirun has no seccomp: linux.seccomp cannot be applied"),
                      xstrdup ("apt-get install libseccomp-dev, then ./configure && make"));
  else
    {
      actions = read_host_line (c, "/proc/sys/kernel/seccomp/actions_avail");
      ocirun_check_add (c->l, "seccomp", OCIRUN_CHECK_OK,
                        actions ? xasprintf ("supported (actions: %s)", actions) : xstrdup ("supported"),
                        NULL);
    }
}

/* One LSM: STATE is what the host says (NULL: not enabled).  */
static void
check_lsm (const struct check_ctx *c, const char *name, const char *state, const char *feature,
           const char *dev_package)
{
  if (state == NULL)
    ocirun_check_add (c->l, name, OCIRUN_CHECK_OK, xstrdup ("not enabled"), NULL);
  else if (! built_with (c, feature))
    ocirun_check_add (c->l, name, OCIRUN_CHECK_WARN,
                      xasprintf ("%s, but this build of ocirun has no %s support: labels and "
                                 "profiles in a config are not applied", state, name),
                      xasprintf ("apt-get install %s, then ./configure && make", dev_package));
  else
    ocirun_check_add (c->l, name, OCIRUN_CHECK_OK, xstrdup (state), NULL);
}

static void
check_lsms (const struct check_ctx *c)
{
  cleanup_free char *enforce = read_host_line (c, "/sys/fs/selinux/enforce");
  cleanup_free char *aa = read_host_line (c, "/sys/module/apparmor/parameters/enabled");
  const char *se_state = enforce == NULL ? NULL : enforce[0] == '1' ? "enforcing" : "permissive";
  check_lsm (c, "SELinux", se_state, "+SELINUX", "libselinux1-dev");
  check_lsm (c, "AppArmor", aa && aa[0] == 'Y' ? "enabled" : NULL, "+APPARMOR", "libapparmor-dev");
}

/* ---- filesystems ---------------------------------------------------------- */

static void
check_overlay (const struct check_ctx *c)
{
  cleanup_free char *fs = NULL;
  bool found = false;
  if (read_host (c, "/proc/filesystems", &fs) == 0)
    found = word_in (fs, "overlay");
  if (found)
    ocirun_check_add (c->l, "overlayfs", OCIRUN_CHECK_OK, xstrdup ("overlay is in /proc/filesystems"), NULL);
  else
    ocirun_check_add (c->l, "overlayfs", OCIRUN_CHECK_WARN,
                      xstrdup ("overlay is not in /proc/filesystems: engines fall back to "
                               "fuse-overlayfs or copies (vfs)"),
                      xstrdup ("modprobe overlay && echo overlay > /etc/modules-load.d/overlay.conf"));
}

static void
check_idmapped_mounts (const struct check_ctx *c)
{
  const char *r = c->host->kernel_release ? c->host->kernel_release : "?";
  if (ocirun_check_kernel_at_least (r, 6, 3))
    ocirun_check_add (c->l, "idmapped mounts", OCIRUN_CHECK_OK,
                      xasprintf ("Linux %s has them (tmpfs too)", r), NULL);
  else if (ocirun_check_kernel_at_least (r, 5, 12))
    ocirun_check_add (c->l, "idmapped mounts", OCIRUN_CHECK_OK,
                      xasprintf ("Linux %s has them (idmapped tmpfs needs Linux 6.3)", r), NULL);
  else
    ocirun_check_add (c->l, "idmapped mounts", OCIRUN_CHECK_WARN,
                      xasprintf ("Linux %s is older than 5.12: mounts with idmap, ridmap or "
                                 "uidMappings fail", r),
                      xstrdup ("upgrade the kernel to Linux 5.12 or later"));
}

static void
check_xdg_runtime_dir (const struct check_ctx *c)
{
  const char *name = "XDG_RUNTIME_DIR", *dir = c->host->xdg_runtime_dir;
  cleanup_free char *session_fix = xasprintf ("loginctl enable-linger %s && export XDG_RUNTIME_DIR=/run/user/%u",
                                              c->uname, c->host->uid);
  cleanup_close int fd = -1;
  struct stat st;

  if (c->host->privileged)
    {
      ocirun_check_add (c->l, name, OCIRUN_CHECK_OK, xstrdup ("not needed for root (state in /run/ocirun)"), NULL);
      return;
    }
  if (dir == NULL || *dir == '\0')
    {
      ocirun_check_add (c->l, name, OCIRUN_CHECK_WARN,
                        xasprintf ("not set: ocirun keeps its state in /run/user/%u/ocirun when that is "
                                   "yours, else in /tmp/ocirun-%u, and engines need it", c->host->uid,
                                   c->host->uid),
                        steal_pointer (&session_fix));
      return;
    }
  fd = stat_host (c, dir, &st);
  if (fd < 0 || ! S_ISDIR (st.st_mode))
    ocirun_check_add (c->l, name, OCIRUN_CHECK_WARN,
                      xasprintf ("%s is %s", dir, fd < 0 ? "missing" : "not a directory"),
                      steal_pointer (&session_fix));
  else if (st.st_uid != c->host->uid)
    ocirun_check_add (c->l, name, OCIRUN_CHECK_WARN,
                      xasprintf ("%s belongs to uid %u, not to you (a su/sudo session?)", dir, st.st_uid),
                      steal_pointer (&session_fix));
  else if ((st.st_mode & 07777) != 0700)
    ocirun_check_add (c->l, name, OCIRUN_CHECK_WARN,
                      xasprintf ("%s has mode %04o, not 0700", dir, st.st_mode & 07777),
                      xasprintf ("chmod 0700 %s", dir));
  else
    ocirun_check_add (c->l, name, OCIRUN_CHECK_OK, xasprintf ("%s (yours, mode 0700)", dir), NULL);
}

/* ---- syscall probes: always the running kernel ---------------------------- */

static int
probe_openat2 (void)
{
  struct open_how how = { 0 };
  /* a zero size is EINVAL when the kernel has openat2 */
  int fd = (int) syscall (SYS_openat2, AT_FDCWD, "/", &how, (size_t) 0);
  if (fd >= 0)
    close (fd);
  return fd >= 0 ? 0 : errno;
}

static int
probe_clone3 (void)
{
  /* a size below CLONE_ARGS_SIZE_VER0 is EINVAL before anything is created */
  long r = syscall (SYS_clone3, NULL, (size_t) 0);
  if (r == 0)
    _exit (0);
  if (r > 0)
    wait_for_pid ((pid_t) r, NULL);
  return r >= 0 ? 0 : errno;
}

static int
probe_pidfd_open (void)
{
  int fd = (int) syscall (SYS_pidfd_open, getpid (), 0);
  if (fd >= 0)
    close (fd);
  return fd >= 0 ? 0 : errno;
}

static void
check_syscalls (const struct check_ctx *c)
{
  ocirun_check_probe_result (c->l, "openat2", probe_openat2 (),
                             "paths in the rootfs are resolved by a slower component walk (Linux 5.6)");
  ocirun_check_probe_result (c->l, "clone3", probe_clone3 (),
                             "the container's init is not born in its cgroup (CLONE_INTO_CGROUP, "
                             "Linux 5.7) but moved there after it starts");
  ocirun_check_probe_result (c->l, "pidfd_open", probe_pidfd_open (),
                             "kill signals the container by pid (a reused pid could be hit) and "
                             "hook timeouts are not enforced (Linux 5.3)");
}

/* ---- all of them ---------------------------------------------------------- */

int
ocirun_check_run (const struct ocirun_check_host *host, struct ocirun_check_list *out,
                  struct ocirun_error **err)
{
  const char *root = host->root_dir ? host->root_dir : "/";
  cleanup_close int rootfd = open (root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  cleanup_free char *uname = host->user ? xstrdup (host->user) : xasprintf ("%u", host->uid);
  struct check_ctx c = { .host = host, .l = out, .rootfd = rootfd, .uname = uname,
                         .bad = host->privileged ? OCIRUN_CHECK_WARN : OCIRUN_CHECK_FAIL };

  if (rootfd < 0)
    return ocirun_error_set (err, errno, "--root-dir `%s`", root);
  check_userns (&c);
  check_subids_host (&c);
  check_helper (&c, "newuidmap");
  check_helper (&c, "newgidmap");
  if (check_cgroup_version (&c) && ! host->privileged)
    check_cgroup_delegation (&c);
  check_seccomp (&c);
  check_lsms (&c);
  check_overlay (&c);
  check_idmapped_mounts (&c);
  check_xdg_runtime_dir (&c);
  check_syscalls (&c);
  return 0;
}

/* The user's name: ROOT/etc/passwd, else (on the real host) NSS.  */
static char *
user_name (const char *root_dir, uid_t uid)
{
  cleanup_close int rootfd = open (root_dir ? root_dir : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  const struct check_ctx c = { .rootfd = rootfd };
  cleanup_free char *passwd = NULL;
  cleanup_id_table struct id_table t = { 0 };
  struct passwd *pw;

  if (rootfd >= 0 && read_host (&c, "/etc/passwd", &passwd) == 0)
    {
      id_table_parse (passwd, 2, -1, &t);
      for (size_t i = 0; i < t.n; i++)
        if (t.v[i].start == uid)
          return xstrdup (t.v[i].name);
    }
  if (root_dir == NULL && (pw = getpwuid (uid)) != NULL)
    return xstrdup (pw->pw_name);
  return NULL;
}

int
ocirun_check_host (const char *root_dir, struct ocirun_check_list *out, struct ocirun_error **err)
{
  struct utsname u;
  cleanup_free char *user = user_name (root_dir, getuid ());
  struct ocirun_check_host host = {
    .root_dir = root_dir ? root_dir : "/",
    .search_path = root_dir == NULL,
    .uid = getuid (),
    .gid = getgid (),
    .privileged = getuid () == 0 && ! running_in_user_namespace (),
    .user = user,
    .xdg_runtime_dir = getenv ("XDG_RUNTIME_DIR"),
    .path_env = getenv ("PATH"),
    .kernel_release = uname (&u) == 0 ? u.release : NULL,
    .features = ocirun_feature_string (),
  };
  return ocirun_check_run (&host, out, err);
}
