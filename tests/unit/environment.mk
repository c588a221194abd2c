# The container environment: idmapped mounts, NOTIFY_SOCKET proxy, and the
# unit tests of mounts.c (included from Makefile.am).
libocirun_sources += \
	src/libocirun/idmap.c src/libocirun/idmap.h \
	src/libocirun/notify.c src/libocirun/notify.h

check_PROGRAMS += tests/unit/test-mounts
TESTS += tests/unit/test-mounts
tests_unit_test_mounts_SOURCES = tests/unit/test-mounts.c tests/unit/tap.h
tests_unit_test_mounts_CFLAGS = $(OCIRUN_TEST_CFLAGS)
tests_unit_test_mounts_LDADD = $(OCIRUN_TEST_LIBS)
