/* ocirun: the parent <-> init protocol.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include "sync.h"
#include "utils.h"

int
ocirun_sync_pair (int fds[2], struct ocirun_error **err)
{
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
    return ocirun_error_set (err, errno, "socketpair");
  return 0;
}

int
ocirun_sync_send (int fd, int type, int value, const char *text, int passfd,
                  struct ocirun_error **err)
{
  struct ocirun_sync_msg m = { .type = type, .value = value };
  size_t tlen = 0;

  if (text)
    {
      tlen = strnlen (text, sizeof (m.text) - 1);
      memcpy (m.text, text, tlen);
    }
  if (send_with_fd (fd, &m, offsetof (struct ocirun_sync_msg, text) + tlen + 1, passfd) < 0)
    return ocirun_error_set (err, errno, "send sync message %d", type);
  return 0;
}

void
ocirun_sync_send_error (int fd, const struct ocirun_error *e)
{
  ocirun_sync_send (fd, SYNC_ERROR, e ? e->errnum : 0, e && e->msg ? e->msg : "unknown error", -1,
                    NULL);
}

int
ocirun_sync_recv (int fd, struct ocirun_sync_msg *out, int *passfd, struct ocirun_error **err)
{
  struct iovec iov = { .iov_base = out, .iov_len = sizeof (*out) };
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } cbuf;
  struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf.buf,
                       .msg_controllen = sizeof (cbuf.buf) };
  ssize_t r;

  if (passfd)
    *passfd = -1;
  memset (out, 0, sizeof (*out));
  do
    r = recvmsg (fd, &mh, MSG_CMSG_CLOEXEC);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return ocirun_error_set (err, errno, "receive sync message");
  if (r == 0)
    return ocirun_error_set (err, EPIPE, "the container process exited during setup");
  out->text[sizeof (out->text) - 1] = '\0';
  for (struct cmsghdr *c = CMSG_FIRSTHDR (&mh); c; c = CMSG_NXTHDR (&mh, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
      {
        int got;
        memcpy (&got, CMSG_DATA (c), sizeof (int));
        if (passfd && *passfd < 0)
          *passfd = got;
        else
          close (got);
      }
  if (out->type == SYNC_ERROR)
    {
      if (passfd && *passfd >= 0)
        {
          close (*passfd);
          *passfd = -1;
        }
      if (err && *err == NULL)
        {
          *err = xmalloc0 (sizeof (**err));
          (*err)->errnum = out->value;
          (*err)->msg = xstrdup (out->text);
        }
      return -1;
    }
  return 0;
}

int
ocirun_sync_expect (int fd, int type, int *value, int *passfd, struct ocirun_error **err)
{
  struct ocirun_sync_msg m;
  if (ocirun_sync_recv (fd, &m, passfd, err) < 0)
    return -1;
  if (m.type != type)
    {
      if (passfd && *passfd >= 0)
        {
          close (*passfd);
          *passfd = -1;
        }
      return ocirun_error_set (err, EPROTO, "sync protocol: expected message %d, got %d", type, m.type);
    }
  if (value)
    *value = m.value;
  return 0;
}
