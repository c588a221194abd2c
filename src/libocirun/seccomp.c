/* ocirun: seccomp (libseccomp), including user notification.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>
#include "seccomp.h"
#ifdef HAVE_SECCOMP
#include <seccomp.h>
#ifndef SCMP_VER_MAJOR
/* With -I src/libocirun, <seccomp.h> finds our own header: reach libseccomp's
   in the system include directory.  */
#include <linux/../seccomp.h>
#endif
#ifndef SCMP_VER_MAJOR
#error "libseccomp's <seccomp.h> is shadowed by src/libocirun/seccomp.h (use -iquote for src/libocirun)"
#endif
#endif
#include "utils.h"

#ifndef SECCOMP_FILTER_FLAG_TSYNC
#define SECCOMP_FILTER_FLAG_TSYNC (1UL << 0)
#endif
#ifndef SECCOMP_FILTER_FLAG_LOG
#define SECCOMP_FILTER_FLAG_LOG (1UL << 1)
#endif
#ifndef SECCOMP_FILTER_FLAG_SPEC_ALLOW
#define SECCOMP_FILTER_FLAG_SPEC_ALLOW (1UL << 2)
#endif
#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif
#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

#define LISTENER_TIMEOUT_SECONDS 5

#ifdef OCI_SPEC_VERSION
#define OCIRUN_SECCOMP_OCI_VERSION OCI_SPEC_VERSION
#else
#define OCIRUN_SECCOMP_OCI_VERSION "1.3.0"
#endif

const char *const ocirun_seccomp_known_actions[] = {
  "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
  "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
  NULL,
};

const char *const ocirun_seccomp_known_operators[] = {
  "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE",
  "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ", NULL,
};

const char *const ocirun_seccomp_known_archs[] = {
  "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM",
  "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32",
  "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
  "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X",
  "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64",
  "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB", NULL,
};

struct flag_def
{
  const char *name;
  unsigned long kernel_flag;
};

static const struct flag_def flag_defs[] = {
  { "SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC },
  { "SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG },
  { "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW },
  { "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV },
};

const char *const ocirun_seccomp_known_flags[] = {
  "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
  "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", NULL,
};

static const struct flag_def *
find_flag (const char *name)
{
  size_t i;
  for (i = 0; i < sizeof (flag_defs) / sizeof (flag_defs[0]); i++)
    if (strcmp (flag_defs[i].name, name) == 0)
      return &flag_defs[i];
  return NULL;
}

bool
ocirun_seccomp_flag_supported (const char *name)
{
  const struct flag_def *f = find_flag (name);
  unsigned long flags;
  long r;

  if (f == NULL)
    return false;
  flags = f->kernel_flag;
  /* The kernel accepts WAIT_KILLABLE_RECV only together with a listener.  */
  if (flags == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
    flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
  /* A NULL program: the flags are checked first, so EFAULT means "known".  */
  r = syscall (__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, NULL);
  return r < 0 && errno == EFAULT;
}

#ifdef HAVE_SECCOMP

int
ocirun_seccomp_action_from_string (const char *name, int64_t errno_ret, uint32_t *action)
{
  uint16_t ret = errno_ret < 0 ? EPERM : (uint16_t) errno_ret;

  if (name == NULL)
    return -1;
  if (strcmp (name, "SCMP_ACT_KILL") == 0 || strcmp (name, "SCMP_ACT_KILL_THREAD") == 0)
    *action = SCMP_ACT_KILL_THREAD;
  else if (strcmp (name, "SCMP_ACT_KILL_PROCESS") == 0)
    *action = SCMP_ACT_KILL_PROCESS;
  else if (strcmp (name, "SCMP_ACT_TRAP") == 0)
    *action = SCMP_ACT_TRAP;
  else if (strcmp (name, "SCMP_ACT_ERRNO") == 0)
    *action = SCMP_ACT_ERRNO (ret);
  else if (strcmp (name, "SCMP_ACT_TRACE") == 0)
    *action = SCMP_ACT_TRACE (ret);
  else if (strcmp (name, "SCMP_ACT_ALLOW") == 0)
    *action = SCMP_ACT_ALLOW;
  else if (strcmp (name, "SCMP_ACT_LOG") == 0)
    *action = SCMP_ACT_LOG;
  else if (strcmp (name, "SCMP_ACT_NOTIFY") == 0)
    *action = SCMP_ACT_NOTIFY;
  else
    return -1;
  return 0;
}

int
ocirun_seccomp_op_from_string (const char *name)
{
  static const struct { const char *name; enum scmp_compare op; } ops[] = {
    { "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT },
    { "SCMP_CMP_LE", SCMP_CMP_LE }, { "SCMP_CMP_EQ", SCMP_CMP_EQ },
    { "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
    { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
  };
  size_t i;

  if (name == NULL)
    return -1;
  for (i = 0; i < sizeof (ops) / sizeof (ops[0]); i++)
    if (strcmp (ops[i].name, name) == 0)
      return (int) ops[i].op;
  return -1;
}

uint32_t
ocirun_seccomp_arch_from_string (const char *name)
{
  char lower[64];
  size_t i;

  if (name == NULL || !str_has_prefix (name, "SCMP_ARCH_"))
    return 0;
  name += strlen ("SCMP_ARCH_");
  if (*name == '\0' || strlen (name) >= sizeof (lower))
    return 0;
  /* libseccomp's names are the lower-case suffixes: "x86_64", "mipsel64n32"...  */
  for (i = 0; name[i]; i++)
    lower[i] = (name[i] >= 'A' && name[i] <= 'Z') ? name[i] - 'A' + 'a' : name[i];
  lower[i] = '\0';
  return seccomp_arch_resolve_name (lower);
}

#else /* !HAVE_SECCOMP */

int
ocirun_seccomp_action_from_string (const char *name, int64_t errno_ret, uint32_t *action)
{
  (void) name;
  (void) errno_ret;
  (void) action;
  return -1;
}

int
ocirun_seccomp_op_from_string (const char *name)
{
  (void) name;
  return -1;
}

uint32_t
ocirun_seccomp_arch_from_string (const char *name)
{
  (void) name;
  return 0;
}

#endif

static int
validate_syscall (const struct oci_syscall *sc, size_t i, bool *uses_notify, struct ocirun_error **err)
{
  uint32_t action;
  size_t j;

  if (sc->names == NULL || sc->names_len == 0)
    return ocirun_error_set (err, 0, "linux.seccomp.syscalls[%zu].names: at least one name is required", i);
  if (sc->action == NULL)
    return ocirun_error_set (err, 0, "linux.seccomp.syscalls[%zu].action: required", i);
  if (ocirun_seccomp_action_from_string (sc->action, -1, &action) < 0)
    return ocirun_error_set (err, 0, "linux.seccomp.syscalls[%zu].action: unknown action \"%s\"", i,
                             sc->action);
  if (strcmp (sc->action, "SCMP_ACT_NOTIFY") == 0)
    *uses_notify = true;
  for (j = 0; j < sc->args_len; j++)
    {
      const struct oci_syscall_arg *a = sc->args[j];
      if (a == NULL)
        continue;
      if (a->index >= 6)
        return ocirun_error_set (err, 0, "linux.seccomp.syscalls[%zu].args[%zu].index: %u is out of range (0-5)",
                                 i, j, a->index);
      if (a->op == NULL)
        return ocirun_error_set (err, 0, "linux.seccomp.syscalls[%zu].args[%zu].op: required", i, j);
      if (ocirun_seccomp_op_from_string (a->op) < 0)
        return ocirun_error_set (err, 0, "linux.seccomp.syscalls[%zu].args[%zu].op: unknown operator \"%s\"",
                                 i, j, a->op);
    }
  return 0;
}

int
ocirun_seccomp_validate (const struct oci_config_linux_seccomp *s, struct ocirun_error **err)
{
  bool uses_notify = false;
  uint32_t action;
  size_t i;

  if (s == NULL)
    return 0;
#ifndef HAVE_SECCOMP
  return ocirun_error_set (err, ENOTSUP, "linux.seccomp: ocirun was built without libseccomp");
#endif
  if (s->default_action == NULL)
    return ocirun_error_set (err, 0, "linux.seccomp.defaultAction: required");
  if (ocirun_seccomp_action_from_string (s->default_action, -1, &action) < 0)
    return ocirun_error_set (err, 0, "linux.seccomp.defaultAction: unknown action \"%s\"", s->default_action);
  if (strcmp (s->default_action, "SCMP_ACT_NOTIFY") == 0)
    return ocirun_error_set (err, 0, "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action");
  for (i = 0; i < s->architectures_len; i++)
    if (ocirun_seccomp_arch_from_string (s->architectures[i]) == 0)
      return ocirun_error_set (err, 0, "linux.seccomp.architectures[%zu]: unknown architecture \"%s\"", i,
                               s->architectures[i]);
  for (i = 0; i < s->flags_len; i++)
    if (find_flag (s->flags[i]) == NULL)
      return ocirun_error_set (err, 0, "linux.seccomp.flags[%zu]: unknown flag \"%s\"", i, s->flags[i]);
  for (i = 0; i < s->syscalls_len; i++)
    if (s->syscalls[i] && validate_syscall (s->syscalls[i], i, &uses_notify, err) < 0)
      return -1;
  if (uses_notify && (s->listener_path == NULL || s->listener_path[0] == '\0'))
    return ocirun_error_set (err, 0, "linux.seccomp.listenerPath: required when an action is SCMP_ACT_NOTIFY");
  if (s->listener_path && s->listener_path[0] != '/')
    return ocirun_error_set (err, 0, "linux.seccomp.listenerPath: \"%s\" is not an absolute path",
                             s->listener_path);
  return 0;
}

int
ocirun_seccomp_plan_rules (const struct oci_syscall *sc, const char *field,
                           struct ocirun_seccomp_rule **rules, size_t *n_rules,
                           struct ocirun_error **err)
{
  unsigned int count[6] = { 0 };
  struct ocirun_seccomp_rule *out;
  struct ocirun_seccomp_rule *shared;
  size_t j, n = 0;

  for (j = 0; j < sc->args_len; j++)
    {
      const struct oci_syscall_arg *a = sc->args[j];
      if (a == NULL)
        continue;
      if (a->index >= 6)
        return ocirun_error_set (err, 0, "%s.args[%zu].index: %u is out of range (0-5)", field, j, a->index);
      if (ocirun_seccomp_op_from_string (a->op) < 0)
        return ocirun_error_set (err, 0, "%s.args[%zu].op: unknown operator \"%s\"", field, j,
                                 a->op ? a->op : "");
      count[a->index]++;
    }

  /* At most one rule per condition plus the shared one.  */
  out = xmalloc0 ((sc->args_len + 1) * sizeof (*out));
  shared = &out[n++];
  for (j = 0; j < sc->args_len; j++)
    {
      const struct oci_syscall_arg *a = sc->args[j];
      struct ocirun_seccomp_cond c;
      if (a == NULL)
        continue;
      c.index = a->index;
      c.op = ocirun_seccomp_op_from_string (a->op);
      c.value = a->value;
      c.value_two = a->value_two;
      if (count[a->index] > 1)
        {
          out[n].conds[0] = c;
          out[n].n_conds = 1;
          n++;
        }
      else
        shared->conds[shared->n_conds++] = c;
    }
  /* Drop the shared rule when every condition went to a rule of its own.  */
  if (shared->n_conds == 0 && n > 1)
    {
      memmove (&out[0], &out[1], (n - 1) * sizeof (*out));
      n--;
    }
  *rules = out;
  *n_rules = n;
  return 0;
}

#ifdef HAVE_SECCOMP

static void
cleanup_seccomp_ctx (scmp_filter_ctx *ctx)
{
  if (*ctx)
    seccomp_release (*ctx);
}
#define cleanup_scmp __attribute__ ((cleanup (cleanup_seccomp_ctx)))

static bool
has_flag (const struct oci_config_linux_seccomp *s, const char *name)
{
  size_t i;
  for (i = 0; i < s->flags_len; i++)
    if (strcmp (s->flags[i], name) == 0)
      return true;
  return false;
}

static int
add_syscall_rules (scmp_filter_ctx ctx, const struct oci_syscall *sc, size_t i, uint32_t default_action,
                   bool *uses_notify, struct ocirun_error **err)
{
  cleanup_free struct ocirun_seccomp_rule *rules = NULL;
  cleanup_free char *field = xasprintf ("linux.seccomp.syscalls[%zu]", i);
  size_t n_rules = 0, j, r, k;
  uint32_t action;

  if (ocirun_seccomp_action_from_string (sc->action, sc->errno_ret_present ? (int64_t) sc->errno_ret : -1,
                                         &action) < 0)
    return ocirun_error_set (err, 0, "%s.action: unknown action \"%s\"", field, sc->action ? sc->action : "");
  if (action == default_action)
    {
      ocirun_debug ("%s: action %s is the default action, skipped", field, sc->action);
      return 0;
    }
  if (ocirun_seccomp_plan_rules (sc, field, &rules, &n_rules, err) < 0)
    return -1;
  for (j = 0; j < sc->names_len; j++)
    {
      const char *name = sc->names[j];
      int nr = seccomp_syscall_resolve_name (name);
      if (nr == __NR_SCMP_ERROR)
        {
          ocirun_debug ("%s: unknown syscall \"%s\" skipped", field, name);
          continue;
        }
      for (r = 0; r < n_rules; r++)
        {
          struct scmp_arg_cmp cmp[6];
          int ret;
          for (k = 0; k < rules[r].n_conds; k++)
            {
              cmp[k].arg = rules[r].conds[k].index;
              cmp[k].op = (enum scmp_compare) rules[r].conds[k].op;
              cmp[k].datum_a = rules[r].conds[k].value;
              cmp[k].datum_b = rules[r].conds[k].value_two;
            }
          ret = seccomp_rule_add_array (ctx, action, nr, rules[r].n_conds, cmp);
          if (ret < 0)
            return ocirun_error_set (err, -ret, "%s: cannot add the rule for syscall \"%s\"", field, name);
          if (action == SCMP_ACT_NOTIFY)
            *uses_notify = true;
        }
    }
  return 0;
}

static int
set_attr (scmp_filter_ctx ctx, enum scmp_filter_attr attr, uint32_t value, const char *what,
          struct ocirun_error **err)
{
  int ret = seccomp_attr_set (ctx, attr, value);
  if (ret < 0)
    return ocirun_error_set (err, -ret, "linux.seccomp.flags: cannot set %s", what);
  return 0;
}

/* libseccomp 2.5 has no attribute for WAIT_KILLABLE_RECV: export the
   program and install it with seccomp(2) ourselves.  */
static int
load_exported (scmp_filter_ctx ctx, const struct oci_config_linux_seccomp *s, bool uses_notify,
               int *notify_fd, struct ocirun_error **err)
{
  cleanup_close int fd = memfd_create ("ocirun-seccomp", MFD_CLOEXEC);
  cleanup_free char *buf = NULL;
  size_t len = 0;
  struct sock_fprog prog;
  unsigned long flags = SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV | SECCOMP_FILTER_FLAG_NEW_LISTENER;
  long ret;

  if (fd < 0)
    return ocirun_error_set (err, errno, "memfd_create for the seccomp program");
  ret = seccomp_export_bpf (ctx, fd);
  if (ret < 0)
    return ocirun_error_set (err, (int) -ret, "export the seccomp program");
  if (lseek (fd, 0, SEEK_SET) < 0)
    return ocirun_error_set (err, errno, "lseek on the seccomp program");
  if (read_all_fd (fd, "the seccomp program", &buf, &len, err) < 0)
    return -1;
  if (len == 0 || len % sizeof (struct sock_filter) != 0 || len / sizeof (struct sock_filter) > 0xffff)
    return ocirun_error_set (err, EINVAL, "the exported seccomp program has an invalid size %zu", len);
  prog.len = (unsigned short) (len / sizeof (struct sock_filter));
  prog.filter = (struct sock_filter *) buf;

  if (has_flag (s, "SECCOMP_FILTER_FLAG_TSYNC"))
    flags |= SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
  if (has_flag (s, "SECCOMP_FILTER_FLAG_LOG"))
    flags |= SECCOMP_FILTER_FLAG_LOG;
  if (has_flag (s, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"))
    flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
  ret = syscall (__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
  if (ret < 0)
    {
      if (errno == EINVAL && !ocirun_seccomp_flag_supported ("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"))
        return ocirun_error_set (err, EINVAL,
                                 "linux.seccomp.flags: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV is not "
                                 "supported by the running kernel (needs Linux >= 5.19)");
      return ocirun_error_set (err, errno, "load the seccomp filter");
    }
  if (uses_notify)
    *notify_fd = (int) ret;
  return 0;
}

int
ocirun_seccomp_load (const struct oci_config_linux_seccomp *s, int *notify_fd, struct ocirun_error **err)
{
  cleanup_scmp scmp_filter_ctx ctx = NULL;
  bool uses_notify = false;
  uint32_t default_action;
  size_t i;
  int ret;

  if (notify_fd)
    *notify_fd = -1;
  if (s == NULL)
    return 0;
  if (ocirun_seccomp_validate (s, err) < 0)
    return -1;
  if (ocirun_seccomp_action_from_string (s->default_action,
                                         s->default_errno_ret_present ? (int64_t) s->default_errno_ret : -1,
                                         &default_action) < 0)
    return ocirun_error_set (err, 0, "linux.seccomp.defaultAction: unknown action \"%s\"", s->default_action);

  ctx = seccomp_init (default_action);
  if (ctx == NULL)
    return ocirun_error_set (err, ENOMEM, "seccomp_init with default action %s", s->default_action);
  /* Never set no_new_privs here: the caller decides (process.noNewPrivileges).  */
  if (set_attr (ctx, SCMP_FLTATR_CTL_NNP, 0, "no_new_privs=0", err) < 0)
    return -1;

  for (i = 0; i < s->architectures_len; i++)
    {
      uint32_t arch = ocirun_seccomp_arch_from_string (s->architectures[i]);
      ret = seccomp_arch_add (ctx, arch);
      if (ret < 0 && ret != -EEXIST)
        return ocirun_error_set (err, -ret, "linux.seccomp.architectures[%zu]: cannot add \"%s\"", i,
                                 s->architectures[i]);
    }

  if (has_flag (s, "SECCOMP_FILTER_FLAG_TSYNC")
      && set_attr (ctx, SCMP_FLTATR_CTL_TSYNC, 1, "SECCOMP_FILTER_FLAG_TSYNC", err) < 0)
    return -1;
  if (has_flag (s, "SECCOMP_FILTER_FLAG_LOG")
      && set_attr (ctx, SCMP_FLTATR_CTL_LOG, 1, "SECCOMP_FILTER_FLAG_LOG", err) < 0)
    return -1;
  if (has_flag (s, "SECCOMP_FILTER_FLAG_SPEC_ALLOW")
      && set_attr (ctx, SCMP_FLTATR_CTL_SSB, 1, "SECCOMP_FILTER_FLAG_SPEC_ALLOW", err) < 0)
    return -1;

  for (i = 0; i < s->syscalls_len; i++)
    if (s->syscalls[i] && add_syscall_rules (ctx, s->syscalls[i], i, default_action, &uses_notify, err) < 0)
      return -1;

  if (uses_notify && notify_fd == NULL)
    return ocirun_error_set (err, EINVAL, "linux.seccomp: SCMP_ACT_NOTIFY used but the caller takes no listener fd");

  if (has_flag (s, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"))
    {
      if (uses_notify)
        return load_exported (ctx, s, uses_notify, notify_fd, err);
      ocirun_debug ("linux.seccomp.flags: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV ignored: no SCMP_ACT_NOTIFY rule");
    }

  ret = seccomp_load (ctx);
  if (ret == -EACCES)
    return ocirun_error_set (err, EACCES, "load the seccomp filter (needs process.noNewPrivileges or CAP_SYS_ADMIN)");
  if (ret < 0)
    return ocirun_error_set (err, -ret, "load the seccomp filter");
  if (uses_notify)
    {
      ret = seccomp_notify_fd (ctx);
      if (ret < 0)
        return ocirun_error_set (err, -ret, "get the seccomp listener fd");
      *notify_fd = ret;
    }
  return 0;
}

#else /* !HAVE_SECCOMP */

int
ocirun_seccomp_load (const struct oci_config_linux_seccomp *s, int *notify_fd, struct ocirun_error **err)
{
  if (notify_fd)
    *notify_fd = -1;
  if (s == NULL)
    return 0;
  return ocirun_error_set (err, ENOTSUP, "linux.seccomp: ocirun was built without libseccomp");
}

#endif

static void
cleanup_yajl_gen (yajl_gen *g)
{
  if (*g)
    yajl_gen_free (*g);
}

static void
cleanup_oci_state (oci_state **s)
{
  free_oci_state (*s);
}

static void
gen_string (yajl_gen g, const char *s)
{
  yajl_gen_string (g, (const unsigned char *) s, strlen (s));
}

/* The runtime-spec "container process state" document.  */
static int
process_state_json (const struct oci_config_linux_seccomp *s, const char *state_json, pid_t pid,
                    char **out, size_t *out_len, struct ocirun_error **err)
{
  __attribute__ ((cleanup (cleanup_oci_state))) oci_state *st = NULL;
  __attribute__ ((cleanup (cleanup_yajl_gen))) yajl_gen g = NULL;
  cleanup_free char *perr = NULL;
  const unsigned char *buf;
  size_t len, i;

  st = oci_state_parse_data (state_json, strlen (state_json), &perr);
  if (st == NULL)
    return ocirun_error_set (err, EINVAL, "parse the container state: %s", perr ? perr : "invalid JSON");

  g = yajl_gen_alloc (NULL);
  if (g == NULL)
    return ocirun_error_set (err, ENOMEM, "yajl_gen_alloc");
  yajl_gen_map_open (g);
  gen_string (g, "ociVersion");
  gen_string (g, st->oci_version ? st->oci_version : OCIRUN_SECCOMP_OCI_VERSION);
  gen_string (g, "fds");
  yajl_gen_array_open (g);
  gen_string (g, "seccompFd");
  yajl_gen_array_close (g);
  gen_string (g, "pid");
  yajl_gen_integer (g, pid);
  if (s->listener_metadata)
    {
      gen_string (g, "metadata");
      gen_string (g, s->listener_metadata);
    }
  gen_string (g, "state");
  yajl_gen_map_open (g);
  gen_string (g, "ociVersion");
  gen_string (g, st->oci_version ? st->oci_version : OCIRUN_SECCOMP_OCI_VERSION);
  gen_string (g, "id");
  gen_string (g, st->id ? st->id : "");
  gen_string (g, "status");
  gen_string (g, st->status ? st->status : "creating");
  gen_string (g, "pid");
  yajl_gen_integer (g, st->pid_present ? st->pid : pid);
  gen_string (g, "bundle");
  gen_string (g, st->bundle ? st->bundle : "");
  if (st->annotations && st->annotations->len > 0)
    {
      gen_string (g, "annotations");
      yajl_gen_map_open (g);
      for (i = 0; i < st->annotations->len; i++)
        {
          gen_string (g, st->annotations->keys[i]);
          gen_string (g, st->annotations->values[i]);
        }
      yajl_gen_map_close (g);
    }
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);
  if (yajl_gen_get_buf (g, &buf, &len) != yajl_gen_status_ok)
    return ocirun_error_set (err, EINVAL, "generate the container process state JSON");
  *out = xmalloc0 (len + 1);
  memcpy (*out, buf, len);
  *out_len = len;
  return 0;
}

int
ocirun_seccomp_send_to_listener (const struct oci_config_linux_seccomp *s, int notify_fd,
                                 const char *state_json_of_container, pid_t pid, struct ocirun_error **err)
{
  cleanup_free char *json = NULL;
  cleanup_close int sock = -1;
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  struct timeval tv = { .tv_sec = LISTENER_TIMEOUT_SECONDS };
  union { char buf[CMSG_SPACE (sizeof (int))]; struct cmsghdr align; } control;
  struct msghdr msg = { 0 };
  struct cmsghdr *cmsg;
  struct iovec iov;
  size_t len = 0;
  ssize_t sent;

  if (s == NULL || s->listener_path == NULL)
    return ocirun_error_set (err, EINVAL, "linux.seccomp.listenerPath: not set");
  if (notify_fd < 0)
    return ocirun_error_set (err, EBADF, "no seccomp listener fd to send to %s", s->listener_path);
  if (strlen (s->listener_path) >= sizeof (addr.sun_path))
    return ocirun_error_set (err, ENAMETOOLONG, "linux.seccomp.listenerPath: \"%s\" is too long for a unix socket",
                             s->listener_path);
  strcpy (addr.sun_path, s->listener_path);

  if (process_state_json (s, state_json_of_container, pid, &json, &len, err) < 0)
    return -1;

  sock = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0)
    return ocirun_error_set (err, errno, "socket");
  /* For unix sockets the send timeout also bounds connect (full backlog).  */
  if (setsockopt (sock, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof (tv)) < 0)
    return ocirun_error_set (err, errno, "setsockopt SO_SNDTIMEO");
  if (connect (sock, (struct sockaddr *) &addr, sizeof (addr)) < 0)
    return ocirun_error_set (err, errno, "connect to the seccomp agent at %s (linux.seccomp.listenerPath): "
                             "is the agent running?", s->listener_path);

  memset (&control, 0, sizeof (control));
  iov.iov_base = json;
  iov.iov_len = len;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof (control.buf);
  cmsg = CMSG_FIRSTHDR (&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (cmsg), &notify_fd, sizeof (int));

  do
    sent = sendmsg (sock, &msg, MSG_NOSIGNAL);
  while (sent < 0 && errno == EINTR);
  if (sent < 0)
    return ocirun_error_set (err, errno == EAGAIN ? ETIMEDOUT : errno,
                             "send the seccomp listener fd to %s", s->listener_path);
  /* A stream socket may take the document in pieces: the rest, without the fd.  */
  while ((size_t) sent < len)
    {
      ssize_t w = send (sock, json + sent, len - sent, MSG_NOSIGNAL);
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        return ocirun_error_set (err, errno == EAGAIN ? ETIMEDOUT : errno,
                                 "send the container state to %s", s->listener_path);
      sent += w;
    }
  return 0;
}
