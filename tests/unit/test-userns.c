/* Unit tests: id map formatting/validation and /etc/subuid parsing.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include "tap.h"
#include "userns.h"
#include "utils.h"

static struct oci_id_mapping m[4];
static struct oci_id_mapping *mp[4] = { &m[0], &m[1], &m[2], &m[3] };

static void
set (int i, uint32_t c, uint32_t h, uint32_t s)
{
  m[i].container_id = c;
  m[i].host_id = h;
  m[i].size = s;
}

static char *
format (size_t n, struct ocirun_error **err)
{
  char *out = NULL;
  if (ocirun_userns_format_map (mp, n, "linux.uidMappings", &out, err) < 0)
    return NULL;
  return out;
}

int
main (void)
{
  struct ocirun_error *err = NULL;
  char *s;
  const char *subuid = "# comment\nalice:100000:65536\n1234:300000:10\nbob:200000:1000\n";

  set (0, 0, 1000, 1);
  set (1, 1, 100000, 65536);
  s = format (2, &err);
  is_str (s, "0 1000 1\n1 100000 65536\n", "two mappings are formatted one per line");
  free (s);

  ok (ocirun_userns_format_map (mp, 0, "linux.uidMappings", &s, &err) < 0, "no mapping is an error");
  contains (err ? err->msg : NULL, "linux.uidMappings: empty", "the empty-map error names the field");
  ocirun_error_free (&err);

  set (0, 0, 1000, 0);
  ok (format (1, &err) == NULL, "a zero size is refused");
  is_str (err ? err->msg : NULL, "linux.uidMappings[0].size: must be greater than 0", "and named");
  ocirun_error_free (&err);

  set (0, 0, 4294967295u, 2);
  ok (format (1, &err) == NULL, "a range past 2^32 is refused");
  contains (err ? err->msg : NULL, "overflows 32-bit ids", "with the reason");
  ocirun_error_free (&err);

  set (0, 0, 1000, 10);
  set (1, 5, 5000, 10);
  ok (format (2, &err) == NULL, "overlapping container ranges are refused");
  is_str (err ? err->msg : NULL, "linux.uidMappings[1]: containerID range overlaps linux.uidMappings[0]",
          "naming both entries");
  ocirun_error_free (&err);

  set (0, 0, 1000, 10);
  set (1, 10, 1005, 10);
  ok (format (2, &err) == NULL, "overlapping host ranges are refused");
  contains (err ? err->msg : NULL, "hostID range overlaps", "with the reason");
  ocirun_error_free (&err);

  set (0, 0, 1000, 10);
  set (1, 10, 1010, 10);
  s = format (2, &err);
  ok (s != NULL, "adjacent ranges are fine");
  free (s);

  ok (ocirun_subid_covers (subuid, "alice", 1000, 100000, 65536), "the whole range of a user is covered");
  ok (ocirun_subid_covers (subuid, "alice", 1000, 100010, 10), "a part of it too");
  ok (! ocirun_subid_covers (subuid, "alice", 1000, 165530, 10), "not past its end");
  ok (! ocirun_subid_covers (subuid, "alice", 1000, 200000, 10), "not another user's range");
  ok (ocirun_subid_covers (subuid, "carol", 1234, 300000, 10), "an entry by uid counts");
  ok (! ocirun_subid_covers (subuid, "dave", 99, 100000, 1), "an unknown user has nothing");
  ok (! ocirun_subid_covers ("alice:x\nalice\n", "alice", 1, 0, 1), "malformed lines are skipped");

  set (0, 0, 1500, 1);
  ok (geteuid () == 0 || ocirun_userns_direct_ok (mp, 1, 1500), "one id of our own can be written directly");
  set (1, 1, 100000, 10);
  ok (geteuid () == 0 || ! ocirun_userns_direct_ok (mp, 2, 1500), "more needs newuidmap");
  return tap_done ();
}
