/* ocirun: the on-disk state store (one directory per container, locked).
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_STATUS_H
#define OCIRUN_STATUS_H

#include <stdbool.h>
#include <sys/types.h>
#include "error.h"
#include "oci_spec.h"

#define OCIRUN_FIFO_NAME "exec.fifo"
#define OCIRUN_STATE_NAME "state.json"

/* An open, locked container directory.  */
struct ocirun_store
{
  char *root;     /* state root */
  char *id;
  int rootfd;     /* O_DIRECTORY on the state root */
  int dirfd;      /* O_DIRECTORY on ROOT/ID, flock'ed */
};

int ocirun_store_resolve_root (const char *requested, char **out, struct ocirun_error **err);
/* Create ROOT/ID exclusively and lock it (error if it exists).  */
int ocirun_store_create (const char *root, const char *id, struct ocirun_store **out,
                         struct ocirun_error **err);
/* Open and lock an existing container ("does not exist" error otherwise).  */
int ocirun_store_open (const char *root, const char *id, bool exclusive, struct ocirun_store **out,
                       struct ocirun_error **err);
/* Remove the container directory and release the store.  */
int ocirun_store_remove (struct ocirun_store *st, struct ocirun_error **err);
void ocirun_store_free (struct ocirun_store *st);
void cleanup_storep (struct ocirun_store **st);
#define cleanup_store __attribute__ ((cleanup (cleanup_storep)))

int ocirun_store_write_state (struct ocirun_store *st, const struct oci_ocirun_state *state,
                              struct ocirun_error **err);
int ocirun_store_read_state (struct ocirun_store *st, struct oci_ocirun_state **out,
                             struct ocirun_error **err);

/* Live status from the stored record: "creating", "created", "running", "paused",
   "stopped".  Never fails: an unreadable process counts as stopped.  */
const char *ocirun_store_live_status (struct ocirun_store *st, const struct oci_ocirun_state *state);
/* The kernel's boot id (malloc'd), NULL if unreadable.  */
char *ocirun_boot_id (void);
bool ocirun_state_process_alive (const struct oci_ocirun_state *state);
void cleanup_ocirun_statep (struct oci_ocirun_state **s);
#define cleanup_ocirun_state __attribute__ ((cleanup (cleanup_ocirun_statep)))

/* List the ids under ROOT (NULL-terminated).  */
int ocirun_store_list_ids (const char *root, char ***ids, struct ocirun_error **err);

/* RFC 3339 timestamp with nanoseconds, malloc'd.  */
char *ocirun_timestamp_now (void);

#endif
