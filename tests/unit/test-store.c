/* Unit tests: the state store (locking, atomic state, live status, roots).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "status.h"
#include "utils.h"
#include "tap.h"

int
main (void)
{
  char tmpl[] = "/tmp/ocirun-store-XXXXXX";
  char *root = mkdtemp (tmpl);
  struct ocirun_error *err = NULL;
  struct ocirun_store *st = NULL, *st2 = NULL;
  struct oci_ocirun_state s = { 0 }, *back = NULL;
  char **ids = NULL;
  char *resolved = NULL;

  ok (root != NULL, "temp root");
  ok (ocirun_store_create (root, "c1", &st, &err) == 0, "create a container directory");
  ok (ocirun_store_create (root, "c1", &st2, &err) < 0, "creating it twice fails");
  contains (err ? err->msg : NULL, "already exists", "already-exists message");
  ocirun_error_free (&err);

  s.oci_version = "1.0.2";
  s.id = "c1";
  s.status = "created";
  s.pid = getpid ();
  s.pid_present = true;
  s.init_start_time = proc_start_time (getpid ());
  s.init_start_time_present = true;
  s.bundle = "/b";
  ok (ocirun_store_write_state (st, &s, &err) == 0, "write the state");
  ok (ocirun_store_read_state (st, &back, &err) == 0, "read it back");
  is_str (back ? back->id : NULL, "c1", "id round-trips");
  ok (back && back->pid == getpid (), "pid round-trips");
  is_str (back ? ocirun_store_live_status (st, back) : NULL, "running", "a live process without fifo is running");
  mkfifoat (st->dirfd, OCIRUN_FIFO_NAME, 0600);
  is_str (back ? ocirun_store_live_status (st, back) : NULL, "created", "with the fifo it is created");
  back->init_start_time = 12345;
  is_str (ocirun_store_live_status (st, back), "stopped", "a reused pid (other start time) is stopped");
  free_oci_ocirun_state (back);
  back = NULL;

  {
    /* the lock excludes other processes */
    pid_t child = fork ();
    if (child == 0)
      {
        int fd = open (root, O_RDONLY);
        int d = openat (fd, "c1", O_RDONLY | O_DIRECTORY);
        _exit (flock (d, LOCK_EX | LOCK_NB) == 0 ? 0 : 1);
      }
    int status;
    waitpid (child, &status, 0);
    ok (WIFEXITED (status) && WEXITSTATUS (status) == 1, "another process cannot take the lock");
  }

  ok (ocirun_store_list_ids (root, &ids, &err) == 0 && ids[0] && strcmp (ids[0], "c1") == 0 && ids[1] == NULL,
      "list the ids");
  strv_free (ids);
  ocirun_store_free (st);
  st = NULL;

  ok (ocirun_store_open (root, "c1", true, &st, &err) == 0, "open an existing container");
  ok (ocirun_store_remove (st, &err) == 0, "remove it");
  ocirun_store_free (st);
  st = NULL;
  ok (ocirun_store_open (root, "c1", false, &st, &err) < 0, "opening a removed container fails");
  contains (err ? err->msg : NULL, "does not exist", "does-not-exist message");
  ok (err && err->errnum == ENOENT, "with ENOENT");
  ocirun_error_free (&err);

  /* corrupt and missing state */
  ok (ocirun_store_create (root, "c2", &st, &err) == 0, "create c2");
  ok (ocirun_store_read_state (st, &back, &err) < 0, "no state yet");
  contains (err ? err->msg : NULL, "interrupted", "an interrupted create is reported");
  ocirun_error_free (&err);
  write_file_at (st->dirfd, OCIRUN_STATE_NAME, "{\"id\": 3}", 9, NULL);
  ok (ocirun_store_read_state (st, &back, &err) < 0, "corrupt state");
  contains (err ? err->msg : NULL, "corrupt", "corrupt state is reported");
  ocirun_error_free (&err);
  ocirun_store_remove (st, NULL);
  ocirun_store_free (st);

  ok (ocirun_store_resolve_root (root, &resolved, &err) == 0 && strcmp (resolved, root) == 0,
      "--root is taken as is");
  free (resolved);
  {
    char *ts = ocirun_timestamp_now ();
    ok (ts && strlen (ts) == 30 && ts[29] == 'Z', "timestamps are RFC 3339 with nanoseconds (%s)", ts);
    free (ts);
  }
  rmdir (root);
  return tap_done ();
}
