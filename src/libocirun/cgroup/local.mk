# ocirun: cgroup v2 managers (included by the top Makefile.am).
libocirun_sources += \
	src/libocirun/cgroup/cgroup.c \
	src/libocirun/cgroup/cgroupfs.c \
	src/libocirun/cgroup/resources.c \
	src/libocirun/cgroup/ebpf.c \
	src/libocirun/cgroup/systemd.c \
	src/libocirun/cgroup/cgroup-internal.h

check_PROGRAMS += tests/unit/test-cgroup
TESTS += tests/unit/test-cgroup
tests_unit_test_cgroup_SOURCES = tests/unit/test-cgroup.c
tests_unit_test_cgroup_CFLAGS = $(OCIRUN_TEST_CFLAGS)
tests_unit_test_cgroup_LDADD = $(OCIRUN_TEST_LIBS)

EXTRA_DIST += \
	tests/vm/cgroup-driver.c \
	tests/vm/systemd-driver.c \
	tests/vm/cgroup.sh \
	tests/vm/run-cgroup-tests.sh \
	tests/vm/systemd.sh \
	tests/vm/run-systemd-tests.sh
