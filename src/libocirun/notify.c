/* ocirun: NOTIFY_SOCKET proxy.  See notify.h for the design.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include "notify.h"
#include "utils.h"

#define NOTIFY_HOST_FILE "notify-host"
#define NOTIFY_DIR "notify"
#define NOTIFY_SOCK "notify.sock"

static void
strv_push (char ***v, size_t *n, char *s)
{
  *v = xrealloc (*v, (*n + 2) * sizeof (char *));
  (*v)[(*n)++] = s;
  (*v)[*n] = NULL;
}

int
ocirun_notify_prepare (struct oci_config *config, int state_dirfd, const char *state_dir,
                       struct ocirun_error **err)
{
  const char *host = getenv ("NOTIFY_SOCKET");
  struct oci_mount *mnt;
  struct oci_config_process *p = config->process;

  if (host == NULL || *host == '\0')
    return 0;
  if (write_file_at (state_dirfd, NOTIFY_HOST_FILE, host, strlen (host), err) < 0)
    return ocirun_error_wrap (err, "NOTIFY_SOCKET");
  if (mkdirat (state_dirfd, NOTIFY_DIR, 0755) < 0 && errno != EEXIST)
    return ocirun_error_set (err, errno, "NOTIFY_SOCKET: create %s/%s", state_dir, NOTIFY_DIR);

  mnt = xmalloc0 (sizeof (*mnt));
  mnt->destination = xstrdup (OCIRUN_NOTIFY_DIR_IN_CONTAINER);
  mnt->type = xstrdup ("bind");
  mnt->source = xasprintf ("%s/%s", state_dir, NOTIFY_DIR);
  mnt->options = xmalloc0 (4 * sizeof (char *));
  mnt->options[0] = xstrdup ("bind");
  mnt->options[1] = xstrdup ("nosuid");
  mnt->options[2] = xstrdup ("nodev");
  mnt->options_len = 3;
  config->mounts = xrealloc (config->mounts, (config->mounts_len + 2) * sizeof (*config->mounts));
  config->mounts[config->mounts_len++] = mnt;
  config->mounts[config->mounts_len] = NULL;

  /* replace a NOTIFY_SOCKET the config may carry */
  for (size_t i = 0; i < p->env_len; i++)
    if (str_has_prefix (p->env[i], "NOTIFY_SOCKET="))
      {
        free (p->env[i]);
        memmove (&p->env[i], &p->env[i + 1], (p->env_len - i) * sizeof (char *));
        p->env_len--;
        i--;
      }
  strv_push (&p->env, &p->env_len, xstrdup ("NOTIFY_SOCKET=" OCIRUN_NOTIFY_SOCKET_IN_CONTAINER));
  return 0;
}

int
ocirun_notify_listen (int state_dirfd, int *sock, struct ocirun_error **err)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  cleanup_close int fd = -1;
  cleanup_close int dfd = -1;
  struct stat st;

  *sock = -1;
  if (fstatat (state_dirfd, NOTIFY_HOST_FILE, &st, 0) < 0)
    return 0;
  dfd = openat (state_dirfd, NOTIFY_DIR, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return ocirun_error_set (err, errno, "NOTIFY_SOCKET: open the notify directory");
  fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return ocirun_error_set (err, errno, "NOTIFY_SOCKET: socket");
  snprintf (addr.sun_path, sizeof (addr.sun_path), "/proc/self/fd/%d/%s", dfd, NOTIFY_SOCK);
  unlinkat (dfd, NOTIFY_SOCK, 0);
  if (bind (fd, (struct sockaddr *) &addr, sizeof (addr)) < 0)
    return ocirun_error_set (err, errno, "NOTIFY_SOCKET: bind the container's socket");
  /* any user of the container may notify */
  if (fchmodat (dfd, NOTIFY_SOCK, 0777, 0) < 0)
    return ocirun_error_set (err, errno, "NOTIFY_SOCKET: chmod the container's socket");
  *sock = steal_fd (&fd);
  return 0;
}

static int
connect_host (const char *host, struct ocirun_error **err)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  socklen_t len;
  cleanup_close int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  size_t l = strlen (host);

  if (fd < 0)
    return ocirun_error_set (err, errno, "NOTIFY_SOCKET: socket");
  if (l >= sizeof (addr.sun_path))
    return ocirun_error_set (err, ENAMETOOLONG, "NOTIFY_SOCKET `%s`", host);
  memcpy (addr.sun_path, host, l);
  if (host[0] == '@')
    addr.sun_path[0] = '\0'; /* abstract */
  len = (socklen_t) (offsetof (struct sockaddr_un, sun_path) + l + (host[0] == '@' ? 0 : 1));
  if (connect (fd, (struct sockaddr *) &addr, len) < 0)
    return ocirun_error_set (err, errno, "NOTIFY_SOCKET: connect to `%s`", host);
  return steal_fd (&fd);
}

static bool
has_ready (const char *msg, size_t len)
{
  const char *p = msg, *end = msg + len;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', (size_t) (end - p));
      size_t l = nl ? (size_t) (nl - p) : (size_t) (end - p);
      if (l == 7 && memcmp (p, "READY=1", 7) == 0)
        return true;
      p += l + 1;
    }
  return false;
}

int
ocirun_notify_relay (int state_dirfd, int sock, pid_t pid, struct ocirun_error **err)
{
  cleanup_free char *host = NULL;
  cleanup_close int hostfd = -1;
  cleanup_close int pidfd = -1;
  char buf[4096];

  if (sock < 0)
    return 0;
  if (read_all_file_at (state_dirfd, NOTIFY_HOST_FILE, &host, NULL, err) < 0)
    return ocirun_error_wrap (err, "NOTIFY_SOCKET");
  {
    /* the container is running whatever happens here: only warn */
    struct ocirun_error *e = NULL;
    hostfd = connect_host (host, &e);
    if (hostfd < 0)
      {
        ocirun_warning ("%s", e->msg);
        ocirun_error_free (&e);
        return 0;
      }
  }
  pidfd = (int) syscall (SYS_pidfd_open, pid, 0);
  if (pidfd < 0 && errno == ESRCH)
    return 0; /* the container already exited */
  for (;;)
    {
      struct pollfd p[2] = { { .fd = sock, .events = POLLIN }, { .fd = pidfd, .events = POLLIN } };
      ssize_t n;
      int r = poll (p, pidfd >= 0 ? 2 : 1, -1);
      if (r < 0)
        {
          if (errno == EINTR)
            continue;
          return ocirun_error_set (err, errno, "NOTIFY_SOCKET: poll");
        }
      if (p[0].revents & POLLIN)
        {
          n = recv (sock, buf, sizeof (buf) - 1, 0);
          if (n < 0)
            {
              if (errno == EINTR || errno == EAGAIN)
                continue;
              return ocirun_error_set (err, errno, "NOTIFY_SOCKET: receive");
            }
          if (send (hostfd, buf, (size_t) n, MSG_NOSIGNAL) < 0)
            {
              ocirun_warning ("NOTIFY_SOCKET: forward to `%s`: %s", host, strerror (errno));
              return 0;
            }
          if (has_ready (buf, (size_t) n))
            return 0;
          continue;
        }
      if (pidfd >= 0 && (p[1].revents & POLLIN))
        return 0; /* the container exited without READY=1 */
    }
}
