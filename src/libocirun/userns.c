/* ocirun: user namespace id maps.
 * Copyright (C) 2026 ocirun authors.  SPDX-License-Identifier: GPL-2.0-or-later */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <string.h>
#include <sys/wait.h>
#include "userns.h"
#include "procfs.h"
#include "utils.h"

int
ocirun_userns_format_map (struct oci_id_mapping **maps, size_t n, const char *field, char **out,
                          struct ocirun_error **err)
{
  size_t cap = 64 * (n + 1), len = 0;
  cleanup_free char *buf = xmalloc0 (cap);

  if (n == 0)
    return ocirun_error_set (err, 0, "%s: empty (a user namespace needs at least one mapping)", field);
  if (n > 340)
    return ocirun_error_set (err, 0, "%s: %zu mappings, the kernel accepts at most 340", field, n);
  for (size_t i = 0; i < n; i++)
    {
      const struct oci_id_mapping *m = maps[i];
      if (m->size == 0)
        return ocirun_error_set (err, 0, "%s[%zu].size: must be greater than 0", field, i);
      if ((uint64_t) m->container_id + m->size > 4294967296ULL
          || (uint64_t) m->host_id + m->size > 4294967296ULL)
        return ocirun_error_set (err, 0, "%s[%zu]: range overflows 32-bit ids", field, i);
      for (size_t j = 0; j < i; j++)
        {
          const struct oci_id_mapping *o = maps[j];
          if ((uint64_t) m->container_id < (uint64_t) o->container_id + o->size
              && (uint64_t) o->container_id < (uint64_t) m->container_id + m->size)
            return ocirun_error_set (err, 0, "%s[%zu]: containerID range overlaps %s[%zu]", field, i,
                                     field, j);
          if ((uint64_t) m->host_id < (uint64_t) o->host_id + o->size
              && (uint64_t) o->host_id < (uint64_t) m->host_id + m->size)
            return ocirun_error_set (err, 0, "%s[%zu]: hostID range overlaps %s[%zu]", field, i,
                                     field, j);
        }
      len += (size_t) snprintf (buf + len, cap - len, "%u %u %u\n", m->container_id, m->host_id,
                                m->size);
    }
  *out = steal_pointer (&buf);
  return 0;
}

bool
ocirun_subid_covers (const char *content, const char *user, uid_t uid, uint64_t start, uint64_t size)
{
  cleanup_free char *copy = xstrdup (content);
  char *save = NULL;
  char uidbuf[32];
  snprintf (uidbuf, sizeof (uidbuf), "%u", uid);
  for (char *line = strtok_r (copy, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      char *name = line, *c1 = strchr (line, ':'), *c2;
      unsigned long long s, n;
      if (c1 == NULL)
        continue;
      *c1 = '\0';
      c2 = strchr (c1 + 1, ':');
      if (c2 == NULL)
        continue;
      if (strcmp (name, uidbuf) != 0 && (user == NULL || strcmp (name, user) != 0))
        continue;
      s = strtoull (c1 + 1, NULL, 10);
      n = strtoull (c2 + 1, NULL, 10);
      if (start >= s && start + size <= s + n)
        return true;
    }
  return false;
}

bool
ocirun_userns_direct_ok (struct oci_id_mapping **maps, size_t n, uid_t own)
{
  if (geteuid () == 0)
    return true;
  return n == 1 && maps[0]->size == 1 && maps[0]->host_id == own;
}

static int
write_proc (pid_t pid, const char *file, const char *data, struct ocirun_error **err)
{
  return ocirun_procfs_write_pid (pid, file, data, err);
}

/* Explain why newuidmap/newgidmap refused: name the user, the range, the file.  */
static int
explain_subid_failure (const char *helper, const char *file, struct oci_id_mapping **maps, size_t n,
                       uid_t own, const char *out, struct ocirun_error **err)
{
  struct passwd *pw = getpwuid (own);
  const char *user = pw ? pw->pw_name : NULL;
  cleanup_free char *content = NULL;
  cleanup_free char *uname = user ? xstrdup (user) : xasprintf ("%u", own);

  read_all_file (file, &content, NULL, NULL);
  for (size_t i = 0; i < n; i++)
    {
      const struct oci_id_mapping *m = maps[i];
      if (m->host_id == own && m->size == 1)
        continue;
      if (content == NULL || ! ocirun_subid_covers (content, user, own, m->host_id, m->size))
        return ocirun_error_set (err, 0,
                                 "cannot map %s %u-%u to host %u-%u for user %s: no such range in %s "
                                 "(add \"%s:%u:%u\"); run `ocirun check` for a diagnosis",
                                 strstr (helper, "gid") ? "gid" : "uid", m->container_id,
                                 m->container_id + m->size - 1, m->host_id, m->host_id + m->size - 1,
                                 uname, file, uname, m->host_id, m->size);
    }
  return ocirun_error_set (err, 0, "%s failed for user %s: %s; run `ocirun check` for a diagnosis",
                           helper, uname, out && *out ? out : "unknown error");
}

static int
run_idmap_helper (const char *helper, const char *file, pid_t pid, struct oci_id_mapping **maps,
                  size_t n, struct ocirun_error **err)
{
  cleanup_strv char **argv = xmalloc0 ((3 + 3 * n) * sizeof (char *));
  cleanup_free char *out = NULL;
  int pipefd[2], status;
  pid_t child;
  size_t k = 0;
  const char *path = NULL;
  static const char *dirs[] = { "/usr/bin/", "/bin/", "/usr/sbin/", "/usr/local/bin/" };

  for (size_t i = 0; i < sizeof (dirs) / sizeof (dirs[0]) && ! path; i++)
    {
      cleanup_free char *p = xasprintf ("%s%s", dirs[i], helper);
      if (access (p, X_OK) == 0)
        path = dirs[i];
    }
  if (path == NULL)
    return ocirun_error_set (err, 0,
                             "%s not found: it is needed to map more than your own id as an "
                             "unprivileged user (apt-get install uidmap; run `ocirun check` for a diagnosis)",
                             helper);
  argv[k++] = xasprintf ("%s%s", path, helper);
  argv[k++] = xasprintf ("%d", pid);
  for (size_t i = 0; i < n; i++)
    {
      argv[k++] = xasprintf ("%u", maps[i]->container_id);
      argv[k++] = xasprintf ("%u", maps[i]->host_id);
      argv[k++] = xasprintf ("%u", maps[i]->size);
    }
  if (pipe2 (pipefd, O_CLOEXEC) < 0)
    return ocirun_error_set (err, errno, "pipe");
  child = fork ();
  if (child < 0)
    {
      close (pipefd[0]);
      close (pipefd[1]);
      return ocirun_error_set (err, errno, "fork %s", helper);
    }
  if (child == 0)
    {
      dup2 (pipefd[1], 1);
      dup2 (pipefd[1], 2);
      execv (argv[0], argv);
      _exit (127);
    }
  close (pipefd[1]);
  read_all_fd (pipefd[0], helper, &out, NULL, NULL);
  close (pipefd[0]);
  if (wait_for_pid (child, &status) < 0)
    return ocirun_error_set (err, errno, "wait for %s", helper);
  if (! WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      if (out)
        {
          size_t l = strlen (out);
          while (l && (out[l - 1] == '\n' || out[l - 1] == ' '))
            out[--l] = '\0';
          for (char *p = out; *p; p++)
            if (*p == '\n')
              *p = ' ';
        }
      return explain_subid_failure (helper, file, maps, n, geteuid (), out, err);
    }
  return 0;
}

int
ocirun_userns_write_maps (pid_t pid, const struct oci_config_linux *linux, struct ocirun_error **err)
{
  cleanup_free char *uidmap = NULL;
  cleanup_free char *gidmap = NULL;
  uid_t euid = geteuid ();
  gid_t egid = getegid ();

  if (ocirun_userns_format_map (linux->uid_mappings, linux->uid_mappings_len, "linux.uidMappings",
                                &uidmap, err) < 0
      || ocirun_userns_format_map (linux->gid_mappings, linux->gid_mappings_len,
                                   "linux.gidMappings", &gidmap, err) < 0)
    return -1;

  if (ocirun_userns_direct_ok (linux->gid_mappings, linux->gid_mappings_len, egid) || euid == 0)
    {
      if (euid != 0)
        {
          /* An unprivileged gid_map needs setgroups denied first.  */
          if (write_proc (pid, "setgroups", "deny", err) < 0)
            return -1;
        }
      if (write_proc (pid, "gid_map", gidmap, err) < 0)
        return ocirun_error_wrap (err, "linux.gidMappings");
    }
  else if (run_idmap_helper ("newgidmap", "/etc/subgid", pid, linux->gid_mappings,
                             linux->gid_mappings_len, err) < 0)
    return -1;

  if (ocirun_userns_direct_ok (linux->uid_mappings, linux->uid_mappings_len, euid))
    {
      if (write_proc (pid, "uid_map", uidmap, err) < 0)
        return ocirun_error_wrap (err, "linux.uidMappings");
    }
  else if (run_idmap_helper ("newuidmap", "/etc/subuid", pid, linux->uid_mappings,
                             linux->uid_mappings_len, err) < 0)
    return -1;
  return 0;
}
