/* ocirun: unit tests of the cgroup conversions (no root, no cgroup needed).
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "utils.h"
#include "cgroup/cgroup.h"
#include "cgroup/cgroup-internal.h"

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
  } while (0)

static bool
contains (const char *s, const char *sub)
{
  return s && strstr (s, sub) != NULL;
}

static void
test_conversions (void)
{
  CHECK (ocirun_cgroup_shares_to_weight (2) == 1, "shares 2 -> weight 1");
  CHECK (ocirun_cgroup_shares_to_weight (1024) == 39, "shares 1024 -> weight 39 (got %lu)",
         (unsigned long) ocirun_cgroup_shares_to_weight (1024));
  CHECK (ocirun_cgroup_shares_to_weight (262144) == 10000, "shares 262144 -> weight 10000");
  CHECK (ocirun_cgroup_shares_to_weight (0) == 0, "shares 0 -> unset");
  CHECK (ocirun_cgroup_shares_to_weight (1) == 1, "shares 1 clamps to weight 1");
  CHECK (ocirun_cgroup_blkio_weight_to_io (10) == 1, "blkio 10 -> io 1");
  CHECK (ocirun_cgroup_blkio_weight_to_io (1000) == 10000, "blkio 1000 -> io 10000");
  CHECK (ocirun_cgroup_blkio_weight_to_io (500) == 4950, "blkio 500 -> io 4950 (got %lu)",
         (unsigned long) ocirun_cgroup_blkio_weight_to_io (500));
}

/* Find FILE=VALUE in the pair list.  */
static bool
has_pair (char **f, char **v, const char *file, const char *value)
{
  for (size_t i = 0; f[i]; i++)
    if (strcmp (f[i], file) == 0 && strcmp (v[i], value) == 0)
      return true;
  return false;
}

static void
test_all_resources (void)
{
  struct oci_config_linux_resources_memory mem = { .limit = 67108864, .limit_present = true,
                                                   .reservation = 33554432, .reservation_present = true,
                                                   .swap = 134217728, .swap_present = true };
  struct oci_config_linux_resources_cpu cpu = { .shares = 1024, .shares_present = true, .quota = 50000,
                                                .quota_present = true, .period = 200000, .period_present = true,
                                                .burst = 1000, .burst_present = true, .idle = 1, .idle_present = true,
                                                .cpus = "0-1", .mems = "0" };
  struct oci_config_linux_resources_pids pids = { .limit = 42, .limit_present = true };
  struct oci_block_io_device_weight wd = { .major = 8, .minor = 0, .weight = 1000, .weight_present = true };
  struct oci_block_io_device_weight *wds[] = { &wd };
  struct oci_block_io_device_throttle rb = { .major = 8, .minor = 0, .rate = 1048576, .rate_present = true };
  struct oci_block_io_device_throttle wb = { .major = 8, .minor = 0, .rate = 2097152, .rate_present = true };
  struct oci_block_io_device_throttle ri = { .major = 8, .minor = 0, .rate = 100, .rate_present = true };
  struct oci_block_io_device_throttle wi = { .major = 8, .minor = 0, .rate = 200, .rate_present = true };
  struct oci_block_io_device_throttle *rbs[] = { &rb }, *wbs[] = { &wb }, *ris[] = { &ri }, *wis[] = { &wi };
  struct oci_config_linux_resources_block_io bio = {
    .weight = 500, .weight_present = true, .weight_device = wds, .weight_device_len = 1,
    .throttle_read_bps_device = rbs, .throttle_read_bps_device_len = 1,
    .throttle_write_bps_device = wbs, .throttle_write_bps_device_len = 1,
    .throttle_read_iops_device = ris, .throttle_read_iops_device_len = 1,
    .throttle_write_iops_device = wis, .throttle_write_iops_device_len = 1,
  };
  struct oci_config_linux_resources_hugepage_limits_element hp = { .page_size = "2MB", .limit = 4194304,
                                                                   .limit_present = true };
  struct oci_config_linux_resources_hugepage_limits_element *hps[] = { &hp };
  struct oci_rdma rd = { .hca_handles = 2, .hca_handles_present = true, .hca_objects = 2000,
                         .hca_objects_present = true };
  struct oci_rdma *rds[] = { &rd };
  char *rkeys[] = { "mlx4_0" };
  struct oci_map_rdma rdma = { .keys = rkeys, .values = rds, .len = 1 };
  char *ukeys[] = { "memory.high" }, *uvals[] = { "60000000" };
  struct oci_map_string unified = { .keys = ukeys, .values = uvals, .len = 1 };
  struct oci_config_linux_resources res = { .memory = &mem, .cpu = &cpu, .pids = &pids, .block_io = &bio,
                                            .hugepage_limits = hps, .hugepage_limits_len = 1, .rdma = &rdma,
                                            .unified = &unified };
  cleanup_error struct ocirun_error *err = NULL;
  cleanup_strv char **f = NULL;
  cleanup_strv char **v = NULL;

  int r = ocirun_cgroup_resources_to_files (&res, false, &f, &v, &err);
  CHECK (r == 0, "resources_to_files with every resource succeeds%s%s", err ? ": " : "", err ? err->msg : "");
  if (r < 0)
    return;
  static const char *const want[][2] = {
    { "memory.max", "67108864" },
    { "memory.low", "33554432" },
    { "memory.swap.max", "67108864" },
    { "cpu.weight", "39" },
    { "cpu.max", "50000 200000" },
    { "cpu.max.burst", "1000" },
    { "cpu.idle", "1" },
    { "cpuset.cpus", "0-1" },
    { "cpuset.mems", "0" },
    { "io.weight", "default 4950" },
    { "io.weight", "8:0 10000" },
    { "io.max", "8:0 rbps=1048576" },
    { "io.max", "8:0 wbps=2097152" },
    { "io.max", "8:0 riops=100" },
    { "io.max", "8:0 wiops=200" },
    { "pids.max", "42" },
    { "hugetlb.2MB.max", "4194304" },
    { "hugetlb.2MB.rsvd.max", "4194304" },
    { "rdma.max", "mlx4_0 hca_handle=2 hca_object=2000" },
    { "memory.high", "60000000" },
  };
  size_t nwant = sizeof want / sizeof want[0];
  for (size_t i = 0; i < nwant; i++)
    CHECK (has_pair (f, v, want[i][0], want[i][1]), "%s = \"%s\"", want[i][0], want[i][1]);
  CHECK (strv_len (f) == nwant, "exactly %zu writes (got %zu)", nwant, strv_len (f));
  CHECK (strcmp (f[strv_len (f) - 1], "memory.high") == 0, "unified keys are written last");

  cleanup_free char *needed = cg_needed_controllers (&res, false);
  CHECK (strcmp (needed, "memory cpu cpuset io pids hugetlb rdma") == 0, "needed controllers: \"%s\"", needed);
}

static int
one (struct oci_config_linux_resources *res, bool update, const char *file, const char *value,
     char **msg)
{
  cleanup_error struct ocirun_error *err = NULL;
  cleanup_strv char **f = NULL;
  cleanup_strv char **v = NULL;
  *msg = NULL;
  if (ocirun_cgroup_resources_to_files (res, update, &f, &v, &err) < 0)
    {
      *msg = xstrdup (err->msg);
      return -1;
    }
  return has_pair (f, v, file, value) ? 0 : 1;
}

static void
test_edge_cases (void)
{
  char *msg;
  struct oci_config_linux_resources_cpu cpu = { .quota = -1, .quota_present = true };
  struct oci_config_linux_resources res = { .cpu = &cpu };
  CHECK (one (&res, false, "cpu.max", "max 100000", &msg) == 0, "quota -1 -> cpu.max \"max 100000\"");
  free (msg);

  struct oci_config_linux_resources_cpu cpu2 = { .period = 50000, .period_present = true };
  res = (struct oci_config_linux_resources) { .cpu = &cpu2 };
  CHECK (one (&res, false, "cpu.max", "max 50000", &msg) == 0, "period only -> cpu.max \"max 50000\"");
  free (msg);

  struct oci_config_linux_resources_memory m1 = { .limit = -1, .limit_present = true, .swap = -1, .swap_present = true };
  res = (struct oci_config_linux_resources) { .memory = &m1 };
  CHECK (one (&res, false, "memory.max", "max", &msg) == 0, "memory limit -1 -> max");
  free (msg);
  CHECK (one (&res, false, "memory.swap.max", "max", &msg) == 0, "memory swap -1 -> max");
  free (msg);

  struct oci_config_linux_resources_memory m2 = { .swap = 1000, .swap_present = true };
  res = (struct oci_config_linux_resources) { .memory = &m2 };
  CHECK (one (&res, false, "memory.swap.max", "", &msg) < 0 && contains (msg, "needs linux.resources.memory.limit"),
         "swap without a limit is an error (%s)", msg ? msg : "no error");
  free (msg);

  struct oci_config_linux_resources_memory m3 = { .limit = 2000, .limit_present = true, .swap = 1000, .swap_present = true };
  res = (struct oci_config_linux_resources) { .memory = &m3 };
  CHECK (one (&res, false, "memory.swap.max", "", &msg) < 0 && contains (msg, "below memory.limit"),
         "swap below the limit is an error (%s)", msg ? msg : "no error");
  free (msg);

  struct oci_config_linux_resources_pids p0 = { .limit = 0, .limit_present = true };
  res = (struct oci_config_linux_resources) { .pids = &p0 };
  CHECK (one (&res, false, "pids.max", "max", &msg) == 0, "pids limit 0 -> max");
  free (msg);
  struct oci_config_linux_resources_pids pm = { .limit = -1, .limit_present = true };
  res = (struct oci_config_linux_resources) { .pids = &pm };
  CHECK (one (&res, false, "pids.max", "max", &msg) == 0, "pids limit -1 -> max");
  free (msg);

  struct oci_config_linux_resources_hugepage_limits_element hp = { .page_size = "1GB", .limit = 0, .limit_present = true };
  struct oci_config_linux_resources_hugepage_limits_element *hps[] = { &hp };
  res = (struct oci_config_linux_resources) { .hugepage_limits = hps, .hugepage_limits_len = 1 };
  CHECK (one (&res, false, "hugetlb.1GB.max", "0", &msg) == 0, "hugepage 1GB -> hugetlb.1GB.max");
  free (msg);
  hp.page_size = "huge";
  CHECK (one (&res, false, "x", "x", &msg) < 0 && contains (msg, "pageSize \"huge\""), "a bad pageSize is named (%s)",
         msg ? msg : "no error");
  free (msg);

  CHECK (one (NULL, false, "x", "x", &msg) == 1, "no resources -> no writes");
  free (msg);
}

static void
test_unified (void)
{
  cleanup_error struct ocirun_error *err = NULL;
  CHECK (cg_unified_check ("memory.high", "cpuset cpu io memory pids\n", &err) == 0, "memory.high accepted");
  CHECK (cg_unified_check ("cgroup.max.depth", "", &err) == 0, "cgroup.* always accepted");
  int r = cg_unified_check ("foo.bar", "cpu memory pids\n", &err);
  CHECK (r < 0 && err && strcmp (err->msg, "linux.resources.unified: controller \"foo\" is not available "
                                 "(available: cpu memory pids): No such file or directory") == 0,
         "unknown controller message: %s", err ? err->msg : "no error");
  ocirun_error_free (&err);
  r = cg_unified_check ("nodot", "cpu", &err);
  CHECK (r < 0 && contains (err->msg, "not a cgroup file name"), "a key without a dot is refused");
}

static void
test_devices (void)
{
  cleanup_error struct ocirun_error *err = NULL;
  struct bpf_insn *prog = NULL;
  size_t len = 0;

  struct oci_device_cgroup deny_all = { .allow = false, .allow_present = true, .access = "rwm" };
  struct oci_device_cgroup *r1[] = { &deny_all };
  CHECK (cg_devices_program (r1, 1, &prog, &len, &err) == 0, "deny-all compiles");
  /* prologue (6) + r0 = 0; exit */
  CHECK (len == 8 && prog[6].imm == 0 && prog[7].code == (BPF_JMP | BPF_EXIT),
         "deny-all is prologue + return 0 (%zu instructions)", len);
  free (prog);

  CHECK (cg_devices_program (NULL, 0, &prog, &len, &err) == 0 && len == 8 && prog[6].imm == 0,
         "no rules: default deny");
  free (prog);

  struct oci_device_cgroup null_rw = { .allow = true, .allow_present = true, .type = "c", .major = 1,
                                       .major_present = true, .minor = 3, .minor_present = true, .access = "rw" };
  struct oci_device_cgroup *r2[] = { &deny_all, &null_rw };
  CHECK (cg_devices_program (r2, 2, &prog, &len, &err) == 0, "deny-all + allow /dev/null compiles");
  /* prologue 6 + (type 1 + access 3 + major 1 + minor 1 + 2) + deny-all 2 */
  CHECK (len == 6 + 8 + 2, "8-insn block for the specific rule (%zu total)", len);
  CHECK (prog[6].code == (BPF_JMP | BPF_JNE | BPF_K) && prog[6].imm == BPF_DEVCG_DEV_CHAR && prog[6].off == 7,
         "type check jumps past the block (off %d)", prog[6].off);
  CHECK (prog[12].imm == 1 && prog[14].imm == 0, "last rule first (allow), then the deny-all");
  free (prog);

  struct oci_device_cgroup allow_all = { .allow = true, .allow_present = true };
  struct oci_device_cgroup *r3[] = { &null_rw, &allow_all };
  CHECK (cg_devices_program (r3, 2, &prog, &len, &err) == 0 && len == 8 && prog[6].imm == 1,
         "a trailing allow-all shadows earlier rules (%zu instructions)", len);
  free (prog);

  struct oci_device_cgroup bad = { .allow = true, .allow_present = true, .type = "x" };
  struct oci_device_cgroup *r4[] = { &bad };
  CHECK (cg_devices_program (r4, 1, &prog, &len, &err) < 0 && contains (err->msg, "devices[0].type \"x\""),
         "a bad type is named: %s", err ? err->msg : "");
  ocirun_error_free (&err);
  struct oci_device_cgroup bad2 = { .allow = true, .allow_present = true, .access = "rx" };
  struct oci_device_cgroup *r5[] = { &bad2 };
  CHECK (cg_devices_program (r5, 1, &prog, &len, &err) < 0 && contains (err->msg, "'x'"),
         "a bad access is named: %s", err ? err->msg : "");
}

static void
test_mode (void)
{
  cleanup_error struct ocirun_error *err = NULL;
  bool need;
  struct oci_config_linux_resources_pids pids = { .limit = 10, .limit_present = true };
  struct oci_config_linux_resources res = { .pids = &pids };
  struct ocirun_cgroup_opts o = { .id = "x", .resources = &res };

  CHECK (cg_check_mode (OCIRUN_CGROUP_MODE_V1, &o, &need, &err) < 0
         && strcmp (err->msg, "cgroup v2 is required for linux.resources/cgroupsPath but this host runs cgroup v1 "
                    "(hybrid): boot with systemd.unified_cgroup_hierarchy=1, or pass --cgroup-manager=disabled to "
                    "run without a cgroup (limits are then not enforced): Operation not supported") == 0,
         "v1 + resources: %s", err ? err->msg : "no error");
  ocirun_error_free (&err);

  struct ocirun_cgroup_opts none = { .id = "x" };
  CHECK (cg_check_mode (OCIRUN_CGROUP_MODE_V1, &none, &need, &err) == 0 && ! need, "v1 + nothing asked: no cgroup");
  none.cgroups_path = "/a/b";
  CHECK (cg_check_mode (OCIRUN_CGROUP_MODE_V1, &none, &need, &err) < 0, "v1 + cgroupsPath: error");
  ocirun_error_free (&err);

  struct oci_device_cgroup deny = { .allow = false, .allow_present = true, .access = "rwm" };
  struct oci_device_cgroup *devs[] = { &deny };
  struct oci_config_linux_resources dres = { .devices = devs, .devices_len = 1 };
  struct ocirun_cgroup_opts rl = { .id = "x", .resources = &dres, .rootless = true };
  CHECK (cg_check_mode (OCIRUN_CGROUP_MODE_V1, &rl, &need, &err) == 0 && ! need, "v1 rootless: device rules ignored");
  rl.rootless = false;
  CHECK (cg_check_mode (OCIRUN_CGROUP_MODE_V1, &rl, &need, &err) < 0, "v1 root + device rules: error");
  ocirun_error_free (&err);

  o.manager = OCIRUN_CGROUP_MANAGER_DISABLED;
  CHECK (cg_check_mode (OCIRUN_CGROUP_MODE_V1, &o, &need, &err) == 0 && ! need, "disabled: never a cgroup");
  o.manager = OCIRUN_CGROUP_MANAGER_CGROUPFS;
  CHECK (cg_check_mode (OCIRUN_CGROUP_MODE_UNIFIED, &o, &need, &err) == 0 && need, "unified: a cgroup");

  enum ocirun_cgroup_manager m;
  CHECK (ocirun_cgroup_manager_from_string ("systemd", &m, &err) == 0 && m == OCIRUN_CGROUP_MANAGER_SYSTEMD,
         "manager \"systemd\" parses");
  CHECK (ocirun_cgroup_manager_from_string ("bogus", &m, &err) < 0, "manager \"bogus\" refused");
}

static void
test_paths (void)
{
  cleanup_error struct ocirun_error *err = NULL;
  char *p = NULL;
  struct ocirun_cgroup_opts o = { .id = "c1" };

  CHECK (cgroupfs_path (&o, "/", &p, &err) == 0 && strcmp (p, "/ocirun/c1") == 0, "root default: /ocirun/c1");
  free (p);
  o.rootless = true;
  CHECK (cgroupfs_path (&o, "/user.slice/u.service", &p, &err) == 0 && strcmp (p, "/user.slice/u.service/ocirun-c1") == 0,
         "rootless default: under the own cgroup (%s)", p);
  free (p);
  o.rootless = false;
  o.cgroups_path = "/a//b/";
  CHECK (cgroupfs_path (&o, "/x", &p, &err) == 0 && strcmp (p, "/a/b") == 0, "absolute path normalized (%s)", p);
  free (p);
  o.cgroups_path = "sub/c";
  CHECK (cgroupfs_path (&o, "/x", &p, &err) == 0 && strcmp (p, "/x/sub/c") == 0, "relative path under own (%s)", p);
  free (p);
  o.cgroups_path = "/a/../../etc";
  CHECK (cgroupfs_path (&o, "/", &p, &err) < 0 && contains (err->msg, ".."), "\"..\" refused");
  ocirun_error_free (&err);
  o.cgroups_path = "machine.slice:libpod:abc";
  CHECK (cgroupfs_path (&o, "/", &p, &err) < 0 && contains (err->msg, "systemd"), "slice:prefix:name refused");
  ocirun_error_free (&err);

  char *slice = NULL, *unit = NULL;
  CHECK (systemd_parse_path ("machine.slice:libpod:abc", "id", false, &slice, &unit, &err) == 0
         && strcmp (slice, "machine.slice") == 0 && strcmp (unit, "libpod-abc.scope") == 0,
         "systemd machine.slice:libpod:abc -> libpod-abc.scope");
  free (slice);
  free (unit);
  CHECK (systemd_parse_path (NULL, "id", false, &slice, &unit, &err) == 0 && strcmp (slice, "system.slice") == 0
         && strcmp (unit, "ocirun-id.scope") == 0, "systemd default root: system.slice/ocirun-id.scope");
  free (slice);
  free (unit);
  CHECK (systemd_parse_path (NULL, "id", true, &slice, &unit, &err) == 0 && strcmp (slice, "user.slice") == 0,
         "systemd default rootless: user.slice");
  free (slice);
  free (unit);
  CHECK (systemd_parse_path ("/not/systemd", "id", false, &slice, &unit, &err) < 0, "systemd refuses a plain path");
}

int
main (void)
{
  test_conversions ();
  test_all_resources ();
  test_edge_cases ();
  test_unified ();
  test_devices ();
  test_mode ();
  test_paths ();
  printf ("1..%d\n", n_test);
  printf ("%d passed, %d failed\n", n_test - n_fail, n_fail);
  return n_fail ? 1 : 0;
}
