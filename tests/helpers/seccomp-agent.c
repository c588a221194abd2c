/* seccomp-agent: a minimal seccomp user-notification agent for the functional tests.
 *
 *   seccomp-agent SOCKETPATH OUTFILE
 *
 * Listens on SOCKETPATH, accepts ONE connection from the runtime, reads the
 * container process state document and the listener fd (SCM_RIGHTS), writes
 * the document to OUTFILE, then answers every notification: mkdir/mkdirat
 * "succeed" (val 0, error 0) without being done, anything else continues as
 * if unfiltered.  Exits when the container side of the listener goes away
 * (POLLHUP).
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

#ifndef SECCOMP_USER_NOTIF_FLAG_CONTINUE
# define SECCOMP_USER_NOTIF_FLAG_CONTINUE (1UL << 0)
#endif

#define MAX_FDS 8

static void
die (const char *what)
{
  fprintf (stderr, "seccomp-agent: %s: %s\n", what, strerror (errno));
  exit (1);
}

static void
die_msg (const char *msg)
{
  fprintf (stderr, "seccomp-agent: %s\n", msg);
  exit (1);
}

/* Read the whole document (until EOF) and the fds that came with it.  */
static size_t
receive_state (int conn, char **out, int fds[MAX_FDS], size_t *n_fds)
{
  size_t cap = 65536, len = 0;
  char *buf = malloc (cap + 1);

  *n_fds = 0;
  if (buf == NULL)
    die ("malloc");
  for (;;)
    {
      union { char buf[CMSG_SPACE (MAX_FDS * sizeof (int))]; struct cmsghdr align; } control;
      struct iovec iov = { .iov_base = buf + len, .iov_len = cap - len };
      struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                            .msg_control = control.buf, .msg_controllen = sizeof (control.buf) };
      struct cmsghdr *cmsg;
      ssize_t r = recvmsg (conn, &msg, MSG_CMSG_CLOEXEC);

      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        die ("recvmsg");
      for (cmsg = CMSG_FIRSTHDR (&msg); cmsg; cmsg = CMSG_NXTHDR (&msg, cmsg))
        if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS)
          {
            size_t n = (cmsg->cmsg_len - CMSG_LEN (0)) / sizeof (int);
            size_t i;
            for (i = 0; i < n && *n_fds < MAX_FDS; i++)
              memcpy (&fds[(*n_fds)++], CMSG_DATA (cmsg) + i * sizeof (int), sizeof (int));
          }
      if (r == 0)
        break;
      len += (size_t) r;
      if (len == cap)
        {
          cap *= 2;
          buf = realloc (buf, cap + 1);
          if (buf == NULL)
            die ("realloc");
        }
    }
  buf[len] = '\0';
  *out = buf;
  return len;
}

/* The index of "seccompFd" in the document's "fds" array.  */
static int
seccomp_fd_index (const char *json)
{
  static const char *path[] = { "fds", NULL };
  char errbuf[256];
  yajl_val tree = yajl_tree_parse (json, errbuf, sizeof (errbuf));
  yajl_val fds;
  int found = -1;
  size_t i;

  if (tree == NULL)
    {
      fprintf (stderr, "seccomp-agent: invalid state document: %s\n", errbuf);
      exit (1);
    }
  fds = yajl_tree_get (tree, path, yajl_t_array);
  for (i = 0; fds && i < YAJL_GET_ARRAY (fds)->len; i++)
    {
      yajl_val v = YAJL_GET_ARRAY (fds)->values[i];
      if (YAJL_IS_STRING (v) && strcmp (v->u.string, "seccompFd") == 0)
        {
          found = (int) i;
          break;
        }
    }
  yajl_tree_free (tree);
  return found;
}

static void
write_file (const char *path, const char *data, size_t len)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  size_t off = 0;

  if (fd < 0)
    die (path);
  while (off < len)
    {
      ssize_t w = write (fd, data + off, len - off);
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        die (path);
      off += (size_t) w;
    }
  if (close (fd) < 0)
    die (path);
}

static bool
is_mkdir (int nr)
{
#ifdef __NR_mkdir
  if (nr == __NR_mkdir)
    return true;
#endif
  return nr == __NR_mkdirat;
}

static void
serve (int notify_fd)
{
  struct seccomp_notif_sizes sizes;
  struct seccomp_notif *req;
  struct seccomp_notif_resp *resp;

  /* The kernel's structures may be larger than this build's headers.  */
  if (syscall (__NR_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
    die ("seccomp SECCOMP_GET_NOTIF_SIZES");
  req = calloc (1, sizes.seccomp_notif > sizeof (*req) ? sizes.seccomp_notif : sizeof (*req));
  resp = calloc (1, sizes.seccomp_notif_resp > sizeof (*resp) ? sizes.seccomp_notif_resp : sizeof (*resp));
  if (req == NULL || resp == NULL)
    die ("calloc");

  for (;;)
    {
      struct pollfd pfd = { .fd = notify_fd, .events = POLLIN };
      int r = poll (&pfd, 1, -1);

      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        die ("poll");
      if (pfd.revents & POLLIN)
        {
          memset (req, 0, sizes.seccomp_notif);
          if (ioctl (notify_fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0)
            {
              if (errno == EINTR || errno == ENOENT)
                continue;
              die ("SECCOMP_IOCTL_NOTIF_RECV");
            }
          memset (resp, 0, sizes.seccomp_notif_resp);
          resp->id = req->id;
          if (is_mkdir (req->data.nr))
            {
              resp->val = 0;
              resp->error = 0;
            }
          else
            resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
          /* ENOENT: the caller died or was interrupted meanwhile.  */
          if (ioctl (notify_fd, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno != ENOENT)
            die ("SECCOMP_IOCTL_NOTIF_SEND");
          continue;
        }
      if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
        break;
    }
  free (req);
  free (resp);
}

int
main (int argc, char **argv)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fds[MAX_FDS];
  size_t n_fds = 0, len, i;
  char *json = NULL;
  int listener, conn, idx;

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s SOCKETPATH OUTFILE\n", argv[0]);
      return 2;
    }
  if (strlen (argv[1]) >= sizeof (addr.sun_path))
    die_msg ("socket path too long");
  strcpy (addr.sun_path, argv[1]);
  unlink (argv[1]);
  listener = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0)
    die ("socket");
  if (bind (listener, (struct sockaddr *) &addr, sizeof (addr)) < 0)
    die (argv[1]);
  if (listen (listener, 1) < 0)
    die ("listen");

  do
    conn = accept4 (listener, NULL, NULL, SOCK_CLOEXEC);
  while (conn < 0 && errno == EINTR);
  if (conn < 0)
    die ("accept");
  close (listener);
  unlink (argv[1]);

  len = receive_state (conn, &json, fds, &n_fds);
  close (conn);
  write_file (argv[2], json, len);

  idx = seccomp_fd_index (json);
  free (json);
  if (idx < 0 || (size_t) idx >= n_fds)
    die_msg ("no seccompFd received");
  for (i = 0; i < n_fds; i++)
    if ((int) i != idx)
      close (fds[i]);

  serve (fds[idx]);
  close (fds[idx]);
  return 0;
}
