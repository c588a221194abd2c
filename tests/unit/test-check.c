/* Unit tests: the pure pieces of `ocirun check` (subordinate ids, sysctls,
 * controllers, kernel versions, probes, JSON).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include "tap.h"
#include "check.h"
#include "utils.h"

static const char *passwd = "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n"
                            "bob:x:1001:1001::/home/bob:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n";
static const char *group = "root:x:0:\nalice:x:1000:\nbob:x:1001:\nnogroup:x:65534:\n";

/* The subid results for alice (uid 1000) with SUBUID and SUBGID.  */
static void
subids (struct ocirun_check_list *l, const char *subuid, const char *subgid, bool privileged)
{
  struct ocirun_check_subid_input in = { .subuid = subuid, .subgid = subgid, .passwd = passwd,
                                         .group = group, .user = privileged ? "root" : "alice",
                                         .uid = privileged ? 0 : 1000, .privileged = privileged };
  ocirun_check_list_free (l);
  ocirun_check_subids (l, &in);
}

static void
test_subids (void)
{
  struct ocirun_check_list l = { 0 };
  struct ocirun_check_subid_input in = { .subuid = "bob:100000:65536\n", .subgid = "x:165536:10\n",
                                         .passwd = passwd, .group = group };

  subids (&l, "", "", false);
  ok (l.n == 2 && l.items[0].status == OCIRUN_CHECK_FAIL, "no range in /etc/subuid fails");
  is_str (l.items[0].message, "no range for alice", "and names the user");
  is_str (l.items[0].fix, "usermod --add-subuids 100000-165535 --add-subgids 100000-165535 alice",
          "the fix adds both ranges");

  subids (&l, NULL, "alice:100000:65536\n", false);
  is_str (l.items[0].message, "no range for alice (the file is missing)", "a missing file says so");
  is_str (l.items[0].fix, "usermod --add-subuids 100000-165535 alice",
          "the fix adds only the missing range");
  ok (l.items[1].status == OCIRUN_CHECK_OK, "the present subgid range is ok");

  subids (&l, "1000:100000:65536\n", "alice:100000:65536\n", false);
  ok (l.items[0].status == OCIRUN_CHECK_OK, "a range by uid counts");
  is_str (l.items[0].message, "alice has 100000-165535 (65536 uids)", "and is described");

  subids (&l, "alice:100000:1000\n", "alice:100000:65536\n", false);
  ok (l.items[0].status == OCIRUN_CHECK_WARN, "fewer than 65536 ids warns");
  contains (l.items[0].message, "only 1000 uids", "and says how many");

  subids (&l, "bob:100000:65536\nalice:150000:65536\n", "alice:100000:65536\n", false);
  ok (l.items[0].status == OCIRUN_CHECK_FAIL, "overlapping another user's range fails");
  is_str (l.items[0].message, "alice's range 150000-215535 overlaps bob's 100000-165535", "named");
  is_str (l.items[0].fix, "usermod --del-subuids 150000-215535 alice && usermod --add-subuids 215536-281071 alice",
          "the fix moves the range to a free one");

  subids (&l, "alice:1:65536\n", "alice:100000:65536\n", false);
  ok (l.items[0].status == OCIRUN_CHECK_WARN, "a range over real uids warns");
  contains (l.items[0].message, "includes uid 1000 of alice (/etc/passwd)", "and names the user");

  subids (&l, "alice:100000:65536\n", "alice:60000:10000\n", false);
  contains (l.items[1].message, "includes gid 65534 of nogroup (/etc/group)", "subgid checks groups");

  subids (&l, "", "", true);
  ok (l.items[0].status == OCIRUN_CHECK_OK && l.items[0].fix == NULL, "root needs no range");
  subids (&l, "bob:100000:65536\nroot:100000:65536\n", "", true);
  ok (l.items[0].status == OCIRUN_CHECK_WARN, "root overlapping another range only warns");

  ok (ocirun_check_free_subid_range (&in) == 165546, "the free range starts after every used one");
  in.subuid = in.subgid = NULL;
  ok (ocirun_check_free_subid_range (&in) == 100000, "100000 when nothing is used");
  ocirun_check_list_free (&l);
}

static void
test_sysctls (void)
{
  struct ocirun_check_list l = { 0 };

  ocirun_check_userns_sysctls (&l, "15000\n", NULL, NULL, false);
  ok (l.n == 3 && l.items[0].status == OCIRUN_CHECK_OK && l.items[1].status == OCIRUN_CHECK_OK
      && l.items[2].status == OCIRUN_CHECK_OK, "a usable kernel: three ok");
  is_str (l.items[0].message, "user.max_user_namespaces = 15000", "the value is shown");
  ocirun_check_list_free (&l);

  ocirun_check_userns_sysctls (&l, "0", "0", "1", false);
  ok (l.items[0].status == OCIRUN_CHECK_FAIL && l.items[1].status == OCIRUN_CHECK_FAIL
      && l.items[2].status == OCIRUN_CHECK_FAIL, "each restriction fails for a user");
  contains (l.items[0].fix, "sysctl -w user.max_user_namespaces=15000", "the max fix");
  contains (l.items[0].fix, "/etc/sysctl.d/", "and it persists");
  contains (l.items[1].fix, "sysctl -w kernel.unprivileged_userns_clone=1", "the Debian fix");
  contains (l.items[2].fix, "kernel.apparmor_restrict_unprivileged_userns=0", "the AppArmor sysctl");
  contains (l.items[2].fix, "AppArmor profile", "or a profile");
  ocirun_check_list_free (&l);

  ocirun_check_userns_sysctls (&l, "15000", "0", "1", true);
  ok (l.items[1].status == OCIRUN_CHECK_WARN && l.items[2].status == OCIRUN_CHECK_WARN,
      "root is only warned about unprivileged restrictions");
  ocirun_check_list_free (&l);
}

static void
test_helpers (void)
{
  struct ocirun_check_list l = { 0 };
  char *m, *json = NULL;
  struct ocirun_error *err = NULL;

  m = ocirun_check_missing_controllers ("cpuset cpu io memory hugetlb pids rdma misc");
  is_str (m, "", "nothing missing");
  free (m);
  m = ocirun_check_missing_controllers ("cpuset cpu memory pids\n");
  is_str (m, "io", "io is missing (cpuset does not count as cpu, nor the reverse)");
  free (m);
  m = ocirun_check_missing_controllers ("cpuset");
  is_str (m, "memory pids cpu io", "cpu is not found in cpuset");
  free (m);

  ok (ocirun_check_kernel_at_least ("6.1.0-18-amd64", 5, 12), "6.1 >= 5.12");
  ok (ocirun_check_kernel_at_least ("5.12.0", 5, 12), "5.12 >= 5.12");
  ok (! ocirun_check_kernel_at_least ("5.10.0-28-amd64", 5, 12), "5.10 < 5.12");
  ok (! ocirun_check_kernel_at_least ("garbage", 5, 12), "unparsable is not new enough");

  ocirun_check_probe_result (&l, "openat2", EINVAL, "x");
  ocirun_check_probe_result (&l, "clone3", ENOSYS, "no CLONE_INTO_CGROUP");
  ocirun_check_probe_result (&l, "pidfd_open", EPERM, "y");
  ok (l.items[0].status == OCIRUN_CHECK_OK, "EINVAL: the kernel has it");
  ok (l.items[1].status == OCIRUN_CHECK_WARN, "ENOSYS warns");
  contains (l.items[1].message, "no CLONE_INTO_CGROUP", "naming what degrades");
  contains (l.items[2].message, "seccomp", "EPERM suspects a filter");

  ocirun_check_add (&l, "quote\"d", OCIRUN_CHECK_FAIL, xstrdup ("new\nline \\ \xff"), NULL);
  ok (ocirun_check_any_failed (&l), "a fail is seen");
  ok (ocirun_check_to_json (&l, &json, &err) == 0, "JSON generated");
  contains (json, "{\"name\":\"openat2\",\"status\":\"ok\",\"message\":\"the kernel has it\",\"fix\":null}",
            "an object per result, fix null when none");
  contains (json, "\"name\":\"quote\\\"d\",\"status\":\"fail\",\"message\":\"new?line \\\\ ?\"",
            "quotes escaped, control and invalid bytes replaced");
  free (json);
  ocirun_check_list_free (&l);
}

int
main (void)
{
  test_subids ();
  test_sysctls ();
  test_helpers ();
  return tap_done ();
}
