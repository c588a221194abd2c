/* Unit tests for the generated libocispec (oci_spec.[ch]).
   TAP output.  Usage: test-ocispec [SAMPLES_DIR]
   The samples directory defaults to $OCI_SAMPLES_DIR, then to the
   compile-time OCI_SAMPLES_DIR; a missing/empty directory is a failure.  */
#include "oci_spec.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A string literal and its length.  */
#define LIT(s) s, (sizeof (s) - 1)

static int test_no;
static int failures;

static void __attribute__ ((format (printf, 2, 3)))
check (int ok, const char *fmt, ...)
{
  va_list ap;

  test_no++;
  printf ("%sok %d - ", ok ? "" : "not ", test_no);
  va_start (ap, fmt);
  vprintf (fmt, ap);
  va_end (ap);
  putchar ('\n');
  if (!ok)
    failures++;
}

static int
ends_with (const char *s, const char *suffix)
{
  size_t a = strlen (s), b = strlen (suffix);
  return a >= b && strcmp (s + a - b, suffix) == 0;
}

/* Parse/generate helpers that dispatch on a document kind.  */
enum doc_kind { DOC_CONFIG, DOC_PROCESS, DOC_RESOURCES };

static void *
parse_kind (enum doc_kind k, const char *json, size_t len, char **err)
{
  switch (k)
    {
    case DOC_CONFIG: return oci_config_parse_data (json, len, err);
    case DOC_PROCESS: return oci_config_process_parse_data (json, len, err);
    default: return oci_config_linux_resources_parse_data (json, len, err);
    }
}

static void *
parse_file_kind (enum doc_kind k, const char *path, char **err)
{
  switch (k)
    {
    case DOC_CONFIG: return oci_config_parse_file (path, err);
    case DOC_PROCESS: return oci_config_process_parse_file (path, err);
    default: return oci_config_linux_resources_parse_file (path, err);
    }
}

static char *
gen_kind (enum doc_kind k, void *p, char **err)
{
  switch (k)
    {
    case DOC_CONFIG: return oci_config_generate_json (p, err);
    case DOC_PROCESS: return oci_config_process_generate_json (p, err);
    default: return oci_config_linux_resources_generate_json (p, err);
    }
}

static void
free_kind (enum doc_kind k, void *p)
{
  switch (k)
    {
    case DOC_CONFIG: free_oci_config (p); break;
    case DOC_PROCESS: free_oci_config_process (p); break;
    default: free_oci_config_linux_resources (p); break;
    }
}

/* parse -> generate -> parse -> generate; both generated strings equal.  */
static int
roundtrip_file (enum doc_kind k, const char *path, char **why)
{
  char *err = NULL, *j1 = NULL, *j2 = NULL;
  void *a = NULL, *b = NULL;
  int ok = 0;

  *why = NULL;
  a = parse_file_kind (k, path, &err);
  if (a == NULL)
    goto out;
  j1 = gen_kind (k, a, &err);
  if (j1 == NULL)
    goto out;
  b = parse_kind (k, j1, strlen (j1), &err);
  if (b == NULL)
    goto out;
  j2 = gen_kind (k, b, &err);
  if (j2 == NULL)
    goto out;
  ok = strcmp (j1, j2) == 0;
  if (!ok)
    err = strdup ("generated JSON differs after a round trip");
out:
  *why = err;
  free_kind (k, a);
  free_kind (k, b);
  free (j1);
  free (j2);
  return ok;
}

static void
test_samples (const char *dir)
{
  struct dirent **names = NULL;
  int i, n, count = 0;

  n = dir ? scandir (dir, &names, NULL, alphasort) : -1;
  if (n < 0)
    {
      check (0, "samples directory %s readable (%s)", dir ? dir : "(unset)",
             dir ? strerror (errno) : "no directory given");
      return;
    }
  for (i = 0; i < n; i++)
    {
      const char *name = names[i]->d_name;
      enum doc_kind k;
      char path[4096], *why = NULL;
      int ok;

      if (ends_with (name, ".config.json"))
        k = DOC_CONFIG;
      else if (ends_with (name, "exec-process.json"))
        k = DOC_PROCESS;
      else if (ends_with (name, "update-resources.json"))
        k = DOC_RESOURCES;
      else
        {
          free (names[i]);
          continue;
        }
      snprintf (path, sizeof path, "%s/%s", dir, name);
      ok = roundtrip_file (k, path, &why);
      check (ok, "sample %s round-trips%s%s", name, why ? ": " : "", why ? why : "");
      free (why);
      count++;
      free (names[i]);
    }
  free (names);
  check (count > 0, "found %d sample documents in %s", count, dir);
}

/* Expect parsing JSON as an oci_config to fail with exactly MSG.  */
static void
expect_config_error (const char *json, const char *msg, const char *name)
{
  char *err = NULL;
  oci_config *c = oci_config_parse_data (json, strlen (json), &err);
  int ok = c == NULL && err != NULL && strcmp (err, msg) == 0;

  check (ok, "%s: got \"%s\"", name, err ? err : "(no error)");
  if (!ok)
    printf ("#   expected \"%s\"\n", msg);
  free_oci_config (c);
  free (err);
}

static void
expect_prefix_error (const char *json, size_t len, const char *prefix, const char *name)
{
  char *err = NULL;
  oci_config *c = oci_config_parse_data (json, len, &err);

  check (c == NULL && err != NULL && strncmp (err, prefix, strlen (prefix)) == 0
         && strchr (err, '\n') == NULL,
         "%s: got \"%s\"", name, err ? err : "(no error)");
  free_oci_config (c);
  free (err);
}

static void
test_errors (const char *samples)
{
  char path[4096];
  FILE *f;
  char buf[65536];
  size_t len = 0;

  expect_prefix_error (LIT ("{"), "invalid JSON: ", "malformed: lone brace");
  expect_prefix_error (LIT ("{\"ociVersion\": \"1\",}"), "invalid JSON: ", "malformed: trailing comma");
  expect_prefix_error (LIT (""), "invalid JSON: ", "malformed: empty input");
  expect_prefix_error (LIT ("{\"ociVersion\": \"1\"} x"), "invalid JSON: ", "malformed: trailing garbage");
  /* Truncate a real sample in the middle.  */
  snprintf (path, sizeof path, "%s/root-default.config.json", samples ? samples : ".");
  f = fopen (path, "r");
  if (f)
    {
      len = fread (buf, 1, sizeof buf, f);
      fclose (f);
    }
  check (len > 100, "read %s for truncation test", path);
  if (len > 100)
    expect_prefix_error (buf, len / 2, "invalid JSON: ", "malformed: truncated sample");

  expect_config_error ("[]", "expected object, got array", "root not an object");
  expect_config_error ("{\"ociVersion\":\"1.0\",\"linux\":{\"resources\":{\"memory\":{\"limit\":\"x\"}}}}",
                       "linux.resources.memory.limit: expected integer, got string", "wrong type: string for integer");
  expect_config_error ("{\"ociVersion\":\"1.0\",\"mounts\":[{\"destination\":\"/a\"},{\"destination\":\"/b\"},{\"destination\":5}]}",
                       "mounts[2].destination: expected string, got number", "wrong type: number for string in array");
  expect_config_error ("{\"ociVersion\":\"1.0\",\"linux\":{\"resources\":{\"memory\":{\"limit\":1.5}}}}",
                       "linux.resources.memory.limit: expected integer, got number", "wrong type: fraction for integer");
  expect_config_error ("{\"ociVersion\":\"1.0\",\"process\":{\"cwd\":\"/\",\"terminal\":\"yes\"}}",
                       "process.terminal: expected boolean, got string", "wrong type: string for boolean");
  expect_config_error ("{\"ociVersion\":\"1.0\",\"process\":{\"cwd\":\"/\",\"args\":[\"a\",true]}}",
                       "process.args[1]: expected string, got boolean", "wrong type: array element");
  expect_config_error ("{\"ociVersion\":\"1.0\",\"process\":[]}",
                       "process: expected object, got array", "wrong type: array for object");
  expect_config_error ("{\"ociVersion\":\"1.0\",\"mounts\":{}}",
                       "mounts: expected array, got object", "wrong type: object for array");
  expect_config_error ("{\"ociVersion\":\"1.0\",\"annotations\":{\"a\":\"b\",\"c\":1}}",
                       "annotations.c: expected string, got number", "wrong type: map value");
  expect_config_error ("{\"ociVersion\":\"1.0\",\"linux\":{\"timeOffsets\":{\"boottime\":{\"secs\":\"1\"}}}}",
                       "linux.timeOffsets.boottime.secs: expected integer, got string", "wrong type: map of objects");
  expect_config_error ("{\"ociVersion\":1}", "ociVersion: expected string, got number", "wrong type: root field");

  expect_config_error ("{\"ociVersion\":\"1.0\",\"process\":{\"args\":[\"sh\"]}}",
                       "process.cwd: required field missing", "required: process.cwd");
  expect_config_error ("{}", "ociVersion: required field missing", "required: ociVersion");
  expect_config_error ("{\"ociVersion\":null}", "ociVersion: required field missing", "required: null ociVersion");
  expect_config_error ("{\"ociVersion\":\"1.0\",\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}}}",
                       "linux.seccomp.syscalls[0].args[0].value: required field missing", "required: nested in arrays");

  expect_config_error ("{\"ociVersion\":\"1.0\",\"process\":{\"cwd\":\"/\",\"user\":{\"uid\":4294967296}}}",
                       "process.user.uid: value 4294967296 out of range for uint32", "range: uint32 overflow");
  expect_config_error ("{\"ociVersion\":\"1.0\",\"process\":{\"cwd\":\"/\",\"user\":{\"uid\":-1}}}",
                       "process.user.uid: value -1 out of range for uint32", "range: negative unsigned");
  expect_config_error ("{\"ociVersion\":\"1.0\",\"process\":{\"cwd\":\"/\",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":1,\"hard\":18446744073709551616}]}}",
                       "process.rlimits[0].hard: value 18446744073709551616 out of range for uint64", "range: uint64 overflow");
  expect_config_error ("{\"ociVersion\":\"1.0\",\"linux\":{\"resources\":{\"memory\":{\"limit\":9223372036854775808}}}}",
                       "linux.resources.memory.limit: value 9223372036854775808 out of range for int64", "range: int64 overflow");
  expect_config_error ("{\"ociVersion\":\"1.0\",\"linux\":{\"resources\":{\"blockIO\":{\"weight\":65536}}}}",
                       "linux.resources.blockIO.weight: value 65536 out of range for uint16", "range: uint16 overflow");
  expect_config_error ("{\"ociVersion\":\"1.0\",\"process\":{\"cwd\":\"/\",\"scheduler\":{\"policy\":\"SCHED_OTHER\",\"nice\":2147483648}}}",
                       "process.scheduler.nice: value 2147483648 out of range for int32", "range: int32 overflow");
}

static void
test_uint64_max (void)
{
  const char *json =
    "{\"ociVersion\":\"1.0.2\",\"process\":{\"cwd\":\"/\",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\","
    "\"soft\":18446744073709551615,\"hard\":18446744073709551615}]},"
    "\"linux\":{\"resources\":{\"memory\":{\"limit\":-1,\"swap\":9223372036854775807,\"kernel\":-9223372036854775808}},"
    "\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"personality\"],"
    "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":18446744073709551615,"
    "\"valueTwo\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}}}";
  char *err = NULL, *out = NULL, *out2 = NULL;
  oci_config *c = oci_config_parse_data (json, strlen (json), &err), *c2 = NULL;

  check (c != NULL, "uint64 max parses%s%s", err ? ": " : "", err ? err : "");
  if (c == NULL)
    {
      free (err);
      return;
    }
  check (c->process->rlimits[0]->hard == UINT64_MAX && c->process->rlimits[0]->soft == UINT64_MAX,
         "rlimits hard/soft == UINT64_MAX");
  check (c->linux->seccomp->syscalls[0]->args[0]->value == UINT64_MAX
         && c->linux->seccomp->syscalls[0]->args[0]->value_present
         && c->linux->seccomp->syscalls[0]->args[0]->value_two == 0
         && c->linux->seccomp->syscalls[0]->args[0]->value_two_present,
         "seccomp arg value == UINT64_MAX, valueTwo == 0 present");
  check (c->linux->resources->memory->limit == -1
         && c->linux->resources->memory->swap == INT64_MAX
         && c->linux->resources->memory->kernel == INT64_MIN,
         "int64 extremes parse");
  out = oci_config_generate_json (c, &err);
  check (out && strstr (out, "\"hard\":18446744073709551615")
         && strstr (out, "\"value\":18446744073709551615")
         && strstr (out, "\"kernel\":-9223372036854775808"),
         "generated JSON has the exact uint64/int64 text");
  c2 = out ? oci_config_parse_data (out, strlen (out), &err) : NULL;
  out2 = c2 ? oci_config_generate_json (c2, &err) : NULL;
  check (out2 && strcmp (out, out2) == 0 && c2->process->rlimits[0]->hard == UINT64_MAX,
         "uint64 max round-trips exactly");
  free (out);
  free (out2);
  free (err);
  free_oci_config (c);
  free_oci_config (c2);
}

static void
test_lenient (void)
{
  const char *json =
    "{\"ociVersion\":\"1.0\",\"foo\":{\"bar\":[1,2,{\"x\":null}]},\"hostname\":null,"
    "\"solaris\":{\"milestone\":\"x\"},\"windows\":{\"layerFolders\":[]},\"vm\":{},\"zos\":{},"
    "\"process\":{\"cwd\":\"/\",\"xyz\":1,\"terminal\":null,\"user\":{\"uid\":0,\"extra\":\"q\"}},"
    "\"linux\":{\"resources\":{\"memory\":{\"limit\":null,\"swap\":5}},\"seccomp\":null},"
    "\"mounts\":[],\"annotations\":{\"z\":\"1\",\"a\":\"2\",\"m\":\"3\"}}";
  char *err = NULL, *out = NULL;
  oci_config *c = oci_config_parse_data (json, strlen (json), &err);

  check (c != NULL, "unknown fields and nulls accepted%s%s", err ? ": " : "", err ? err : "");
  if (c == NULL)
    {
      free (err);
      return;
    }
  check (c->hostname == NULL, "null string is absent");
  check (!c->process->terminal_present && !c->process->terminal, "null boolean is absent");
  check (c->process->user->uid_present && !c->process->user->gid_present, "present flags");
  check (!c->linux->resources->memory->limit_present && c->linux->resources->memory->swap == 5,
         "null integer is absent");
  check (c->linux->seccomp == NULL, "null object is absent");
  check (c->mounts != NULL && c->mounts_len == 0, "empty array is kept as empty");
  check (c->annotations && c->annotations->len == 3
         && strcmp (c->annotations->keys[0], "z") == 0 && strcmp (c->annotations->values[2], "3") == 0,
         "map keeps insertion order");
  out = oci_config_generate_json (c, &err);
  check (out && !strstr (out, "foo") && !strstr (out, "solaris") && !strstr (out, "xyz")
         && !strstr (out, "null") && strstr (out, "\"mounts\":[]")
         && strstr (out, "\"annotations\":{\"z\":\"1\",\"a\":\"2\",\"m\":\"3\"}"),
         "generated JSON drops unknown keys: %s", out ? out : err);
  free (out);
  free (err);
  free_oci_config (c);
}

static void
test_extensions (void)
{
  const char *json =
    "{\"ociVersion\":\"1.2.0\",\"process\":{\"cwd\":\"/\","
    "\"scheduler\":{\"policy\":\"SCHED_DEADLINE\",\"nice\":-5,\"priority\":3,\"flags\":[\"SCHED_FLAG_RESET_ON_FORK\"],"
    "\"runtime\":100,\"deadline\":200,\"period\":18446744073709551615},"
    "\"ioPriority\":{\"class\":\"IOPRIO_CLASS_RT\",\"priority\":4},"
    "\"execCPUAffinity\":{\"initial\":\"0-3\",\"final\":\"1\"}},"
    "\"linux\":{\"timeOffsets\":{\"monotonic\":{\"secs\":-172800,\"nanosecs\":4294967295},\"boottime\":{\"secs\":1}},"
    "\"netDevices\":{\"eth1\":{\"name\":\"ceth0\"}},"
    "\"memoryPolicy\":{\"mode\":\"MPOL_BIND\",\"nodes\":\"0-1\",\"flags\":[\"MPOL_F_STATIC_NODES\"]},"
    "\"intelRdt\":{\"closID\":\"c1\",\"schemata\":[\"L3:0=ff\",\"MB:0=50\"],\"enableMonitoring\":true},"
    "\"namespaces\":[{\"type\":\"time\"}],"
    "\"resources\":{\"rdma\":{\"mlx5_1\":{\"hcaHandles\":3,\"hcaObjects\":10000}},"
    "\"unified\":{\"memory.high\":\"1G\"},"
    "\"blockIO\":{\"weightDevice\":[{\"major\":8,\"minor\":0,\"weight\":500}],"
    "\"throttleReadIOPSDevice\":[{\"major\":8,\"minor\":0,\"rate\":600}]}}},"
    "\"mounts\":[{\"destination\":\"/m\",\"type\":\"bind\",\"source\":\"/s\",\"options\":[\"idmap\"],"
    "\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}],"
    "\"gidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}]}]}";
  char *err = NULL, *out = NULL, *out2 = NULL;
  oci_config *c = oci_config_parse_data (json, strlen (json), &err), *c2 = NULL;
  oci_config_process *p;
  oci_config_linux *l;

  check (c != NULL, "extension fields parse%s%s", err ? ": " : "", err ? err : "");
  if (c == NULL)
    {
      free (err);
      return;
    }
  p = c->process;
  l = c->linux;
  check (p->scheduler && strcmp (p->scheduler->policy, "SCHED_DEADLINE") == 0
         && p->scheduler->nice == -5 && p->scheduler->priority == 3 && p->scheduler->flags_len == 1
         && p->scheduler->runtime == 100 && p->scheduler->deadline == 200
         && p->scheduler->period == UINT64_MAX, "process.scheduler");
  check (p->io_priority && strcmp (p->io_priority->class, "IOPRIO_CLASS_RT") == 0
         && p->io_priority->priority == 4, "process.ioPriority");
  check (p->exec_cpu_affinity && strcmp (p->exec_cpu_affinity->initial, "0-3") == 0
         && strcmp (p->exec_cpu_affinity->final, "1") == 0, "process.execCPUAffinity");
  check (l->time_offsets && l->time_offsets->len == 2
         && strcmp (l->time_offsets->keys[0], "monotonic") == 0
         && l->time_offsets->values[0]->secs == -172800
         && l->time_offsets->values[0]->nanosecs == 4294967295u
         && l->time_offsets->values[1]->secs == 1 && !l->time_offsets->values[1]->nanosecs_present,
         "linux.timeOffsets.monotonic.secs");
  check (l->net_devices && l->net_devices->len == 1 && strcmp (l->net_devices->keys[0], "eth1") == 0
         && strcmp (l->net_devices->values[0]->name, "ceth0") == 0, "linux.netDevices");
  check (l->memory_policy && strcmp (l->memory_policy->mode, "MPOL_BIND") == 0
         && strcmp (l->memory_policy->nodes, "0-1") == 0 && l->memory_policy->flags_len == 1,
         "linux.memoryPolicy");
  check (l->intel_rdt && l->intel_rdt->schemata_len == 2
         && strcmp (l->intel_rdt->schemata[1], "MB:0=50") == 0
         && l->intel_rdt->enable_monitoring && l->intel_rdt->enable_monitoring_present
         && strcmp (l->intel_rdt->clos_id, "c1") == 0, "linux.intelRdt.schemata");
  check (l->resources->rdma && strcmp (l->resources->rdma->keys[0], "mlx5_1") == 0
         && l->resources->rdma->values[0]->hca_handles == 3
         && l->resources->rdma->values[0]->hca_objects == 10000, "linux.resources.rdma");
  check (l->resources->unified && strcmp (l->resources->unified->values[0], "1G") == 0,
         "linux.resources.unified");
  check (l->resources->block_io->weight_device[0]->weight == 500
         && l->resources->block_io->weight_device[0]->major == 8
         && l->resources->block_io->throttle_read_iops_device[0]->rate == 600, "blockIO allOf types");
  check (c->mounts[0]->uid_mappings_len == 1 && c->mounts[0]->uid_mappings[0]->host_id == 1000
         && c->mounts[0]->gid_mappings[0]->size == 1, "mount idmap");
  out = oci_config_generate_json (c, &err);
  c2 = out ? oci_config_parse_data (out, strlen (out), &err) : NULL;
  out2 = c2 ? oci_config_generate_json (c2, &err) : NULL;
  check (out2 && strcmp (out, out2) == 0 && strstr (out, "\"timeOffsets\":{\"monotonic\":{\"secs\":-172800,\"nanosecs\":4294967295}"),
         "extension fields round-trip");
  free (out);
  free (out2);
  free (err);
  free_oci_config (c);
  free_oci_config (c2);
}

static void
test_other_roots (void)
{
  const char *state = "{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"status\":\"running\",\"pid\":42,"
                      "\"bundle\":\"/b\",\"annotations\":{\"k\":\"v\"},\"future\":[1]}";
  const char *features = "{\"ociVersionMin\":\"1.0.0\",\"ociVersionMax\":\"1.2.0\",\"hooks\":[\"prestart\"],"
    "\"mountOptions\":[\"ro\"],\"annotations\":{\"org.ocirun.version\":\"0.1\"},"
    "\"potentiallyUnsafeConfigAnnotations\":[\"run.oci.\"],"
    "\"linux\":{\"namespaces\":[\"pid\"],\"capabilities\":[\"CAP_KILL\"],"
    "\"cgroup\":{\"v1\":false,\"v2\":true,\"systemd\":true,\"systemdUser\":true,\"rdma\":false},"
    "\"seccomp\":{\"enabled\":true,\"actions\":[\"SCMP_ACT_ALLOW\"],\"operators\":[\"SCMP_CMP_EQ\"],"
    "\"archs\":[\"SCMP_ARCH_X86_64\"],\"knownFlags\":[\"SECCOMP_FILTER_FLAG_LOG\"],\"supportedFlags\":[]},"
    "\"apparmor\":{\"enabled\":false},\"selinux\":{\"enabled\":true},\"intelRdt\":{\"enabled\":false},"
    "\"mountExtensions\":{\"idmap\":{\"enabled\":true}}}}";
  char *err = NULL, *out = NULL;
  oci_state *s = oci_state_parse_data (state, strlen (state), &err);
  oci_features *f;
  oci_ocirun_state *r, *r2;

  check (s && strcmp (s->id, "c1") == 0 && s->pid == 42 && s->pid_present
         && strcmp (s->annotations->keys[0], "k") == 0, "oci_state parses");
  free_oci_state (s);
  free (err);
  err = NULL;
  s = oci_state_parse_data (LIT ("{\"ociVersion\":\"1\",\"id\":\"x\",\"bundle\":\"/b\"}"), &err);
  check (s == NULL && err && strcmp (err, "status: required field missing") == 0,
         "oci_state requires status: %s", err ? err : "(none)");
  free (err);
  err = NULL;

  f = oci_features_parse_data (features, strlen (features), &err);
  check (f && f->linux && f->linux->cgroup->systemd_user && f->linux->cgroup->v2
         && !f->linux->cgroup->v1 && f->linux->cgroup->v1_present
         && f->linux->seccomp->supported_flags && f->linux->seccomp->supported_flags_len == 0
         && f->linux->mount_extensions->idmap->enabled
         && strcmp (f->oci_version_min, "1.0.0") == 0, "oci_features parses%s%s",
         err ? ": " : "", err ? err : "");
  out = f ? oci_features_generate_json (f, &err) : NULL;
  check (out && strcmp (out, features) == 0, "oci_features generates the same document");
  free (out);
  free_oci_features (f);

  /* The runtime's own state record, built by hand.  */
  r = calloc (1, sizeof *r);
  r->id = strdup ("ctr");
  r->oci_version = strdup ("1.2.0");
  r->pid = 1234;
  r->pid_present = true;
  r->init_start_time = UINT64_MAX;
  r->init_start_time_present = true;
  r->use_systemd_cgroup = false;
  r->use_systemd_cgroup_present = true;
  r->annotations = calloc (1, sizeof *r->annotations);
  r->annotations->keys = calloc (1, sizeof (char *));
  r->annotations->values = calloc (1, sizeof (char *));
  r->annotations->keys[0] = strdup ("q\"uote");
  r->annotations->values[0] = strdup ("line\nbreak");
  r->annotations->len = 1;
  out = oci_ocirun_state_generate_json (r, &err);
  check (out && strcmp (out, "{\"ociVersion\":\"1.2.0\",\"id\":\"ctr\",\"pid\":1234,"
                        "\"annotations\":{\"q\\\"uote\":\"line\\nbreak\"},"
                        "\"initStartTime\":18446744073709551615,\"useSystemdCgroup\":false}") == 0,
         "oci_ocirun_state generates: %s", out ? out : err);
  r2 = out ? oci_ocirun_state_parse_data (out, strlen (out), &err) : NULL;
  check (r2 && r2->init_start_time == UINT64_MAX && strcmp (r2->annotations->values[0], "line\nbreak") == 0
         && r2->use_systemd_cgroup_present && !r2->rootless_present, "oci_ocirun_state round-trips");
  free (out);
  free_oci_ocirun_state (r);
  free_oci_ocirun_state (r2);
  r = oci_ocirun_state_parse_data (LIT ("{\"id\":\"a\",\"newField\":{\"x\":1}}"), &err);
  check (r && strcmp (r->id, "a") == 0, "oci_ocirun_state ignores unknown keys");
  free_oci_ocirun_state (r);

  /* NULL-safety and parse_file errors.  */
  free_oci_config (NULL);
  free_oci_map_string (NULL);
  out = oci_config_generate_json (NULL, &err);
  check (out == NULL && err != NULL, "generate of NULL fails cleanly");
  free (err);
  err = NULL;
  {
    oci_config *c = oci_config_parse_file ("/nonexistent/dir/config.json", &err);
    check (c == NULL && err
         && strstr (err, "/nonexistent/dir/config.json") && strstr (err, strerror (ENOENT)),
         "parse_file reports path and errno: %s", err ? err : "(none)");
  }
  free (err);
  err = NULL;
  {
    oci_config *c = oci_config_parse_data (LIT ("{\"ociVersion\":\"1\"}"), NULL);
    check (c && strcmp (c->oci_version, "1") == 0, "parse without err pointer");
    free_oci_config (c);
    c = oci_config_parse_data (LIT ("{"), NULL);
    check (c == NULL, "failure without err pointer");
  }
}

/* Every parsed array of strings or objects ends with NULL after its last
   element (execve takes args and env as they are); an empty array is a
   non-NULL array holding just NULL; an absent one stays NULL.  */
static int
strv_terminated (char **v, size_t n, size_t want)
{
  return v != NULL && n == want && v[n] == NULL;
}

static void
test_null_terminated (void)
{
  const char *json =
    "{\"ociVersion\":\"1.0\","
    "\"process\":{\"cwd\":\"/\",\"args\":[\"sh\",\"-c\",\"true\"],\"env\":[\"PATH=/bin\",\"A=1\"]},"
    "\"mounts\":[{\"destination\":\"/a\",\"type\":\"bind\",\"source\":\"/a\",\"options\":[\"bind\",\"ro\"]},"
    "{\"destination\":\"/b\",\"type\":\"tmpfs\",\"options\":[]},{\"destination\":\"/c\"}],"
    "\"hooks\":{\"prestart\":[{\"path\":\"/bin/h\",\"args\":[\"h\",\"x\"],\"env\":[\"K=V\"]}],"
    "\"poststop\":[{\"path\":\"/bin/h\",\"args\":[],\"env\":[]},{\"path\":\"/bin/h\"}]},"
    "\"annotations\":{\"a\":\"1\",\"b\":\"2\"}}";
  char *err = NULL;
  oci_config *c = oci_config_parse_data (json, strlen (json), &err);
  oci_config_process *p;

  check (c != NULL, "config with arrays parses%s%s", err ? ": " : "", err ? err : "");
  free (err);
  err = NULL;
  if (c == NULL)
    return;
  check (strv_terminated (c->process->args, c->process->args_len, 3), "process.args is NULL-terminated");
  check (strv_terminated (c->process->env, c->process->env_len, 2), "process.env is NULL-terminated");
  check (c->mounts_len == 3 && c->mounts[3] == NULL, "an array of objects (mounts) is NULL-terminated");
  check (strv_terminated (c->mounts[0]->options, c->mounts[0]->options_len, 2),
         "mounts[0].options is NULL-terminated");
  check (strv_terminated (c->mounts[1]->options, c->mounts[1]->options_len, 0),
         "an empty mounts[1].options is a non-NULL array holding just NULL");
  check (c->mounts[2]->options == NULL && c->mounts[2]->options_len == 0,
         "an absent mounts[2].options stays NULL");
  check (c->hooks->prestart_len == 1 && c->hooks->prestart[1] == NULL, "hooks.prestart is NULL-terminated");
  check (strv_terminated (c->hooks->prestart[0]->args, c->hooks->prestart[0]->args_len, 2),
         "hooks.prestart[0].args is NULL-terminated");
  check (strv_terminated (c->hooks->prestart[0]->env, c->hooks->prestart[0]->env_len, 1),
         "hooks.prestart[0].env is NULL-terminated");
  check (strv_terminated (c->hooks->poststop[0]->args, c->hooks->poststop[0]->args_len, 0)
         && strv_terminated (c->hooks->poststop[0]->env, c->hooks->poststop[0]->env_len, 0),
         "an empty hook args and env are non-NULL arrays holding just NULL");
  check (c->hooks->poststop[1]->args == NULL && c->hooks->poststop[1]->env == NULL,
         "a hook without args and env has NULL ones");
  check (c->annotations->len == 2 && c->annotations->keys[2] == NULL && c->annotations->values[2] == NULL,
         "map keys and values are NULL-terminated");
  free_oci_config (c);

  /* the exec process document (--process) goes through the same parser */
  p = oci_config_process_parse_data (LIT ("{\"cwd\":\"/\",\"args\":[\"ls\"],\"env\":[]}"), &err);
  check (p && strv_terminated (p->args, p->args_len, 1) && strv_terminated (p->env, p->env_len, 0),
         "an exec process's args and empty env are NULL-terminated%s%s", err ? ": " : "", err ? err : "");
  free (err);
  free_oci_config_process (p);
}

int
main (int argc, char **argv)
{
  const char *samples = argc > 1 ? argv[1] : getenv ("OCI_SAMPLES_DIR");

#ifdef OCI_SAMPLES_DIR
  if (samples == NULL || *samples == '\0')
    samples = OCI_SAMPLES_DIR;
#endif
  test_samples (samples);
  test_errors (samples);
  test_uint64_max ();
  test_lenient ();
  test_extensions ();
  test_other_roots ();
  test_null_terminated ();
  printf ("1..%d\n", test_no);
  return failures ? 1 : 0;
}
