/* ocirun CLI: what every verb shares.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_CMD_H
#define OCIRUN_CMD_H

#include <getopt.h>
#include <stdbool.h>
#include "ocirun.h"

/* Each verb: parse its options from argv (argv[0] is the verb), fill ctx, call
   one library function.  Returns the process exit code; errors go to *err.  */
typedef int (*ocirun_cmd_fn) (struct ocirun_context *ctx, int argc, char **argv,
                              struct ocirun_error **err);

int cmd_create (struct ocirun_context *, int, char **, struct ocirun_error **);
int cmd_start (struct ocirun_context *, int, char **, struct ocirun_error **);
int cmd_run (struct ocirun_context *, int, char **, struct ocirun_error **);
int cmd_state (struct ocirun_context *, int, char **, struct ocirun_error **);
int cmd_kill (struct ocirun_context *, int, char **, struct ocirun_error **);
int cmd_delete (struct ocirun_context *, int, char **, struct ocirun_error **);
int cmd_list (struct ocirun_context *, int, char **, struct ocirun_error **);
int cmd_spec (struct ocirun_context *, int, char **, struct ocirun_error **);
int cmd_exec (struct ocirun_context *, int, char **, struct ocirun_error **);
int cmd_ps (struct ocirun_context *, int, char **, struct ocirun_error **);
int cmd_pause (struct ocirun_context *, int, char **, struct ocirun_error **);
int cmd_resume (struct ocirun_context *, int, char **, struct ocirun_error **);
int cmd_update (struct ocirun_context *, int, char **, struct ocirun_error **);
int cmd_events (struct ocirun_context *, int, char **, struct ocirun_error **);
int cmd_features (struct ocirun_context *, int, char **, struct ocirun_error **);
int cmd_checkpoint (struct ocirun_context *, int, char **, struct ocirun_error **);
int cmd_restore (struct ocirun_context *, int, char **, struct ocirun_error **);
int cmd_check (struct ocirun_context *, int, char **, struct ocirun_error **);

/* Print USAGE and the options to stdout and return 0 (for --help).  */
int cmd_help (const char *usage, const char *options);
/* Parse options shared by create and run; returns the getopt result handling or -1.
   Sets *id from the first non-option argument.  */
int cmd_parse_create_opts (struct ocirun_context *ctx, int argc, char **argv, bool is_run,
                           const char *usage, struct ocirun_error **err);
/* Exactly one positional: the id.  */
int cmd_take_id (struct ocirun_context *ctx, int argc, char **argv, const char *usage,
                 struct ocirun_error **err);
/* The error for getopt's answer C ('?' unknown option, ':' missing argument).  */
int cmd_bad_option (int c, char **argv, const char *usage, struct ocirun_error **err);
int cmd_parse_int (const char *s, const char *what, int *out, struct ocirun_error **err);
/* The CRIU options of checkpoint and restore: CMD_CRIU_LONG_OPTIONS in the
   option table, cmd_criu_option for getopt's answer (true: taken), and
   cmd_criu_help for --help.  */
enum
{
  CMD_OPT_IMAGE_PATH = 2000,
  CMD_OPT_WORK_PATH,
  CMD_OPT_TCP_ESTABLISHED,
  CMD_OPT_EXT_UNIX_SK,
  CMD_OPT_SHELL_JOB,
  CMD_OPT_FILE_LOCKS,
  CMD_OPT_MANAGE_CGROUPS_MODE,
};
#define CMD_CRIU_LONG_OPTIONS                                                   \
  { "image-path", required_argument, NULL, CMD_OPT_IMAGE_PATH },                \
  { "work-path", required_argument, NULL, CMD_OPT_WORK_PATH },                  \
  { "tcp-established", no_argument, NULL, CMD_OPT_TCP_ESTABLISHED },            \
  { "ext-unix-sk", no_argument, NULL, CMD_OPT_EXT_UNIX_SK },                    \
  { "shell-job", no_argument, NULL, CMD_OPT_SHELL_JOB },                        \
  { "file-locks", no_argument, NULL, CMD_OPT_FILE_LOCKS },                      \
  { "manage-cgroups-mode", required_argument, NULL, CMD_OPT_MANAGE_CGROUPS_MODE }
extern const char cmd_criu_help[];
bool cmd_criu_option (int c, const char *arg, struct ocirun_checkpoint_opts *o);
/* Print a string followed by a newline to stdout.  */
void cmd_print (const char *s);

#endif
