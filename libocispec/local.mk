# libocispec: C types + yajl parse/generate/free for the OCI runtime-spec,
# generated at build time from the runtime-spec JSON schemas
# ($(OCISPEC_SCHEMA_DIR), AC_SUBST by configure) plus libocispec/schema-ext.
# Included by the top-level (non-recursive) Makefile.am.

OCISPEC_EXT_SCHEMAS = \
	libocispec/schema-ext/config-ext.json \
	libocispec/schema-ext/features-schema.json \
	libocispec/schema-ext/ocirun-state.json \
	libocispec/schema-ext/criu-descriptors.json

OCISPEC_UPSTREAM_SCHEMAS = \
	$(OCISPEC_SCHEMA_DIR)/config-schema.json \
	$(OCISPEC_SCHEMA_DIR)/config-linux.json \
	$(OCISPEC_SCHEMA_DIR)/defs.json \
	$(OCISPEC_SCHEMA_DIR)/defs-linux.json \
	$(OCISPEC_SCHEMA_DIR)/state-schema.json

OCISPEC_GENERATED = libocispec/oci_spec.h libocispec/oci_spec.c

# One generator run writes both files (the header first, then the source, so
# oci_spec.c is never older than oci_spec.h).
libocispec/oci_spec.h: $(srcdir)/libocispec/generate.py \
		$(OCISPEC_EXT_SCHEMAS:%=$(srcdir)/%) $(OCISPEC_UPSTREAM_SCHEMAS)
	$(AM_V_GEN)$(MKDIR_P) libocispec && \
	$(PYTHON3) $(srcdir)/libocispec/generate.py \
		--schema-dir $(OCISPEC_SCHEMA_DIR) \
		--ext-dir $(srcdir)/libocispec/schema-ext \
		--out-dir libocispec
libocispec/oci_spec.c: libocispec/oci_spec.h
	@test -f $@ || { rm -f libocispec/oci_spec.h && \
		$(MAKE) $(AM_MAKEFLAGS) libocispec/oci_spec.h; }

BUILT_SOURCES += $(OCISPEC_GENERATED)
CLEANFILES += $(OCISPEC_GENERATED)

noinst_LIBRARIES += libocispec/libocispec.a
nodist_libocispec_libocispec_a_SOURCES = $(OCISPEC_GENERATED)
libocispec_libocispec_a_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS) -I$(builddir)/libocispec

check_PROGRAMS += tests/unit/test-ocispec
TESTS += tests/unit/test-ocispec
tests_unit_test_ocispec_SOURCES = tests/unit/test-ocispec.c
tests_unit_test_ocispec_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS) -I$(builddir)/libocispec \
	-DOCI_SAMPLES_DIR='"$(abs_top_srcdir)/tests/unit/samples"'
tests_unit_test_ocispec_LDADD = libocispec/libocispec.a $(YAJL_LIBS)

OCISPEC_SAMPLES = \
	tests/unit/samples/root-bridge.config.json \
	tests/unit/samples/root-default.config.json \
	tests/unit/samples/root-exec-tty.exec-process.json \
	tests/unit/samples/root-exec.config.json \
	tests/unit/samples/root-exec.exec-process.json \
	tests/unit/samples/root-limits.config.json \
	tests/unit/samples/root-privileged.config.json \
	tests/unit/samples/root-tty.config.json \
	tests/unit/samples/root-uidmap.config.json \
	tests/unit/samples/root-update.update-resources.json \
	tests/unit/samples/rootless-default.config.json \
	tests/unit/samples/rootless-exec.exec-process.json \
	tests/unit/samples/rootless-keepid.config.json

EXTRA_DIST += \
	libocispec/generate.py \
	libocispec/README.md \
	$(OCISPEC_EXT_SCHEMAS) \
	$(OCISPEC_SAMPLES)
