/* ocirun: the runtime-spec features document and the build's feature string.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <string.h>
#include "ocirun.h"
#include "caps.h"
#include "seccomp.h"
#include "utils.h"
#include "oci_spec.h"

static const char *const hooks[] = {
  "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop", NULL,
};

static const char *const mount_options[] = {
  "ro", "rw", "nosuid", "suid", "nodev", "dev", "noexec", "exec", "sync", "async", "dirsync",
  "remount", "mand", "nomand", "atime", "noatime", "diratime", "nodiratime", "relatime",
  "norelatime", "strictatime", "nostrictatime", "lazytime", "nolazytime", "silent", "loud",
  "nosymfollow", "symfollow", "bind", "rbind", "private", "rprivate", "shared", "rshared",
  "slave", "rslave", "unbindable", "runbindable", "rro", "rrw", "rnosuid", "rsuid", "rnodev",
  "rdev", "rnoexec", "rexec", "rnoatime", "ratime", "rnodiratime", "rdiratime", "rrelatime",
  "rnorelatime", "rstrictatime", "rnostrictatime", "rnosymfollow", "rsymfollow", "idmap",
  "ridmap", NULL,
};

static const char *const namespaces[] = {
  "cgroup", "ipc", "mount", "network", "pid", "user", "uts", "time", NULL,
};

static void
cleanup_features (oci_features **f)
{
  free_oci_features (*f);
}

/* Copy a NULL-terminated list, keeping the entries KEEP accepts (all if NULL).  */
static char **
strv_copy_filtered (const char *const *src, bool (*keep) (const char *), size_t *len)
{
  size_t n = 0, i;
  char **out;

  while (src[n])
    n++;
  out = xmalloc0 ((n + 1) * sizeof (char *));
  for (i = 0, n = 0; src[i]; i++)
    if (keep == NULL || keep (src[i]))
      out[n++] = xstrdup (src[i]);
  *len = n;
  return out;
}

static bool
arch_known (const char *name)
{
  return ocirun_seccomp_arch_from_string (name) != 0;
}

static void
set_bool (bool *field, bool *present, bool value)
{
  *field = value;
  *present = true;
}

int
ocirun_features_json (char **json, struct ocirun_error **err)
{
  __attribute__ ((cleanup (cleanup_features))) oci_features *f = xmalloc0 (sizeof (*f));
  struct oci_features_linux *l;
  struct oci_features_linux_seccomp *sc;
  cleanup_free char *gen_err = NULL;

  f->oci_version_min = xstrdup ("1.0.0");
  f->oci_version_max = xstrdup ("1.3.0");
  f->hooks = strv_copy_filtered (hooks, NULL, &f->hooks_len);
  f->mount_options = strv_copy_filtered (mount_options, NULL, &f->mount_options_len);

  l = f->linux = xmalloc0 (sizeof (*l));
  l->namespaces = strv_copy_filtered (namespaces, NULL, &l->namespaces_len);
  l->capabilities = ocirun_caps_supported (&l->capabilities_len);

  l->cgroup = xmalloc0 (sizeof (*l->cgroup));
  set_bool (&l->cgroup->v1, &l->cgroup->v1_present, false);
  set_bool (&l->cgroup->v2, &l->cgroup->v2_present, true);
#ifdef HAVE_SYSTEMD
  set_bool (&l->cgroup->systemd, &l->cgroup->systemd_present, true);
  set_bool (&l->cgroup->systemd_user, &l->cgroup->systemd_user_present, true);
#else
  set_bool (&l->cgroup->systemd, &l->cgroup->systemd_present, false);
  set_bool (&l->cgroup->systemd_user, &l->cgroup->systemd_user_present, false);
#endif
  set_bool (&l->cgroup->rdma, &l->cgroup->rdma_present, true);

  sc = l->seccomp = xmalloc0 (sizeof (*sc));
#ifdef HAVE_SECCOMP
  set_bool (&sc->enabled, &sc->enabled_present, true);
  sc->actions = strv_copy_filtered (ocirun_seccomp_known_actions, NULL, &sc->actions_len);
  sc->operators = strv_copy_filtered (ocirun_seccomp_known_operators, NULL, &sc->operators_len);
  sc->archs = strv_copy_filtered (ocirun_seccomp_known_archs, arch_known, &sc->archs_len);
  sc->known_flags = strv_copy_filtered (ocirun_seccomp_known_flags, NULL, &sc->known_flags_len);
  sc->supported_flags = strv_copy_filtered (ocirun_seccomp_known_flags, ocirun_seccomp_flag_supported,
                                            &sc->supported_flags_len);
#else
  (void) arch_known;
  set_bool (&sc->enabled, &sc->enabled_present, false);
#endif

  l->apparmor = xmalloc0 (sizeof (*l->apparmor));
#ifdef HAVE_APPARMOR
  set_bool (&l->apparmor->enabled, &l->apparmor->enabled_present, true);
#else
  set_bool (&l->apparmor->enabled, &l->apparmor->enabled_present, false);
#endif
  l->selinux = xmalloc0 (sizeof (*l->selinux));
#ifdef HAVE_SELINUX
  set_bool (&l->selinux->enabled, &l->selinux->enabled_present, true);
#else
  set_bool (&l->selinux->enabled, &l->selinux->enabled_present, false);
#endif
  l->intel_rdt = xmalloc0 (sizeof (*l->intel_rdt));
  set_bool (&l->intel_rdt->enabled, &l->intel_rdt->enabled_present, false);
  l->mount_extensions = xmalloc0 (sizeof (*l->mount_extensions));
  l->mount_extensions->idmap = xmalloc0 (sizeof (*l->mount_extensions->idmap));
  set_bool (&l->mount_extensions->idmap->enabled, &l->mount_extensions->idmap->enabled_present, false);

  *json = oci_features_generate_json (f, &gen_err);
  if (*json == NULL)
    return ocirun_error_set (err, EINVAL, "generate the features document: %s", gen_err ? gen_err : "unknown error");
  return 0;
}

#ifdef HAVE_CAP
#define FEATURE_CAP "+CAP "
#else
#define FEATURE_CAP ""
#endif
#ifdef HAVE_SECCOMP
#define FEATURE_SECCOMP "+SECCOMP "
#else
#define FEATURE_SECCOMP ""
#endif
#ifdef HAVE_SELINUX
#define FEATURE_SELINUX "+SELINUX "
#else
#define FEATURE_SELINUX ""
#endif
#ifdef HAVE_APPARMOR
#define FEATURE_APPARMOR "+APPARMOR "
#else
#define FEATURE_APPARMOR ""
#endif
#ifdef HAVE_SYSTEMD
#define FEATURE_SYSTEMD "+SYSTEMD "
#else
#define FEATURE_SYSTEMD ""
#endif
/* checkpoint/restore (libcriu is loaded at run time): engines read this line.  */
#ifdef HAVE_CRIU
#define FEATURE_CRIU " +CRIU"
#else
#define FEATURE_CRIU ""
#endif

const char *
ocirun_feature_string (void)
{
  return FEATURE_CAP FEATURE_SECCOMP FEATURE_SELINUX FEATURE_APPARMOR FEATURE_SYSTEMD "+YAJL" FEATURE_CRIU;
}
