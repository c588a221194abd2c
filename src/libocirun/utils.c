/* ocirun: small helpers shared by every file.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "utils.h"

void
cleanup_freep (void *p)
{
  free (*(void **) p);
}

void
cleanup_closep (int *fd)
{
  if (*fd >= 0)
    {
      int saved = errno;
      close (*fd);
      errno = saved;
    }
}

void
cleanup_fclosep (FILE **f)
{
  if (*f)
    fclose (*f);
}

void
cleanup_closedirp (DIR **d)
{
  if (*d)
    closedir (*d);
}

void
cleanup_strvp (char ***v)
{
  strv_free (*v);
}

void
cleanup_pidp (pid_t *pid)
{
  if (*pid > 0)
    {
      int saved = errno;
      kill (*pid, SIGKILL);
      while (waitpid (*pid, NULL, 0) < 0 && errno == EINTR)
        ;
      errno = saved;
    }
}

void *
xmalloc0 (size_t size)
{
  void *p = calloc (1, size ? size : 1);
  if (p == NULL)
    abort ();
  return p;
}

void *
xrealloc (void *p, size_t size)
{
  p = realloc (p, size ? size : 1);
  if (p == NULL)
    abort ();
  return p;
}

char *
xstrdup (const char *s)
{
  char *r;
  if (s == NULL)
    return NULL;
  r = strdup (s);
  if (r == NULL)
    abort ();
  return r;
}

char *
xasprintf (const char *fmt, ...)
{
  va_list ap;
  char *s;
  va_start (ap, fmt);
  if (vasprintf (&s, fmt, ap) < 0)
    abort ();
  va_end (ap);
  return s;
}

void
strv_free (char **v)
{
  if (v == NULL)
    return;
  for (char **i = v; *i; i++)
    free (*i);
  free (v);
}

size_t
strv_len (char *const *v)
{
  size_t n = 0;
  while (v && v[n])
    n++;
  return n;
}

int
write_all (int fd, const void *buf, size_t len)
{
  const char *p = buf;
  while (len > 0)
    {
      ssize_t w = write (fd, p, len);
      if (w < 0)
        {
          if (errno == EINTR)
            continue;
          return -1;
        }
      p += w;
      len -= (size_t) w;
    }
  return 0;
}

static int
read_fd_limited (int fd, const char *what, size_t max, char **out, size_t *len, struct ocirun_error **err);

int
read_all_fd (int fd, const char *what, char **out, size_t *len, struct ocirun_error **err)
{
  return read_fd_limited (fd, what, SIZE_MAX, out, len, err);
}

int
json_check (const char *buf, size_t len, const char *what, struct ocirun_error **err)
{
  int depth = 0;
  bool in_str = false;
  if (memchr (buf, '\0', len))
    return ocirun_error_set (err, 0, "%s: contains a NUL byte (not JSON text)", what);
  for (size_t i = 0; i < len; i++)
    {
      char c = buf[i];
      if (in_str)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_str = false;
          continue;
        }
      if (c == '"')
        in_str = true;
      else if ((c == '[' || c == '{') && ++depth > OCIRUN_JSON_MAX_DEPTH)
        return ocirun_error_set (err, 0, "%s: nested deeper than %d levels", what, OCIRUN_JSON_MAX_DEPTH);
      else if (c == ']' || c == '}')
        depth--;
    }
  return 0;
}

int
read_json_fd (int fd, const char *what, char **out, size_t *len, struct ocirun_error **err)
{
  cleanup_free char *buf = NULL;
  size_t n = 0;
  if (read_fd_limited (fd, what, OCIRUN_JSON_MAX, &buf, &n, err) < 0 || json_check (buf, n, what, err) < 0)
    return -1;
  if (len)
    *len = n;
  *out = steal_pointer (&buf);
  return 0;
}

int
read_json_file (const char *path, char **out, size_t *len, struct ocirun_error **err)
{
  struct stat st;
  /* O_NONBLOCK: opening a FIFO must not wait for a writer */
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    return ocirun_error_set (err, errno, "open `%s`", path);
  if (fstat (fd, &st) < 0)
    return ocirun_error_set (err, errno, "stat `%s`", path);
  if (! S_ISREG (st.st_mode))
    return ocirun_error_set (err, 0, "`%s` is not a regular file", path);
  if (st.st_size > OCIRUN_JSON_MAX)
    return ocirun_error_set (err, 0, "`%s` is larger than %d MiB", path, OCIRUN_JSON_MAX >> 20);
  return read_json_fd (fd, path, out, len, err);
}

static int
read_fd_limited (int fd, const char *what, size_t max, char **out, size_t *len, struct ocirun_error **err)
{
  size_t cap = 4096, n = 0;
  cleanup_free char *buf = xmalloc0 (cap + 1);

  for (;;)
    {
      ssize_t r = read (fd, buf + n, cap - n);
      if (r < 0)
        {
          if (errno == EINTR)
            continue;
          return ocirun_error_set (err, errno, "read `%s`", what);
        }
      if (r == 0)
        break;
      n += (size_t) r;
      if (n > max)
        return ocirun_error_set (err, EFBIG, "read `%s`: larger than %zu MiB", what, max >> 20);
      if (n == cap)
        {
          cap *= 2;
          buf = xrealloc (buf, cap + 1);
        }
    }
  buf[n] = '\0';
  if (len)
    *len = n;
  *out = steal_pointer (&buf);
  return 0;
}

int
read_all_file_at (int dirfd, const char *path, char **out, size_t *len, struct ocirun_error **err)
{
  cleanup_close int fd = openat (dirfd, path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return ocirun_error_set (err, errno, "open `%s`", path);
  return read_all_fd (fd, path, out, len, err);
}

int
read_all_file (const char *path, char **out, size_t *len, struct ocirun_error **err)
{
  return read_all_file_at (AT_FDCWD, path, out, len, err);
}

int
write_file_at (int dirfd, const char *path, const char *data, size_t len, struct ocirun_error **err)
{
  cleanup_close int fd = openat (dirfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return ocirun_error_set (err, errno, "open `%s` for writing", path);
  if (write_all (fd, data, len) < 0)
    return ocirun_error_set (err, errno, "write `%s`", path);
  return 0;
}

int
write_file (const char *path, const char *data, size_t len, struct ocirun_error **err)
{
  return write_file_at (AT_FDCWD, path, data, len, err);
}

int
write_file_atomic_at (int dirfd, const char *name, const char *data, size_t len,
                      struct ocirun_error **err)
{
  cleanup_free char *tmp = xasprintf (".%s.tmp", name);
  cleanup_close int fd = openat (dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return ocirun_error_set (err, errno, "create `%s`", tmp);
  /* rename makes it atomic; state lives in a runtime directory, so no fsync */
  if (write_all (fd, data, len) < 0)
    {
      ocirun_error_set (err, errno, "write `%s`", tmp);
      unlinkat (dirfd, tmp, 0);
      return -1;
    }
  if (renameat (dirfd, tmp, dirfd, name) < 0)
    {
      ocirun_error_set (err, errno, "rename `%s` to `%s`", tmp, name);
      unlinkat (dirfd, tmp, 0);
      return -1;
    }
  return 0;
}

int
mkdir_p_at (int dirfd, const char *path, mode_t mode, struct ocirun_error **err)
{
  cleanup_free char *p = xstrdup (path);
  char *it = p;

  while (*it == '/')
    it++;
  for (;;)
    {
      char *slash = strchr (it, '/');
      if (slash)
        *slash = '\0';
      if (*p && mkdirat (dirfd, p, mode) < 0 && errno != EEXIST)
        return ocirun_error_set (err, errno, "mkdir `%s`", p);
      if (slash == NULL)
        break;
      *slash = '/';
      it = slash + 1;
    }
  return 0;
}

int
mkdir_p (const char *path, mode_t mode, struct ocirun_error **err)
{
  return mkdir_p_at (AT_FDCWD, path, mode, err);
}

int
rm_rf_at (int parentfd, const char *name)
{
  int fd;
  DIR *d;
  struct dirent *de;

  if (unlinkat (parentfd, name, 0) == 0 || errno == ENOENT)
    return 0;
  fd = openat (parentfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return -1;
  d = fdopendir (fd);
  if (d == NULL)
    {
      close (fd);
      return -1;
    }
  while ((de = readdir (d)))
    {
      if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      rm_rf_at (dirfd (d), de->d_name);
    }
  closedir (d);
  return unlinkat (parentfd, name, AT_REMOVEDIR);
}

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC 4
#endif

static void
close_range_or_loop (unsigned int lo, unsigned int hi, unsigned int flags)
{
  unsigned int top;
  if (lo > hi)
    return;
  if (syscall (SYS_close_range, lo, hi, flags) == 0)
    return;
  /* Linux < 5.9 */
  top = (unsigned int) sysconf (_SC_OPEN_MAX);
  if (top > 65536)
    top = 65536;
  for (unsigned int fd = lo; fd <= hi && fd < top; fd++)
    if (flags & CLOSE_RANGE_CLOEXEC)
      fcntl ((int) fd, F_SETFD, FD_CLOEXEC);
    else
      close ((int) fd);
}

void
close_fds_from (int from, const int *keep, size_t n_keep)
{
  unsigned int lo = (unsigned int) from;
  /* the kept fds in increasing order */
  for (;;)
    {
      int next = -1;
      for (size_t i = 0; i < n_keep; i++)
        if (keep[i] >= (int) lo && (next < 0 || keep[i] < next))
          next = keep[i];
      if (next < 0)
        break;
      if ((unsigned int) next > lo)
        close_range_or_loop (lo, (unsigned int) next - 1, 0);
      lo = (unsigned int) next + 1;
    }
  close_range_or_loop (lo, ~0U, 0);
}

void
cloexec_fds_from (int from)
{
  close_range_or_loop ((unsigned int) from, ~0U, CLOSE_RANGE_CLOEXEC);
}

int
chdir_in_root (const char *path, struct ocirun_error **err)
{
  cleanup_close int root = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  cleanup_close int dir = -1;
  char buf[PATH_MAX];
  long n;

  if (root < 0)
    return ocirun_error_set (err, errno, "open /");
  dir = openat_in_root (root, path, O_PATH | O_DIRECTORY, 0, err);
  if (dir < 0)
    return -1;
  if (fchdir (dir) < 0)
    return ocirun_error_set (err, errno, "chdir `%s`", path);
  /* the kernel says "(unreachable)" for a directory outside the root */
  n = syscall (SYS_getcwd, buf, sizeof (buf));
  if (n < 0 || buf[0] != '/')
    return ocirun_error_set (err, EPERM, "`%s` is outside the container's root", path);
  return 0;
}

const char *
proc_fd_path (int fd, char buf[static 64])
{
  snprintf (buf, 64, "/proc/self/fd/%d", fd);
  return buf;
}

static int openat2_works = -1;

#ifdef OCIRUN_TESTING
void
ocirun_utils_force_walk (bool on)
{
  openat2_works = on ? 0 : -1;
}
#endif

/* Component-by-component walk (for kernels without openat2): never follow a
   symlink out of ROOTFD.  RESOLVED tracks where we are, relative to the root, so
   ".." and relative symlinks are resolved lexically and clamped at the root.  */
static int
walk_in_root (int rootfd, const char *path, int flags, mode_t mode, int depth,
              struct ocirun_error **err)
{
  cleanup_free char *copy = xstrdup (path);
  cleanup_free char *resolved = xstrdup ("");
  cleanup_close int cur = openat (rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  char *save = NULL, *comp, *next;

  if (cur < 0)
    return ocirun_error_set (err, errno, "open root");
  if (depth > 40)
    return ocirun_error_set (err, ELOOP, "resolve `%s`", path);
  comp = strtok_r (copy, "/", &save);
  while (comp)
    {
      struct stat st;
      int fd;
      next = strtok_r (NULL, "/", &save);
      if (strcmp (comp, ".") == 0)
        {
          comp = next;
          continue;
        }
      if (strcmp (comp, "..") == 0)
        {
          char *last = strrchr (resolved, '/');
          if (last)
            *last = '\0';
          else
            resolved[0] = '\0';
          fd = *resolved ? openat (rootfd, resolved, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                         : openat (rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
          if (fd < 0)
            return ocirun_error_set (err, errno, "open `%s`", path);
          close (cur);
          cur = fd;
          comp = next;
          continue;
        }
      if (fstatat (cur, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK (st.st_mode)
          && (next != NULL || ! (flags & O_NOFOLLOW)))
        {
          char target[PATH_MAX];
          ssize_t n = readlinkat (cur, comp, target, sizeof (target) - 1);
          cleanup_free char *rest = NULL;
          if (n < 0)
            return ocirun_error_set (err, errno, "readlink `%s`", comp);
          target[n] = '\0';
          /* the remaining components are still in COPY after NEXT */
          cleanup_free char *tail = NULL;
          if (next)
            {
              size_t off = (size_t) (next - copy);
              /* strtok_r has cut NEXT; rebuild "next/remaining" from PATH */
              tail = xstrdup (path + off);
            }
          if (target[0] == '/')
            rest = xasprintf ("%s/%s", target, tail ? tail : "");
          else
            rest = xasprintf ("%s/%s/%s", resolved, target, tail ? tail : "");
          return walk_in_root (rootfd, rest, flags, mode, depth + 1, err);
        }
      if (next == NULL)
        {
          fd = openat (cur, comp, flags | O_NOFOLLOW | O_CLOEXEC, mode);
          if (fd < 0)
            return ocirun_error_set (err, errno, "open `%s`", path);
          return fd;
        }
      fd = openat (cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0)
        return ocirun_error_set (err, errno, "open `%s`", path);
      close (cur);
      cur = fd;
      {
        char *r = xasprintf ("%s%s%s", resolved, *resolved ? "/" : "", comp);
        free (resolved);
        resolved = r;
      }
      comp = next;
    }
  /* path was "/" or empty: the root itself */
  return openat (cur, ".", (flags & ~(O_CREAT | O_EXCL | O_NOFOLLOW)) | O_CLOEXEC);
}

int
openat_in_root (int rootfd, const char *path, int flags, mode_t mode, struct ocirun_error **err)
{
  if (openat2_works != 0)
    {
      struct open_how how = { .flags = (uint64_t) (flags | O_CLOEXEC),
                              .mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
                              .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
      int fd = (int) syscall (SYS_openat2, rootfd, path, &how, sizeof (how));
      if (fd >= 0)
        {
          openat2_works = 1;
          return fd;
        }
      if (errno != ENOSYS && errno != EPERM)
        {
          if (errno == EAGAIN || errno == EXDEV)
            return walk_in_root (rootfd, path, flags, mode, 0, err);
          return ocirun_error_set (err, errno, "open `%s`", path);
        }
      openat2_works = 0;
    }
  return walk_in_root (rootfd, path, flags, mode, 0, err);
}

/* Split PATH into a malloc'd parent and a pointer to the last component.  */
static char *
split_parent (const char *path, const char **name)
{
  char *copy = xstrdup (path);
  size_t l = strlen (copy);
  char *slash;
  while (l > 1 && copy[l - 1] == '/')
    copy[--l] = '\0';
  slash = strrchr (copy, '/');
  if (slash == NULL)
    {
      free (copy);
      *name = path;
      return xstrdup ("/");
    }
  *slash = '\0';
  *name = path + (slash - copy) + 1;
  if (*copy == '\0')
    {
      free (copy);
      copy = xstrdup ("/");
    }
  return copy;
}

static int
ensure_in_root (int rootfd, const char *path, mode_t mode, bool is_file, int depth,
                struct ocirun_error **err)
{
  cleanup_free char *trimmed = NULL;
  cleanup_free char *parent = NULL;
  cleanup_close int pfd = -1;
  const char *name;
  struct stat st;
  int fd;

  if (depth > 40)
    return ocirun_error_set (err, ELOOP, "create `%s`", path);
  fd = openat_in_root (rootfd, path, O_PATH | (is_file ? 0 : O_DIRECTORY), 0, NULL);
  if (fd >= 0)
    return fd;
  {
    /* drop trailing slashes before splitting */
    size_t l;
    trimmed = xstrdup (path);
    l = strlen (trimmed);
    while (l > 1 && trimmed[l - 1] == '/')
      trimmed[--l] = '\0';
  }
  if (strcmp (trimmed, "/") == 0 || *trimmed == '\0')
    return openat_in_root (rootfd, "/", O_PATH | O_DIRECTORY, 0, err);
  parent = split_parent (trimmed, &name);
  if (strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    return openat_in_root (rootfd, trimmed, O_PATH | O_DIRECTORY, 0, err);
  pfd = ensure_in_root (rootfd, parent, mode, false, depth + 1, err);
  if (pfd < 0)
    return -1;
  if (fstatat (pfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK (st.st_mode))
    {
      /* a dangling link: create what it points to, inside the root */
      char target[PATH_MAX];
      cleanup_free char *next = NULL;
      ssize_t n = readlinkat (pfd, name, target, sizeof (target) - 1);
      if (n < 0)
        return ocirun_error_set (err, errno, "readlink `%s`", trimmed);
      target[n] = '\0';
      next = target[0] == '/' ? xstrdup (target) : xasprintf ("%s/%s", parent, target);
      return ensure_in_root (rootfd, next, mode, is_file, depth + 1, err);
    }
  if (is_file)
    {
      fd = openat (pfd, name, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
      if (fd < 0 && errno != EEXIST)
        return ocirun_error_set (err, errno, "create `%s`", trimmed);
      if (fd >= 0)
        close (fd);
    }
  else if (mkdirat (pfd, name, mode) < 0 && errno != EEXIST)
    return ocirun_error_set (err, errno, "mkdir `%s`", trimmed);
  fd = openat (pfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC | (is_file ? 0 : O_DIRECTORY));
  if (fd < 0)
    return ocirun_error_set (err, errno, "open `%s`", trimmed);
  return fd;
}

int
mkdirat_in_root (int rootfd, const char *path, mode_t mode, bool is_file, struct ocirun_error **err)
{
  return ensure_in_root (rootfd, path, mode, is_file, 0, err);
}

int
send_with_fd (int sock, const void *data, size_t len, int fd)
{
  struct iovec iov = { .iov_base = (void *) data, .iov_len = len };
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } cbuf;
  struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
  ssize_t r;

  if (fd >= 0)
    {
      struct cmsghdr *c;
      memset (&cbuf, 0, sizeof (cbuf));
      mh.msg_control = cbuf.buf;
      mh.msg_controllen = sizeof (cbuf.buf);
      c = CMSG_FIRSTHDR (&mh);
      c->cmsg_level = SOL_SOCKET;
      c->cmsg_type = SCM_RIGHTS;
      c->cmsg_len = CMSG_LEN (sizeof (int));
      memcpy (CMSG_DATA (c), &fd, sizeof (int));
    }
  do
    r = sendmsg (sock, &mh, MSG_NOSIGNAL);
  while (r < 0 && errno == EINTR);
  return r < 0 ? -1 : 0;
}

bool
str_has_prefix (const char *s, const char *prefix)
{
  return strncmp (s, prefix, strlen (prefix)) == 0;
}

static const struct
{
  const char *name;
  int sig;
} signals[] = {
  { "HUP", SIGHUP },     { "INT", SIGINT },       { "QUIT", SIGQUIT },   { "ILL", SIGILL },
  { "TRAP", SIGTRAP },   { "ABRT", SIGABRT },     { "IOT", SIGIOT },     { "BUS", SIGBUS },
  { "FPE", SIGFPE },     { "KILL", SIGKILL },     { "USR1", SIGUSR1 },   { "SEGV", SIGSEGV },
  { "USR2", SIGUSR2 },   { "PIPE", SIGPIPE },     { "ALRM", SIGALRM },   { "TERM", SIGTERM },
  { "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD },   { "CONT", SIGCONT },   { "STOP", SIGSTOP },
  { "TSTP", SIGTSTP },   { "TTIN", SIGTTIN },     { "TTOU", SIGTTOU },   { "URG", SIGURG },
  { "XCPU", SIGXCPU },   { "XFSZ", SIGXFSZ },     { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },
  { "WINCH", SIGWINCH }, { "IO", SIGIO },         { "POLL", SIGPOLL },   { "PWR", SIGPWR },
  { "SYS", SIGSYS },
};

int
parse_signal (const char *name, struct ocirun_error **err)
{
  char *end;
  long n;
  const char *s = name;

  if (name == NULL || *name == '\0')
    return ocirun_error_set (err, 0, "empty signal name (use a name like TERM or a number)");
  errno = 0;
  n = strtol (name, &end, 10);
  if (*end == '\0' && errno == 0)
    {
      if (n <= 0 || n > SIGRTMAX)
        return ocirun_error_set (err, 0, "invalid signal number %s (valid: 1-%d)", name, SIGRTMAX);
      return (int) n;
    }
  if (strncasecmp (s, "SIG", 3) == 0)
    s += 3;
  for (size_t i = 0; i < sizeof (signals) / sizeof (signals[0]); i++)
    if (strcasecmp (s, signals[i].name) == 0)
      return signals[i].sig;
  if (strncasecmp (s, "RTMIN", 5) == 0 || strncasecmp (s, "RTMAX", 5) == 0)
    {
      long off = 0;
      if (s[5] != '\0')
        {
          off = strtol (s + 5, &end, 10);
          if (*end != '\0')
            goto bad;
        }
      n = strncasecmp (s, "RTMIN", 5) == 0 ? SIGRTMIN + off : SIGRTMAX + off;
      if (n >= SIGRTMIN && n <= SIGRTMAX)
        return (int) n;
    }
bad:
  return ocirun_error_set (err, 0, "unknown signal `%s` (use a name like TERM, SIGKILL or a number)",
                           name);
}

const char *
signal_name (int sig)
{
  for (size_t i = 0; i < sizeof (signals) / sizeof (signals[0]); i++)
    if (signals[i].sig == sig)
      return signals[i].name;
  return "UNKNOWN";
}

int
wait_for_pid (pid_t pid, int *status_out)
{
  int status;
  pid_t r;
  do
    r = waitpid (pid, &status, 0);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return -1;
  if (status_out)
    *status_out = status;
  return 0;
}

int
status_to_exit_code (int status)
{
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  if (WIFSIGNALED (status))
    return 128 + WTERMSIG (status);
  return 255;
}

uint64_t
proc_start_time (pid_t pid)
{
  char path[64], buf[1024];
  ssize_t n;
  int fd;
  char *p;
  unsigned long long v = 0;

  snprintf (path, sizeof (path), "/proc/%d/stat", pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  n = read (fd, buf, sizeof (buf) - 1);
  close (fd);
  if (n <= 0)
    return 0;
  buf[n] = '\0';
  p = strrchr (buf, ')');
  if (p == NULL)
    return 0;
  /* field 22 is starttime; after ") " come fields 3.. */
  p += 2;
  for (int field = 3; field < 22 && p; field++)
    {
      p = strchr (p, ' ');
      if (p)
        p++;
    }
  if (p)
    v = strtoull (p, NULL, 10);
  return v;
}

bool
running_in_user_namespace (void)
{
  cleanup_free char *buf = NULL;
  unsigned long a, b, c;
  if (read_all_file ("/proc/self/uid_map", &buf, NULL, NULL) < 0)
    return false;
  if (sscanf (buf, " %lu %lu %lu", &a, &b, &c) != 3)
    return true;
  return ! (a == 0 && b == 0 && c == 4294967295UL);
}

bool
ocirun_is_rootless (void)
{
  return geteuid () != 0 || running_in_user_namespace ();
}
