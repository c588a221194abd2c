/* Minimal TAP helpers for the unit tests.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCIRUN_TAP_H
#define OCIRUN_TAP_H
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...)                                                   \
  do {                                                                  \
    tap_n++;                                                            \
    if (cond) printf ("ok %d - ", tap_n);                               \
    else { printf ("not ok %d - ", tap_n); tap_failed++; }              \
    printf (__VA_ARGS__);                                               \
    printf ("\n");                                                      \
  } while (0)

#define is_str(got, want, ...)                                          \
  do {                                                                  \
    const char *g_ = (got), *w_ = (want);                               \
    ok (g_ && w_ && strcmp (g_, w_) == 0, __VA_ARGS__);                 \
    if (! (g_ && w_ && strcmp (g_, w_) == 0))                           \
      printf ("#   got:  %s\n#   want: %s\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
  } while (0)

#define contains(got, needle, ...)                                      \
  do {                                                                  \
    const char *g_ = (got);                                             \
    ok (g_ && strstr (g_, (needle)), __VA_ARGS__);                      \
    if (! (g_ && strstr (g_, (needle))))                                \
      printf ("#   got: %s\n#   expected to contain: %s\n", g_ ? g_ : "(null)", (needle)); \
  } while (0)

#define tap_done()                                                      \
  (printf ("1..%d\n", tap_n), tap_failed ? 1 : 0)
#endif
