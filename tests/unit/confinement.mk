# ocirun: capabilities, seccomp, LSM and features tests (included by Makefile.am).

check_PROGRAMS += tests/unit/test-confinement tests/helpers/seccomp-agent
TESTS += tests/unit/test-confinement

tests_unit_test_confinement_SOURCES = tests/unit/test-confinement.c
tests_unit_test_confinement_CFLAGS = $(OCIRUN_TEST_CFLAGS) -pthread
tests_unit_test_confinement_LDADD = $(OCIRUN_TEST_LIBS) -lpthread

# seccomp user-notification agent used by the functional tests:
#   seccomp-agent SOCKETPATH OUTFILE
tests_helpers_seccomp_agent_SOURCES = tests/helpers/seccomp-agent.c
tests_helpers_seccomp_agent_CFLAGS = $(OCIRUN_TEST_CFLAGS)
tests_helpers_seccomp_agent_LDADD = $(OCIRUN_TEST_LIBS)
