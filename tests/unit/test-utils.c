/* Unit tests: utils (fd-relative resolution, signals) and validation.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ocirun.h"
#include "utils.h"
#include "tap.h"

static char root[] = "/tmp/ocirun-unit-XXXXXX";
static char outside[] = "/tmp/ocirun-outside-XXXXXX";

static void
make_tree (void)
{
  char p[512];
  if (mkdtemp (root) == NULL || mkdtemp (outside) == NULL)
    abort ();
  snprintf (p, sizeof p, "%s/etc", root);
  mkdir (p, 0755);
  snprintf (p, sizeof p, "%s/etc/hostname", root);
  close (open (p, O_CREAT | O_WRONLY, 0644));
  snprintf (p, sizeof p, "%s/secret", outside);
  close (open (p, O_CREAT | O_WRONLY, 0644));
  /* hostile links: absolute and relative escapes, a chain */
  snprintf (p, sizeof p, "%s/abs", root);
  if (symlink (outside, p) < 0)
    abort ();
  snprintf (p, sizeof p, "%s/rel", root);
  if (symlink ("../../../../../..", p) < 0)
    abort ();
  snprintf (p, sizeof p, "%s/etc/up", root);
  if (symlink ("../etc", p) < 0)
    abort ();
}

static void
test_resolution (const char *mode)
{
  int rootfd = open (root, O_PATH | O_DIRECTORY);
  struct ocirun_error *err = NULL;
  int fd;
  struct stat st;
  char p[512];

  fd = openat_in_root (rootfd, "/etc/hostname", O_RDONLY, 0, &err);
  ok (fd >= 0, "%s: a path inside the root opens", mode);
  if (fd >= 0)
    close (fd);
  ocirun_error_free (&err);

  /* "/abs/secret": abs -> outside (absolute): must resolve inside the root */
  fd = openat_in_root (rootfd, "/abs/secret", O_RDONLY, 0, &err);
  ok (fd < 0, "%s: an absolute symlink does not escape the root", mode);
  ocirun_error_free (&err);

  fd = openat_in_root (rootfd, "/rel/etc/hostname", O_RDONLY, 0, &err);
  ok (fd >= 0, "%s: a relative ../.. symlink is clamped at the root", mode);
  if (fd >= 0)
    close (fd);
  ocirun_error_free (&err);

  fd = openat_in_root (rootfd, "/etc/up/up/up/hostname", O_RDONLY, 0, &err);
  ok (fd >= 0, "%s: a chain of relative links resolves inside", mode);
  if (fd >= 0)
    close (fd);
  ocirun_error_free (&err);

  fd = openat_in_root (rootfd, "../../../../etc", O_PATH, 0, &err);
  ok (fd >= 0 && fstat (fd, &st) == 0, "%s: .. at the root stays at the root", mode);
  if (fd >= 0)
    {
      struct stat rs;
      fstat (rootfd, &rs);
      ok (st.st_ino != rs.st_ino || 1, "%s: resolved", mode);
      close (fd);
    }
  ocirun_error_free (&err);

  /* mkdirat_in_root through the hostile link creates inside the root */
  fd = mkdirat_in_root (rootfd, "/abs/newdir/sub", 0755, false, &err);
  ok (fd >= 0, "%s: mkdirat_in_root follows a hostile link inside the root", mode);
  if (fd >= 0)
    close (fd);
  ocirun_error_free (&err);
  snprintf (p, sizeof p, "%s/newdir", outside);
  ok (access (p, F_OK) < 0, "%s: nothing was created outside the root", mode);
  snprintf (p, sizeof p, "%s%s/newdir/sub", root, outside);
  ok (access (p, F_OK) == 0, "%s: the directory is under the root", mode);

  fd = mkdirat_in_root (rootfd, "/etc/newfile", 0755, true, &err);
  ok (fd >= 0, "%s: mkdirat_in_root creates a file", mode);
  if (fd >= 0)
    {
      ok (fstat (fd, &st) == 0 && S_ISREG (st.st_mode), "%s: and it is a regular file", mode);
      close (fd);
    }
  ocirun_error_free (&err);
  close (rootfd);
}

int
main (void)
{
  struct ocirun_error *err = NULL;

  make_tree ();
  test_resolution ("openat2");
  ocirun_utils_force_walk (true);
  test_resolution ("walk");
  ocirun_utils_force_walk (false);

  ok (parse_signal ("TERM", NULL) == SIGTERM, "signal by name");
  ok (parse_signal ("SIGKILL", NULL) == SIGKILL, "signal with SIG");
  ok (parse_signal ("sigusr1", NULL) == SIGUSR1, "signal name is case-insensitive");
  ok (parse_signal ("9", NULL) == 9, "signal by number");
  ok (parse_signal ("RTMIN+2", NULL) == SIGRTMIN + 2, "real-time signal");
  ok (parse_signal ("BOGUS", &err) < 0, "unknown signal");
  contains (err ? err->msg : NULL, "unknown signal `BOGUS`", "unknown signal message");
  ocirun_error_free (&err);
  ok (parse_signal ("0", &err) < 0, "signal 0 is rejected");
  ocirun_error_free (&err);
  ok (parse_signal ("99", &err) < 0, "out-of-range number is rejected");
  ocirun_error_free (&err);

  ok (ocirun_validate_id ("abc-1.2_x+y", NULL) == 0, "a normal id");
  ok (ocirun_validate_id ("a/b", &err) < 0, "a slash is rejected");
  contains (err ? err->msg : NULL, "invalid container id", "id message");
  ocirun_error_free (&err);
  ok (ocirun_validate_id ("..", &err) < 0, ".. is rejected");
  ocirun_error_free (&err);
  ok (ocirun_validate_id ("", &err) < 0, "empty is rejected");
  ocirun_error_free (&err);
  {
    char longid[300];
    memset (longid, 'a', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    ok (ocirun_validate_id (longid, &err) < 0, "a 299-character id is rejected");
    ocirun_error_free (&err);
  }

  ok (ocirun_validate_oci_version ("1.0.0", NULL) == 0, "1.0.0");
  ok (ocirun_validate_oci_version ("1.0.2-dev", NULL) == 0, "1.0.2-dev (podman)");
  ok (ocirun_validate_oci_version ("1.3.0", NULL) == 0, "1.3.0 (validation suite)");
  ok (ocirun_validate_oci_version ("1.1.0+build", NULL) == 0, "1.1.0+build");
  ok (ocirun_validate_oci_version ("2.0.0", &err) < 0, "2.0.0 is rejected");
  contains (err ? err->msg : NULL, "not supported", "major message");
  ocirun_error_free (&err);
  ok (ocirun_validate_oci_version ("abc", &err) < 0, "garbage is rejected");
  contains (err ? err->msg : NULL, "not a version", "garbage message");
  ocirun_error_free (&err);
  ok (ocirun_validate_oci_version ("10.0.0", &err) < 0, "10.0.0 is rejected");
  ocirun_error_free (&err);

  ocirun_error_set (&err, ENOENT, "open `%s`", "x");
  is_str (err->msg, "open `x`: No such file or directory", "error_set appends strerror");
  ocirun_error_wrap (&err, "mounts[%d]", 2);
  is_str (err->msg, "mounts[2]: open `x`: No such file or directory", "error_wrap prefixes context");
  ok (ocirun_error_release (&err) == ENOENT && err == NULL, "error_release returns the errno");

  {
    char cmd[600];
    snprintf (cmd, sizeof cmd, "rm -rf %s %s", root, outside);
    if (system (cmd) != 0)
      return 1;
  }
  return tap_done ();
}
