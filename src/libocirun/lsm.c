/* ocirun: SELinux and AppArmor labels, session keyring.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef HAVE_SELINUX
#include <selinux/selinux.h>
#endif
#ifdef HAVE_APPARMOR
#include <sys/apparmor.h>
#endif
#include "lsm.h"
#include "procfs.h"
#include "utils.h"

#ifndef KEYCTL_JOIN_SESSION_KEYRING
#define KEYCTL_JOIN_SESSION_KEYRING 1
#endif

#define APPARMOR_PROFILES "/sys/kernel/security/apparmor/profiles"

bool
ocirun_selinux_enabled (void)
{
#ifdef HAVE_SELINUX
  static int enabled = -1;
  if (enabled < 0)
    enabled = is_selinux_enabled () > 0;
  return enabled;
#else
  return false;
#endif
}

/* Is the LSM active in the kernel, whether or not this build can drive it?
   Inside a container (exec) there may be no securityfs, and no sysfs: the
   module parameter, else the process's own AppArmor attribute, tells.  */
static bool
apparmor_active_in_kernel (void)
{
  cleanup_free char *v = NULL;
  if (read_all_file ("/sys/module/apparmor/parameters/enabled", &v, NULL, NULL) == 0)
    return v[0] == 'Y';
  /* the attribute reads only when AppArmor is the active LSM */
  free (v);
  v = ocirun_procfs_read_or_null ("thread-self/attr/apparmor/current");
  return v && v[0] != '\0';
}

bool
ocirun_apparmor_enabled (void)
{
#ifdef HAVE_APPARMOR
  static int enabled = -1;
  if (enabled < 0)
    {
      /* aa_is_enabled also wants securityfs mounted, which a container's
         mount namespace (exec) usually lacks: the kernel is what counts.  */
      enabled = aa_is_enabled () > 0 || apparmor_active_in_kernel ();
    }
  return enabled;
#else
  return false;
#endif
}

#ifndef HAVE_SELINUX
static bool
selinux_active_in_kernel (void)
{
  return access ("/sys/fs/selinux/enforce", F_OK) == 0;
}
#endif

/* Does the profiles list hold a line "NAME (mode)"?  -1: cannot tell.  */
static int
apparmor_profile_loaded (const char *profile)
{
  cleanup_free char *list = NULL;
  size_t plen = strlen (profile);
  const char *line;

  if (read_all_file (APPARMOR_PROFILES, &list, NULL, NULL) < 0)
    return -1;
  for (line = list; line && *line; )
    {
      const char *eol = strchr (line, '\n');
      if (strncmp (line, profile, plen) == 0 && strncmp (line + plen, " (", 2) == 0)
        return 1;
      line = eol ? eol + 1 : NULL;
    }
  return 0;
}

int
ocirun_lsm_validate (const char *selinux_label, const char *apparmor_profile, struct ocirun_error **err)
{
  if (selinux_label && selinux_label[0])
    {
      if (!ocirun_selinux_enabled ())
        {
#ifndef HAVE_SELINUX
          if (selinux_active_in_kernel ())
            return ocirun_error_set (err, ENOTSUP, "process.selinuxLabel: SELinux is enabled but ocirun was "
                                     "built without libselinux");
#endif
          ocirun_debug ("SELinux is disabled: label \"%s\" ignored", selinux_label);
        }
#ifdef HAVE_SELINUX
      else if (security_check_context (selinux_label) < 0)
        return ocirun_error_set (err, errno, "process.selinuxLabel: invalid SELinux context \"%s\"", selinux_label);
#endif
    }

  if (apparmor_profile && apparmor_profile[0])
    {
      int loaded;
      if (!ocirun_apparmor_enabled ())
        {
#ifndef HAVE_APPARMOR
          if (apparmor_active_in_kernel ())
            return ocirun_error_set (err, ENOTSUP, "process.apparmorProfile: AppArmor is enabled but ocirun "
                                     "was built without libapparmor");
#endif
          ocirun_debug ("AppArmor is disabled: profile \"%s\" ignored", apparmor_profile);
          return 0;
        }
      if (strcmp (apparmor_profile, "unconfined") == 0)
        return 0;
      loaded = apparmor_profile_loaded (apparmor_profile);
      if (loaded < 0)
        ocirun_debug ("cannot read %s: not checking that AppArmor profile \"%s\" is loaded",
                      APPARMOR_PROFILES, apparmor_profile);
      else if (loaded == 0)
        return ocirun_error_set (err, 0, "process.apparmorProfile: AppArmor profile \"%s\" is not loaded "
                                 "(load it with apparmor_parser)", apparmor_profile);
    }
  return 0;
}

/* The label for the next execve, written by hand through the verified procfs
   (libselinux and libapparmor would write it through the path /proc, which
   the container's rootfs controls by then).  */
static int
write_attr (const char *attr, const char *value, struct ocirun_error **err)
{
  cleanup_free char *rel = xasprintf ("thread-self/attr/%s", attr);
  return ocirun_procfs_write (rel, value, err);
}

static int
apparmor_exec_profile (const char *profile, struct ocirun_error **err)
{
  cleanup_free char *cmd = xasprintf ("exec %s", profile);
  struct ocirun_error *e = NULL;
  /* the AppArmor directory (Linux >= 5.1, stacked LSMs), else the shared file */
  if (write_attr ("apparmor/exec", cmd, &e) == 0)
    return 0;
  if (e->errnum != ENOENT)
    {
      *err = e;
      return -1;
    }
  ocirun_error_free (&e);
  return write_attr ("exec", cmd, err);
}

int
ocirun_lsm_set_exec_labels (const char *selinux_label, const char *apparmor_profile, struct ocirun_error **err)
{
  if (selinux_label && selinux_label[0])
    {
      if (!ocirun_selinux_enabled ())
        ocirun_debug ("SELinux is disabled: label \"%s\" ignored", selinux_label);
      else if (write_attr ("exec", selinux_label, err) < 0)
        return ocirun_error_wrap (err, "set the SELinux exec label \"%s\"", selinux_label);
    }
  if (apparmor_profile && apparmor_profile[0])
    {
      if (!ocirun_apparmor_enabled ())
        ocirun_debug ("AppArmor is disabled: profile \"%s\" ignored", apparmor_profile);
      else if (apparmor_exec_profile (apparmor_profile, err) < 0)
        return ocirun_error_wrap (err, "set the AppArmor profile \"%s\" for exec", apparmor_profile);
    }
  return 0;
}

const char *
ocirun_lsm_mount_label (const char *mount_label)
{
  if (mount_label == NULL || mount_label[0] == '\0')
    return NULL;
  if (!ocirun_selinux_enabled ())
    {
      ocirun_debug ("SELinux is disabled: mount label \"%s\" ignored", mount_label);
      return NULL;
    }
  return mount_label;
}

int
ocirun_keyring_join (const char *id, const char *selinux_label, struct ocirun_error **err)
{
  bool labelled = false;
  long ret;
  int saved;

  (void) selinux_label;
  if (id == NULL || id[0] == '\0')
    return ocirun_error_set (err, EINVAL, "session keyring: no container id");
  if (selinux_label && selinux_label[0] && ocirun_selinux_enabled ())
    {
      if (write_attr ("keycreate", selinux_label, err) < 0)
        return ocirun_error_wrap (err, "set the SELinux key creation label \"%s\"", selinux_label);
      labelled = true;
    }
  ret = syscall (__NR_keyctl, KEYCTL_JOIN_SESSION_KEYRING, id, 0, 0, 0);
  saved = errno;
  /* an empty line resets the label */
  if (labelled && write_attr ("keycreate", "\n", err) < 0 && ret >= 0)
    return ocirun_error_wrap (err, "reset the SELinux key creation label");
  if (ret < 0)
    {
      /* Keyrings are unavailable in some sandboxes (seccomp, gVisor, old
         kernels): the container works without its own keyring.  */
      if (saved == ENOSYS || saved == EACCES || saved == EPERM)
        {
          ocirun_debug ("session keyring \"%s\" not created: %s", id, strerror (saved));
          return 0;
        }
      return ocirun_error_set (err, saved, "join a new session keyring \"%s\"", id);
    }
  return 0;
}
