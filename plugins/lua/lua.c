/*
 * lua.c - the Lua 5.4 script host: dconv writers and filters written in Lua.
 *
 * A script host plugin (ABI 1.1 script_extensions): every *.lua file the
 * host finds or is given becomes a plugin of its own. script_load runs the
 * script once in a sandbox to read its declarations (the global `Format`
 * table, and which of the globals `Writer` and `Filter` it defines) and
 * builds a descriptor from them; a run then loads the script again into a
 * fresh sandbox and calls Writer(doc) or Filter(doc). The tree reaches Lua
 * as userdata whose fields are the node's attributes (see README.md).
 *
 * Why a fresh Lua state per run and per description: nothing a script does
 * can leak into the next run, and lua_close() releases everything, so a
 * failing script cannot leave memory or file handles behind.
 *
 * Limits (README.md): LUA_MEM_LIMIT bytes through our allocator, and
 * LUA_STEPS_BASE + LUA_STEPS_PER_PAPER * papers VM instructions, counted
 * by a count hook.
 */
#include "lua_host.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ descriptors */

/* One script's descriptor; `ext` first, so &ext.base is what the host
 * holds and script_free gets back. Every string is owned. */
typedef struct script_desc {
  dconv_plugin_ext ext;
  dconv_option *opts;
  uint32_t n_opts;
  char *strings[6]; /* name, version, description, extension, (spare) */
} script_desc;

static int l_convert(const dconv_host *host, dconv_export *ex);
static int l_filter(const dconv_host *host, dconv_export *ex);

static char *dup_field(lua_State *L, int t, const char *key, const char *def) {
  lua_getfield(L, t, key);
  const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : def;
  char *copy = s ? strdup(s) : NULL;
  lua_pop(L, 1);
  return copy;
}

static void desc_free(script_desc *d) {
  if (!d)
    return;
  for (uint32_t i = 0; i < d->n_opts; i++) {
    free((char *)d->opts[i].key);
    free((char *)d->opts[i].default_value);
    free((char *)d->opts[i].choices);
    free((char *)d->opts[i].help);
  }
  free(d->opts);
  for (size_t i = 0; i < sizeof d->strings / sizeof *d->strings; i++)
    free(d->strings[i]);
  free(d);
}

static void l_script_free(const dconv_plugin *desc) {
  desc_free((script_desc *)(void *)desc);
}

static int fail(char *why, size_t why_len, const char *fmt, const char *a) {
  snprintf(why, why_len, fmt, a);
  return 0;
}

/* Read Format.options (an array of {key=, type=, default=, choices=,
 * help=}) into d. Returns 1, or 0 after filling why. */
static int read_options(lua_State *L, script_desc *d, lrun *r, char *why,
                        size_t why_len) {
  if (lua_getfield(L, -1, "options") != LUA_TTABLE) {
    lua_pop(L, 1);
    return 1;
  }
  lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
  if (n > 64)
    return fail(why, why_len, "%s: Format.options: more than 64 options",
                r->shown);
  d->opts = calloc(n ? (size_t)n : 1, sizeof *d->opts);
  if (!d->opts)
    return fail(why, why_len, "%s: out of memory", r->shown);
  static const char *const types[] = {"string", "bool", "int", "enum", "file"};
  for (lua_Integer i = 1; i <= n; i++) {
    if (lua_rawgeti(L, -1, i) != LUA_TTABLE)
      return fail(why, why_len,
                  "%s: Format.options: every entry is a table {key=..., "
                  "type=..., help=...}", r->shown);
    dconv_option *o = &d->opts[d->n_opts++];
    o->struct_size = sizeof *o;
    o->key = dup_field(L, -1, "key", NULL);
    char *type = dup_field(L, -1, "type", "string");
    o->type = 0;
    for (uint32_t k = 0; type && k < 5; k++)
      if (strcmp(type, types[k]) == 0)
        o->type = k + 1;
    free(type);
    o->default_value = dup_field(L, -1, "default", NULL);
    o->help = dup_field(L, -1, "help", "");
    if (lua_getfield(L, -1, "choices") == LUA_TTABLE) {
      luaL_Buffer b; /* {"a", "b"} -> "a|b" */
      lua_Integer m = (lua_Integer)lua_rawlen(L, -1);
      luaL_buffinit(L, &b);
      for (lua_Integer k = 1; k <= m; k++) {
        if (k > 1)
          luaL_addchar(&b, '|');
        lua_rawgeti(L, -2, k);
        luaL_addvalue(&b);
      }
      luaL_pushresult(&b);
      o->choices = strdup(lua_tostring(L, -1));
      lua_pop(L, 1);
    } else if (lua_type(L, -1) == LUA_TSTRING) {
      o->choices = strdup(lua_tostring(L, -1));
    }
    lua_pop(L, 2);
    if (!o->key || !*o->key)
      return fail(why, why_len, "%s: Format.options: an option has no key",
                  r->shown);
    if (!o->type)
      return fail(why, why_len,
                  "%s: Format.options: type is one of string, bool, int, "
                  "enum, file", r->shown);
    if (o->type == DCONV_OPT_ENUM && !o->choices)
      return fail(why, why_len, "%s: Format.options: an enum needs choices",
                  r->shown);
  }
  lua_pop(L, 1);
  return 1;
}

/* The format name: Format.name, else the file name without ".lua",
 * lowercased, other characters than [a-z0-9_-] as '_'. */
static char *script_name(lua_State *L, lrun *r) {
  char *name = dup_field(L, -1, "name", NULL);
  if (name)
    return name;
  const char *base = strrchr(r->path, '/');
  base = base ? base + 1 : r->path;
  name = strdup(base);
  if (!name)
    return NULL;
  char *dot = strrchr(name, '.');
  if (dot && dot != name)
    *dot = '\0';
  for (char *p = name; *p; p++) {
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p - 'A' + 'a');
    else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
               *p == '-' || *p == '_'))
      *p = '_';
  }
  return name;
}

static int has_function(lua_State *L, const char *name) {
  int t = lua_getglobal(L, name);
  lua_pop(L, 1);
  return t == LUA_TFUNCTION;
}

/* What describing a script fills in (p_describe). */
typedef struct describe {
  script_desc *d;
  lrun *r;
  char *why;
  size_t why_len;
  int ok;
} describe;

/* Read the roles and Format into c->d. Protected (lua_pcall): Format or
 * the globals may have metamethods that raise errors or loop, and an
 * unprotected error would abort dconv. Every string lands in c->d at
 * once, so an error cannot leak one. */
static int p_describe(lua_State *L) {
  describe *c = lua_touserdata(L, 1);
  script_desc *d = c->d;
  lrun *r = c->r;
  int writer = has_function(L, "Writer"), filter = has_function(L, "Filter");
  int ok = 1;
  if (!writer && !filter)
    ok = fail(c->why, c->why_len,
              "%s: defines neither a Writer nor a Filter function", r->shown);
  if (ok && lua_getglobal(L, "Format") != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L); /* everything has a default */
  }
  if (ok) {
    char *name = script_name(L, r);
    d->strings[0] = name;
    d->strings[1] = dup_field(L, -1, "version", "0");
    lua_pushfstring(L, "Lua script %s", r->shown);
    d->strings[2] = dup_field(L, -2, "description", lua_tostring(L, -1));
    lua_pop(L, 1);
    d->strings[3] = dup_field(L, -1, "extension", writer ? "txt" : "");
    if (!d->strings[0] || !d->strings[1] || !d->strings[2] || !d->strings[3])
      ok = fail(c->why, c->why_len, "%s: out of memory", r->shown);
  }
  if (ok)
    ok = read_options(L, d, r, c->why, c->why_len);
  if (ok) {
    dconv_plugin *b = &d->ext.base;
    b->abi_major = DCONV_ABI_MAJOR;
    b->abi_minor = DCONV_ABI_MINOR;
    b->struct_size = sizeof d->ext;
    lua_getfield(L, -1, "binary");
    lua_getfield(L, -2, "container");
    b->flags = (lua_toboolean(L, -2) ? DCONV_PLUGIN_BINARY : 0) |
               (lua_toboolean(L, -1) ? DCONV_PLUGIN_CONTAINER : 0);
    lua_pop(L, 2);
    b->name = d->strings[0];
    b->version = d->strings[1];
    b->description = d->strings[2];
    b->extension = d->strings[3];
    b->options = d->n_opts ? d->opts : NULL;
    b->n_options = d->n_opts;
    b->convert = writer ? l_convert : NULL;
    d->ext.filter = filter ? l_filter : NULL;
  }
  c->ok = ok;
  return 0;
}

/* Describe the script: run its top level, read Format and the roles. */
static const dconv_plugin *l_script_load(const char *path, char *why,
                                         size_t why_len) {
  lrun r;
  memset(&r, 0, sizeof r);
  r.max_steps = LUA_STEPS_BASE;
  int err;
  lua_State *L = lh_open_script(&r, path, &err);
  if (!L) {
    fail(why, why_len, "%s: out of memory", path);
    return NULL;
  }
  script_desc *d = calloc(1, sizeof *d);
  describe c = {d, &r, why, why_len, 0};
  err = d ? lh_run_top(L, &r) : LUA_ERRMEM;
  if (!err) {
    lua_pushcfunction(L, p_describe);
    lua_pushlightuserdata(L, &c);
    err = lua_pcall(L, 1, 0, 0);
  }
  if (err)
    fail(why, why_len, "%s", d ? lh_error_text(L, &r) : "out of memory");
  lua_close(L);
  if (err || !c.ok) {
    desc_free(d);
    return NULL;
  }
  return &d->ext.base;
}

/* ---------------------------------------------------------------- runs */

/* fn(root), protected as a whole: looking fn up may run a metamethod of
 * the globals, and pushing the root allocates. */
static int p_call(lua_State *L) {
  const char *fn = lua_tostring(L, 1);
  const dconv_node *root = lua_touserdata(L, 2);
  if (lua_getglobal(L, fn) != LUA_TFUNCTION)
    return luaL_error(L, "%s is not a function", fn);
  lh_push_node(L, root);
  lua_call(L, 1, 0);
  return 0;
}

/* Run the script's `fn` (Writer or Filter) on the tree. */
static int run_script(const dconv_host *host, dconv_export *ex,
                      const char *fn, int can_edit) {
  lrun r;
  memset(&r, 0, sizeof r);
  r.host = host;
  r.ex = ex;
  r.can_edit = can_edit;
  const dconv_node *root = host->root(ex);
  int64_t papers = 0;
  host->node_int(root, DCONV_ATTR_PAPERS, &papers);
  r.max_steps = LUA_STEPS_BASE + LUA_STEPS_PER_PAPER * (uint64_t)(papers > 0 ? papers : 0);
  int err;
  lua_State *L = lh_open_script(&r, host->plugin_path(ex), &err);
  if (!L)
    return host->set_error(ex, DCONV_E_NOMEM, "out of memory");
  err = lh_run_top(L, &r);
  if (!err) {
    lua_pushcfunction(L, p_call);
    lua_pushstring(L, fn);
    lua_pushlightuserdata(L, (void *)root);
    err = lua_pcall(L, 2, 0, 0);
  }
  int rc = 0;
  if (r.host_rc) {
    rc = r.host_rc; /* the host has the message */
  } else if (err == LUA_ERRMEM && !r.mem_hit) {
    rc = host->set_error(ex, DCONV_E_NOMEM, "out of memory");
  } else if (err) {
    rc = host->set_error(ex, DCONV_E_PLUGIN, "%s", lh_error_text(L, &r));
  }
  lua_close(L);
  host->free(r.pending);
  return rc;
}

static int l_convert(const dconv_host *host, dconv_export *ex) {
  return run_script(host, ex, "Writer", 0);
}

static int l_filter(const dconv_host *host, dconv_export *ex) {
  return run_script(host, ex, "Filter", 1);
}

/* ---------------------------------------------------------------- plugin */

static const char *const script_exts[] = {"lua", NULL};

static const dconv_plugin_ext desc = {
    .base = {DCONV_PLUGIN_EXT_HEADER, .name = "lua", .version = "1.0.0",
             .description = "Lua 5.4 script host: --to FILE.lua, --filter "
                            "FILE.lua",
             .extension = ""},
    .script_extensions = script_exts,
    .script_load = l_script_load,
    .script_free = l_script_free};
DCONV_PLUGIN_DEFINE(desc.base)
