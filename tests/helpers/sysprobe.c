/* sysprobe: call one system call with raw arguments and print what happened.
 * A static helper for the seccomp and keyring functional tests.
 *
 *   sysprobe [-t] [-s] NAME [ARG...]
 *
 * NAME: a syscall this helper knows (getppid, mkdir, keyring) or a number.
 * ARGs are numbers (strtoull, any base) or strings for mkdir's path.
 *   -t  make the call from a second thread (pthread); the main thread then
 *       prints "main alive" after joining it.
 *   -s  catch SIGSYS and print "SIGSYS syscall=NR" (SCMP_ACT_TRAP).
 * Prints "ret=R" on success, "errno=E (message)" on failure.
 * "keyring" prints the session keyring: "keyring serial=S desc=DESCRIPTION".
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef KEYCTL_GET_KEYRING_ID
# define KEYCTL_GET_KEYRING_ID 0
#endif
#ifndef KEYCTL_DESCRIBE
# define KEYCTL_DESCRIBE 6
#endif
#define KEY_SPEC_SESSION_KEYRING -3

static long nr;
static unsigned long long args[6];
static const char *path_arg;

static void
on_sigsys (int sig, siginfo_t *si, void *uc)
{
  char buf[64];
  int n;
  (void) sig;
  (void) uc;
  n = snprintf (buf, sizeof (buf), "SIGSYS syscall=%d\n", si->si_syscall);
  if (write (1, buf, (size_t) n) < 0)
    _exit (3);
  _exit (0);
}

static void *
do_call (void *unused)
{
  long r;
  (void) unused;
  if (path_arg)
    r = syscall (nr, path_arg, (unsigned long) args[1]);
  else
    r = syscall (nr, args[0], args[1], args[2], args[3], args[4], args[5]);
  if (r < 0)
    printf ("errno=%d (%s)\n", errno, strerror (errno));
  else
    printf ("ret=%ld\n", r);
  fflush (stdout);
  return NULL;
}

static int
keyring (void)
{
  char desc[512];
  long serial = syscall (__NR_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
  long n;
  if (serial < 0)
    {
      printf ("errno=%d (%s)\n", errno, strerror (errno));
      return 1;
    }
  n = syscall (__NR_keyctl, KEYCTL_DESCRIBE, serial, desc, sizeof (desc) - 1);
  if (n < 0)
    {
      printf ("keyring serial=%ld desc=? errno=%d (%s)\n", serial, errno, strerror (errno));
      return 0;
    }
  desc[n < (long) sizeof (desc) ? n : (long) sizeof (desc) - 1] = '\0';
  /* "type;uid;gid;perm;description" */
  printf ("keyring serial=%ld desc=%s\n", serial, strrchr (desc, ';') ? strrchr (desc, ';') + 1 : desc);
  return 0;
}

int
main (int argc, char **argv)
{
  int thread = 0, trap = 0, i, opt;

  while ((opt = getopt (argc, argv, "+ts")) != -1)
    switch (opt)
      {
      case 't': thread = 1; break;
      case 's': trap = 1; break;
      default: return 2;
      }
  if (optind >= argc)
    {
      fprintf (stderr, "usage: sysprobe [-t] [-s] NAME [ARG...]\n");
      return 2;
    }
  if (strcmp (argv[optind], "keyring") == 0)
    return keyring ();
  if (strcmp (argv[optind], "getppid") == 0)
    nr = __NR_getppid;
  else if (strcmp (argv[optind], "mkdir") == 0)
    nr = __NR_mkdir;
  else
    nr = strtol (argv[optind], NULL, 0);
  for (i = optind + 1; i < argc && i - optind - 1 < 6; i++)
    {
      char *end;
      args[i - optind - 1] = strtoull (argv[i], &end, 0);
      if (*end && nr == __NR_mkdir && i == optind + 1)
        path_arg = argv[i];
    }
  if (trap)
    {
      struct sigaction sa;
      memset (&sa, 0, sizeof (sa));
      sa.sa_sigaction = on_sigsys;
      sa.sa_flags = SA_SIGINFO;
      sigaction (SIGSYS, &sa, NULL);
    }
  if (thread)
    {
      pthread_t t;
      int e = pthread_create (&t, NULL, do_call, NULL);
      if (e)
        {
          fprintf (stderr, "pthread_create: %s\n", strerror (e));
          return 1;
        }
      pthread_join (t, NULL);
      printf ("main alive\n");
      return 0;
    }
  do_call (NULL);
  return 0;
}
