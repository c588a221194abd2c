/* Unit tests: mount option parsing, propagation names, idmap checks.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <linux/mount.h>
#include "idmap.h"
#include "mounts.h"
#include "tap.h"
#include "utils.h"

static int
parse (struct ocirun_mount_opts *o, struct ocirun_error **err, ...)
{
  char *v[32];
  size_t n = 0;
  va_list ap;
  va_start (ap, err);
  for (char *s; (s = va_arg (ap, char *)) && n < 32;)
    v[n++] = s;
  va_end (ap);
  return ocirun_mount_parse_options (v, n, o, err);
}

int
main (void)
{
  struct ocirun_mount_opts o;
  struct ocirun_error *err = NULL;

  ok (parse (&o, &err, "ro", "nosuid", "nodev", "noexec", "size=1m", "mode=755", NULL) == 0, "common options parse");
  ok (o.flags == (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC), "flags are collected");
  is_str (o.data, "size=1m,mode=755", "unknown options become filesystem data, in order");
  ocirun_mount_opts_release (&o);

  parse (&o, &err, "ro", "rw", NULL);
  ok ((o.flags & MS_RDONLY) == 0 && (o.clear & MS_RDONLY), "the last of ro/rw wins and rw is recorded as cleared");
  ocirun_mount_opts_release (&o);

  parse (&o, &err, "rbind", NULL);
  ok (o.bind && o.rbind, "rbind is a recursive bind");
  ocirun_mount_opts_release (&o);

  parse (&o, &err, "bind", "idmap", NULL);
  ok (o.bind && ! o.rbind && o.idmap && ! o.ridmap, "idmap alone is not recursive");
  ocirun_mount_opts_release (&o);

  parse (&o, &err, "ridmap", NULL);
  ok (o.idmap && o.ridmap, "ridmap is a recursive idmap");
  ocirun_mount_opts_release (&o);

  parse (&o, &err, "rro", "rnosuid", "rnodev", "rnoexec", NULL);
  ok (o.recursive_attr, "r* options ask for mount_setattr");
  ok (o.attr_set == (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC),
      "rro rnosuid rnodev rnoexec set their attributes");
  ocirun_mount_opts_release (&o);

  parse (&o, &err, "rro", "rrw", NULL);
  ok (o.attr_set == 0 && (o.attr_clr & MOUNT_ATTR_RDONLY), "rrw undoes rro and clears read-only");
  ocirun_mount_opts_release (&o);

  parse (&o, &err, "rnoatime", NULL);
  ok ((o.attr_set & MOUNT_ATTR_NOATIME) && (o.attr_clr & MOUNT_ATTR__ATIME),
      "rnoatime replaces the atime mode (clears MOUNT_ATTR__ATIME)");
  ocirun_mount_opts_release (&o);

  parse (&o, &err, "nosymfollow", NULL);
  ok (o.flags & 256 /* MS_NOSYMFOLLOW */, "nosymfollow is a mount flag");
  ocirun_mount_opts_release (&o);

  parse (&o, &err, "rshared", "private", NULL);
  ok (o.n_propagation == 2 && o.propagation[0] == (MS_SHARED | MS_REC) && o.propagation[1] == MS_PRIVATE,
      "propagation options are kept in order");
  ocirun_mount_opts_release (&o);

  ok (parse (&o, &err, "a,b", NULL) < 0, "an option with a comma is refused");
  contains (err ? err->msg : NULL, "contains a comma", "and said so");
  ocirun_error_free (&err);

  ok (ocirun_propagation_from_string ("rslave") == (MS_SLAVE | MS_REC), "rslave is recursive slave");
  ok (ocirun_propagation_from_string ("unbindable") == MS_UNBINDABLE, "unbindable");
  ok (ocirun_propagation_from_string ("bogus") == 0, "an unknown propagation is 0");

  {
    struct oci_id_mapping um = { .container_id = 0, .host_id = 1000, .size = 10 };
    struct oci_id_mapping *ump[1] = { &um };
    char *opts_idmap[] = { "bind", "idmap" };
    struct oci_mount m1 = { .destination = "/a", .type = "bind", .source = "/x", .options = opts_idmap,
                            .options_len = 2 };
    struct oci_mount m2 = { .destination = "/b", .type = "bind", .source = "/x", .uid_mappings = ump,
                            .uid_mappings_len = 1 };
    struct oci_mount *mounts[1];
    struct oci_config_linux linux = { 0 };
    struct oci_config c = { .mounts = mounts, .mounts_len = 1, .linux = &linux };

    ok (ocirun_mount_wants_idmap (&m1), "idmap asks for an idmapped mount");
    ok (ocirun_mount_wants_idmap (&m2), "uidMappings ask for one");
    mounts[0] = &m1;
    ok (ocirun_idmap_validate (&c, &err) < 0, "idmap without maps needs a user namespace");
    contains (err ? err->msg : NULL, "add {\"type\": \"user\"}", "and says what to add");
    ocirun_error_free (&err);
    mounts[0] = &m2;
    ok (ocirun_idmap_validate (&c, &err) < 0, "uidMappings without gidMappings are refused");
    contains (err ? err->msg : NULL, "mounts[0]: an idmapped mount needs both", "naming the mount");
    ocirun_error_free (&err);
    m2.gid_mappings = ump;
    m2.gid_mappings_len = 1;
    ok (ocirun_idmap_validate (&c, &err) == 0, "both maps are fine without a user namespace");
    um.size = 0;
    ok (ocirun_idmap_validate (&c, &err) < 0, "a zero-sized mount mapping is refused");
    contains (err ? err->msg : NULL, "mounts[0].uidMappings[0].size", "naming the field");
    ocirun_error_free (&err);
  }
  return tap_done ();
}
