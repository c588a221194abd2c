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
#include <elf.h>
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

/* How much of the ELF file execve and the dynamic loader read: up to the
   end of the last loadable segment (the debug sections and symbol tables
   after it are not copied, and the copy's header says it has no section
   headers).  0: not an ELF file we understand, copy it whole.  */
static off_t
loadable_size (int exe, off_t file_size, Elf64_Ehdr *eh)
{
  off_t end = 0;
  if (pread (exe, eh, sizeof (*eh), 0) != (ssize_t) sizeof (*eh) || memcmp (eh->e_ident, ELFMAG, SELFMAG) != 0
      || eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_phentsize != sizeof (Elf64_Phdr) || eh->e_phnum > 64)
    return 0;
  for (int i = 0; i < eh->e_phnum; i++)
    {
      Elf64_Phdr ph;
      off_t e;
      if (pread (exe, &ph, sizeof (ph), (off_t) (eh->e_phoff + (uint64_t) i * sizeof (ph))) != (ssize_t) sizeof (ph))
        return 0;
      e = (off_t) (ph.p_offset + ph.p_filesz);
      if (e > end)
        end = e;
    }
  if ((off_t) (eh->e_phoff + (uint64_t) eh->e_phnum * sizeof (Elf64_Phdr)) > end || end > file_size)
    return 0;
  return end;
}

static int
sealed_copy (int exe, struct ocirun_error **err)
{
  cleanup_close int mfd = -1;
  struct stat st;
  off_t off = 0;
  off_t size;
  Elf64_Ehdr eh;

  mfd = memfd_create ("ocirun", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
  if (mfd < 0 && errno == EINVAL)
    /* before Linux 6.3 there is no MFD_EXEC: memfds are executable */
    mfd = memfd_create ("ocirun", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (mfd < 0)
    return ocirun_error_set (err, errno, "memfd_create");
  if (fstat (exe, &st) < 0)
    return ocirun_error_set (err, errno, "stat /proc/self/exe");
  size = loadable_size (exe, st.st_size, &eh);
  if (size == 0)
    size = st.st_size;
  while (off < size)
    {
      ssize_t n = sendfile (mfd, exe, &off, (size_t) (size - off));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return ocirun_error_set (err, n < 0 ? errno : EIO, "copy the binary into a memfd");
    }
  if (size < st.st_size)
    {
      eh.e_shoff = 0;
      eh.e_shnum = 0;
      eh.e_shstrndx = SHN_UNDEF;
      if (pwrite (mfd, &eh, sizeof (eh), 0) != (ssize_t) sizeof (eh))
        return ocirun_error_set (err, errno, "write the copy's ELF header");
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
