/* ocirun: errors and logging.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>
#include "error.h"
#include "utils.h"

static int log_fd = -1;
static enum ocirun_log_format log_format = OCIRUN_LOG_TEXT;
static enum ocirun_log_level log_level = OCIRUN_LOG_LEVEL_WARNING;
static const char *program_name = "ocirun";

static char *
vformat (const char *fmt, va_list ap)
{
  char *s = NULL;
  if (vasprintf (&s, fmt, ap) < 0)
    abort ();
  return s;
}

void
ocirun_error_propagate (struct ocirun_error **err, struct ocirun_error **from)
{
  if (*from == NULL)
    return;
  if (err != NULL && *err == NULL)
    {
      *err = *from;
      *from = NULL;
      return;
    }
  ocirun_debug ("dropped error: %s", (*from)->msg);
  ocirun_error_free (from);
}

int
ocirun_error_set (struct ocirun_error **err, int errnum, const char *fmt, ...)
{
  va_list ap;
  char *msg;

  if (err == NULL || *err != NULL)
    return -1;
  va_start (ap, fmt);
  msg = vformat (fmt, ap);
  va_end (ap);
  *err = xmalloc0 (sizeof (**err));
  (*err)->errnum = errnum;
  if (errnum)
    {
      (*err)->msg = xasprintf ("%s: %s", msg, strerror (errnum));
      free (msg);
    }
  else
    (*err)->msg = msg;
  return -1;
}

int
ocirun_error_wrap (struct ocirun_error **err, const char *fmt, ...)
{
  va_list ap;
  char *ctx, *msg;

  if (err == NULL || *err == NULL)
    return -1;
  va_start (ap, fmt);
  ctx = vformat (fmt, ap);
  va_end (ap);
  msg = xasprintf ("%s: %s", ctx, (*err)->msg);
  free (ctx);
  free ((*err)->msg);
  (*err)->msg = msg;
  return -1;
}

void
ocirun_error_free (struct ocirun_error **err)
{
  if (err == NULL || *err == NULL)
    return;
  free ((*err)->msg);
  free (*err);
  *err = NULL;
}

int
ocirun_error_release (struct ocirun_error **err)
{
  int r = 0;
  if (err && *err)
    r = (*err)->errnum;
  ocirun_error_free (err);
  return r;
}

void
ocirun_log_set_program (const char *name)
{
  program_name = name;
}

int
ocirun_log_init (const char *path, enum ocirun_log_format format, enum ocirun_log_level level,
                 struct ocirun_error **err)
{
  log_format = format;
  log_level = level;
  if (path && *path)
    {
      int fd = open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
      if (fd < 0)
        return ocirun_error_set (err, errno, "open log file `%s`", path);
      if (log_fd >= 0)
        close (log_fd);
      log_fd = fd;
    }
  return 0;
}

bool
ocirun_log_debug_enabled (void)
{
  return log_level >= OCIRUN_LOG_LEVEL_DEBUG;
}

static const char *
level_name (enum ocirun_log_level l)
{
  switch (l)
    {
    case OCIRUN_LOG_LEVEL_ERROR: return "error";
    case OCIRUN_LOG_LEVEL_WARNING: return "warning";
    case OCIRUN_LOG_LEVEL_INFO: return "info";
    default: return "debug";
    }
}

static void
write_json_line (int fd, enum ocirun_log_level level, const char *msg)
{
  char tbuf[64];
  struct timespec ts;
  struct tm tm;
  const unsigned char *buf;
  size_t len;
  yajl_gen g = yajl_gen_alloc (NULL);

  if (g == NULL)
    return;
  clock_gettime (CLOCK_REALTIME, &ts);
  gmtime_r (&ts.tv_sec, &tm);
  len = strftime (tbuf, sizeof (tbuf) - 16, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf (tbuf + len, sizeof (tbuf) - len, ".%09ldZ", ts.tv_nsec);
  yajl_gen_map_open (g);
  yajl_gen_string (g, (const unsigned char *) "level", 5);
  yajl_gen_string (g, (const unsigned char *) level_name (level), strlen (level_name (level)));
  yajl_gen_string (g, (const unsigned char *) "msg", 3);
  yajl_gen_string (g, (const unsigned char *) msg, strlen (msg));
  yajl_gen_string (g, (const unsigned char *) "time", 4);
  yajl_gen_string (g, (const unsigned char *) tbuf, strlen (tbuf));
  yajl_gen_map_close (g);
  if (yajl_gen_get_buf (g, &buf, &len) == yajl_gen_status_ok)
    {
      char *line = xmalloc0 (len + 2);
      memcpy (line, buf, len);
      line[len] = '\n';
      write_all (fd, line, len + 1);
      free (line);
    }
  yajl_gen_free (g);
}

static void
emit (enum ocirun_log_level level, const char *msg)
{
  int saved = errno;
  /* Engines (conmon/podman 4.3) read the JSON log as one object: in JSON mode
     only errors go there unless --debug; everything else goes to stderr.  */
  bool to_file = log_fd >= 0
                 && (log_format == OCIRUN_LOG_TEXT || level == OCIRUN_LOG_LEVEL_ERROR
                     || log_level >= OCIRUN_LOG_LEVEL_DEBUG);
  if (to_file)
    {
      if (log_format == OCIRUN_LOG_JSON)
        write_json_line (log_fd, level, msg);
      else
        {
          char *line = xasprintf ("%s: %s\n", level_name (level), msg);
          write_all (log_fd, line, strlen (line));
          free (line);
        }
    }
  /* An engine logging in JSON gives the runtime the container's stdio:
     a warning there would land in the container's output.  */
  if (! to_file && log_fd >= 0 && log_format == OCIRUN_LOG_JSON)
    {
      errno = saved;
      return;
    }
  if (! to_file || level == OCIRUN_LOG_LEVEL_ERROR)
    {
      char *line = level == OCIRUN_LOG_LEVEL_ERROR
                       ? xasprintf ("%s: %s\n", program_name, msg)
                       : xasprintf ("%s: %s: %s\n", program_name, level_name (level), msg);
      write_all (STDERR_FILENO, line, strlen (line));
      free (line);
    }
  errno = saved;
}

void
ocirun_log (enum ocirun_log_level level, const char *fmt, ...)
{
  va_list ap;
  char *msg;

  if (level > log_level)
    return;
  va_start (ap, fmt);
  msg = vformat (fmt, ap);
  va_end (ap);
  emit (level, msg);
  free (msg);
}

void
ocirun_log_error (const struct ocirun_error *err)
{
  emit (OCIRUN_LOG_LEVEL_ERROR, err && err->msg ? err->msg : "unknown error");
}
