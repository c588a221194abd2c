/* ocirun update.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/cmd.h"
#include "oci_spec.h"
#include "utils.h"

enum
{
  O_RESOURCES = 1000, O_MEMORY, O_MEMORY_SWAP, O_MEMORY_RES, O_KMEM, O_CPU_QUOTA, O_CPU_PERIOD,
  O_CPU_SHARE, O_CPU_RT_PERIOD, O_CPU_RT_RUNTIME, O_CPUSET_CPUS, O_CPUSET_MEMS, O_PIDS, O_BLKIO,
  O_HELP,
};

static const struct option opts[] = {
  { "resources", required_argument, NULL, O_RESOURCES }, { "memory", required_argument, NULL, O_MEMORY },
  { "memory-swap", required_argument, NULL, O_MEMORY_SWAP },
  { "memory-reservation", required_argument, NULL, O_MEMORY_RES },
  { "kernel-memory", required_argument, NULL, O_KMEM },
  { "kernel-memory-tcp", required_argument, NULL, O_KMEM },
  { "cpu-quota", required_argument, NULL, O_CPU_QUOTA }, { "cpu-period", required_argument, NULL, O_CPU_PERIOD },
  { "cpu-share", required_argument, NULL, O_CPU_SHARE },
  { "cpu-rt-period", required_argument, NULL, O_CPU_RT_PERIOD },
  { "cpu-rt-runtime", required_argument, NULL, O_CPU_RT_RUNTIME },
  { "cpuset-cpus", required_argument, NULL, O_CPUSET_CPUS },
  { "cpuset-mems", required_argument, NULL, O_CPUSET_MEMS },
  { "pids-limit", required_argument, NULL, O_PIDS }, { "blkio-weight", required_argument, NULL, O_BLKIO },
  { "help", no_argument, NULL, O_HELP }, { NULL, 0, NULL, 0 },
};

/* "512m", "1G", "1024", "-1" */
static int
parse_size (const char *s, const char *what, int64_t *out, struct ocirun_error **err)
{
  char *end;
  long long v;
  errno = 0;
  v = strtoll (s, &end, 10);
  if (end == s || errno)
    return ocirun_error_set (err, 0, "%s: `%s` is not a size", what, s);
  switch (*end)
    {
    case '\0': break;
    case 'k': case 'K': v *= 1024; end++; break;
    case 'm': case 'M': v *= 1024 * 1024; end++; break;
    case 'g': case 'G': v *= 1024LL * 1024 * 1024; end++; break;
    default: return ocirun_error_set (err, 0, "%s: `%s` is not a size", what, s);
    }
  if (*end == 'b' || *end == 'B')
    end++;
  if (*end)
    return ocirun_error_set (err, 0, "%s: `%s` is not a size", what, s);
  *out = v;
  return 0;
}

int
cmd_update (struct ocirun_context *ctx, int argc, char **argv, struct ocirun_error **err)
{
  int c, ret = -1;
  cleanup_free char *resources_json = NULL;
  struct oci_config_linux_resources *r = xmalloc0 (sizeof (*r));
  const char *usage = "update [--resources FILE|-] [--memory N] [--cpu-quota N] ... ID";
  int64_t v;

  r->memory = xmalloc0 (sizeof (*r->memory));
  r->cpu = xmalloc0 (sizeof (*r->cpu));
  r->pids = xmalloc0 (sizeof (*r->pids));
  r->block_io = xmalloc0 (sizeof (*r->block_io));
  optind = 0;
  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:r:h", opts, NULL)) != -1)
    {
      switch (c)
        {
        case 'r':
        case O_RESOURCES:
          free (resources_json);
          resources_json = NULL;
          if (strcmp (optarg, "-") == 0 ? read_json_fd (0, "stdin", &resources_json, NULL, err) < 0
                                        : read_json_file (optarg, &resources_json, NULL, err) < 0)
            goto out;
          break;
        case O_MEMORY:
          if (parse_size (optarg, "--memory", &v, err) < 0)
            goto out;
          r->memory->limit = v;
          r->memory->limit_present = true;
          break;
        case O_MEMORY_SWAP:
          if (parse_size (optarg, "--memory-swap", &v, err) < 0)
            goto out;
          r->memory->swap = v;
          r->memory->swap_present = true;
          break;
        case O_MEMORY_RES:
          if (parse_size (optarg, "--memory-reservation", &v, err) < 0)
            goto out;
          r->memory->reservation = v;
          r->memory->reservation_present = true;
          break;
        case O_KMEM:
          break; /* no cgroup v2 equivalent: ignored like runc does */
        case O_CPU_QUOTA:
          if (parse_size (optarg, "--cpu-quota", &v, err) < 0)
            goto out;
          r->cpu->quota = v;
          r->cpu->quota_present = true;
          break;
        case O_CPU_PERIOD:
          if (parse_size (optarg, "--cpu-period", &v, err) < 0)
            goto out;
          r->cpu->period = (uint64_t) v;
          r->cpu->period_present = true;
          break;
        case O_CPU_SHARE:
          if (parse_size (optarg, "--cpu-share", &v, err) < 0)
            goto out;
          r->cpu->shares = (uint64_t) v;
          r->cpu->shares_present = true;
          break;
        case O_CPU_RT_PERIOD:
          if (parse_size (optarg, "--cpu-rt-period", &v, err) < 0)
            goto out;
          r->cpu->realtime_period = (uint64_t) v;
          r->cpu->realtime_period_present = true;
          break;
        case O_CPU_RT_RUNTIME:
          if (parse_size (optarg, "--cpu-rt-runtime", &v, err) < 0)
            goto out;
          r->cpu->realtime_runtime = v;
          r->cpu->realtime_runtime_present = true;
          break;
        case O_CPUSET_CPUS:
          free (r->cpu->cpus);
          r->cpu->cpus = xstrdup (optarg);
          break;
        case O_CPUSET_MEMS:
          free (r->cpu->mems);
          r->cpu->mems = xstrdup (optarg);
          break;
        case O_PIDS:
          if (parse_size (optarg, "--pids-limit", &v, err) < 0)
            goto out;
          r->pids->limit = v;
          r->pids->limit_present = true;
          break;
        case O_BLKIO:
          if (parse_size (optarg, "--blkio-weight", &v, err) < 0)
            goto out;
          if (v < 10 || v > 1000)
            {
              ocirun_error_set (err, 0, "--blkio-weight: %lld is outside 10..1000", (long long) v);
              goto out;
            }
          r->block_io->weight = (uint16_t) v;
          r->block_io->weight_present = true;
          break;
        case 'h':
        case O_HELP:
          cmd_help (usage, "Change the resources of a running container (runc's flag names).\n");
          ret = 0;
          goto out;
        default:
          cmd_bad_option (c, argv, usage, err);
          goto out;
        }
    }
  if (cmd_take_id (ctx, argc, argv, usage, err) < 0)
    goto out;
  if (! r->pids->limit_present)
    {
      free (r->pids);
      r->pids = NULL;
    }
  ret = ocirun_container_update (ctx, resources_json, r, err) < 0 ? -1 : 0;
out:
  free_oci_config_linux_resources (r);
  return ret;
}
