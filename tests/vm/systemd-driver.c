/* ocirun: the systemd cgroup manager against a real systemd (Debian VM).
 *   systemd-driver root   (system bus, as root)
 *   systemd-driver user   (user bus, rootless, in tester's session)
 * Last line: "N passed, M failed".
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "utils.h"
#include "cgroup/cgroup.h"
#include "cgroup/cgroup-internal.h"
#include "driver.h"

/* First line of a shell command's output.  */
static char *
sh (const char *fmt, const char *arg)
{
  static char out[1024];
  char cmd[1024];
  snprintf (cmd, sizeof cmd, fmt, arg);
  out[0] = '\0';
  FILE *f = popen (cmd, "r");
  if (f == NULL)
    return out;
  if (fgets (out, sizeof out, f) == NULL)
    out[0] = '\0';
  pclose (f);
  size_t l = strlen (out);
  while (l && out[l - 1] == '\n')
    out[--l] = '\0';
  return out;
}

static int
child_open_null (void)
{
  int fd = open ("/dev/null", O_RDWR);
  return fd < 0 ? (errno == EPERM ? 1 : 2) : 0;
}

int
main (int argc, char **argv)
{
  bool user = argc > 1 && strcmp (argv[1], "user") == 0;
  const char *sc = user ? "systemctl --user" : "systemctl";
  setvbuf (stdout, NULL, _IOLBF, 0);

  struct oci_config_linux_resources_memory mem = { .limit = 67108864, .limit_present = true,
                                                   .reservation = 1048576, .reservation_present = true };
  struct oci_config_linux_resources_cpu cpu = { .shares = 1024, .shares_present = true, .quota = 50000,
                                                .quota_present = true, .period = 100000, .period_present = true,
                                                .cpus = "0" };
  struct oci_config_linux_resources_pids pids = { .limit = 30, .limit_present = true };
  struct oci_config_linux_resources_block_io bio = { .weight = 500, .weight_present = true };
  struct oci_device_cgroup deny_null = { .allow = false, .allow_present = true, .type = "c", .major = 1,
                                         .major_present = true, .minor = 3, .minor_present = true, .access = "rwm" };
  struct oci_device_cgroup *devs[] = { &deny_null };
  struct oci_config_linux_resources res = { .memory = &mem, .cpu = &cpu, .pids = &pids, .block_io = &bio,
                                            .devices = user ? NULL : devs, .devices_len = user ? 0 : 1 };
  struct ocirun_cgroup_opts o = { .id = "sdtest", .resources = &res, .manager = OCIRUN_CGROUP_MANAGER_SYSTEMD,
                                  .rootless = user,
                                  .cgroups_path = user ? NULL : "system.slice:ocirun-test:abc" };
  const char *unit = user ? "ocirun-sdtest.scope" : "ocirun-test-abc.scope";
  cleanup_error struct ocirun_error *err = NULL;
  cleanup_cgroup struct ocirun_cgroup *cg = NULL;

  printf ("== systemd manager (%s bus, uid %d)\n", user ? "user" : "system", (int) geteuid ());
  int r = ocirun_cgroup_prepare (&o, &cg, &err);
  CHECK (r == 0 && cg->scope && strcmp (cg->scope, unit) == 0, "prepare names the scope %s%s", unit, msg (err));
  if (r < 0)
    goto out;

  int p[2];
  if (pipe (p) < 0)
    return 1;
  pid_t pid = fork ();
  if (pid == 0)
    {
      char b;
      close (p[1]);
      if (read (p[0], &b, 1) != 1)
        _exit (100);
      _exit (child_open_null ());
    }
  close (p[0]);
  r = ocirun_cgroup_enter (cg, &o, pid, false, &err);
  CHECK (r == 0 && cg->path, "enter: StartTransientUnit + resources (%s)%s", cg->path ? cg->path : "", msg (err));
  if (r < 0)
    {
      kill (pid, SIGKILL);
      goto out;
    }
  const char *want_slice = user ? "/user.slice/ocirun-sdtest.scope" : "/system.slice/ocirun-test-abc.scope";
  CHECK (strstr (cg->path, want_slice) != NULL, "the scope's cgroup is ...%s (%s)", want_slice, cg->path);
  /* keep the scope populated while the first child comes and goes */
  pid_t sleeper = fork ();
  if (sleeper == 0)
    {
      pause ();
      _exit (0);
    }
  char buf[32];
  snprintf (buf, sizeof buf, "%d", sleeper);
  CHECK (cg_write (cg->dirfd, "cgroup.procs", buf) == 0, "a second process joins the scope's cgroup");
  char cmd[256];
  snprintf (cmd, sizeof cmd, "%s is-active %%s", sc);
  CHECK (strcmp (sh (cmd, unit), "active") == 0, "%s is-active %s", sc, unit);
  snprintf (cmd, sizeof cmd, "%s show -p MemoryMax -p TasksMax -p Delegate -p CPUWeight %%s | sort | tr '\\n' ' '", sc);
  char *props = sh (cmd, unit);
  CHECK (strcmp (props, "CPUWeight=39 Delegate=yes MemoryMax=67108864 TasksMax=30 ") == 0, "unit properties: %s", props);
  CHECK (strcmp (rd (cg, "memory.max"), "67108864") == 0, "memory.max = 67108864 (%s)", rd (cg, "memory.max"));
  CHECK (strcmp (rd (cg, "memory.low"), "1048576") == 0, "memory.low = 1048576 (%s)", rd (cg, "memory.low"));
  CHECK (strcmp (rd (cg, "pids.max"), "30") == 0, "pids.max = 30 (%s)", rd (cg, "pids.max"));
  CHECK (strcmp (rd (cg, "cpu.max"), "50000 100000") == 0, "cpu.max = 50000 100000 (%s)", rd (cg, "cpu.max"));
  CHECK (strcmp (rd (cg, "cpu.weight"), "39") == 0, "cpu.weight = 39 (%s)", rd (cg, "cpu.weight"));
  CHECK (strcmp (rd (cg, "cpuset.cpus"), "0") == 0, "cpuset.cpus = 0 (%s)", rd (cg, "cpuset.cpus"));
  char pidline[32];
  snprintf (pidline, sizeof pidline, "%d\n%d", pid, sleeper);
  CHECK (strcmp (rd (cg, "cgroup.procs"), pidline) == 0, "the pid is in the scope's cgroup.procs");

  if (write (p[1], "x", 1) != 1)
    perror ("write");
  close (p[1]);
  int st = 0;
  waitpid (pid, &st, 0);
  if (! user)
    CHECK (WIFEXITED (st) && WEXITSTATUS (st) == 1, "device rule: /dev/null denied in the scope (rc %d)",
           WEXITSTATUS (st));

  struct oci_config_linux_resources_memory m2 = { .limit = 100663296, .limit_present = true };
  struct oci_config_linux_resources up = { .memory = &m2 };
  r = ocirun_cgroup_update (cg, &up, &err);
  snprintf (cmd, sizeof cmd, "%s show -p MemoryMax --value %%s", sc);
  CHECK (r == 0 && strcmp (rd (cg, "memory.max"), "100663296") == 0 && strcmp (sh (cmd, unit), "100663296") == 0,
         "update sets MemoryMax on the unit and memory.max%s", msg (err));
  ocirun_error_free (&err);

  /* load from the state, as delete would */
  cleanup_cgroup struct ocirun_cgroup *l = NULL;
  char *path = xstrdup (cg->path);
  r = ocirun_cgroup_load (OCIRUN_CGROUP_MANAGER_SYSTEMD, path, cg->scope, &l, &err);
  r = r == 0 ? ocirun_cgroup_destroy (l, &err) : r;
  char full[512];
  snprintf (full, sizeof full, "%s%s", OCIRUN_CGROUP_ROOT, path);
  struct stat sb;
  CHECK (r == 0 && stat (full, &sb) < 0, "destroy stops the scope and the cgroup is gone%s", msg (err));
  usleep (200000);
  bool killed = waitpid (sleeper, &st, WNOHANG) == sleeper && WIFSIGNALED (st);
  if (! killed)
    {
      kill (sleeper, SIGKILL);
      waitpid (sleeper, &st, 0);
    }
  CHECK (killed, "the scope's process was killed");
  snprintf (cmd, sizeof cmd, "%s is-active %%s", sc);
  char *state = sh (cmd, unit);
  CHECK (strcmp (state, "active") != 0, "%s is-active: no longer active (%s)", sc, state);
  free (path);

out:
  printf ("%d passed, %d failed\n", n_pass, n_fail);
  return n_fail ? 1 : 0;
}
