/* ocirun: linux.resources.devices -> a BPF_PROG_TYPE_CGROUP_DEVICE program.
 * Raw bpf(2), no libbpf.  Never raises RLIMIT_MEMLOCK (kernels >= 5.11 charge
 * BPF memory to the memory cgroup).
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>
#include "../utils.h"
#include "cgroup-internal.h"

/* Registers after the prologue.  */
enum { R_TYPE = 2, R_ACCESS = 3, R_MAJOR = 4, R_MINOR = 5, R_TMP = 6 };

static struct bpf_insn
insn (uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
  return (struct bpf_insn) { .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };
}

struct prog
{
  struct bpf_insn *v;
  size_t n;
};

static void
emit (struct prog *p, struct bpf_insn i)
{
  p->v = xrealloc (p->v, (p->n + 1) * sizeof (*p->v));
  p->v[p->n++] = i;
}

static int
parse_access (const char *a, int *mask, size_t idx, struct ocirun_error **err)
{
  *mask = 0;
  if (a == NULL || a[0] == '\0')
    a = "rwm";
  for (const char *c = a; *c; c++)
    switch (*c)
      {
      case 'r': *mask |= BPF_DEVCG_ACC_READ; break;
      case 'w': *mask |= BPF_DEVCG_ACC_WRITE; break;
      case 'm': *mask |= BPF_DEVCG_ACC_MKNOD; break;
      default:
        return ocirun_error_set (err, EINVAL, "linux.resources.devices[%zu].access \"%s\": invalid character "
                                 "'%c' (use a subset of \"rwm\")", idx, a, *c);
      }
  return 0;
}

static int
parse_type (const char *t, int *type, size_t idx, struct ocirun_error **err)
{
  if (t == NULL || t[0] == '\0' || strcmp (t, "a") == 0)
    *type = 0;
  else if (strcmp (t, "c") == 0)
    *type = BPF_DEVCG_DEV_CHAR;
  else if (strcmp (t, "b") == 0)
    *type = BPF_DEVCG_DEV_BLOCK;
  else
    return ocirun_error_set (err, EINVAL, "linux.resources.devices[%zu].type \"%s\": use \"a\", \"b\" or \"c\"",
                             idx, t);
  return 0;
}

int
cg_devices_program (struct oci_device_cgroup **rules, size_t n, struct bpf_insn **out, size_t *len,
                    struct ocirun_error **err)
{
  struct prog p = { 0 };

  /* r2 = type, r3 = access, r4 = major, r5 = minor (from struct bpf_cgroup_dev_ctx).  */
  emit (&p, insn (BPF_LDX | BPF_MEM | BPF_W, R_TYPE, 1, 0, 0));
  emit (&p, insn (BPF_ALU | BPF_AND | BPF_K, R_TYPE, 0, 0, 0xffff));
  emit (&p, insn (BPF_LDX | BPF_MEM | BPF_W, R_ACCESS, 1, 0, 0));
  emit (&p, insn (BPF_ALU | BPF_RSH | BPF_K, R_ACCESS, 0, 0, 16));
  emit (&p, insn (BPF_LDX | BPF_MEM | BPF_W, R_MAJOR, 1, 4, 0));
  emit (&p, insn (BPF_LDX | BPF_MEM | BPF_W, R_MINOR, 1, 8, 0));

  bool terminated = false;
  /* The last matching rule wins: emit from the end, each one returning early.  */
  for (size_t k = n; k-- > 0;)
    {
      const struct oci_device_cgroup *r = rules[k];
      int type = 0, acc = 0;
      if (r == NULL)
        continue;
      if (parse_type (r->type, &type, k, err) < 0 || parse_access (r->access, &acc, k, err) < 0)
        {
          free (p.v);
          return -1;
        }
      bool any_major = ! r->major_present || r->major < 0;
      bool any_minor = ! r->minor_present || r->minor < 0;
      bool full_access = acc == (BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD);
      bool allow = r->allow_present && r->allow;

      /* Length of the checks, so each can jump past the whole block.  */
      int checks = (type ? 1 : 0) + (full_access ? 0 : 3) + (any_major ? 0 : 1) + (any_minor ? 0 : 1);
      int block = checks + 2;
      int pos = 0;
#define SKIP (int16_t) (block - pos - 1)
      if (type)
        {
          emit (&p, insn (BPF_JMP | BPF_JNE | BPF_K, R_TYPE, 0, SKIP, type));
          pos++;
        }
      if (! full_access)
        {
          emit (&p, insn (BPF_ALU | BPF_MOV | BPF_X, R_TMP, R_ACCESS, 0, 0));
          pos++;
          if (allow)
            {
              /* allow: every requested bit must be granted */
              emit (&p, insn (BPF_ALU | BPF_AND | BPF_K, R_TMP, 0, 0, ~acc & 0xffff));
              pos++;
              emit (&p, insn (BPF_JMP | BPF_JNE | BPF_K, R_TMP, 0, SKIP, 0));
              pos++;
            }
          else
            {
              /* deny: any requested bit in the rule denies (like v1's exceptions) */
              emit (&p, insn (BPF_ALU | BPF_AND | BPF_K, R_TMP, 0, 0, acc));
              pos++;
              emit (&p, insn (BPF_JMP | BPF_JEQ | BPF_K, R_TMP, 0, SKIP, 0));
              pos++;
            }
        }
      if (! any_major)
        {
          emit (&p, insn (BPF_JMP | BPF_JNE | BPF_K, R_MAJOR, 0, SKIP, (int32_t) r->major));
          pos++;
        }
      if (! any_minor)
        {
          emit (&p, insn (BPF_JMP | BPF_JNE | BPF_K, R_MINOR, 0, SKIP, (int32_t) r->minor));
          pos++;
        }
#undef SKIP
      emit (&p, insn (BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, allow ? 1 : 0));
      emit (&p, insn (BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
      if (checks == 0)
        {
          /* matches everything: earlier rules can never be reached */
          terminated = true;
          break;
        }
    }
  if (! terminated)
    {
      /* default deny */
      emit (&p, insn (BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
      emit (&p, insn (BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
    }
  *out = p.v;
  *len = p.n;
  return 0;
}

static int
sys_bpf (int cmd, union bpf_attr *attr)
{
  return (int) syscall (SYS_bpf, cmd, attr, sizeof (*attr));
}

static int
load_program (const struct bpf_insn *prog, size_t len, struct ocirun_error **err)
{
  union bpf_attr attr;
  memset (&attr, 0, sizeof attr);
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.insns = (uint64_t) (uintptr_t) prog;
  attr.insn_cnt = (uint32_t) len;
  attr.license = (uint64_t) (uintptr_t) "GPL";
  int fd = sys_bpf (BPF_PROG_LOAD, &attr);
  if (fd >= 0)
    return fd;
  int e = errno;
  /* Again, with the verifier's log, to say why.  */
  char log[4096] = "";
  attr.log_buf = (uint64_t) (uintptr_t) log;
  attr.log_size = sizeof log;
  attr.log_level = 1;
  fd = sys_bpf (BPF_PROG_LOAD, &attr);
  if (fd >= 0)
    return fd;
  size_t l = strlen (log);
  while (l > 0 && log[l - 1] == '\n')
    log[--l] = '\0';
  if (e == EPERM)
    return ocirun_error_set (err, e, "load the device-filter BPF program (needs CAP_SYS_ADMIN, or CAP_BPF; "
                             "the memory cgroup may also be too small for it)");
  return ocirun_error_set (err, e, "load the device-filter BPF program (%zu instructions)%s%s", len,
                           l ? ": verifier: " : "", l > 300 ? log + l - 300 : log);
}

/* Ids of the device programs attached to DIRFD.  */
static int
query_attached (int dirfd, uint32_t **ids, uint32_t *n)
{
  uint32_t cap = 64;
  *ids = xmalloc0 (cap * sizeof (uint32_t));
  union bpf_attr attr;
  memset (&attr, 0, sizeof attr);
  attr.query.target_fd = (uint32_t) dirfd;
  attr.query.attach_type = BPF_CGROUP_DEVICE;
  attr.query.prog_ids = (uint64_t) (uintptr_t) *ids;
  attr.query.prog_cnt = cap;
  if (sys_bpf (BPF_PROG_QUERY, &attr) < 0)
    {
      *n = 0;
      return -errno;
    }
  *n = attr.query.prog_cnt;
  return 0;
}

int
ocirun_cgroup_devices_apply (int cgroup_dirfd, struct oci_device_cgroup **rules, size_t n,
                             struct ocirun_error **err)
{
  cleanup_free struct bpf_insn *prog = NULL;
  cleanup_free uint32_t *old = NULL;
  uint32_t n_old = 0;
  size_t len = 0;

  if (cg_devices_program (rules, n, &prog, &len, err) < 0)
    return -1;
  cleanup_close int fd = load_program (prog, len, err);
  if (fd < 0)
    return -1;

  /* The programs already there (an update replaces them, after the new one is in).  */
  query_attached (cgroup_dirfd, &old, &n_old);

  union bpf_attr attr;
  memset (&attr, 0, sizeof attr);
  attr.target_fd = (uint32_t) cgroup_dirfd;
  attr.attach_bpf_fd = (uint32_t) fd;
  attr.attach_type = BPF_CGROUP_DEVICE;
  attr.attach_flags = BPF_F_ALLOW_MULTI;
  if (sys_bpf (BPF_PROG_ATTACH, &attr) < 0)
    return ocirun_error_set (err, errno, "attach the device-filter BPF program to the cgroup%s",
                             errno == EPERM ? " (needs CAP_SYS_ADMIN)" : "");

  for (uint32_t i = 0; i < n_old; i++)
    {
      union bpf_attr a;
      memset (&a, 0, sizeof a);
      a.prog_id = old[i];
      cleanup_close int ofd = sys_bpf (BPF_PROG_GET_FD_BY_ID, &a);
      if (ofd < 0)
        continue;
      memset (&a, 0, sizeof a);
      a.target_fd = (uint32_t) cgroup_dirfd;
      a.attach_bpf_fd = (uint32_t) ofd;
      a.attach_type = BPF_CGROUP_DEVICE;
      if (sys_bpf (BPF_PROG_DETACH, &a) < 0)
        ocirun_warning ("cannot detach the previous device-filter program %u: %s", old[i], strerror (errno));
    }
  return 0;
}
