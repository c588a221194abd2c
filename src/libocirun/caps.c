/* ocirun: capabilities (libcap).
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#ifdef HAVE_CAP
#include <sys/capability.h>
#endif
#include "caps.h"
#include "utils.h"

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_RAISE 2
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

struct cap_set_ref
{
  const char *field;
  char **names;
  size_t len;
};

static void
list_sets (const struct oci_config_process_capabilities *caps, struct cap_set_ref sets[5])
{
  sets[0] = (struct cap_set_ref) { "bounding", caps->bounding, caps->bounding_len };
  sets[1] = (struct cap_set_ref) { "effective", caps->effective, caps->effective_len };
  sets[2] = (struct cap_set_ref) { "inheritable", caps->inheritable, caps->inheritable_len };
  sets[3] = (struct cap_set_ref) { "permitted", caps->permitted, caps->permitted_len };
  sets[4] = (struct cap_set_ref) { "ambient", caps->ambient, caps->ambient_len };
}

#ifdef HAVE_CAP

int
ocirun_cap_from_name (const char *name)
{
  cap_value_t v;
  const char *p;

  /* libcap also takes numbers and lower case: the spec wants "CAP_NAME".  */
  if (name == NULL || !str_has_prefix (name, "CAP_") || name[4] == '\0')
    return -1;
  for (p = name + 4; *p; p++)
    if (!(isupper ((unsigned char) *p) || isdigit ((unsigned char) *p) || *p == '_'))
      return -1;
  if (cap_from_name (name, &v) < 0)
    return -1;
  return (int) v;
}

/* The number of capabilities the running kernel knows.  */
static int
kernel_cap_count (void)
{
  return (int) cap_max_bits ();
}

char **
ocirun_caps_supported (size_t *n)
{
  int max = kernel_cap_count (), i;
  char **out = xmalloc0 ((max + 1) * sizeof (char *));
  size_t k = 0;

  for (i = 0; i < max; i++)
    {
      char *name = cap_to_name (i);
      char *p;
      if (name == NULL)
        continue;
      /* libcap prints capabilities it has no name for as numbers.  */
      if (str_has_prefix (name, "cap_"))
        {
          out[k] = xstrdup (name);
          for (p = out[k]; *p; p++)
            *p = (char) toupper ((unsigned char) *p);
          k++;
        }
      cap_free (name);
    }
  *n = k;
  return out;
}

int
ocirun_caps_validate (const struct oci_config_process_capabilities *caps, struct ocirun_error **err)
{
  struct cap_set_ref sets[5];
  size_t s, i;

  if (caps == NULL)
    return 0;
  list_sets (caps, sets);
  for (s = 0; s < 5; s++)
    for (i = 0; i < sets[s].len; i++)
      if (ocirun_cap_from_name (sets[s].names[i]) < 0)
        return ocirun_error_set (err, 0, "process.capabilities.%s: unknown capability \"%s\"", sets[s].field,
                                 sets[s].names[i] ? sets[s].names[i] : "");
  return 0;
}

/* Resolve a set into a bitmap of capabilities the kernel knows.  */
static int
resolve_set (const struct cap_set_ref *set, bool wanted[64], struct ocirun_error **err)
{
  int max = kernel_cap_count ();
  size_t i;

  memset (wanted, 0, 64 * sizeof (bool));
  for (i = 0; i < set->len; i++)
    {
      int v = ocirun_cap_from_name (set->names[i]);
      if (v < 0)
        return ocirun_error_set (err, 0, "process.capabilities.%s: unknown capability \"%s\"", set->field,
                                 set->names[i] ? set->names[i] : "");
      if (v >= max || v >= 64)
        {
          ocirun_debug ("process.capabilities.%s: %s is not supported by the running kernel, skipped",
                        set->field, set->names[i]);
          continue;
        }
      wanted[v] = true;
    }
  return 0;
}

int
ocirun_caps_drop_bounding (const struct oci_config_process_capabilities *caps, struct ocirun_error **err)
{
  struct cap_set_ref bounding = { "bounding", NULL, 0 };
  bool keep[64];
  int max = kernel_cap_count (), i;

  if (caps)
    bounding = (struct cap_set_ref) { "bounding", caps->bounding, caps->bounding_len };
  if (resolve_set (&bounding, keep, err) < 0)
    return -1;
  for (i = 0; i < max && i < 64; i++)
    {
      if (keep[i] || cap_get_bound (i) != 1)
        continue;
      if (cap_drop_bound (i) < 0)
        {
          char *name = cap_to_name (i);
          ocirun_error_set (err, errno, "drop %s from the bounding set (needs CAP_SETPCAP)",
                            name ? name : "capability");
          cap_free (name);
          return -1;
        }
    }
  return 0;
}

static void
cleanup_cap (cap_t *c)
{
  if (*c)
    cap_free (*c);
}

static int
set_flags (cap_t c, cap_flag_t flag, const bool wanted[64], struct ocirun_error **err)
{
  cap_value_t v;
  int i;

  for (i = 0; i < 64; i++)
    if (wanted[i])
      {
        v = i;
        if (cap_set_flag (c, flag, 1, &v, CAP_SET) < 0)
          return ocirun_error_set (err, errno, "cap_set_flag %d", i);
      }
  return 0;
}

int
ocirun_caps_apply (const struct oci_config_process_capabilities *caps, struct ocirun_error **err)
{
  __attribute__ ((cleanup (cleanup_cap))) cap_t c = NULL;
  struct cap_set_ref empty = { "effective", NULL, 0 };
  struct cap_set_ref sets[5];
  bool eff[64], inh[64], perm[64], amb[64];
  int i;

  if (caps)
    list_sets (caps, sets);
  else
    {
      for (i = 0; i < 5; i++)
        sets[i] = empty;
    }
  if (resolve_set (&sets[1], eff, err) < 0 || resolve_set (&sets[2], inh, err) < 0
      || resolve_set (&sets[3], perm, err) < 0 || resolve_set (&sets[4], amb, err) < 0)
    return -1;

  for (i = 0; i < 64; i++)
    if (amb[i] && !(perm[i] && inh[i]))
      {
        char *name = cap_to_name (i);
        for (char *p = name; p && *p; p++)
          *p = (char) toupper ((unsigned char) *p);
        ocirun_error_set (err, 0, "process.capabilities.ambient: %s must also be in the permitted and "
                          "inheritable sets", name ? name : "capability");
        cap_free (name);
        return -1;
      }

  c = cap_init ();
  if (c == NULL)
    return ocirun_error_set (err, errno, "cap_init");
  if (set_flags (c, CAP_EFFECTIVE, eff, err) < 0 || set_flags (c, CAP_PERMITTED, perm, err) < 0
      || set_flags (c, CAP_INHERITABLE, inh, err) < 0)
    return -1;
  if (cap_set_proc (c) < 0)
    return ocirun_error_set (err, errno, "set the process capabilities (effective, permitted, inheritable)");

  if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
    return ocirun_error_set (err, errno, "clear the ambient capabilities");
  for (i = 0; i < 64; i++)
    if (amb[i] && prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (unsigned long) i, 0, 0) < 0)
      {
        char *name = cap_to_name (i);
        ocirun_error_set (err, errno, "raise ambient capability %s", name ? name : "?");
        cap_free (name);
        return -1;
      }
  if (prctl (PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
    return ocirun_error_set (err, errno, "prctl PR_SET_KEEPCAPS 0");
  return 0;
}

#else /* !HAVE_CAP */

int
ocirun_cap_from_name (const char *name)
{
  (void) name;
  return -1;
}

char **
ocirun_caps_supported (size_t *n)
{
  *n = 0;
  return xmalloc0 (sizeof (char *));
}

static bool
caps_empty (const struct oci_config_process_capabilities *caps)
{
  struct cap_set_ref sets[5];
  size_t s;

  if (caps == NULL)
    return true;
  list_sets (caps, sets);
  for (s = 0; s < 5; s++)
    if (sets[s].len > 0)
      return false;
  return true;
}

int
ocirun_caps_validate (const struct oci_config_process_capabilities *caps, struct ocirun_error **err)
{
  if (caps_empty (caps))
    return 0;
  return ocirun_error_set (err, ENOTSUP, "process.capabilities: ocirun was built without libcap");
}

int
ocirun_caps_drop_bounding (const struct oci_config_process_capabilities *caps, struct ocirun_error **err)
{
  unsigned long i;

  if (!caps_empty (caps))
    return ocirun_error_set (err, ENOTSUP, "process.capabilities: ocirun was built without libcap");
  /* Drop everything: stop at the first capability the kernel does not know.  */
  for (i = 0; i < 64; i++)
    if (prctl (PR_CAPBSET_DROP, i, 0, 0, 0) < 0)
      {
        if (errno == EINVAL)
          break;
        return ocirun_error_set (err, errno, "drop capability %lu from the bounding set", i);
      }
  return 0;
}

int
ocirun_caps_apply (const struct oci_config_process_capabilities *caps, struct ocirun_error **err)
{
  (void) caps;
  return ocirun_error_set (err, ENOTSUP, "process.capabilities: ocirun was built without libcap");
}

#endif
