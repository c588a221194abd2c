/* ocirun: unit tests of capabilities, seccomp, LSM labels and the features
 * document.  The seccomp load tests run in forked children that set
 * no_new_privs, so they need no privilege.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>
#include "utils.h"
#include "ocirun.h"
#include "caps.h"
#include "seccomp.h"
#include "lsm.h"
#include "oci_spec.h"
#ifdef HAVE_SECCOMP
# include <seccomp.h>
# ifndef SCMP_VER_MAJOR
#  include <linux/../seccomp.h>
# endif
#endif

static int n_test, n_fail;

#define CHECK(cond, ...)                                                     \
  do {                                                                       \
    n_test++;                                                                \
    if (cond)                                                                \
      printf ("ok %d - ", n_test);                                           \
    else                                                                     \
      {                                                                      \
        n_fail++;                                                            \
        printf ("not ok %d - ", n_test);                                     \
      }                                                                      \
    printf (__VA_ARGS__);                                                    \
    printf ("\n");                                                           \
    fflush (stdout);                                                         \
  } while (0)

#define SKIP(...)                                                            \
  do {                                                                       \
    n_test++;                                                                \
    printf ("ok %d - # SKIP ", n_test);                                      \
    printf (__VA_ARGS__);                                                    \
    printf ("\n");                                                           \
  } while (0)

static bool
err_is (struct ocirun_error *err, const char *expected)
{
  if (err == NULL || strcmp (err->msg, expected) != 0)
    {
      printf ("# expected error: %s\n#      got error: %s\n", expected, err ? err->msg : "(none)");
      return false;
    }
  return true;
}

/* valgrind does not emulate seccomp(2): the kernel tests are skipped under it.  */
static __attribute__ ((unused)) bool
under_valgrind (void)
{
  const char *p = getenv ("LD_PRELOAD");
  return p && strstr (p, "vgpreload");
}

static __attribute__ ((unused)) const char *
jstr (yajl_val v)
{
  return (v && YAJL_IS_STRING (v)) ? v->u.string : "";
}

static bool
contains (const char *s, const char *sub)
{
  return s && strstr (s, sub) != NULL;
}

/* ---- capabilities ---- */

static oci_config_process_capabilities *
parse_caps (const char *json)
{
  oci_config_process_capabilities *c = oci_config_process_capabilities_parse_data (json, strlen (json), NULL);
  if (c == NULL)
    abort ();
  return c;
}

static void __attribute__ ((unused))
test_caps_validate (void)
{
  cleanup_error struct ocirun_error *err = NULL;
  oci_config_process_capabilities *c;
  size_t n = 0, i;
  char **names;
  bool has_chown = false;

  CHECK (ocirun_caps_validate (NULL, &err) == 0, "caps: no capabilities object is valid");

  c = parse_caps ("{\"bounding\":[\"CAP_CHOWN\",\"CAP_SYS_ADMIN\"],\"effective\":[\"CAP_KILL\"],"
                  "\"ambient\":[\"CAP_NET_BIND_SERVICE\"]}");
  CHECK (ocirun_caps_validate (c, &err) == 0, "caps: known names are valid");
  free_oci_config_process_capabilities (c);

  c = parse_caps ("{\"bounding\":[\"CAP_CHOWN\",\"CAP_FOO\"]}");
  CHECK (ocirun_caps_validate (c, &err) < 0
         && err_is (err, "process.capabilities.bounding: unknown capability \"CAP_FOO\""),
         "caps: an unknown bounding capability is named");
  ocirun_error_free (&err);
  free_oci_config_process_capabilities (c);

  c = parse_caps ("{\"ambient\":[\"cap_chown\"]}");
  CHECK (ocirun_caps_validate (c, &err) < 0
         && err_is (err, "process.capabilities.ambient: unknown capability \"cap_chown\""),
         "caps: lower-case names are rejected, in the set they appear in");
  ocirun_error_free (&err);
  free_oci_config_process_capabilities (c);

  c = parse_caps ("{\"permitted\":[\"12\"]}");
  CHECK (ocirun_caps_validate (c, &err) < 0, "caps: numbers are not capability names");
  ocirun_error_free (&err);
  free_oci_config_process_capabilities (c);

  CHECK (ocirun_cap_from_name ("CAP_SYS_ADMIN") == 21, "caps: CAP_SYS_ADMIN is 21");
  CHECK (ocirun_cap_from_name ("CAP_CHECKPOINT_RESTORE") == 40, "caps: CAP_CHECKPOINT_RESTORE is 40");

  names = ocirun_caps_supported (&n);
  for (i = 0; i < n; i++)
    if (strcmp (names[i], "CAP_CHOWN") == 0)
      has_chown = true;
  CHECK (n >= 38 && has_chown && strcmp (names[0], "CAP_CHOWN") == 0,
         "caps: the supported list is upper case and complete (%zu)", n);
  for (i = 0; i < n; i++)
    free (names[i]);
  free (names);

  c = parse_caps ("{\"permitted\":[\"CAP_KILL\"],\"inheritable\":[],\"ambient\":[\"CAP_KILL\"]}");
  CHECK (ocirun_caps_apply (c, &err) < 0
         && err_is (err, "process.capabilities.ambient: CAP_KILL must also be in the permitted and "
                    "inheritable sets"),
         "caps: an ambient capability missing from inheritable is refused before any change");
  ocirun_error_free (&err);
  free_oci_config_process_capabilities (c);
}

static unsigned long long
status_caps (const char *field)
{
  cleanup_free char *s = NULL;
  const char *p;
  if (read_all_file ("/proc/self/status", &s, NULL, NULL) < 0)
    return ~0ULL;
  p = strstr (s, field);
  if (p == NULL)
    return ~0ULL;
  return strtoull (p + strlen (field), NULL, 16);
}

static void __attribute__ ((unused))
test_caps_apply (void)
{
  pid_t pid;
  int status;

  if (geteuid () != 0 || prctl (PR_CAPBSET_READ, 8 /* CAP_SETPCAP */, 0, 0, 0) != 1)
    {
      SKIP ("caps: drop and apply need root with CAP_SETPCAP");
      return;
    }
  pid = fork ();
  if (pid == 0)
    {
      cleanup_error struct ocirun_error *err = NULL;
      oci_config_process_capabilities *c
          = parse_caps ("{\"bounding\":[\"CAP_CHOWN\",\"CAP_KILL\",\"CAP_NOT_THERE_XX\"],"
                        "\"effective\":[\"CAP_CHOWN\"],\"permitted\":[\"CAP_CHOWN\",\"CAP_KILL\"],"
                        "\"inheritable\":[\"CAP_KILL\"],\"ambient\":[\"CAP_KILL\"]}");
      free (c->bounding[2]);
      c->bounding_len = 2;
      if (ocirun_caps_drop_bounding (c, &err) < 0)
        {
          printf ("# %s\n", err->msg);
          _exit (10);
        }
      if (status_caps ("CapBnd:\t") != ((1ULL << 0) | (1ULL << 5)))
        _exit (11);
      if (prctl (PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
        _exit (12);
      if (ocirun_caps_apply (c, &err) < 0)
        {
          printf ("# %s\n", err->msg);
          _exit (13);
        }
      if (status_caps ("CapEff:\t") != 1ULL || status_caps ("CapPrm:\t") != 0x21ULL
          || status_caps ("CapInh:\t") != 0x20ULL || status_caps ("CapAmb:\t") != 0x20ULL)
        _exit (14);
      if (prctl (PR_GET_KEEPCAPS, 0, 0, 0, 0) != 0)
        _exit (15);
      free_oci_config_process_capabilities (c);
      _exit (0);
    }
  waitpid (pid, &status, 0);
  CHECK (WIFEXITED (status) && WEXITSTATUS (status) == 0,
         "caps: bounding drop, then effective/permitted/inheritable/ambient applied (status %d)",
         WIFEXITED (status) ? WEXITSTATUS (status) : -1);
}

/* ---- seccomp: pure parts ---- */

static oci_config_linux_seccomp *
parse_seccomp (const char *json)
{
  char *perr = NULL;
  oci_config_linux_seccomp *s = oci_config_linux_seccomp_parse_data (json, strlen (json), &perr);
  if (s == NULL)
    {
      printf ("# cannot parse %s: %s\n", json, perr);
      fflush (stdout);
      abort ();
    }
  return s;
}

static void
check_invalid (const char *json, const char *expected, const char *what)
{
  cleanup_error struct ocirun_error *err = NULL;
  oci_config_linux_seccomp *s = parse_seccomp (json);
  CHECK (ocirun_seccomp_validate (s, &err) < 0 && err_is (err, expected), "seccomp validate: %s", what);
  free_oci_config_linux_seccomp (s);
}

static void __attribute__ ((unused))
test_seccomp_validate (void)
{
  cleanup_error struct ocirun_error *err = NULL;
  oci_config_linux_seccomp *s;

  CHECK (ocirun_seccomp_validate (NULL, &err) == 0, "seccomp validate: no seccomp object is valid");
  s = parse_seccomp ("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,"
                     "\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_AARCH64\"],"
                     "\"flags\":[\"SECCOMP_FILTER_FLAG_TSYNC\",\"SECCOMP_FILTER_FLAG_LOG\","
                     "\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\",\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],"
                     "\"listenerPath\":\"/run/agent.sock\",\"syscalls\":["
                     "{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\"},"
                     "{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"},"
                     "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
                     "{\"index\":0,\"value\":0,\"op\":\"SCMP_CMP_EQ\"},"
                     "{\"index\":1,\"value\":8,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}");
  CHECK (ocirun_seccomp_validate (s, &err) == 0, "seccomp validate: a complete profile is valid%s%s",
         err ? ": " : "", err ? err->msg : "");
  free_oci_config_linux_seccomp (s);

  /* The parser enforces required members: build those cases by hand.  */
  s = parse_seccomp ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],\"action\":\"SCMP_ACT_LOG\"}]}");
  free (s->default_action);
  s->default_action = NULL;
  CHECK (ocirun_seccomp_validate (s, &err) < 0 && err_is (err, "linux.seccomp.defaultAction: required"),
         "seccomp validate: defaultAction is required");
  ocirun_error_free (&err);
  s->default_action = xstrdup ("SCMP_ACT_ALLOW");
  free (s->syscalls[0]->action);
  s->syscalls[0]->action = NULL;
  CHECK (ocirun_seccomp_validate (s, &err) < 0 && err_is (err, "linux.seccomp.syscalls[0].action: required"),
         "seccomp validate: rule action is required");
  ocirun_error_free (&err);
  free_oci_config_linux_seccomp (s);
  check_invalid ("{\"defaultAction\":\"SCMP_ACT_FOO\"}",
                 "linux.seccomp.defaultAction: unknown action \"SCMP_ACT_FOO\"", "unknown default action");
  check_invalid ("{\"defaultAction\":\"SCMP_ACT_NOTIFY\",\"listenerPath\":\"/a\"}",
                 "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action",
                 "NOTIFY cannot be the default");
  check_invalid ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_Z80\"]}",
                 "linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_Z80\"", "unknown architecture");
  check_invalid ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_BOGUS\"]}",
                 "linux.seccomp.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_BOGUS\"", "unknown flag");
  check_invalid ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
                 "{\"names\":[\"a\"],\"action\":\"SCMP_ACT_LOG\"},{\"names\":[\"b\"],\"action\":\"SCMP_ACT_LOG\"},"
                 "{\"names\":[\"c\"],\"action\":\"SCMP_ACT_LOG\"},{\"names\":[\"d\"],\"action\":\"SCMP_ACT_FOO\"}]}",
                 "linux.seccomp.syscalls[3].action: unknown action \"SCMP_ACT_FOO\"", "unknown rule action");
  check_invalid ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[],\"action\":\"SCMP_ACT_LOG\"}]}",
                 "linux.seccomp.syscalls[0].names: at least one name is required", "names are required");
  check_invalid ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],\"action\":\"SCMP_ACT_LOG\","
                 "\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},{\"index\":1,\"value\":1,\"op\":\"SCMP_CMP_XOR\"}]}]}",
                 "linux.seccomp.syscalls[0].args[1].op: unknown operator \"SCMP_CMP_XOR\"", "unknown operator");
  check_invalid ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],\"action\":\"SCMP_ACT_LOG\","
                 "\"args\":[{\"index\":6,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
                 "linux.seccomp.syscalls[0].args[0].index: 6 is out of range (0-5)", "argument index out of range");
  check_invalid ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}",
                 "linux.seccomp.listenerPath: required when an action is SCMP_ACT_NOTIFY",
                 "NOTIFY needs a listenerPath");
  check_invalid ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"agent.sock\"}",
                 "linux.seccomp.listenerPath: \"agent.sock\" is not an absolute path", "listenerPath is absolute");
}

static void __attribute__ ((unused))
test_seccomp_helpers (void)
{
#ifdef HAVE_SECCOMP
  uint32_t a = 0;
  static const struct { const char *name; int op; } ops[] = {
    { "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT }, { "SCMP_CMP_LE", SCMP_CMP_LE },
    { "SCMP_CMP_EQ", SCMP_CMP_EQ }, { "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
    { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
  };
  bool ops_ok = true;
  size_t i;

  CHECK (ocirun_seccomp_action_from_string ("SCMP_ACT_ERRNO", 38, &a) == 0 && a == SCMP_ACT_ERRNO (38),
         "seccomp action: ERRNO takes errnoRet");
  CHECK (ocirun_seccomp_action_from_string ("SCMP_ACT_ERRNO", -1, &a) == 0 && a == SCMP_ACT_ERRNO (EPERM),
         "seccomp action: ERRNO defaults to EPERM");
  CHECK (ocirun_seccomp_action_from_string ("SCMP_ACT_TRACE", 7, &a) == 0 && a == SCMP_ACT_TRACE (7),
         "seccomp action: TRACE takes errnoRet as the trace value");
  CHECK (ocirun_seccomp_action_from_string ("SCMP_ACT_KILL", -1, &a) == 0 && a == SCMP_ACT_KILL_THREAD,
         "seccomp action: KILL is KILL_THREAD");
  CHECK (ocirun_seccomp_action_from_string ("SCMP_ACT_KILL_PROCESS", -1, &a) == 0 && a == SCMP_ACT_KILL_PROCESS,
         "seccomp action: KILL_PROCESS");
  CHECK (ocirun_seccomp_action_from_string ("SCMP_ACT_NOTIFY", -1, &a) == 0 && a == SCMP_ACT_NOTIFY
         && ocirun_seccomp_action_from_string ("SCMP_ACT_LOG", -1, &a) == 0 && a == SCMP_ACT_LOG
         && ocirun_seccomp_action_from_string ("SCMP_ACT_TRAP", -1, &a) == 0 && a == SCMP_ACT_TRAP
         && ocirun_seccomp_action_from_string ("SCMP_ACT_ALLOW", -1, &a) == 0 && a == SCMP_ACT_ALLOW,
         "seccomp action: NOTIFY, LOG, TRAP, ALLOW");
  CHECK (ocirun_seccomp_action_from_string ("SCMP_ACT_FOO", -1, &a) < 0
         && ocirun_seccomp_action_from_string (NULL, -1, &a) < 0, "seccomp action: unknown is refused");
  for (i = 0; i < sizeof (ops) / sizeof (ops[0]); i++)
    if (ocirun_seccomp_op_from_string (ops[i].name) != ops[i].op)
      ops_ok = false;
  CHECK (ops_ok && ocirun_seccomp_op_from_string ("SCMP_CMP_XOR") < 0, "seccomp operators: all seven, unknown refused");
  CHECK (ocirun_seccomp_arch_from_string ("SCMP_ARCH_X86_64") == SCMP_ARCH_X86_64
         && ocirun_seccomp_arch_from_string ("SCMP_ARCH_MIPSEL64N32") == SCMP_ARCH_MIPSEL64N32
         && ocirun_seccomp_arch_from_string ("SCMP_ARCH_Z80") == 0
         && ocirun_seccomp_arch_from_string ("x86_64") == 0, "seccomp architectures: resolved by spec name only");
#else
  SKIP ("seccomp helpers: built without libseccomp");
#endif
}

static void __attribute__ ((unused))
test_seccomp_plan (void)
{
  cleanup_error struct ocirun_error *err = NULL;
  struct ocirun_seccomp_rule *rules = NULL;
  oci_config_linux_seccomp *s;
  size_t n = 0;

  s = parse_seccomp ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
                     "{\"names\":[\"a\"],\"action\":\"SCMP_ACT_LOG\"},"
                     "{\"names\":[\"b\"],\"action\":\"SCMP_ACT_LOG\",\"args\":["
                     "{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},{\"index\":2,\"value\":3,\"valueTwo\":4,\"op\":\"SCMP_CMP_MASKED_EQ\"}]},"
                     "{\"names\":[\"c\"],\"action\":\"SCMP_ACT_LOG\",\"args\":["
                     "{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_NE\"},{\"index\":1,\"value\":5,\"op\":\"SCMP_CMP_GT\"},"
                     "{\"index\":0,\"value\":2,\"op\":\"SCMP_CMP_NE\"}]},"
                     "{\"names\":[\"d\"],\"action\":\"SCMP_ACT_LOG\",\"args\":["
                     "{\"index\":3,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},{\"index\":3,\"value\":2,\"op\":\"SCMP_CMP_EQ\"}]}]}");

  CHECK (ocirun_seccomp_plan_rules (s->syscalls[0], "x", &rules, &n, &err) == 0 && n == 1 && rules[0].n_conds == 0,
         "seccomp plan: no args -> one unconditional rule");
  free (rules);
  rules = NULL;
  CHECK (ocirun_seccomp_plan_rules (s->syscalls[1], "x", &rules, &n, &err) == 0 && n == 1 && rules[0].n_conds == 2
         && rules[0].conds[1].index == 2 && rules[0].conds[1].value == 3 && rules[0].conds[1].value_two == 4,
         "seccomp plan: distinct indexes are ANDed in one rule");
  free (rules);
  rules = NULL;
  CHECK (ocirun_seccomp_plan_rules (s->syscalls[2], "x", &rules, &n, &err) == 0 && n == 3
         && rules[0].n_conds == 1 && rules[0].conds[0].index == 1
         && rules[1].n_conds == 1 && rules[1].conds[0].value == 1
         && rules[2].n_conds == 1 && rules[2].conds[0].value == 2,
         "seccomp plan: a repeated index gets one rule per condition, the rest stay ANDed");
  free (rules);
  rules = NULL;
  CHECK (ocirun_seccomp_plan_rules (s->syscalls[3], "x", &rules, &n, &err) == 0 && n == 2
         && rules[0].conds[0].value == 1 && rules[1].conds[0].value == 2,
         "seccomp plan: only repeated conditions -> no empty (match-all) rule");
  free (rules);
  free_oci_config_linux_seccomp (s);
}

/* ---- features ---- */

static bool
strv_has (char **v, size_t n, const char *s)
{
  size_t i;
  for (i = 0; i < n; i++)
    if (strcmp (v[i], s) == 0)
      return true;
  return false;
}

static void
test_features (void)
{
  cleanup_error struct ocirun_error *err = NULL;
  cleanup_free char *json = NULL;
  cleanup_free char *perr = NULL;
  oci_features *f;
  const char *fs = ocirun_feature_string ();

  CHECK (ocirun_features_json (&json, &err) == 0 && json != NULL, "features: the document is generated");
  if (json == NULL)
    return;
  f = oci_features_parse_data (json, strlen (json), &perr);
  CHECK (f != NULL, "features: the document parses back%s%s", perr ? ": " : "", perr ? perr : "");
  if (f == NULL)
    return;
  CHECK (strcmp (f->oci_version_min, "1.0.0") == 0 && strcmp (f->oci_version_max, "1.3.0") == 0,
         "features: ociVersionMin 1.0.0, ociVersionMax 1.3.0");
  CHECK (f->hooks_len == 6 && strv_has (f->hooks, f->hooks_len, "createRuntime")
         && strv_has (f->hooks, f->hooks_len, "poststop"), "features: the six hooks");
  CHECK (f->mount_options_len == 58 && strv_has (f->mount_options, f->mount_options_len, "rro")
         && strv_has (f->mount_options, f->mount_options_len, "ridmap")
         && strv_has (f->mount_options, f->mount_options_len, "nosymfollow"),
         "features: mount options (%zu)", f->mount_options_len);
  CHECK (f->linux && f->linux->namespaces_len == 8 && strv_has (f->linux->namespaces, 8, "time"),
         "features: eight namespaces");
#ifdef HAVE_CAP
  CHECK (f->linux->capabilities_len >= 38 && strv_has (f->linux->capabilities, f->linux->capabilities_len, "CAP_BPF"),
         "features: capabilities (%zu)", f->linux->capabilities_len);
#endif
  CHECK (f->linux->cgroup && f->linux->cgroup->v2 && !f->linux->cgroup->v1 && f->linux->cgroup->rdma
         && f->linux->cgroup->systemd_present, "features: cgroup v2 only, rdma");
#ifdef HAVE_SECCOMP
  CHECK (f->linux->seccomp && f->linux->seccomp->enabled
         && f->linux->seccomp->actions_len == 9 && f->linux->seccomp->operators_len == 7
         && strv_has (f->linux->seccomp->archs, f->linux->seccomp->archs_len, "SCMP_ARCH_X86_64")
         && f->linux->seccomp->known_flags_len == 4
         && (under_valgrind () || strv_has (f->linux->seccomp->supported_flags, f->linux->seccomp->supported_flags_len,
                      "SECCOMP_FILTER_FLAG_TSYNC")),
         "features: seccomp actions, operators, archs (%zu), flags (%zu supported)",
         f->linux->seccomp->archs_len, f->linux->seccomp->supported_flags_len);
#endif
  CHECK (f->linux->apparmor && f->linux->apparmor->enabled_present && f->linux->selinux
         && f->linux->intel_rdt && !f->linux->intel_rdt->enabled && f->linux->mount_extensions
         && f->linux->mount_extensions->idmap && f->linux->mount_extensions->idmap->enabled_present
         && !f->linux->mount_extensions->idmap->enabled,
         "features: apparmor, selinux, intelRdt off, idmap mounts off");
  free_oci_features (f);
  CHECK (contains (fs, "+YAJL")
#ifdef HAVE_SECCOMP
         && contains (fs, "+SECCOMP")
#endif
#ifdef HAVE_CAP
         && contains (fs, "+CAP")
#endif
#ifndef HAVE_SYSTEMD
         && !contains (fs, "+SYSTEMD")
#endif
         , "features: feature string \"%s\"", fs);
}

/* ---- LSM, keyring ---- */

static void
test_lsm (void)
{
  cleanup_error struct ocirun_error *err = NULL;
  pid_t pid;
  int status;

  if (!ocirun_selinux_enabled ())
    {
      CHECK (ocirun_lsm_validate ("system_u:system_r:container_t:s0", NULL, &err) == 0,
             "lsm: an SELinux label is ignored when SELinux is off");
      CHECK (ocirun_lsm_mount_label ("system_u:object_r:container_file_t:s0") == NULL,
             "lsm: no mount label when SELinux is off");
    }
  else
    SKIP ("lsm: SELinux is enabled on this host");
  if (!ocirun_apparmor_enabled ())
    CHECK (ocirun_lsm_validate (NULL, "some-profile", &err) == 0
           && ocirun_lsm_set_exec_labels (NULL, "some-profile", &err) == 0,
           "lsm: an AppArmor profile is ignored when AppArmor is off");
  else
    {
      CHECK (ocirun_lsm_validate (NULL, "ocirun-no-such-profile", &err) < 0
             && err_is (err, "process.apparmorProfile: AppArmor profile \"ocirun-no-such-profile\" is not "
                        "loaded (load it with apparmor_parser)"),
             "lsm: a profile that is not loaded is named");
      ocirun_error_free (&err);
    }
  CHECK (ocirun_lsm_validate (NULL, NULL, &err) == 0, "lsm: no labels is valid");

  pid = fork ();
  if (pid == 0)
    _exit (ocirun_keyring_join ("ocirun-test-keyring", NULL, NULL) == 0 ? 0 : 1);
  waitpid (pid, &status, 0);
  CHECK (WIFEXITED (status) && WEXITSTATUS (status) == 0, "keyring: join a new session keyring (or skip quietly)");
}

#ifdef HAVE_SECCOMP

/* ---- seccomp: real filters in children ---- */

/* Fork; the child sets no_new_privs, loads JSON and runs FN.  Returns the wait status.  */
static int
run_filtered (const char *json, int (*fn) (void *), void *arg)
{
  pid_t pid;
  int status;

  fflush (stdout);
  pid = fork ();
  if (pid < 0)
    abort ();
  if (pid == 0)
    {
      struct ocirun_error *err = NULL;
      oci_config_linux_seccomp *s = parse_seccomp (json);
      struct rlimit nocore = { 0, 0 };
      int nfd = -1;
      setrlimit (RLIMIT_CORE, &nocore);
      if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        _exit (100);
      if (ocirun_seccomp_load (s, &nfd, &err) < 0)
        {
          printf ("# load: %s\n", err->msg);
          fflush (stdout);
          _exit (101);
        }
      _exit (fn ? fn (arg) : 0);
    }
  waitpid (pid, &status, 0);
  return status;
}

static bool
exited_ok (int status)
{
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return true;
  printf ("# child status: %s %d\n", WIFEXITED (status) ? "exit" : "signal",
          WIFEXITED (status) ? WEXITSTATUS (status) : WTERMSIG (status));
  return false;
}

static int
getcwd_errno (void *arg)
{
  char buf[256];
  long r = syscall (SYS_getcwd, buf, sizeof (buf));
  return (r < 0 && errno == (int) (intptr_t) arg) ? 0 : 1;
}

static int
call_getppid (void *arg)
{
  (void) arg;
  syscall (SYS_getppid);
  return 0;
}

static int
personality_check (void *arg)
{
  (void) arg;
  if (syscall (SYS_personality, 0xffffffffUL) != -1 || errno != 99)
    return 1;
  if (syscall (SYS_personality, 0xfffffffeUL) < 0 && errno == 99)
    return 2;
  /* Repeated index: two rules, either matches.  */
  if (syscall (SYS_close, 1000) != -1 || errno != 77)
    return 3;
  if (syscall (SYS_close, 1001) != -1 || errno != 77)
    return 4;
  if (syscall (SYS_close, 1002) != -1 || errno != EBADF)
    return 5;
  /* Distinct indexes: ANDed.  */
  if (syscall (SYS_kill, 0x7ffffff0, 0) != -1 || errno != 66)
    return 6;
  if (syscall (SYS_kill, 0x7ffffff0, SIGCONT) != -1 || errno != ESRCH)
    return 7;
  /* MASKED_EQ: (arg & 0xff00) == 0x1100.  */
  if (syscall (SYS_dup, 0x11ab) != -1 || errno != 55)
    return 8;
  if (syscall (SYS_dup, 0x12ab) != -1 || errno != EBADF)
    return 9;
  return 0;
}

static void *
thread_getcwd (void *arg)
{
  int *fds = arg;
  char c;
  char buf[256];
  long r;
  intptr_t ok;

  if (read (fds[0], &c, 1) != 1)
    return (void *) 0;
  r = syscall (SYS_getcwd, buf, sizeof (buf));
  ok = (r < 0 && errno == 38);
  return (void *) ok;
}

static void
test_seccomp_load (void)
{
  int status;

  status = run_filtered ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
                         "{\"names\":[\"getcwd\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38},"
                         "{\"names\":[\"no_such_syscall_xyz\"],\"action\":\"SCMP_ACT_KILL\"},"
                         "{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
                         getcwd_errno, (void *) (intptr_t) 38);
  CHECK (exited_ok (status), "seccomp load: ERRNO 38 for getcwd (unknown names and default-action rules skipped)");

  status = run_filtered ("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,\"syscalls\":["
                         "{\"names\":[\"exit_group\",\"exit\",\"prctl\",\"write\",\"seccomp\",\"futex\","
                         "\"rt_sigreturn\",\"brk\",\"mmap\",\"munmap\",\"newfstatat\",\"fstat\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
                         getcwd_errno, (void *) (intptr_t) 38);
  CHECK (exited_ok (status), "seccomp load: defaultErrnoRet applies to the default action");

  status = run_filtered ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
                         "{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_KILL_PROCESS\"}]}", call_getppid, NULL);
  CHECK (WIFSIGNALED (status) && WTERMSIG (status) == SIGSYS, "seccomp load: KILL_PROCESS kills with SIGSYS");

  status = run_filtered ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
                         "{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_TRAP\"}]}", call_getppid, NULL);
  CHECK (WIFSIGNALED (status) && WTERMSIG (status) == SIGSYS, "seccomp load: TRAP raises SIGSYS");

  status = run_filtered ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\","
                         "\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],\"syscalls\":["
                         "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":99,"
                         "\"args\":[{\"index\":0,\"value\":4294967295,\"op\":\"SCMP_CMP_EQ\"}]},"
                         "{\"names\":[\"close\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":77,"
                         "\"args\":[{\"index\":0,\"value\":1000,\"op\":\"SCMP_CMP_EQ\"},"
                         "{\"index\":0,\"value\":1001,\"op\":\"SCMP_CMP_EQ\"}]},"
                         "{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":66,"
                         "\"args\":[{\"index\":0,\"value\":2147483632,\"op\":\"SCMP_CMP_EQ\"},"
                         "{\"index\":1,\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]},"
                         "{\"names\":[\"dup\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":55,"
                         "\"args\":[{\"index\":0,\"value\":65280,\"valueTwo\":4352,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
                         personality_check, NULL);
  CHECK (exited_ok (status), "seccomp load: argument conditions (EQ, repeated index, AND, MASKED_EQ), several archs");

  if (ocirun_seccomp_flag_supported ("SECCOMP_FILTER_FLAG_LOG")
      && ocirun_seccomp_flag_supported ("SECCOMP_FILTER_FLAG_SPEC_ALLOW"))
    {
      status = run_filtered ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\","
                             "\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"],\"syscalls\":["
                             "{\"names\":[\"getcwd\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38},"
                             "{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_LOG\"}]}",
                             getcwd_errno, (void *) (intptr_t) 38);
      CHECK (exited_ok (status), "seccomp load: LOG and SPEC_ALLOW flags, LOG action");
    }
  else
    SKIP ("seccomp load: the kernel lacks the LOG/SPEC_ALLOW flags");

  /* Without no_new_privs (process.noNewPrivileges false) CAP_SYS_ADMIN suffices,
     and loading must not turn no_new_privs on behind the caller's back.  */
  if (prctl (PR_CAPBSET_READ, 21 /* CAP_SYS_ADMIN */, 0, 0, 0) == 1 && geteuid () == 0)
    {
      fflush (stdout);
      pid_t p = fork ();
      if (p == 0)
        {
          struct ocirun_error *err = NULL;
          oci_config_linux_seccomp *s = parse_seccomp (
              "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
              "{\"names\":[\"getcwd\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}]}");
          int nfd;
          if (ocirun_seccomp_load (s, &nfd, &err) < 0)
            {
              printf ("# load: %s\n", err->msg);
              fflush (stdout);
              _exit (2);
            }
          if (prctl (PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 0)
            _exit (3);
          _exit (getcwd_errno ((void *) (intptr_t) 38));
        }
      waitpid (p, &status, 0);
      CHECK (exited_ok (status), "seccomp load: with CAP_SYS_ADMIN, no_new_privs is left unset");
    }
  else
    SKIP ("seccomp load: no CAP_SYS_ADMIN to load without no_new_privs");

  /* TSYNC: a thread created before the load is filtered too.  */
  fflush (stdout);
  pid_t pid = fork ();
  if (pid == 0)
    {
      struct ocirun_error *err = NULL;
      oci_config_linux_seccomp *s = parse_seccomp (
          "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_TSYNC\"],\"syscalls\":["
          "{\"names\":[\"getcwd\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}]}");
      pthread_t t;
      int fds[2];
      void *ret = NULL;
      int nfd;
      if (pipe (fds) < 0 || pthread_create (&t, NULL, thread_getcwd, fds) != 0)
        _exit (2);
      if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || ocirun_seccomp_load (s, &nfd, &err) < 0)
        _exit (3);
      if (write (fds[1], "x", 1) != 1)
        _exit (4);
      pthread_join (t, &ret);
      _exit (ret ? 0 : 1);
    }
  waitpid (pid, &status, 0);
  CHECK (exited_ok (status), "seccomp load: TSYNC filters the other threads");
}

/* ---- seccomp: user notification ---- */

static int
send_fd (int sock, int fd)
{
  union { char buf[CMSG_SPACE (sizeof (int))]; struct cmsghdr align; } control;
  struct msghdr msg = { 0 };
  struct iovec iov = { .iov_base = (char *) "F", .iov_len = 1 };
  struct cmsghdr *cmsg;

  memset (&control, 0, sizeof (control));
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof (control.buf);
  cmsg = CMSG_FIRSTHDR (&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (cmsg), &fd, sizeof (int));
  return sendmsg (sock, &msg, 0) == 1 ? 0 : -1;
}

/* Receive up to BUFLEN bytes and one fd.  */
static ssize_t
recv_with_fd (int sock, char *buf, size_t buflen, int *fd)
{
  union { char buf[CMSG_SPACE (sizeof (int))]; struct cmsghdr align; } control;
  struct msghdr msg = { 0 };
  struct iovec iov = { .iov_base = buf, .iov_len = buflen };
  struct cmsghdr *cmsg;
  ssize_t r;

  *fd = -1;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof (control.buf);
  r = recvmsg (sock, &msg, MSG_CMSG_CLOEXEC);
  cmsg = CMSG_FIRSTHDR (&msg);
  if (r >= 0 && cmsg && cmsg->cmsg_type == SCM_RIGHTS)
    memcpy (fd, CMSG_DATA (cmsg), sizeof (int));
  return r;
}

static const char *notify_profile =
    "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/nonexistent/ocirun-agent.sock\","
    "\"listenerMetadata\":\"hello=world\",%s\"syscalls\":["
    "{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}";

/* The child loads NOTIFY for getppid and hands the listener over; the test
   answers 4242 through the fd it got from ocirun_seccomp_send_to_listener.  */
static void
test_seccomp_notify (const char *flags, const char *name)
{
  char tmpl[] = "/tmp/ocirun-test-XXXXXX";
  cleanup_free char *sockpath = NULL;
  cleanup_free char *profile = NULL;
  cleanup_error struct ocirun_error *err = NULL;
  cleanup_close int listener = -1;
  cleanup_close int conn = -1;
  cleanup_close int nfd = -1;
  cleanup_close int agent_fd = -1;
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  oci_config_linux_seccomp *s;
  char buf[4096];
  yajl_val tree = NULL;
  int sv[2], status = 0;
  ssize_t len;
  pid_t pid;
  bool json_ok = false, answered = false;

  if (mkdtemp (tmpl) == NULL || socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    abort ();
  sockpath = xasprintf ("%s/agent.sock", tmpl);
  profile = xasprintf (notify_profile, flags);

  fflush (stdout);
  pid = fork ();
  if (pid == 0)
    {
      struct ocirun_error *cerr = NULL;
      oci_config_linux_seccomp *cs = parse_seccomp (profile);
      int fd = -1;
      close (sv[0]);
      if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        _exit (2);
      if (ocirun_seccomp_load (cs, &fd, &cerr) < 0)
        {
          printf ("# load: %s\n", cerr->msg);
          fflush (stdout);
          _exit (3);
        }
      if (fd < 0 || send_fd (sv[1], fd) < 0)
        _exit (4);
      close (fd);
      _exit (syscall (SYS_getppid) == 4242 ? 0 : 5);
    }
  close (sv[1]);
  if (recv_with_fd (sv[0], buf, 1, &nfd) != 1 || nfd < 0)
    {
      close (sv[0]);
      waitpid (pid, &status, 0);
      CHECK (false, "seccomp notify%s: the child hands over a listener fd (%d)", name, status);
      return;
    }
  close (sv[0]);

  /* The runtime side: send the fd and state to the agent (us).  */
  s = parse_seccomp (profile);
  free (s->listener_path);
  s->listener_path = xstrdup (sockpath);
  listener = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  strcpy (addr.sun_path, sockpath);
  if (listener < 0 || bind (listener, (struct sockaddr *) &addr, sizeof (addr)) < 0 || listen (listener, 1) < 0)
    abort ();
  CHECK (ocirun_seccomp_send_to_listener (s, nfd, "{\"ociVersion\":\"1.3.0\",\"id\":\"ctr1\",\"status\":\"creating\","
                                          "\"pid\":1234,\"bundle\":\"/b\",\"rootfs\":\"/b/rootfs\","
                                          "\"annotations\":{\"k\":\"v\"}}", pid, &err) == 0,
         "seccomp notify%s: the listener fd and state are sent to the agent%s%s", name, err ? ": " : "",
         err ? err->msg : "");
  conn = accept4 (listener, NULL, NULL, SOCK_CLOEXEC);
  len = conn >= 0 ? recv_with_fd (conn, buf, sizeof (buf) - 1, &agent_fd) : -1;
  if (len > 0)
    {
      const char *p_fds[] = { "fds", NULL }, *p_meta[] = { "metadata", NULL }, *p_id[] = { "state", "id", NULL };
      const char *p_pid[] = { "pid", NULL }, *p_ann[] = { "state", "annotations", "k", NULL };
      const char *p_ver[] = { "ociVersion", NULL };
      yajl_val v;
      buf[len] = '\0';
      tree = yajl_tree_parse (buf, NULL, 0);
      v = tree ? yajl_tree_get (tree, p_fds, yajl_t_array) : NULL;
      json_ok = v && YAJL_GET_ARRAY (v)->len == 1 && YAJL_IS_STRING (YAJL_GET_ARRAY (v)->values[0])
                && strcmp (jstr (YAJL_GET_ARRAY (v)->values[0]), "seccompFd") == 0;
      v = tree ? yajl_tree_get (tree, p_meta, yajl_t_string) : NULL;
      json_ok = json_ok && v && strcmp (jstr (v), "hello=world") == 0;
      v = tree ? yajl_tree_get (tree, p_id, yajl_t_string) : NULL;
      json_ok = json_ok && v && strcmp (jstr (v), "ctr1") == 0;
      v = tree ? yajl_tree_get (tree, p_pid, yajl_t_number) : NULL;
      json_ok = json_ok && v && YAJL_GET_INTEGER (v) == pid;
      v = tree ? yajl_tree_get (tree, p_ann, yajl_t_string) : NULL;
      json_ok = json_ok && v && strcmp (jstr (v), "v") == 0;
      v = tree ? yajl_tree_get (tree, p_ver, yajl_t_string) : NULL;
      json_ok = json_ok && v && strcmp (jstr (v), "1.3.0") == 0;
      if (!json_ok)
        printf ("# got: %s\n", buf);
      yajl_tree_free (tree);
    }
  CHECK (json_ok && agent_fd >= 0 && !contains (buf, "rootfs"),
         "seccomp notify%s: the agent gets the container process state and one fd", name);

  if (agent_fd >= 0)
    {
      struct seccomp_notif req;
      struct seccomp_notif_resp resp;
      memset (&req, 0, sizeof (req));
      if (ioctl (agent_fd, SECCOMP_IOCTL_NOTIF_RECV, &req) == 0 && req.data.nr == __NR_getppid)
        {
          memset (&resp, 0, sizeof (resp));
          resp.id = req.id;
          resp.val = 4242;
          answered = ioctl (agent_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0;
        }
    }
  waitpid (pid, &status, 0);
  CHECK (answered && exited_ok (status), "seccomp notify%s: the agent's answer is the syscall's result", name);
  free_oci_config_linux_seccomp (s);
  unlink (sockpath);
  rmdir (tmpl);
}

static void
test_listener_errors (void)
{
  cleanup_error struct ocirun_error *err = NULL;
  oci_config_linux_seccomp *s = parse_seccomp (
      "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/nonexistent/ocirun-agent.sock\"}");
  CHECK (ocirun_seccomp_send_to_listener (s, 0, "{\"ociVersion\":\"1.3.0\",\"id\":\"c\",\"status\":\"creating\","
                                          "\"bundle\":\"/b\"}", 1, &err) < 0
         && contains (err->msg, "connect to the seccomp agent at /nonexistent/ocirun-agent.sock")
         && contains (err->msg, "No such file"),
         "seccomp listener: a missing agent fails at once, naming the path");
  ocirun_error_free (&err);
  CHECK (ocirun_seccomp_send_to_listener (s, 0, "not json", 1, &err) < 0
         && contains (err->msg, "parse the container state"), "seccomp listener: a bad state document is refused");
  ocirun_error_free (&err);

  /* Any fd travels (a pipe here): this path also runs under valgrind.  */
  {
    char tmpl[] = "/tmp/ocirun-test-XXXXXX";
    cleanup_free char *sockpath = NULL;
    cleanup_close int listener = -1;
    cleanup_close int conn = -1;
    cleanup_close int got = -1;
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    char buf[4096];
    ssize_t len = -1;
    int p[2];

    if (mkdtemp (tmpl) == NULL || pipe2 (p, O_CLOEXEC) < 0)
      abort ();
    sockpath = xasprintf ("%s/agent.sock", tmpl);
    free (s->listener_path);
    s->listener_path = xstrdup (sockpath);
    s->listener_metadata = xstrdup ("m");
    strcpy (addr.sun_path, sockpath);
    listener = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0 || bind (listener, (struct sockaddr *) &addr, sizeof (addr)) < 0 || listen (listener, 1) < 0)
      abort ();
    if (ocirun_seccomp_send_to_listener (s, p[0], "{\"ociVersion\":\"1.2.0\",\"id\":\"c\",\"status\":\"creating\","
                                         "\"bundle\":\"/b\"}", 77, &err) == 0)
      {
        conn = accept4 (listener, NULL, NULL, SOCK_CLOEXEC);
        len = conn >= 0 ? recv_with_fd (conn, buf, sizeof (buf) - 1, &got) : -1;
      }
    if (len > 0)
      buf[len] = '\0';
    CHECK (len > 0 && got >= 0
           && strcmp (buf, "{\"ociVersion\":\"1.2.0\",\"fds\":[\"seccompFd\"],\"pid\":77,\"metadata\":\"m\","
                      "\"state\":{\"ociVersion\":\"1.2.0\",\"id\":\"c\",\"status\":\"creating\",\"pid\":77,"
                      "\"bundle\":\"/b\"}}") == 0,
           "seccomp listener: the exact container process state document%s%s", err ? ": " : "",
           err ? err->msg : "");
    close (p[0]);
    close (p[1]);
    unlink (sockpath);
    rmdir (tmpl);
  }
  free_oci_config_linux_seccomp (s);
}

#endif /* HAVE_SECCOMP */

/* Builds without a library refuse the configuration instead of ignoring it.  */
static void __attribute__ ((unused))
test_missing_libraries (void)
{
  cleanup_error struct ocirun_error *err = NULL;
#ifndef HAVE_CAP
  oci_config_process_capabilities *c = parse_caps ("{\"bounding\":[\"CAP_CHOWN\"]}");
  CHECK (ocirun_caps_validate (c, &err) < 0 && contains (err->msg, "built without libcap"),
         "caps: a build without libcap refuses capabilities");
  ocirun_error_free (&err);
  free_oci_config_process_capabilities (c);
#endif
#ifndef HAVE_SECCOMP
  oci_config_linux_seccomp *s = parse_seccomp ("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}");
  CHECK (ocirun_seccomp_validate (s, &err) < 0 && contains (err->msg, "built without libseccomp"),
         "seccomp: a build without libseccomp refuses a seccomp profile");
  free_oci_config_linux_seccomp (s);
#endif
}

int
main (void)
{
#ifdef HAVE_CAP
  test_caps_validate ();
  test_caps_apply ();
#endif
#ifdef HAVE_SECCOMP
  test_seccomp_validate ();
  test_seccomp_helpers ();
  test_seccomp_plan ();
#endif
#if !defined HAVE_CAP || !defined HAVE_SECCOMP
  test_missing_libraries ();
#endif
  test_features ();
  test_lsm ();
#ifdef HAVE_SECCOMP
  if (under_valgrind ())
    {
      SKIP ("seccomp load and notify: valgrind does not emulate seccomp(2)");
      test_listener_errors ();
      printf ("1..%d\n", n_test);
      return n_fail ? 1 : 0;
    }
  test_seccomp_load ();
  test_seccomp_notify ("", "");
  if (ocirun_seccomp_flag_supported ("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"))
    test_seccomp_notify ("\"flags\":[\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],", " (WAIT_KILLABLE_RECV)");
  else
    SKIP ("seccomp notify: the kernel lacks WAIT_KILLABLE_RECV");
  test_listener_errors ();
#endif
  printf ("1..%d\n", n_test);
  return n_fail ? 1 : 0;
}
