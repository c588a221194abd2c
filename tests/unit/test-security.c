/* Unit tests: the primitives the container-escape defences stand on:
 * verified procfs access, closing the runtime's fds, cwd inside the root,
 * the verified null device.  SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef HAVE_SECCOMP
#include <seccomp.h>
#include <sys/prctl.h>
#endif
#include "mounts.h"
#include "procfs.h"
#include "utils.h"
#include "tap.h"

static void
procfs_checks (const char *how)
{
  struct ocirun_error *err = NULL;
  int fd;

  fd = ocirun_procfs_open ("self/status", O_RDONLY, &err);
  ok (fd >= 0, "%s: self/status opens", how);
  if (fd >= 0)
    close (fd);
  ocirun_error_free (&err);

  fd = ocirun_procfs_open ("sys/kernel/hostname", O_RDONLY, &err);
  ok (fd >= 0, "%s: sys/kernel/hostname opens", how);
  if (fd >= 0)
    close (fd);
  ocirun_error_free (&err);

  /* "mounts" is a symlink to self/mounts: nothing after the process dir may be one */
  fd = ocirun_procfs_open ("mounts", O_RDONLY, &err);
  ok (fd < 0 && err && strstr (err->msg, "symlink"), "%s: a symlink below /proc is refused (%s)", how,
      err ? err->msg : "opened");
  ocirun_error_free (&err);

  /* magic links (exe, cwd, fd/N) lead anywhere: refused */
  fd = ocirun_procfs_open ("self/cwd/x", O_RDONLY, &err);
  ok (fd < 0, "%s: a magic link below /proc is refused (%s)", how, err ? err->msg : "opened");
  ocirun_error_free (&err);

  fd = ocirun_procfs_open ("self/../self/status", O_RDONLY, &err);
  ok (fd < 0, "%s: .. is refused (%s)", how, err ? err->msg : "opened");
  ocirun_error_free (&err);

  fd = ocirun_procfs_open ("thread-self/attr/current", O_RDONLY, &err);
  ok (fd >= 0 || (err && err->errnum != ELOOP), "%s: thread-self is entered", how);
  if (fd >= 0)
    close (fd);
  ocirun_error_free (&err);
}

/* The init loads the container's seccomp profile before it writes the LSM
   labels; a profile that does not know openat2 answers EPERM: the walk
   must take over.  */
static void
procfs_under_seccomp_checks (void)
{
#ifdef HAVE_SECCOMP
  int st = 0;
  pid_t pid = fork ();
  if (pid == 0)
    {
      struct ocirun_error *err = NULL;
      scmp_filter_ctx ctx = seccomp_init (SCMP_ACT_ALLOW);
      int fd;
      if (ctx == NULL || seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EPERM), SCMP_SYS (openat2), 0) < 0
          || prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || seccomp_load (ctx) < 0)
        _exit (2);
      ocirun_procfs_reset ();
      fd = ocirun_procfs_open ("self/status", O_RDONLY, &err);
      _exit (fd >= 0 ? 0 : 1);
    }
  waitpid (pid, &st, 0);
  ok (WIFEXITED (st) && WEXITSTATUS (st) == 0, "procfs works under a seccomp profile that refuses openat2 (status %d)",
      WIFEXITED (st) ? WEXITSTATUS (st) : -1);
#else
  ok (1, "# skip built without seccomp");
#endif
}

static void
close_fds_checks (void)
{
  int a = open ("/dev/null", O_RDONLY);
  int b = open ("/dev/null", O_RDONLY);
  int c = open ("/dev/null", O_RDONLY);
  int keep[] = { b };
  pid_t pid = fork ();
  if (pid == 0)
    {
      close_fds_from (a, keep, 1);
      _exit ((fcntl (a, F_GETFD) < 0 && errno == EBADF && fcntl (b, F_GETFD) >= 0
              && fcntl (c, F_GETFD) < 0) ? 0 : 1);
    }
  {
    int st = 0;
    waitpid (pid, &st, 0);
    ok (WIFEXITED (st) && WEXITSTATUS (st) == 0, "close_fds_from closes all but the kept fd");
  }
  pid = fork ();
  if (pid == 0)
    {
      cloexec_fds_from (a);
      _exit ((fcntl (a, F_GETFD) & FD_CLOEXEC) && (fcntl (c, F_GETFD) & FD_CLOEXEC) ? 0 : 1);
    }
  {
    int st = 0;
    waitpid (pid, &st, 0);
    ok (WIFEXITED (st) && WEXITSTATUS (st) == 0, "cloexec_fds_from marks every fd close-on-exec");
  }
  close (a);
  close (b);
  close (c);
}

static void
chdir_checks (void)
{
  char tmpl[] = "/tmp/ocirun-unit-cwd-XXXXXX";
  char path[64];
  struct ocirun_error *err = NULL;
  int dfd;
  pid_t pid;
  int st = 0;

  if (mkdtemp (tmpl) == NULL)
    abort ();
  dfd = open (tmpl, O_RDONLY | O_DIRECTORY);
  snprintf (path, sizeof (path), "/proc/self/fd/%d", dfd);
  if (syscall (SYS_openat2, -1, "", NULL, 0) < 0 && errno == ENOSYS)
    /* the walk resolves the link's text lexically inside the root: with "/"
       as the root that is the same directory (the functional tests check it
       in a container) */
    ok (1, "# skip no openat2 here (valgrind): a cwd through /proc/self/fd/N");
  else
    {
      pid = fork ();
      if (pid == 0)
        _exit (chdir_in_root (path, &err) < 0 ? 0 : 1);
      waitpid (pid, &st, 0);
      ok (WIFEXITED (st) && WEXITSTATUS (st) == 0, "a cwd through /proc/self/fd/N is refused");
    }
  pid = fork ();
  if (pid == 0)
    {
      char buf[256];
      _exit (chdir_in_root (tmpl, &err) == 0 && getcwd (buf, sizeof (buf)) && strcmp (buf, tmpl) == 0 ? 0 : 1);
    }
  waitpid (pid, &st, 0);
  ok (WIFEXITED (st) && WEXITSTATUS (st) == 0, "an ordinary cwd is entered");
  close (dfd);
  rmdir (tmpl);
}

static void
dev_null_checks (void)
{
  struct ocirun_error *err = NULL;
  char tmpl[] = "/tmp/ocirun-unit-null-XXXXXX";
  char link[128];
  int fd = ocirun_open_dev_null ("/dev/null", &err);
  ok (fd >= 0, "/dev/null is the null device");
  if (fd >= 0)
    close (fd);
  ocirun_error_free (&err);
  fd = ocirun_open_dev_null ("/dev/zero", &err);
  ok (fd < 0 && err && strstr (err->msg, "not the null device"), "/dev/zero is refused as null");
  ocirun_error_free (&err);
  if (mkdtemp (tmpl) == NULL)
    abort ();
  snprintf (link, sizeof (link), "%s/null", tmpl);
  if (symlink ("/dev/null", link) < 0)
    abort ();
  fd = ocirun_open_dev_null (link, &err);
  ok (fd < 0, "a symlink to /dev/null is refused (never followed)");
  ocirun_error_free (&err);
  unlink (link);
  rmdir (tmpl);
}

int
main (void)
{
  procfs_checks ("openat2");
  ocirun_procfs_reset ();
  ocirun_procfs_force_walk (true);
  procfs_checks ("walk");
  ocirun_procfs_reset ();
  procfs_under_seccomp_checks ();
  close_fds_checks ();
  chdir_checks ();
  dev_null_checks ();
  return tap_done ();
}
