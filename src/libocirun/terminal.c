/* ocirun: terminals.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <linux/magic.h>
#include "mounts.h"
#include "procfs.h"
#include "terminal.h"
#include "utils.h"

int
ocirun_console_socket_connect (const char *path, struct ocirun_error **err)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  cleanup_close int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return ocirun_error_set (err, errno, "socket");
  if (strlen (path) >= sizeof (addr.sun_path))
    {
      /* long paths: go through /proc/self/fd of the directory */
      cleanup_free char *dir = xstrdup (path);
      char *slash = strrchr (dir, '/');
      cleanup_close int dfd = -1;
      if (slash == NULL)
        return ocirun_error_set (err, ENAMETOOLONG, "--console-socket `%s`", path);
      *slash = '\0';
      dfd = open (*dir ? dir : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
      if (dfd < 0)
        return ocirun_error_set (err, errno, "--console-socket: open `%s`", dir);
      snprintf (addr.sun_path, sizeof (addr.sun_path), "/proc/self/fd/%d/%s", dfd, slash + 1);
      if (connect (fd, (struct sockaddr *) &addr, sizeof (addr)) < 0)
        return ocirun_error_set (err, errno, "--console-socket: connect to `%s`", path);
      return steal_fd (&fd);
    }
  strcpy (addr.sun_path, path);
  if (connect (fd, (struct sockaddr *) &addr, sizeof (addr)) < 0)
    return ocirun_error_set (err, errno, "--console-socket: connect to `%s`", path);
  return steal_fd (&fd);
}

int
ocirun_send_fd (int sock, int fd, struct ocirun_error **err)
{
  static const char data[] = "/dev/ptmx";
  if (send_with_fd (sock, data, sizeof (data), fd) < 0)
    return ocirun_error_set (err, errno, "send the terminal to the console socket");
  return 0;
}

/* The pty master from the container's devpts: /dev/ptmx resolved inside the
   root, checked to be a ptmx of a devpts instance.  */
static int
open_ptmx (int root, struct ocirun_error **err)
{
  struct stat st;
  cleanup_close int master = openat_in_root (root, "/dev/ptmx", O_RDWR | O_NOCTTY, 0, err);
  if (master < 0)
    return ocirun_error_wrap (err, "process.terminal: open /dev/ptmx (is /dev/pts mounted?)");
  if (fstat (master, &st) < 0 || ! S_ISCHR (st.st_mode) || major (st.st_rdev) != 5 || minor (st.st_rdev) != 2
      || ! ocirun_fd_has_fs_magic (master, DEVPTS_SUPER_MAGIC))
    return ocirun_error_set (err, 0, "process.terminal: /dev/ptmx is not the ptmx of a devpts mount");
  return steal_fd (&master);
}

/* The slave: from the master (TIOCGPTPEER, Linux >= 4.13), never by a path
   the container could swap; else /dev/pts/N, checked to be that pty.  */
static int
open_pty_slave (int root, int master, struct ocirun_error **err)
{
  struct stat st;
  int ptyno;
  cleanup_close int slave = ioctl (master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (ioctl (master, TIOCGPTN, &ptyno) < 0)
    return ocirun_error_set (err, errno, "process.terminal: pty number");
  if (slave < 0)
    {
      char path[64];
      snprintf (path, sizeof (path), "/dev/pts/%d", ptyno);
      slave = openat_in_root (root, path, O_RDWR | O_NOCTTY | O_NOFOLLOW, 0, err);
      if (slave < 0)
        return ocirun_error_wrap (err, "process.terminal");
    }
  if (fstat (slave, &st) < 0 || ! S_ISCHR (st.st_mode) || minor (st.st_rdev) != (unsigned int) (ptyno & 0xff)
      || ! ocirun_fd_has_fs_magic (slave, DEVPTS_SUPER_MAGIC))
    return ocirun_error_set (err, 0, "process.terminal: the pty slave is not a devpts terminal");
  return steal_fd (&slave);
}

/* Bind the pty (by its fd) on /dev/console (a regular file we create, opened
   without following symlinks): CVE-2025-52565.  */
static void
bind_console (int root, int slave)
{
  struct ocirun_error *e = NULL;
  cleanup_close int dev = openat_in_root (root, "/dev", O_PATH | O_DIRECTORY, 0, &e);
  cleanup_close int target = -1;
  struct stat st;

  if (dev < 0)
    goto fail;
  if (fstatat (dev, "console", &st, AT_SYMLINK_NOFOLLOW) < 0 || ! S_ISREG (st.st_mode))
    {
      int f;
      if (unlinkat (dev, "console", 0) < 0 && errno != ENOENT)
        {
          ocirun_error_set (&e, errno, "remove /dev/console");
          goto fail;
        }
      f = openat (dev, "console", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (f < 0)
        {
          ocirun_error_set (&e, errno, "create /dev/console");
          goto fail;
        }
      close (f);
    }
  target = openat (dev, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (target < 0 || fstat (target, &st) < 0 || ! S_ISREG (st.st_mode))
    {
      ocirun_error_set (&e, 0, "/dev/console changed while being created");
      goto fail;
    }
  if (ocirun_bind_fd (slave, target, false, false, root, "/dev/console", &e) < 0)
    goto fail;
  return;
fail:
  /* as before: a container without /dev/console still runs */
  ocirun_debug ("bind the pty on /dev/console: %s", e ? e->msg : "?");
  ocirun_error_free (&e);
}

int
ocirun_pty_setup (bool want_console, const struct oci_config_process_console_size *size,
                  struct ocirun_error **err)
{
  cleanup_close int root = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  cleanup_close int master = -1;
  cleanup_close int slave = -1;
  int unlock = 0;

  if (root < 0)
    return ocirun_error_set (err, errno, "open /");
  master = open_ptmx (root, err);
  if (master < 0)
    return -1;
  if (ioctl (master, TIOCSPTLCK, &unlock) < 0)
    return ocirun_error_set (err, errno, "process.terminal: unlock pty");
  slave = open_pty_slave (root, master, err);
  if (slave < 0)
    return -1;
  if (size)
    {
      struct winsize ws = { .ws_row = (unsigned short) size->height,
                            .ws_col = (unsigned short) size->width };
      if (ioctl (master, TIOCSWINSZ, &ws) < 0)
        return ocirun_error_set (err, errno, "process.consoleSize");
    }
  if (want_console)
    bind_console (root, slave);
  if (setsid () < 0)
    return ocirun_error_set (err, errno, "setsid");
  if (ioctl (slave, TIOCSCTTY, 0) < 0)
    return ocirun_error_set (err, errno, "process.terminal: set the controlling terminal");
  for (int i = 0; i < 3; i++)
    if (dup2 (slave, i) < 0)
      return ocirun_error_set (err, errno, "process.terminal: dup2");
  return steal_fd (&master);
}

static struct termios saved_termios;
static bool termios_saved;

static void
restore_termios (void)
{
  if (termios_saved)
    tcsetattr (0, TCSANOW, &saved_termios);
}

int
ocirun_terminal_relay (int master, pid_t pid, int *status, struct ocirun_error **err)
{
  char buf[8192];
  bool in_open = true;
  cleanup_close int pidfd = (int) syscall (SYS_pidfd_open, pid, 0);

  if (isatty (0) && tcgetattr (0, &saved_termios) == 0)
    {
      struct termios raw = saved_termios;
      cfmakeraw (&raw);
      raw.c_oflag |= OPOST;
      termios_saved = true;
      tcsetattr (0, TCSANOW, &raw);
      atexit (restore_termios);
    }
  for (;;)
    {
      struct pollfd p[3] = { { .fd = master, .events = POLLIN },
                             { .fd = in_open ? 0 : -1, .events = POLLIN },
                             { .fd = pidfd, .events = POLLIN } };
      int r = poll (p, 3, -1);
      if (r < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }
      if (p[0].revents & POLLIN)
        {
          ssize_t n = read (master, buf, sizeof (buf));
          if (n > 0)
            write_all (1, buf, (size_t) n);
          else
            break;
        }
      else if (p[0].revents & (POLLHUP | POLLERR))
        break;
      if (p[1].revents & (POLLIN | POLLHUP))
        {
          ssize_t n = read (0, buf, sizeof (buf));
          if (n > 0)
            write_all (master, buf, (size_t) n);
          else
            in_open = false;
        }
      if (p[2].revents & POLLIN)
        {
          /* drain what is left */
          int fl = fcntl (master, F_GETFL);
          fcntl (master, F_SETFL, fl | O_NONBLOCK);
          for (;;)
            {
              ssize_t n = read (master, buf, sizeof (buf));
              if (n <= 0)
                break;
              write_all (1, buf, (size_t) n);
            }
          break;
        }
    }
  restore_termios ();
  termios_saved = false;
  if (wait_for_pid (pid, status) < 0)
    return ocirun_error_set (err, errno, "wait for the container");
  return 0;
}
