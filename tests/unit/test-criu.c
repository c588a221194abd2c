/* Unit tests: checkpoint/restore decisions that need no CRIU (option
 * parsing, the external-file keys of fds 0-2, the missing-library error).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include <stdlib.h>
#include "criu.h"
#include "utils.h"
#include "tap.h"

int
main (void)
{
  struct ocirun_error *err = NULL;
  struct ocirun_checkpoint_opts opts = { 0 };
  struct ocirun_context ctx = { .rootless = -1, .id = "c1", .state_root = "/nonexistent-ocirun-root" };
  enum ocirun_criu_cg_mode mode = OCIRUN_CRIU_CG_IGNORE;
  char *k;
  int code = -1;

  ok (ocirun_criu_cg_mode_from_string (NULL, &mode, &err) == 0 && mode == OCIRUN_CRIU_CG_SOFT,
      "no --manage-cgroups-mode: soft, as runc");
  ok (ocirun_criu_cg_mode_from_string ("full", &mode, &err) == 0 && mode == OCIRUN_CRIU_CG_FULL, "full");
  ok (ocirun_criu_cg_mode_from_string ("strict", &mode, &err) == 0 && mode == OCIRUN_CRIU_CG_STRICT, "strict");
  ok (ocirun_criu_cg_mode_from_string ("ignore", &mode, &err) == 0 && mode == OCIRUN_CRIU_CG_IGNORE, "ignore");
  ok (ocirun_criu_cg_mode_from_string ("Soft", &mode, &err) < 0, "modes are lower case");
  is_str (err ? err->msg : NULL, "--manage-cgroups-mode `Soft`: use soft, full, strict or ignore",
          "the error lists the modes");
  ocirun_error_free (&err);

  k = ocirun_criu_descriptor_key ("pipe:[4242]", 30, 4242, false);
  is_str (k, "pipe:[4242]", "a pipe keeps its name (restore hands in our fd)");
  free (k);
  k = ocirun_criu_descriptor_key ("/tmp/out.log", 0x2a, 0xbeef, false);
  is_str (k, "file[2a:beef]", "a file on a mount the container lacks is external: file[MNT:INODE] in hex");
  free (k);
  k = ocirun_criu_descriptor_key ("/tmp/out.log", 0x2a, 0xbeef, true);
  is_str (k, "/tmp/out.log", "a file of the container stays CRIU's");
  free (k);
  k = ocirun_criu_descriptor_key ("", -1, 0, false);
  is_str (k, "", "a closed fd is recorded empty");
  free (k);

  /* restore checks the image before anything else */
  opts.image_path = "/nonexistent-ocirun-image";
  ok (ocirun_container_restore (&ctx, &opts, &code, &err) < 0, "restore from a missing image fails");
#ifdef HAVE_CRIU
  contains (err ? err->msg : NULL, "image directory `/nonexistent-ocirun-image` does not exist",
            "and names the image directory");
#else
  contains (err ? err->msg : NULL, "restore needs CRIU: this ocirun was built without it",
            "and says this build has no CRIU");
#endif
  ocirun_error_free (&err);

#ifdef HAVE_CRIU
  setenv ("OCIRUN_CRIU_LIBRARY", "/nonexistent/libcriu.so.2", 1);
  ctx.id = "nosuch";
  ok (ocirun_container_checkpoint (&ctx, &opts, &err) < 0, "checkpoint of a missing container fails");
  contains (err ? err->msg : NULL, "does not exist", "before libcriu is needed");
  ocirun_error_free (&err);
#endif
  return tap_done ();
}
