/* ocirun: run from a sealed copy of the binary (see exe.h).
 *
 * A process in a container can open /proc/PID/exe of any ocirun process it
 * can see (the waiting init, an `exec` being set up, an entrypoint whose
 * interpreter is #!/proc/self/exe) and, once that process has exec'd away,
 * reopen it for writing through /proc/self/fd: with the host's file behind
 * it, that overwrites the runtime binary.  A sealed memfd cannot be written
 * (F_SEAL_WRITE), grown or shrunk, and is freed with the last process that
 * uses it; a binary on a read-only mount cannot be written either.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "exe.h"
#include "utils.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif

#define REQUIRED_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

static bool
fd_is_protected (int fd)
{
  struct statfs sfs;
  int seals = fcntl (fd, F_GET_SEALS);
  if (seals >= 0 && (seals & REQUIRED_SEALS) == REQUIRED_SEALS)
    return true;
  return fstatfs (fd, &sfs) == 0 && (sfs.f_flags & ST_RDONLY);
}

bool
ocirun_exe_is_protected (void)
{
  cleanup_close int fd = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  return fd >= 0 && fd_is_protected (fd);
}

static int
sealed_copy (int exe, struct ocirun_error **err)
{
  cleanup_close int mfd = -1;
  struct stat st;
  off_t off = 0;

  mfd = memfd_create ("ocirun", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
  if (mfd < 0 && errno == EINVAL)
    /* before Linux 6.3 there is no MFD_EXEC: memfds are executable */
    mfd = memfd_create ("ocirun", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (mfd < 0)
    return ocirun_error_set (err, errno, "memfd_create");
  if (fstat (exe, &st) < 0)
    return ocirun_error_set (err, errno, "stat /proc/self/exe");
  while (off < st.st_size)
    {
      ssize_t n = sendfile (mfd, exe, &off, (size_t) (st.st_size - off));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return ocirun_error_set (err, n < 0 ? errno : EIO, "copy the binary into a memfd");
    }
  if (fcntl (mfd, F_ADD_SEALS, REQUIRED_SEALS) < 0)
    return ocirun_error_set (err, errno, "seal the memfd");
  return steal_fd (&mfd);
}

int
ocirun_exe_protect (char **argv, struct ocirun_error **err)
{
  cleanup_close int exe = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  cleanup_close int mfd = -1;

  if (exe < 0)
    return ocirun_error_set (err, errno, "open /proc/self/exe (is /proc mounted?)");
  if (fd_is_protected (exe))
    return 0;
  mfd = sealed_copy (exe, err);
  if (mfd < 0)
    return ocirun_error_wrap (err, "protect the runtime binary from containers");
  syscall (SYS_execveat, mfd, "", argv, environ, AT_EMPTY_PATH);
  return ocirun_error_set (err, errno,
                           "protect the runtime binary from containers: execute its sealed memfd copy "
                           "(if vm.memfd_noexec forbids it, install ocirun on a read-only mount)");
}
