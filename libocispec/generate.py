#!/usr/bin/python3
"""Generate C structs and yajl-based parse/generate/free functions from the
OCI runtime-spec JSON schemas.

Usage:
    python3 libocispec/generate.py --schema-dir DIR --ext-dir libocispec/schema-ext \
        --out-dir OUTDIR

Writes OUTDIR/oci_spec.h and OUTDIR/oci_spec.c.  Only the Python standard
library is used.  See libocispec/README.md for the naming convention.

Design: every struct gets a static, table-driven type descriptor (JSON name,
kind, offsetof of the C member, ...).  A fixed set of generic helpers (the C
prologue below) walks these tables to parse, generate and free, so the
per-type generated code is just data plus three one-line wrappers.
"""

import argparse
import json
import os
import re
import sys

# Root documents: (file, C type name).  The first two come from the upstream
# runtime-spec schema directory, the others from the extension directory.
ROOTS = [
    ("config-schema.json", "oci_config"),
    ("state-schema.json", "oci_state"),
    ("features-schema.json", "oci_features"),
    ("ocirun-state.json", "oci_ocirun_state"),
    ("criu-descriptors.json", "oci_criu_descriptors"),
]

# Types that additionally get a T_parse_file() function.
PARSE_FILE_TYPES = [
    "oci_config", "oci_state", "oci_features", "oci_ocirun_state",
    "oci_config_process", "oci_config_linux_resources",
]

# config-schema.json also references config-solaris/windows/vm/zos.json.
# ocirun is a Linux runtime: those platform sections are deliberately NOT
# generated.  A document containing them still parses; the keys are simply
# ignored like any other unknown key (and are not written back).
SKIPPED_PROPERTIES = {
    "oci_config": {"solaris", "windows", "vm", "zos"},
}

# Named integer definitions (defs.json / defs-linux.json) -> integer kind.
# The first definition of this table met while following a $ref chain wins;
# a plain "integer" without any of these refs is int64.
INT_DEFS = {
    "int8": "int8", "int16": "int16", "int32": "int32", "int64": "int64",
    "uint8": "uint8", "uint16": "uint16", "uint32": "uint32",
    "uint64": "uint64", "percent": "uint8",
    "UID": "uint32", "GID": "uint32", "Umask": "uint32",
    "FileMode": "uint32", "weight": "uint16",
    "Major": "int64", "Minor": "int64",
}

C_KEYWORDS = set("""auto break case char const continue default do double else
enum extern float for goto if inline int long register restrict return short
signed sizeof static struct switch typedef union unsigned void volatile while
bool true false asm typeof _Bool _Complex _Imaginary""".split())


def snake(name):
    """camelCase -> snake_case, splitting at lower->Upper boundaries and at
    the end of acronym runs (blockIO -> block_io, disableOOMKiller ->
    disable_oom_killer, l3CacheSchema -> l3_cache_schema)."""
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    return s.replace("-", "_").replace(".", "_").lower()


def c_ident(name):
    ident = snake(name)
    return ident + "_" if ident in C_KEYWORDS else ident


class GenError(Exception):
    pass


# --------------------------------------------------------------------------
# Schema loading and extension merging


def deep_merge(dst, patch):
    """Merge PATCH into DST: objects recursively, arrays as an ordered union,
    anything else replaced."""
    for key, val in patch.items():
        cur = dst.get(key)
        if isinstance(cur, dict) and isinstance(val, dict):
            deep_merge(cur, val)
        elif isinstance(cur, list) and isinstance(val, list):
            cur.extend(v for v in val if v not in cur)
        else:
            dst[key] = val


def json_pointer(doc, pointer, where):
    node = doc
    for part in [p for p in pointer.split("/") if p]:
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            raise GenError("%s: cannot resolve JSON pointer %r" % (where, pointer))
        node = node[part]
    return node


class SchemaSet:
    """All schema documents, keyed by file name.  Extension documents living
    in the extension directory share the namespace, so they may $ref
    "defs.json#/definitions/..." of the upstream schemas."""

    def __init__(self, schema_dir, ext_dir):
        self.docs = {}
        for d in (schema_dir, ext_dir):
            for fn in sorted(os.listdir(d)):
                if fn.endswith(".json"):
                    with open(os.path.join(d, fn), encoding="utf-8") as f:
                        self.docs[fn] = json.load(f)
        for fn, doc in list(self.docs.items()):
            if isinstance(doc, dict) and "merge" in doc and fn.endswith("-ext.json"):
                self.apply_extension(fn, doc["merge"])

    def apply_extension(self, ext_name, merges):
        for target, patch in merges.items():
            fn, _, ptr = target.partition("#")
            if fn not in self.docs:
                raise GenError("%s: unknown target document %r" % (ext_name, fn))
            node = json_pointer(self.docs[fn], ptr, ext_name)
            if not isinstance(node, dict):
                raise GenError("%s: target %r is not an object" % (ext_name, target))
            deep_merge(node, patch)

    def follow(self, cur_file, ref):
        """Resolve REF seen in CUR_FILE -> (file, node, definition name|None)."""
        fn, _, ptr = ref.partition("#")
        fn = fn or cur_file
        if fn not in self.docs:
            raise GenError("%s: $ref to unknown document %r" % (cur_file, ref))
        node = json_pointer(self.docs[fn], ptr, cur_file)
        parts = [p for p in ptr.split("/") if p]
        defname = parts[1] if len(parts) == 2 and parts[0] == "definitions" else None
        return fn, node, defname


# --------------------------------------------------------------------------
# Type model

INT_KINDS = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]


class Field:
    def __init__(self, json_name, kind, array, sub, required):
        self.json_name = json_name
        self.c_name = c_ident(json_name)
        self.kind = kind          # "string", "boolean", an INT_KINDS entry, or "object"
        self.array = array
        self.sub = sub            # Struct for kind == "object"
        self.required = required

    def aux_name(self):
        if self.array:
            return self.c_name + "_len"
        if self.kind == "boolean" or self.kind in INT_KINDS:
            return self.c_name + "_present"
        return None

    def c_type(self):
        """C type of the member (for arrays: pointer to the element type)."""
        if self.kind == "string":
            base = "char *"
        elif self.kind == "boolean":
            base = "bool "
        elif self.kind == "object":
            base = "struct %s *" % self.sub.name
        else:
            base = "%s_t " % self.kind
        if self.array:
            base = base.rstrip()
            return base + ("*" if base.endswith("*") else " *")
        return base

    def decls(self):
        """C member declarations as (declaration, JSON name or None)."""
        out = [("%s%s;" % (self.c_type(), self.c_name), self.json_name)]
        aux = self.aux_name()
        if aux:
            out.append(("%s %s;" % ("size_t" if self.array else "bool", aux), None))
        return out


class Struct:
    def __init__(self, name, origin):
        self.name = name
        self.origin = origin      # human readable description of the source
        self.fields = []
        self.map_value = None     # Field for map types (key is always string)

    @property
    def is_map(self):
        return self.map_value is not None


STRING_MAP = object()  # identity of the single shared oci_map_string type


class Builder:
    def __init__(self, schemas):
        self.schemas = schemas
        self.structs = {}         # name -> Struct
        self.sources = {}         # name -> id(node) it was built from
        self.order = []           # emission order (dependencies first)

    def classify(self, fn, node, hint, where):
        """Return (kind, array, sub) for the schema NODE found in file FN.
        HINT is the C name an inline object here would get, WHERE its JSON
        path (for comments)."""
        int_kind, defname = None, None
        while True:
            if "$ref" in node:
                fn, node, defname = self.schemas.follow(fn, node["$ref"])
                if defname in INT_DEFS and int_kind is None:
                    int_kind = INT_DEFS[defname]
            elif "anyOf" in node and len(node["anyOf"]) == 1:
                node, defname = node["anyOf"][0], None
            else:
                break
        typ = node.get("type")
        if "allOf" in node or "properties" in node:
            if defname:
                name, where = "oci_" + snake(defname), "%s#/definitions/%s" % (fn, defname)
            else:
                name = hint
            return "object", False, self.build_struct(fn, node, name, where)
        if typ == "array":
            kind, array, sub = self.classify(fn, node["items"], hint + "_element", where + "[]")
            if array:
                raise GenError("%s: arrays of arrays are not supported" % hint)
            return kind, True, sub
        if typ in ("string", "boolean"):
            return typ, False, None
        if typ == "integer":
            return int_kind or "int64", False, None
        if typ == "object":
            value = node.get("additionalProperties")
            if not isinstance(value, dict):
                pats = list(node.get("patternProperties", {}).values())
                value = pats[0] if len(pats) == 1 else None
            if value is None:
                raise GenError("%s: object without properties or map value" % hint)
            return "object", False, self.build_map(fn, value, hint, where)
        raise GenError("%s: unsupported schema construct %r" % (hint, node))

    def register(self, name, node, origin):
        if name in self.structs:
            if self.sources[name] != id(node):
                raise GenError("two different schemas map to the C name %s" % name)
            return self.structs[name], False
        st = Struct(name, origin)
        self.structs[name] = st
        self.sources[name] = id(node)
        return st, True

    def build_struct(self, fn, node, name, where):
        st, new = self.register(name, node, "JSON object " + (
            where + " (document root)" if where.endswith(":") else where))
        if not new:
            return st
        props, required = [], set()
        parts = node["allOf"] if "allOf" in node else [node]
        for part in parts:
            pfn = fn
            while "$ref" in part:
                pfn, part, _ = self.schemas.follow(pfn, part["$ref"])
            required.update(part.get("required", ()))
            for pname, pschema in part.get("properties", {}).items():
                props.append((pfn, pname, pschema))
        if "allOf" in node:
            required.update(node.get("required", ()))
        skipped = SKIPPED_PROPERTIES.get(name, set())
        seen = set()
        for pfn, pname, pschema in props:
            if pname in skipped or pname in seen:
                continue
            seen.add(pname)
            kind, array, sub = self.classify(pfn, pschema, name + "_" + snake(pname),
                                             "%s.%s" % (where, pname) if where[-1] != ":" else where + " " + pname)
            st.fields.append(Field(pname, kind, array, sub, pname in required))
        self.check_members(st)
        self.order.append(st)
        return st

    def build_map(self, fn, value, hint, where):
        kind, array, sub = self.classify(fn, value, hint + "_element", where + ".*")
        if array:
            raise GenError("%s: maps of arrays are not supported" % hint)
        if kind == "string":
            name = "oci_map_string"
        elif kind == "object" and not sub.is_map:
            name = "oci_map_" + sub.name[len("oci_"):]
        else:
            raise GenError("%s: unsupported map value type %s" % (hint, kind))
        key = value if kind != "string" else STRING_MAP  # one shared string map
        st, new = self.register(name, key, "map: JSON object of string -> %s" % (
            "struct " + sub.name if sub else "string"))
        if new:
            st.map_value = Field("", kind, True, sub, False)
            self.order.append(st)
        return st

    @staticmethod
    def check_members(st):
        names = set()
        for f in st.fields:
            for decl, _ in f.decls():
                member = re.search(r"(\w+);$", decl).group(1)
                if member in names:
                    raise GenError("%s: duplicate C member %s" % (st.name, member))
                names.add(member)

    def build_roots(self):
        for fn, name in ROOTS:
            if fn not in self.schemas.docs:
                raise GenError("missing root schema %s" % fn)
            node = self.schemas.docs[fn]
            if "properties" not in node:
                raise GenError("%s: root is not an object schema" % fn)
            self.build_struct(fn, node, name, fn + ":")


# --------------------------------------------------------------------------
# C emission

KIND_ENUM = {"string": "OC_STR", "boolean": "OC_BOOL", "object": "OC_OBJ"}
KIND_ENUM.update((k, "OC_" + k.upper().replace("INT", "I").replace("UI", "U"))
                 for k in INT_KINDS)

HEADER_PROLOGUE = """\
/* oci_spec.h -- generated by libocispec/generate.py from the OCI
   runtime-spec JSON schemas plus libocispec/schema-ext.  DO NOT EDIT.

   Conventions (see libocispec/README.md):
   - JSON camelCase names become snake_case members (ociVersion -> oci_version).
   - strings are char * (NULL when absent); booleans and integers carry a
     NAME_present flag; arrays are NAME + NAME_len (a non-NULL pointer with
     NAME_len == 0 is an explicitly empty array); objects and maps are
     pointers (NULL when absent).
   - A parsed array has one zeroed element after the last: arrays of
     strings and objects (map keys and values too) are NULL-terminated, so
     process.args or a hook's env can go to execve as they are.  Code that
     builds an array by hand must keep NAME[NAME_len] == NULL itself.
   - For every struct type T:
       void free_T (T *p);                                  NULL-safe, deep
       T *T_parse_data (const char *json, size_t len, char **err);
       char *T_generate_json (const T *p, char **err);      compact JSON
     On failure NULL is returned and *err (if ERR is not NULL) is set to a
     malloc'd message that the caller frees.  Unknown JSON keys are ignored;
     JSON null for a member is treated as absent.  Out of memory aborts.  */

#ifndef OCI_SPEC_H
#define OCI_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* GNU C predefines "linux" as 1; the config has a member named linux.  */
#undef linux

#ifdef __cplusplus
extern "C" {
#endif
"""

SOURCE_PROLOGUE = r"""/* oci_spec.c -- generated by libocispec/generate.py.  DO NOT EDIT.  */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include "oci_spec.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

enum oc_kind
{
  OC_STR, OC_BOOL, OC_OBJ,
  OC_I8, OC_I16, OC_I32, OC_I64, OC_U8, OC_U16, OC_U32, OC_U64
};

static const struct
{
  const char *name;
  size_t size;
  int64_t min, max;     /* signed kinds */
  uint64_t umax;        /* unsigned kinds; 0 for signed ones */
} oc_kinds[] = {
  [OC_STR] = { "string", sizeof (char *), 0, 0, 0 },
  [OC_BOOL] = { "boolean", sizeof (bool), 0, 0, 0 },
  [OC_OBJ] = { "object", sizeof (void *), 0, 0, 0 },
  [OC_I8] = { "int8", 1, INT8_MIN, INT8_MAX, 0 },
  [OC_I16] = { "int16", 2, INT16_MIN, INT16_MAX, 0 },
  [OC_I32] = { "int32", 4, INT32_MIN, INT32_MAX, 0 },
  [OC_I64] = { "int64", 8, INT64_MIN, INT64_MAX, 0 },
  [OC_U8] = { "uint8", 1, 0, 0, UINT8_MAX },
  [OC_U16] = { "uint16", 2, 0, 0, UINT16_MAX },
  [OC_U32] = { "uint32", 4, 0, 0, UINT32_MAX },
  [OC_U64] = { "uint64", 8, 0, 0, UINT64_MAX },
};

struct oc_type;

/* One member of a struct (or, for maps, the values array).  */
struct oc_field
{
  const char *name;             /* JSON name */
  unsigned char kind;           /* enum oc_kind of the value / element */
  unsigned char array;          /* value is an array: OFF is T *, AUX is size_t */
  unsigned char required;
  size_t off;                   /* offsetof the member */
  size_t aux;                   /* offsetof NAME_present / NAME_len */
  const struct oc_type *sub;    /* OC_OBJ: type of the pointed-to struct */
};

struct oc_type
{
  const char *name;
  size_t size;
  const struct oc_field *fields;
  size_t nfields;
  int is_map;                   /* map: fields[0] describes values */
  size_t keys_off;              /* map: offsetof keys */
};

/* JSON path of the value being parsed, as a chain on the C stack.  */
struct oc_path
{
  const struct oc_path *parent;
  const char *key;              /* NULL: array element INDEX */
  size_t index;
};

static void *
oc_xcalloc (size_t n, size_t size)
{
  void *r = calloc (n ? n : 1, size ? size : 1);
  if (r == NULL)
    abort ();
  return r;
}

static char *
oc_xstrdup (const char *s)
{
  char *r = strdup (s);
  if (r == NULL)
    abort ();
  return r;
}

static void *
oc_getp (const void *base, size_t off)
{
  void *r;
  memcpy (&r, (const char *) base + off, sizeof r);
  return r;
}

static void
oc_setp (void *base, size_t off, void *v)
{
  memcpy ((char *) base + off, &v, sizeof v);
}

static size_t
oc_getz (const void *base, size_t off)
{
  size_t r;
  memcpy (&r, (const char *) base + off, sizeof r);
  return r;
}

static void
oc_setz (void *base, size_t off, size_t v)
{
  memcpy ((char *) base + off, &v, sizeof v);
}

static void
oc_print_path (FILE *f, const struct oc_path *p)
{
  if (p == NULL)
    return;
  oc_print_path (f, p->parent);
  if (p->key == NULL)
    fprintf (f, "[%zu]", p->index);
  else
    fprintf (f, "%s%s", p->parent ? "." : "", p->key);
}

static void __attribute__ ((format (printf, 3, 4)))
oc_error (char **err, const struct oc_path *p, const char *fmt, ...)
{
  char *buf = NULL;
  size_t len = 0;
  va_list ap;
  FILE *f;

  if (err == NULL)
    return;
  f = open_memstream (&buf, &len);
  if (f == NULL)
    abort ();
  oc_print_path (f, p);
  if (p != NULL)
    fputs (": ", f);
  va_start (ap, fmt);
  vfprintf (f, fmt, ap);
  va_end (ap);
  if (fclose (f) != 0)
    abort ();
  free (*err);
  *err = buf;
}

static const char *
oc_json_type (yajl_val v)
{
  switch (v->type)
    {
    case yajl_t_string: return "string";
    case yajl_t_number: return "number";
    case yajl_t_object: return "object";
    case yajl_t_array: return "array";
    case yajl_t_true: case yajl_t_false: return "boolean";
    default: return "null";
    }
}

static int
oc_type_error (char **err, const struct oc_path *p, const char *expected, yajl_val v)
{
  oc_error (err, p, "expected %s, got %s", expected, oc_json_type (v));
  return -1;
}

static int
oc_parse_int (unsigned kind, yajl_val v, const struct oc_path *p, void *dst, char **err)
{
  const char *txt;
  char *end = NULL;
  int ok;

  if (!YAJL_IS_NUMBER (v) || strpbrk (v->u.number.r, ".eE") != NULL)
    return oc_type_error (err, p, "integer", v);
  txt = v->u.number.r;
  errno = 0;
  if (oc_kinds[kind].umax != 0)
    {
      uint64_t u = 0;
      if (*txt == '-')
        ok = strtoll (txt, &end, 10) == 0;  /* only "-0" */
      else
        {
          u = strtoull (txt, &end, 10);
          ok = u <= oc_kinds[kind].umax;
        }
      ok = ok && errno == 0 && *end == '\0';
      if (ok)
        switch (oc_kinds[kind].size)
          {
          case 1: { uint8_t x = u; memcpy (dst, &x, 1); break; }
          case 2: { uint16_t x = u; memcpy (dst, &x, 2); break; }
          case 4: { uint32_t x = u; memcpy (dst, &x, 4); break; }
          default: memcpy (dst, &u, 8);
          }
    }
  else
    {
      long long s = strtoll (txt, &end, 10);
      ok = errno == 0 && *end == '\0'
           && s >= oc_kinds[kind].min && s <= oc_kinds[kind].max;
      if (ok)
        switch (oc_kinds[kind].size)
          {
          case 1: { int8_t x = s; memcpy (dst, &x, 1); break; }
          case 2: { int16_t x = s; memcpy (dst, &x, 2); break; }
          case 4: { int32_t x = s; memcpy (dst, &x, 4); break; }
          default: { int64_t x = s; memcpy (dst, &x, 8); }
          }
    }
  if (!ok)
    oc_error (err, p, "value %s out of range for %s", txt, oc_kinds[kind].name);
  return ok ? 0 : -1;
}

static void *oc_parse_type (const struct oc_type *t, yajl_val v,
                            const struct oc_path *p, char **err);

/* Parse V into *DST (storage of one value of KIND).  DST is only written
   on success.  */
static int
oc_parse_value (const struct oc_field *f, yajl_val v, const struct oc_path *p,
                void *dst, char **err)
{
  switch (f->kind)
    {
    case OC_STR:
      {
        char *s;
        if (!YAJL_IS_STRING (v))
          return oc_type_error (err, p, "string", v);
        s = oc_xstrdup (v->u.string);
        memcpy (dst, &s, sizeof s);
        return 0;
      }
    case OC_BOOL:
      {
        bool b = YAJL_IS_TRUE (v);
        if (!b && !YAJL_IS_FALSE (v))
          return oc_type_error (err, p, "boolean", v);
        memcpy (dst, &b, sizeof b);
        return 0;
      }
    case OC_OBJ:
      {
        void *o = oc_parse_type (f->sub, v, p, err);
        if (o == NULL)
          return -1;
        memcpy (dst, &o, sizeof o);
        return 0;
      }
    default:
      return oc_parse_int (f->kind, v, p, dst, err);
    }
}

static void oc_free (const struct oc_type *t, void *p);

static void
oc_free_field (const struct oc_field *f, void *p)
{
  void *v;
  size_t i, n;

  if (!f->array && f->kind != OC_STR && f->kind != OC_OBJ)
    return;                     /* plain scalar: nothing to free */
  v = oc_getp (p, f->off);
  if (f->array)
    {
      n = oc_getz (p, f->aux);
      for (i = 0; f->kind == OC_STR && i < n; i++)
        free (oc_getp (v, i * sizeof (void *)));
      for (i = 0; f->kind == OC_OBJ && i < n; i++)
        oc_free (f->sub, oc_getp (v, i * sizeof (void *)));
      free (v);
    }
  else if (f->kind == OC_STR)
    free (v);
  else if (f->kind == OC_OBJ)
    oc_free (f->sub, v);
}

static void
oc_free (const struct oc_type *t, void *p)
{
  size_t i;

  if (p == NULL)
    return;
  if (t->is_map)
    {
      char **keys = oc_getp (p, t->keys_off);
      size_t n = oc_getz (p, t->fields[0].aux);
      for (i = 0; i < n; i++)
        free (keys[i]);
      free (keys);
    }
  for (i = 0; i < t->nfields; i++)
    oc_free_field (&t->fields[i], p);
  free (p);
}

static yajl_val
oc_lookup (yajl_val obj, const char *key)
{
  size_t i = obj->u.object.len;
  while (i-- > 0)               /* the last duplicate wins */
    if (strcmp (obj->u.object.keys[i], key) == 0)
      return obj->u.object.values[i];
  return NULL;
}

/* Parse the JSON array V into the array member F of the struct R.  */
static int
oc_parse_array (const struct oc_field *f, yajl_val v, const struct oc_path *p,
                void *r, char **err)
{
  size_t i, es = oc_kinds[f->kind].size;
  char *arr;

  if (!YAJL_IS_ARRAY (v))
    return oc_type_error (err, p, "array", v);
  /* one zeroed element more: char ** and T ** arrays are NULL-terminated */
  arr = oc_xcalloc (v->u.array.len + 1, es);
  oc_setp (r, f->off, arr);
  for (i = 0; i < v->u.array.len; i++)
    {
      struct oc_path ep = { p, NULL, i };
      if (oc_parse_value (f, v->u.array.values[i], &ep, arr + i * es, err) < 0)
        return -1;
      oc_setz (r, f->aux, i + 1);
    }
  return 0;
}

static void *
oc_parse_type (const struct oc_type *t, yajl_val v, const struct oc_path *p, char **err)
{
  void *r;
  size_t i;

  if (!YAJL_IS_OBJECT (v))
    {
      oc_type_error (err, p, "object", v);
      return NULL;
    }
  r = oc_xcalloc (1, t->size);
  if (t->is_map)
    {
      const struct oc_field *f = &t->fields[0];
      size_t n = v->u.object.len, es = oc_kinds[f->kind].size;
      /* NULL-terminated, like arrays */
      char **keys = oc_xcalloc (n + 1, sizeof (char *));
      char *vals = oc_xcalloc (n + 1, es);
      oc_setp (r, t->keys_off, keys);
      oc_setp (r, f->off, vals);
      for (i = 0; i < n; i++)
        {
          struct oc_path ep = { p, v->u.object.keys[i], 0 };
          if (oc_parse_value (f, v->u.object.values[i], &ep, vals + i * es, err) < 0)
            goto fail;
          keys[i] = oc_xstrdup (v->u.object.keys[i]);
          oc_setz (r, f->aux, i + 1);
        }
      return r;
    }
  for (i = 0; i < t->nfields; i++)
    {
      const struct oc_field *f = &t->fields[i];
      struct oc_path fp = { p, f->name, 0 };
      yajl_val fv = oc_lookup (v, f->name);

      if (fv == NULL || YAJL_IS_NULL (fv))
        {
          if (!f->required)
            continue;
          oc_error (err, &fp, "required field missing");
          goto fail;
        }
      if (f->array)
        {
          if (oc_parse_array (f, fv, &fp, r, err) < 0)
            goto fail;
        }
      else if (oc_parse_value (f, fv, &fp, (char *) r + f->off, err) < 0)
        goto fail;
      else if (f->kind != OC_STR && f->kind != OC_OBJ)
        *((bool *) ((char *) r + f->aux)) = true;
    }
  return r;
fail:
  oc_free (t, r);
  return NULL;
}

static void *
oc_parse_data (const struct oc_type *t, const char *json, size_t len, char **err)
{
  char errbuf[1024] = "";
  char *copy, *s, *d;
  yajl_val tree;
  void *r;

  if (err)
    *err = NULL;
  if (json == NULL)
    {
      oc_error (err, NULL, "invalid JSON: no data");
      return NULL;
    }
  copy = oc_xcalloc (len + 1, 1);
  memcpy (copy, json, len);
  tree = yajl_tree_parse (copy, errbuf, sizeof errbuf);
  free (copy);
  if (tree == NULL)
    {
      /* yajl's verbose message spans several lines: make it one line.  */
      for (s = d = errbuf; *s; s++)
        if (!(*s == '\n' || *s == '\r' || *s == '\t' || *s == ' ')
            || (d > errbuf && d[-1] != ' '))
          *d++ = (*s == '\n' || *s == '\r' || *s == '\t') ? ' ' : *s;
      while (d > errbuf && d[-1] == ' ')
        d--;
      *d = '\0';
      oc_error (err, NULL, "invalid JSON: %s", *errbuf ? errbuf : "parse error");
      return NULL;
    }
  r = oc_parse_type (t, tree, NULL, err);
  yajl_tree_free (tree);
  return r;
}

static void *
oc_parse_file (const struct oc_type *t, const char *path, char **err)
{
  char *buf = NULL;
  size_t len = 0, cap = 0, n;
  void *r;
  FILE *f;

  if (err)
    *err = NULL;
  f = fopen (path, "re");
  if (f == NULL)
    {
      oc_error (err, NULL, "cannot open %s: %s", path, strerror (errno));
      return NULL;
    }
  do
    {
      if (len == cap)
        {
          cap = cap ? cap * 2 : 16384;
          buf = realloc (buf, cap);
          if (buf == NULL)
            abort ();
        }
      n = fread (buf + len, 1, cap - len, f);
      len += n;
    }
  while (n > 0);
  if (ferror (f))
    {
      oc_error (err, NULL, "cannot read %s: %s", path, strerror (errno));
      fclose (f);
      free (buf);
      return NULL;
    }
  fclose (f);
  r = oc_parse_data (t, buf, len, err);
  free (buf);
  return r;
}

static int oc_gen_type (yajl_gen g, const struct oc_type *t, const void *p);

#define OC_GEN(call) do { if ((call) != yajl_gen_status_ok) return -1; } while (0)

/* Generate the value of kind F->kind stored at SRC.  */
static int
oc_gen_value (yajl_gen g, const struct oc_field *f, const void *src)
{
  char buf[32];
  void *ptr;

  switch (f->kind)
    {
    case OC_STR:
      ptr = oc_getp (src, 0);
      if (ptr == NULL)
        OC_GEN (yajl_gen_null (g));
      else
        OC_GEN (yajl_gen_string (g, ptr, strlen (ptr)));
      return 0;
    case OC_BOOL:
      {
        bool b;
        memcpy (&b, src, sizeof b);
        OC_GEN (yajl_gen_bool (g, b));
        return 0;
      }
    case OC_OBJ:
      ptr = oc_getp (src, 0);
      if (ptr == NULL)
        OC_GEN (yajl_gen_null (g));
      else if (oc_gen_type (g, f->sub, ptr) < 0)
        return -1;
      return 0;
    case OC_I8: { int8_t x; memcpy (&x, src, 1); snprintf (buf, sizeof buf, "%d", x); break; }
    case OC_I16: { int16_t x; memcpy (&x, src, 2); snprintf (buf, sizeof buf, "%d", x); break; }
    case OC_I32: { int32_t x; memcpy (&x, src, 4); snprintf (buf, sizeof buf, "%d", x); break; }
    case OC_I64: { int64_t x; memcpy (&x, src, 8); snprintf (buf, sizeof buf, "%lld", (long long) x); break; }
    case OC_U8: { uint8_t x; memcpy (&x, src, 1); snprintf (buf, sizeof buf, "%u", x); break; }
    case OC_U16: { uint16_t x; memcpy (&x, src, 2); snprintf (buf, sizeof buf, "%u", x); break; }
    case OC_U32: { uint32_t x; memcpy (&x, src, 4); snprintf (buf, sizeof buf, "%u", x); break; }
    default: { uint64_t x; memcpy (&x, src, 8); snprintf (buf, sizeof buf, "%llu", (unsigned long long) x); break; }
    }
  OC_GEN (yajl_gen_number (g, buf, strlen (buf)));
  return 0;
}

static int
oc_gen_array (yajl_gen g, const struct oc_field *f, const void *p)
{
  const char *arr = oc_getp (p, f->off);
  size_t i, n = oc_getz (p, f->aux), es = oc_kinds[f->kind].size;

  OC_GEN (yajl_gen_array_open (g));
  for (i = 0; i < n; i++)
    if (oc_gen_value (g, f, arr + i * es) < 0)
      return -1;
  OC_GEN (yajl_gen_array_close (g));
  return 0;
}

static int
oc_gen_type (yajl_gen g, const struct oc_type *t, const void *p)
{
  size_t i;

  OC_GEN (yajl_gen_map_open (g));
  if (t->is_map)
    {
      const struct oc_field *f = &t->fields[0];
      char **keys = oc_getp (p, t->keys_off);
      const char *vals = oc_getp (p, f->off);
      size_t n = oc_getz (p, f->aux), es = oc_kinds[f->kind].size;
      for (i = 0; i < n; i++)
        {
          if (keys[i] == NULL)
            continue;
          OC_GEN (yajl_gen_string (g, (const unsigned char *) keys[i], strlen (keys[i])));
          if (oc_gen_value (g, f, vals + i * es) < 0)
            return -1;
        }
    }
  for (i = 0; !t->is_map && i < t->nfields; i++)
    {
      const struct oc_field *f = &t->fields[i];
      bool present;
      if (f->kind == OC_STR || f->kind == OC_OBJ || f->array)
        present = oc_getp (p, f->off) != NULL;
      else
        memcpy (&present, (const char *) p + f->aux, sizeof present);
      if (!present)
        continue;
      OC_GEN (yajl_gen_string (g, (const unsigned char *) f->name, strlen (f->name)));
      if (f->array ? oc_gen_array (g, f, p) : oc_gen_value (g, f, (const char *) p + f->off))
        return -1;
    }
  OC_GEN (yajl_gen_map_close (g));
  return 0;
}

static char *
oc_generate_json (const struct oc_type *t, const void *p, char **err)
{
  const unsigned char *buf;
  size_t len;
  char *r = NULL;
  yajl_gen g;

  if (err)
    *err = NULL;
  if (p == NULL)
    {
      oc_error (err, NULL, "cannot generate JSON for NULL %s", t->name);
      return NULL;
    }
  g = yajl_gen_alloc (NULL);
  if (g == NULL)
    abort ();
  yajl_gen_config (g, yajl_gen_beautify, 0);
  if (oc_gen_type (g, t, p) == 0 && yajl_gen_get_buf (g, &buf, &len) == yajl_gen_status_ok)
    {
      r = oc_xcalloc (len + 1, 1);
      memcpy (r, buf, len);
    }
  else
    oc_error (err, NULL, "cannot generate JSON for %s", t->name);
  yajl_gen_free (g);
  return r;
}

/* The public entry points of type T.  */
#define OC_DEFINE(T)                                                    \
  void free_##T (T *p) { oc_free (&oc_type_##T, p); }                   \
  T *T##_parse_data (const char *json, size_t len, char **err)          \
  { return oc_parse_data (&oc_type_##T, json, len, err); }              \
  char *T##_generate_json (const T *p, char **err)                      \
  { return oc_generate_json (&oc_type_##T, p, err); }

#define OC_DEFINE_FILE(T)                                               \
  T *T##_parse_file (const char *path, char **err)                      \
  { return oc_parse_file (&oc_type_##T, path, err); }

#define OC_OFF(member) offsetof (OC_T, member)

/* ---- generated type descriptors ---------------------------------------- */
"""


def emit_header(structs):
    out = [HEADER_PROLOGUE, "\n/* ---- types ---- */\n\n"]
    for st in structs:
        out.append("typedef struct %s %s;\n" % (st.name, st.name))
    for st in structs:
        out.append("\n/* %s */\nstruct %s\n{\n" % (st.origin, st.name))
        if st.is_map:
            out.append("  char **keys;\n  %svalues;\n  size_t len;\n" % st.map_value.c_type())
        for f in st.fields:
            for decl, comment in f.decls():
                if comment and comment != f.c_name:
                    out.append("  %-40s /* %s */\n" % (decl, comment))
                else:
                    out.append("  %s\n" % decl)
        out.append("};\n")
    out.append("\n/* ---- functions ---- */\n\n")
    for st in structs:
        n = st.name
        out.append("void free_%s (%s *p);\n" % (n, n))
        out.append("%s *%s_parse_data (const char *json, size_t len, char **err);\n" % (n, n))
        if n in PARSE_FILE_TYPES:
            out.append("%s *%s_parse_file (const char *path, char **err);\n" % (n, n))
        out.append("char *%s_generate_json (const %s *p, char **err);\n\n" % (n, n))
    out.append("#ifdef __cplusplus\n}\n#endif\n\n#endif /* OCI_SPEC_H */\n")
    return "".join(out)


def field_initializer(st, f):
    aux = f.aux_name()
    return '  { "%s", %s, %d, %d, OC_OFF (%s), %s, %s },\n' % (
        f.json_name, KIND_ENUM[f.kind], int(f.array), int(f.required),
        "values" if st.is_map else f.c_name,
        "OC_OFF (%s)" % ("len" if st.is_map else aux) if aux else "0",
        "&oc_type_%s" % f.sub.name if f.sub else "NULL")


def emit_source(structs):
    out = [SOURCE_PROLOGUE]
    for st in structs:
        fields = [st.map_value] if st.is_map else st.fields
        out.append("\n#define OC_T struct %s\n" % st.name)
        out.append("static const struct oc_field oc_fields_%s[] = {\n" % st.name)
        out.extend(field_initializer(st, f) for f in fields)
        out.append("};\n")
        out.append("static const struct oc_type oc_type_%s = {\n  \"%s\", sizeof (OC_T), "
                   "oc_fields_%s, %d, %d, %s\n};\n#undef OC_T\n" % (
                       st.name, st.name, st.name, len(fields), int(st.is_map),
                       "OC_OFF (keys)" if st.is_map else "0"))
    out.append("\n/* ---- public functions ---- */\n\n")
    for st in structs:
        out.append("OC_DEFINE (%s)\n" % st.name)
        if st.name in PARSE_FILE_TYPES:
            out.append("OC_DEFINE_FILE (%s)\n" % st.name)
    return "".join(out)


def write_file(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--schema-dir", required=True,
                    help="runtime-spec schema directory (config-schema.json, defs.json, ...)")
    ap.add_argument("--ext-dir", required=True, help="libocispec/schema-ext")
    ap.add_argument("--out-dir", required=True, help="where to write oci_spec.[ch]")
    ap.add_argument("--list-types", action="store_true", help="print the generated type names")
    args = ap.parse_args(argv)
    try:
        builder = Builder(SchemaSet(args.schema_dir, args.ext_dir))
        builder.build_roots()
        missing = [n for n in PARSE_FILE_TYPES if n not in builder.structs]
        if missing:
            raise GenError("PARSE_FILE_TYPES not generated: %s" % ", ".join(missing))
    except (GenError, OSError, ValueError) as e:
        print("generate.py: error: %s" % e, file=sys.stderr)
        return 1
    os.makedirs(args.out_dir, exist_ok=True)
    write_file(os.path.join(args.out_dir, "oci_spec.h"), emit_header(builder.order))
    write_file(os.path.join(args.out_dir, "oci_spec.c"), emit_source(builder.order))
    if args.list_types:
        print("\n".join(st.name for st in builder.order))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
