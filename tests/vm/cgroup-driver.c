/* ocirun: the cgroupfs manager against a real cgroup v2 kernel.  Runs as root
 * inside the VM (tests/vm/run-cgroup-tests.sh); last line "N passed, M failed".
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utils.h"
#include "cgroup/cgroup.h"
#include "cgroup/cgroup-internal.h"
#include "driver.h"

static bool
dir_exists (const char *path)
{
  char full[512];
  struct stat st;
  snprintf (full, sizeof full, "%s%s", OCIRUN_CGROUP_ROOT, path);
  return stat (full, &st) == 0;
}

/* A child that waits for a byte on a pipe and then runs FN.  */
struct child
{
  pid_t pid;
  int go;
};

static struct child
spawn (int (*fn) (void *), void *arg)
{
  int p[2];
  struct child c = { -1, -1 };
  if (pipe2 (p, O_CLOEXEC) < 0)
    return c;
  c.pid = fork ();
  if (c.pid == 0)
    {
      char b;
      close (p[1]);
      if (read (p[0], &b, 1) != 1)
        _exit (100);
      _exit (fn (arg));
    }
  close (p[0]);
  c.go = p[1];
  return c;
}

static void
go (struct child *c)
{
  if (write (c->go, "x", 1) != 1)
    perror ("write");
  close (c->go);
  c->go = -1;
}

static int
wait_child (pid_t pid)
{
  int st = 0;
  while (waitpid (pid, &st, 0) < 0 && errno == EINTR)
    ;
  if (WIFSIGNALED (st))
    return 128 + WTERMSIG (st);
  return WEXITSTATUS (st);
}

static int
fn_sleep (void *arg)
{
  for (;;)
    pause ();
  return 0;
}

static int
fn_spin (void *arg)
{
  for (volatile unsigned long i = 0;; i++)
    ;
  return 0;
}

static int
fn_hog (void *arg)
{
  size_t sz = 128 << 20;
  char *p = mmap (NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return 2;
  for (size_t i = 0; i < sz; i += 4096)
    p[i] = 1;
  return 0;
}

static int
fn_forkbomb (void *arg)
{
  int n = 0;
  for (int i = 0; i < 100; i++)
    {
      pid_t p = fork ();
      if (p == 0)
        {
          sleep (30);
          _exit (0);
        }
      if (p < 0)
        return errno == EAGAIN ? n : 200;
      n++;
    }
  return 100;
}

static int
fn_open_null (void *arg)
{
  int fd = open ("/dev/null", O_RDWR);
  if (fd < 0)
    return errno == EPERM ? 1 : 2;
  close (fd);
  return 0;
}

static int
fn_mknod (void *arg)
{
  unlink ("/null2");
  if (mknod ("/null2", S_IFCHR | 0666, makedev (1, 3)) < 0)
    return errno == EPERM ? 1 : 2;
  unlink ("/null2");
  return 0;
}

/* Run FN in CG and return its exit code.  */
static int
run_in (struct ocirun_cgroup *cg, const struct ocirun_cgroup_opts *o, int (*fn) (void *))
{
  cleanup_error struct ocirun_error *err = NULL;
  struct child c = spawn (fn, NULL);
  if (ocirun_cgroup_enter (cg, o, c.pid, false, &err) < 0)
    {
      printf ("     enter: %s\n", msg (err));
      kill (c.pid, SIGKILL);
      wait_child (c.pid);
      return -1;
    }
  go (&c);
  return wait_child (c.pid);
}

static void
test_full_resources (void)
{
  printf ("== cgroupfs: every resource\n");
  struct oci_config_linux_resources_memory mem = { .limit = 33554432, .limit_present = true,
                                                   .reservation = 8388608, .reservation_present = true,
                                                   .swap = 33554432, .swap_present = true };
  struct oci_config_linux_resources_cpu cpu = { .shares = 1024, .shares_present = true, .quota = 50000,
                                                .quota_present = true, .period = 100000, .period_present = true,
                                                .burst = 1000, .burst_present = true, .idle = 0, .idle_present = false,
                                                .cpus = "0", .mems = "0" };
  struct oci_config_linux_resources_pids pids = { .limit = 20, .limit_present = true };
  struct stat st;
  bool have_disk = stat ("/dev/nvme0n1", &st) == 0;
  struct oci_block_io_device_throttle rb = { .major = have_disk ? major (st.st_rdev) : 0,
                                             .minor = have_disk ? minor (st.st_rdev) : 0,
                                             .rate = 1048576, .rate_present = true };
  struct oci_block_io_device_throttle *rbs[] = { &rb };
  struct oci_config_linux_resources_block_io bio = { .weight = 500, .weight_present = true,
                                                     .throttle_read_bps_device = rbs,
                                                     .throttle_read_bps_device_len = have_disk ? 1 : 0 };
  struct oci_config_linux_resources_hugepage_limits_element hp = { .page_size = "2MB", .limit = 4194304,
                                                                   .limit_present = true };
  struct oci_config_linux_resources_hugepage_limits_element *hps[] = { &hp };
  char *ukeys[] = { "memory.high" }, *uvals[] = { "31457280" };
  struct oci_map_string unified = { .keys = ukeys, .values = uvals, .len = 1 };
  struct oci_device_cgroup deny = { .allow = false, .allow_present = true, .access = "rwm" };
  struct oci_device_cgroup null_rw = { .allow = true, .allow_present = true, .type = "c", .major = 1,
                                       .major_present = true, .minor = 3, .minor_present = true, .access = "rw" };
  struct oci_device_cgroup *devs[] = { &deny, &null_rw };
  struct oci_config_linux_resources res = { .memory = &mem, .cpu = &cpu, .pids = &pids, .block_io = &bio,
                                            .hugepage_limits = hps, .hugepage_limits_len = 1, .unified = &unified,
                                            .devices = devs, .devices_len = 2 };
  struct ocirun_cgroup_opts o = { .id = "full", .resources = &res };
  cleanup_error struct ocirun_error *err = NULL;
  cleanup_cgroup struct ocirun_cgroup *cg = NULL;

  CHECK (ocirun_cgroup_mode () == OCIRUN_CGROUP_MODE_UNIFIED, "mode is unified");
  int r = ocirun_cgroup_prepare (&o, &cg, &err);
  CHECK (r == 0 && cg->path && strcmp (cg->path, "/ocirun/full") == 0 && cg->dirfd >= 0 && cg->created,
         "prepare creates /ocirun/full (%s)", r < 0 ? msg (err) : cg->path);
  if (r < 0)
    return;
  cleanup_free char *sub = NULL;
  cg_read (AT_FDCWD, "/sys/fs/cgroup/ocirun/cgroup.subtree_control", &sub);
  CHECK (sub && strstr (sub, "memory") && strstr (sub, "pids") && strstr (sub, "cpuset") && strstr (sub, "hugetlb"),
         "parent subtree_control enables the needed controllers (%.60s)", sub ? sub : "");

  /* clone3 straight into the cgroup */
  struct clone_args ca = { .flags = CLONE_INTO_CGROUP, .exit_signal = SIGCHLD, .cgroup = (uint64_t) cg->dirfd };
  int p[2];
  if (pipe2 (p, O_CLOEXEC) < 0)
    return;
  pid_t pid = (pid_t) syscall (SYS_clone3, &ca, sizeof ca);
  if (pid == 0)
    {
      char b;
      close (p[1]);
      if (read (p[0], &b, 1) != 1)
        _exit (1);
      _exit (0);
    }
  close (p[0]);
  CHECK (pid > 0, "clone3(CLONE_INTO_CGROUP) with the prepared dirfd (%s)", pid < 0 ? strerror (errno) : "ok");
  cleanup_free char *where = NULL;
  cleanup_error struct ocirun_error *e2 = NULL;
  cg_own_path (pid, &where, &e2);
  CHECK (where && strcmp (where, "/ocirun/full") == 0, "the child starts in /ocirun/full (%s)", where ? where : "");
  r = ocirun_cgroup_enter (cg, &o, pid, true, &err);
  CHECK (r == 0, "enter applies every resource%s%s", r ? ": " : "", msg (err));

  static const char *const want[][2] = {
    { "memory.max", "33554432" }, { "memory.low", "8388608" }, { "memory.swap.max", "0" },
    { "memory.high", "31457280" }, { "cpu.weight", "39" }, { "cpu.max", "50000 100000" },
    { "cpu.max.burst", "1000" }, { "cpuset.cpus", "0" }, { "cpuset.mems", "0" }, { "pids.max", "20" },
    { "io.weight", "default 4950" }, { "hugetlb.2MB.max", "4194304" }, { "hugetlb.2MB.rsvd.max", "4194304" },
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    {
      const char *v = rd (cg, want[i][0]);
      CHECK (strcmp (v, want[i][1]) == 0, "%s = %s (read %s)", want[i][0], want[i][1], v);
    }
  if (have_disk)
    {
      char exp[64];
      snprintf (exp, sizeof exp, "%u:%u rbps=1048576", major (st.st_rdev), minor (st.st_rdev));
      const char *v = rd (cg, "io.max");
      CHECK (strncmp (v, exp, strlen (exp)) == 0, "io.max has %s (read %s)", exp, v);
    }

  pid_t *pids_v = NULL;
  size_t n = 0;
  ocirun_cgroup_pids (cg, &pids_v, &n, &err);
  CHECK (n == 1 && pids_v[0] == pid, "pids lists the child (%zu pids)", n);
  free (pids_v);

  /* devices: /dev/null rw allowed, mknod denied */
  CHECK (run_in (cg, &(struct ocirun_cgroup_opts) { .id = "full" }, fn_open_null) == 0,
         "device rule allows opening /dev/null rw");
  CHECK (run_in (cg, &(struct ocirun_cgroup_opts) { .id = "full" }, fn_mknod) == 1, "device rules deny mknod (m)");

  cleanup_free char *json = NULL;
  r = ocirun_cgroup_stats_json (cg, &json, &err);
  CHECK (r == 0 && strstr (json, "\"pids\":{\"current\":1,\"limit\":20}") && strstr (json, "\"limit\":33554432")
         && strstr (json, "\"raw\":{\"anon\""), "stats JSON (%.200s)", json ? json : msg (err));

  /* update, with checkBeforeUpdate */
  struct oci_config_linux_resources_memory m2 = { .limit = 50331648, .limit_present = true };
  struct oci_config_linux_resources up = { .memory = &m2 };
  r = ocirun_cgroup_update (cg, &up, &err);
  CHECK (r == 0 && strcmp (rd (cg, "memory.max"), "50331648") == 0, "update memory.max to 48M (%s)", rd (cg, "memory.max"));
  struct oci_config_linux_resources_memory m3 = { .limit = 4096, .limit_present = true, .check_before_update = true,
                                                  .check_before_update_present = true };
  up.memory = &m3;
  r = ocirun_cgroup_update (cg, &up, &err);
  CHECK (r < 0 && strstr (msg (err), "below the current usage") && strcmp (rd (cg, "memory.max"), "50331648") == 0,
         "checkBeforeUpdate refuses a limit under memory.current (%s)", msg (err));
  ocirun_error_free (&err);
  struct oci_config_linux_resources_cpu c2 = { .period = 200000, .period_present = true };
  up = (struct oci_config_linux_resources) { .cpu = &c2 };
  r = ocirun_cgroup_update (cg, &up, &err);
  CHECK (r == 0 && strcmp (rd (cg, "cpu.max"), "50000 200000") == 0, "update of the period keeps the quota (%s)",
         rd (cg, "cpu.max"));
  /* update of devices replaces the program: now /dev/null is denied */
  struct oci_device_cgroup *devs2[] = { &deny };
  up = (struct oci_config_linux_resources) { .devices = devs2, .devices_len = 1 };
  r = ocirun_cgroup_update (cg, &up, &err);
  CHECK (r == 0 && run_in (cg, &(struct ocirun_cgroup_opts) { .id = "full" }, fn_open_null) == 1,
         "device update to deny-all denies /dev/null (EPERM)%s", msg (err));

  /* destroy with the child still alive */
  r = ocirun_cgroup_destroy (cg, &err);
  CHECK (r == 0 && ! dir_exists ("/ocirun/full"), "destroy kills the child and removes the directory%s", msg (err));
  CHECK (wait_child (pid) == 128 + SIGKILL, "the child was SIGKILLed");
  close (p[1]);
}

static void
test_oom_pids (void)
{
  printf ("== memory OOM and pids.max\n");
  cleanup_error struct ocirun_error *err = NULL;
  struct oci_config_linux_resources_memory mem = { .limit = 20 << 20, .limit_present = true };
  struct oci_config_linux_resources res = { .memory = &mem };
  struct ocirun_cgroup_opts o = { .id = "oom", .resources = &res };
  cleanup_cgroup struct ocirun_cgroup *cg = NULL;
  if (ocirun_cgroup_prepare (&o, &cg, &err) < 0)
    {
      CHECK (0, "prepare oom: %s", msg (err));
      return;
    }
  int rc = run_in (cg, &o, fn_hog);
  uint64_t kills = 0;
  ocirun_cgroup_oom_kills (cg, &kills, &err);
  CHECK (rc == 128 + SIGKILL && kills >= 1, "128 MiB hog in a 20M cgroup is OOM-killed (rc %d, oom_kill %lu)", rc,
         (unsigned long) kills);
  ocirun_cgroup_destroy (cg, &err);

  struct oci_config_linux_resources_pids pl = { .limit = 5, .limit_present = true };
  struct oci_config_linux_resources pres = { .pids = &pl };
  struct ocirun_cgroup_opts po = { .id = "pids", .resources = &pres };
  cleanup_cgroup struct ocirun_cgroup *pc = NULL;
  if (ocirun_cgroup_prepare (&po, &pc, &err) < 0)
    {
      CHECK (0, "prepare pids: %s", msg (err));
      return;
    }
  rc = run_in (pc, &po, fn_forkbomb);
  CHECK (rc == 4, "a fork loop stops at pids.max=5 with EAGAIN (forked %d)", rc);
  rc = ocirun_cgroup_destroy (pc, &err);
  CHECK (rc == 0 && ! dir_exists ("/ocirun/pids"), "destroy removes a cgroup with orphaned sleepers%s", msg (err));
}

static void
test_freeze_kill (void)
{
  printf ("== freeze, kill\n");
  cleanup_error struct ocirun_error *err = NULL;
  struct ocirun_cgroup_opts o = { .id = "fz" };
  cleanup_cgroup struct ocirun_cgroup *cg = NULL;
  if (ocirun_cgroup_prepare (&o, &cg, &err) < 0)
    {
      CHECK (0, "prepare: %s", msg (err));
      return;
    }
  CHECK (cg->path && strcmp (cg->path, "/ocirun/fz") == 0, "root with nothing asked still gets /ocirun/<id>");
  struct child c = spawn (fn_spin, NULL);
  int r = ocirun_cgroup_enter (cg, &o, c.pid, false, &err);
  go (&c);
  CHECK (r == 0, "enter moves the pid (cgroup.procs)%s", msg (err));
  bool frozen = false;
  r = ocirun_cgroup_freeze (cg, true, &err);
  ocirun_cgroup_is_frozen (cg, &frozen, &err);
  CHECK (r == 0 && frozen, "freeze: cgroup.events frozen 1%s", msg (err));
  char stat1[64], stat2[64];
  snprintf (stat1, sizeof stat1, "%s", rd (cg, "cpu.stat"));
  usleep (300000);
  snprintf (stat2, sizeof stat2, "%s", rd (cg, "cpu.stat"));
  CHECK (strcmp (stat1, stat2) == 0, "a frozen spinner uses no CPU (%s)", stat1);
  r = ocirun_cgroup_freeze (cg, false, &err);
  ocirun_cgroup_is_frozen (cg, &frozen, &err);
  CHECK (r == 0 && ! frozen, "thaw: frozen 0%s", msg (err));

  r = ocirun_cgroup_kill_all (cg, SIGTERM, &err);
  CHECK (r == 0 && wait_child (c.pid) == 128 + SIGTERM, "kill_all SIGTERM (freeze, signal, thaw)%s", msg (err));
  c = spawn (fn_sleep, NULL);
  ocirun_cgroup_enter (cg, &o, c.pid, false, &err);
  go (&c);
  r = ocirun_cgroup_kill_all (cg, SIGKILL, &err);
  CHECK (r == 0 && wait_child (c.pid) == 128 + SIGKILL, "kill_all SIGKILL (cgroup.kill)%s", msg (err));

  /* load: what the state store gives back */
  cleanup_cgroup struct ocirun_cgroup *l = NULL;
  r = ocirun_cgroup_load (OCIRUN_CGROUP_MANAGER_CGROUPFS, "/ocirun/fz", NULL, &l, &err);
  CHECK (r == 0 && l->dirfd >= 0, "load re-opens the cgroup");
  CHECK (ocirun_cgroup_destroy (l, &err) == 0 && ! dir_exists ("/ocirun/fz"), "destroy via the loaded handle");
  ocirun_cgroup_free (steal_pointer (&l));
  r = ocirun_cgroup_load (OCIRUN_CGROUP_MANAGER_CGROUPFS, "/ocirun/fz", NULL, &l, &err);
  CHECK (r == 0 && ocirun_cgroup_destroy (l, &err) == 0, "load + destroy of a gone cgroup is not an error");
}

static void
test_errors (void)
{
  printf ("== error messages\n");
  cleanup_error struct ocirun_error *err = NULL;
  char *ukeys[] = { "foo.bar" }, *uvals[] = { "1" };
  struct oci_map_string unified = { .keys = ukeys, .values = uvals, .len = 1 };
  struct oci_config_linux_resources res = { .unified = &unified };
  struct ocirun_cgroup_opts o = { .id = "bad", .resources = &res };
  cleanup_cgroup struct ocirun_cgroup *cg = NULL;
  int r = ocirun_cgroup_prepare (&o, &cg, &err);
  if (r == 0)
    r = run_in (cg, &o, fn_sleep) == -1 ? -1 : 0;
  CHECK (r < 0 && strstr (msg (err), "linux.resources.unified: controller \"foo\" is not available (available: cpuset cpu"),
         "unified foo.bar is refused (%s)", msg (err));
  if (cg)
    ocirun_cgroup_destroy (cg, &err);
  ocirun_cgroup_free (steal_pointer (&cg));
  ocirun_error_free (&err);

  struct oci_config_linux_resources_cpu cpu = { .cpus = "99" };
  struct oci_config_linux_resources r2 = { .cpu = &cpu };
  struct ocirun_cgroup_opts o2 = { .id = "badcpu", .resources = &r2 };
  r = ocirun_cgroup_prepare (&o2, &cg, &err);
  CHECK (r == 0, "prepare badcpu%s", msg (err));
  if (r < 0)
    return;
  struct child c = spawn (fn_sleep, NULL);
  r = ocirun_cgroup_enter (cg, &o2, c.pid, false, &err);
  CHECK (r < 0 && strstr (msg (err), "linux.resources.cpu.cpus: write cpuset.cpus=99: "),
         "a failing write names the resource and the file (%s)", msg (err));
  ocirun_error_free (&err);
  r = ocirun_cgroup_destroy (cg, &err);
  CHECK (r == 0 && ! dir_exists ("/ocirun/badcpu") && wait_child (c.pid) == 128 + SIGKILL,
         "destroy after a failed enter removes everything");

  /* "no internal processes": a cgroupsPath under a cgroup that has a process */
  mkdir ("/sys/fs/cgroup/busy", 0755);
  c = spawn (fn_sleep, NULL);
  char pidbuf[32];
  snprintf (pidbuf, sizeof pidbuf, "%d", c.pid);
  int bfd = open ("/sys/fs/cgroup/busy", O_RDONLY | O_DIRECTORY);
  cg_write (bfd, "cgroup.procs", pidbuf);
  struct oci_config_linux_resources_memory ml = { .limit = 1 << 30, .limit_present = true };
  struct oci_config_linux_resources r3 = { .memory = &ml };
  struct ocirun_cgroup_opts o3 = { .id = "x", .cgroups_path = "/busy/ctr", .resources = &r3 };
  ocirun_cgroup_free (steal_pointer (&cg));
  r = ocirun_cgroup_prepare (&o3, &cg, &err);
  CHECK (r < 0 && strstr (msg (err), "no internal processes") && ! dir_exists ("/busy/ctr"),
         "a parent with processes: clear error (%s)", msg (err));
  ocirun_error_free (&err);
  kill (c.pid, SIGKILL);
  wait_child (c.pid);
  close (bfd);
  usleep (100000);
  rmdir ("/sys/fs/cgroup/busy");
}

/* Rootless: a delegated subtree /deleg owned by nobody, the caller in /deleg/self.  */
static void
test_rootless (void)
{
  printf ("== rootless (uid 65534 with a delegated /dparent/deleg)\n");
  mkdir ("/sys/fs/cgroup/dparent", 0755);
  cg_write (AT_FDCWD, "/sys/fs/cgroup/dparent/cgroup.subtree_control", "+memory +pids");
  mkdir ("/sys/fs/cgroup/dparent/deleg", 0755);
  int dfd = open ("/sys/fs/cgroup/dparent/deleg", O_RDONLY | O_DIRECTORY);
  mkdirat (dfd, "self", 0755);
  const char *own[] = { ".", "cgroup.procs", "cgroup.subtree_control", "self", "self/cgroup.procs",
                        "self/cgroup.subtree_control", NULL };
  for (int i = 0; own[i]; i++)
    if (fchownat (dfd, own[i], 65534, 65534, 0) < 0)
      perror (own[i]);

  int p[2];
  if (pipe (p) < 0)
    return;
  pid_t pid = fork ();
  if (pid == 0)
    {
      close (p[0]);
      dup2 (p[1], 1);
      char me[32];
      snprintf (me, sizeof me, "%d", getpid ());
      cg_write (AT_FDCWD, "/sys/fs/cgroup/dparent/deleg/self/cgroup.procs", me);
      if (setgroups (0, NULL) < 0 || setresgid (65534, 65534, 65534) < 0 || setresuid (65534, 65534, 65534) < 0)
        _exit (3);
      n_pass = n_fail = 0;
      cleanup_error struct ocirun_error *err = NULL;
      cleanup_cgroup struct ocirun_cgroup *cg = NULL;

      struct ocirun_cgroup_opts o = { .id = "rl", .rootless = true };
      int r = ocirun_cgroup_prepare (&o, &cg, &err);
      CHECK (r == 0 && cg->path == NULL, "rootless, nothing asked: no cgroup, no error%s", msg (err));
      ocirun_cgroup_free (steal_pointer (&cg));

      struct oci_config_linux_resources_pids pl = { .limit = 7, .limit_present = true };
      struct oci_config_linux_resources_memory ml = { .limit = 1 << 30, .limit_present = true };
      struct oci_config_linux_resources res = { .pids = &pl, .memory = &ml };
      o.resources = &res;
      r = ocirun_cgroup_prepare (&o, &cg, &err);
      CHECK (r < 0 && strstr (msg (err), "no internal processes"),
             "rootless default path under the caller's own (busy) cgroup: clear error (%s)", msg (err));
      ocirun_error_free (&err);
      ocirun_cgroup_free (steal_pointer (&cg));

      o.cgroups_path = "/dparent/deleg/rl";
      r = ocirun_cgroup_prepare (&o, &cg, &err);
      struct child c = spawn (fn_sleep, NULL);
      if (r == 0)
        r = ocirun_cgroup_enter (cg, &o, c.pid, false, &err);
      CHECK (r == 0 && cg->path && strcmp (rd (cg, "pids.max"), "7") == 0,
             "rootless cgroupsPath /dparent/deleg/rl in the delegated subtree: pids.max 7%s", msg (err));
      if (cg)
        {
          r = ocirun_cgroup_destroy (cg, &err);
          CHECK (r == 0 && ! dir_exists ("/dparent/deleg/rl"), "rootless destroy%s", msg (err));
        }
      kill (c.pid, SIGKILL);
      wait_child (c.pid);
      ocirun_cgroup_free (steal_pointer (&cg));

      struct oci_config_linux_resources_cpu cpu = { .shares = 512, .shares_present = true };
      struct oci_config_linux_resources r2 = { .cpu = &cpu };
      o.resources = &r2;
      r = ocirun_cgroup_prepare (&o, &cg, &err);
      CHECK (r < 0 && strstr (msg (err), "cgroup controller \"cpu\" is not delegated to uid 65534")
             && strstr (msg (err), "Delegate=cpu cpuset io memory pids"),
             "a controller outside the delegation is named with the fix (%s)", msg (err));
      ocirun_error_free (&err);

      struct oci_device_cgroup deny = { .allow = false, .allow_present = true, .access = "rwm" };
      struct oci_device_cgroup *devs[] = { &deny };
      struct oci_config_linux_resources r3 = { .devices = devs, .devices_len = 1 };
      struct ocirun_cgroup_opts o3 = { .id = "rl3", .rootless = true, .resources = &r3 };
      ocirun_cgroup_free (steal_pointer (&cg));
      r = ocirun_cgroup_prepare (&o3, &cg, &err);
      CHECK (r == 0 && cg->path == NULL, "rootless with only device rules: no cgroup, no error%s", msg (err));
      printf ("RL %d %d\n", n_pass, n_fail);
      fflush (stdout);
      _exit (0);
    }
  close (p[1]);
  char buf[8192];
  size_t len = 0;
  ssize_t r;
  while ((r = read (p[0], buf + len, sizeof buf - 1 - len)) > 0)
    len += (size_t) r;
  buf[len] = '\0';
  close (p[0]);
  wait_child (pid);
  char *rl = strstr (buf, "RL ");
  int a = 0, b = 1;
  if (rl)
    {
      sscanf (rl, "RL %d %d", &a, &b);
      *rl = '\0';
    }
  fputs (buf, stdout);
  n_pass += a;
  n_fail += b;
  if (! rl)
    CHECK (0, "the rootless child reported");
  rmdir ("/sys/fs/cgroup/dparent/deleg/self");
  rmdir ("/sys/fs/cgroup/dparent/deleg");
  rmdir ("/sys/fs/cgroup/dparent");
  close (dfd);
}

int
main (void)
{
  setvbuf (stdout, NULL, _IOLBF, 0);
  test_full_resources ();
  test_oom_pids ();
  test_freeze_kill ();
  test_errors ();
  test_rootless ();
  CHECK (rmdir ("/sys/fs/cgroup/ocirun") == 0, "no container cgroup left under /ocirun");
  printf ("%d passed, %d failed\n", n_pass, n_fail);
  return n_fail ? 1 : 0;
}
