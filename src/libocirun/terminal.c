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
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
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

int
ocirun_pty_setup (bool bind_console, const struct oci_config_process_console_size *size,
                  struct ocirun_error **err)
{
  cleanup_close int master = -1;
  cleanup_close int slave = -1;
  int unlock = 0;
  int ptyno;
  char slave_path[64];

  master = open ("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0)
    return ocirun_error_set (err, errno, "process.terminal: open /dev/ptmx (is /dev/pts mounted?)");
  if (ioctl (master, TIOCSPTLCK, &unlock) < 0)
    return ocirun_error_set (err, errno, "process.terminal: unlock pty");
  slave = ioctl (master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (ioctl (master, TIOCGPTN, &ptyno) < 0)
    return ocirun_error_set (err, errno, "process.terminal: pty number");
  snprintf (slave_path, sizeof (slave_path), "/dev/pts/%d", ptyno);
  if (slave < 0)
    {
      slave = open (slave_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
      if (slave < 0)
        return ocirun_error_set (err, errno, "process.terminal: open `%s`", slave_path);
    }
  if (size)
    {
      struct winsize ws = { .ws_row = (unsigned short) size->height,
                            .ws_col = (unsigned short) size->width };
      if (ioctl (master, TIOCSWINSZ, &ws) < 0)
        return ocirun_error_set (err, errno, "process.consoleSize");
    }
  if (bind_console)
    {
      struct stat st;
      int f;
      if (lstat ("/dev/console", &st) < 0 || ! S_ISREG (st.st_mode))
        {
          unlink ("/dev/console");
          f = open ("/dev/console", O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
          if (f >= 0)
            close (f);
        }
      if (mount (slave_path, "/dev/console", NULL, MS_BIND, NULL) < 0)
        ocirun_debug ("bind %s on /dev/console: %s", slave_path, strerror (errno));
    }
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
