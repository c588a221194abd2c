/* ocirun: the one error contract.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_ERROR_H
#define OCIRUN_ERROR_H

#include <stdarg.h>
#include <stdbool.h>

struct ocirun_error
{
  int errnum;   /* errno-style, 0 if none */
  char *msg;    /* full message, errno text already appended */
};

/* Fill *err (if err is not NULL and *err is NULL) and return -1.  When errnum is
   non-zero, ": strerror(errnum)" is appended to the message.  */
int ocirun_error_set (struct ocirun_error **err, int errnum, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));
/* Prefix the existing message with context: "context: old message".  Returns -1.  */
int ocirun_error_wrap (struct ocirun_error **err, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));
void ocirun_error_free (struct ocirun_error **err);
/* Hand *from on to *err (when err can take it; else it is logged at debug
   level and freed).  */
void ocirun_error_propagate (struct ocirun_error **err, struct ocirun_error **from);
/* Release *err and return the error number it held (0 if none).  */
int ocirun_error_release (struct ocirun_error **err);

#define cleanup_error __attribute__ ((cleanup (ocirun_error_free)))

/* Logging, configured once by the CLI.  The library logs warnings/debug; only main
   prints fatal errors (ocirun_log_error).  */
enum ocirun_log_format { OCIRUN_LOG_TEXT = 0, OCIRUN_LOG_JSON = 1 };
enum ocirun_log_level { OCIRUN_LOG_LEVEL_ERROR = 0, OCIRUN_LOG_LEVEL_WARNING = 1,
                        OCIRUN_LOG_LEVEL_INFO = 2, OCIRUN_LOG_LEVEL_DEBUG = 3 };

int ocirun_log_init (const char *path, enum ocirun_log_format format,
                     enum ocirun_log_level level, struct ocirun_error **err);
void ocirun_log_set_program (const char *name);
void ocirun_log (enum ocirun_log_level level, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));
bool ocirun_log_debug_enabled (void);
/* Print an error the way engines expect (stderr and, if set, the log file).  */
void ocirun_log_error (const struct ocirun_error *err);

#define ocirun_warning(...) ocirun_log (OCIRUN_LOG_LEVEL_WARNING, __VA_ARGS__)
#define ocirun_debug(...)                                               \
  do { if (ocirun_log_debug_enabled ()) ocirun_log (OCIRUN_LOG_LEVEL_DEBUG, __VA_ARGS__); } while (0)

#endif
