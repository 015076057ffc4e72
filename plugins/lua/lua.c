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
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <dconv/plugin.h>

#define LUA_MEM_LIMIT ((size_t)128 << 20)      /* bytes per Lua state */
#define LUA_STEPS_BASE 10000000ull             /* instructions, any run */
#define LUA_STEPS_PER_PAPER 50000ull           /* more per paper */
#define LUA_HOOK_EVERY 1000                    /* count hook granularity */

/* Registry keys (addresses are unique). */
static const char key_nodes; /* weak table: node pointer -> userdata */
static const char key_loaded; /* require() cache */
static const char key_hosterr; /* the error object "host already reported" */

#define NODE_MT "dconv.node"

/* ---------------------------------------------------------------- a run */

/* Everything one Lua state needs, reached from the state's extra space. */
typedef struct lrun {
  const dconv_host *host; /* NULL while describing (script_load) */
  dconv_export *ex;
  int can_edit;           /* a filter: the editors are allowed */
  int walking;            /* inside dconv.walk: no removing */
  size_t mem, mem_limit;
  int mem_hit;            /* an allocation was refused by the limit */
  unsigned long long steps, max_steps;
  int steps_hit;
  int host_rc;            /* a host call failed and reported it itself */
  char *pending;          /* host string to free if Lua raises */
  const char *path;       /* absolute script path */
  char shown[4096];       /* the path as messages show it */
  char dir[4096];         /* the script's directory, for require */
} lrun;

static lrun *run_of(lua_State *L) { return *(lrun **)lua_getextraspace(L); }

/* Our allocator: realloc with a byte budget, so a string.rep bomb or a
 * runaway table is a Lua "not enough memory" error instead of dconv's. */
static void *l_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  lrun *r = ud;
  size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    free(ptr);
    r->mem -= old;
    return NULL;
  }
  if (nsize > old && r->mem - old + nsize > r->mem_limit) {
    r->mem_hit = 1;
    return NULL;
  }
  void *p = realloc(ptr, nsize);
  if (p)
    r->mem = r->mem - old + nsize;
  return p;
}

/* Count hook: every LUA_HOOK_EVERY instructions. Once over the budget it
 * keeps failing, so a script catching the error with pcall cannot go on. */
static void l_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lrun *r = run_of(L);
  r->steps += LUA_HOOK_EVERY;
  if (r->steps > r->max_steps) {
    r->steps_hit = 1;
    luaL_error(L, "instruction limit exceeded (%llu million): runaway script?",
               r->max_steps / 1000000);
  }
}

/* Raise the error meaning "a host call failed and the host has the
 * message" (a warning stopped by --strict, a failed write, no memory). */
static int raise_host(lua_State *L, int rc) {
  lrun *r = run_of(L);
  if (!r->host_rc)
    r->host_rc = rc;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &key_hosterr);
  return lua_error(L);
}

static lrun *need_run(lua_State *L, const char *what) {
  lrun *r = run_of(L);
  if (!r->host)
    luaL_error(L, "%s is not available at the top level of a script (only "
                  "inside Writer or Filter)", what);
  return r;
}

/* ---------------------------------------------------------------- nodes */

static const char *const kind_names[] = {
    "none", "collection", "digest", "paper", "author", "item",
    "text", "code",       "emph",   "strong", "link"};

static const char *kind_name(uint32_t k) {
  return k < sizeof kind_names / sizeof *kind_names ? kind_names[k]
                                                    : "unknown";
}

/* Push the userdata of `n` (nil for NULL); the same node is always the
 * same userdata, so `a == b` compares nodes. */
static void push_node(lua_State *L, const dconv_node *n) {
  if (!n) {
    lua_pushnil(L);
    return;
  }
  lua_rawgetp(L, LUA_REGISTRYINDEX, &key_nodes);
  if (lua_rawgetp(L, -1, n) == LUA_TNIL) {
    lua_pop(L, 1);
    const dconv_node **u = lua_newuserdatauv(L, sizeof *u, 0);
    *u = n;
    luaL_setmetatable(L, NODE_MT);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, -3, n);
  }
  lua_remove(L, -2);
}

static const dconv_node *check_node(lua_State *L, int idx) {
  return *(const dconv_node **)luaL_checkudata(L, idx, NODE_MT);
}

/* Push a list of the children of `n` of `kind` (0 = every child). */
static void push_children(lua_State *L, const dconv_host *h,
                          const dconv_node *n, uint32_t kind) {
  lua_newtable(L);
  lua_Integer i = 0;
  for (const dconv_node *c = h->node_first_child(n); c; c = h->node_next(c))
    if (!kind || h->node_kind(c) == kind) {
      push_node(L, c);
      lua_rawseti(L, -2, ++i);
    }
}

/* Every paper of every digest, in order. */
static void push_all_papers(lua_State *L, const dconv_host *h,
                            const dconv_node *root) {
  lua_newtable(L);
  lua_Integer i = 0;
  for (const dconv_node *d = h->node_first_child(root); d; d = h->node_next(d))
    if (h->node_kind(d) == DCONV_NODE_DIGEST)
      for (const dconv_node *p = h->node_first_child(d); p;
           p = h->node_next(p))
        if (h->node_kind(p) == DCONV_NODE_PAPER) {
          push_node(L, p);
          lua_rawseti(L, -2, ++i);
        }
}

/* The 0/1 integer attributes, which Lua sees as booleans (0 is true in
 * Lua, so an integer would read wrongly in `if paper.authors_elided`). */
static int is_flag(const char *key) {
  return strcmp(key, DCONV_ATTR_AUTHORS_ELIDED) == 0 ||
         strcmp(key, DCONV_ATTR_ORDERED) == 0 ||
         strcmp(key, DCONV_ATTR_IMAGE) == 0;
}

static int m_remove(lua_State *L);
static int m_insert(lua_State *L);

/* node.KEY: lists and positions first, then the node's attribute. */
static int node_index(lua_State *L) {
  const dconv_node *n = check_node(L, 1);
  const char *key = luaL_checkstring(L, 2);
  const dconv_host *h = need_run(L, "the tree")->host;
  uint32_t k = h->node_kind(n);
  if (strcmp(key, "kind") == 0) {
    lua_pushstring(L, kind_name(k));
  } else if (strcmp(key, "file") == 0 || strcmp(key, "line") == 0) {
    const char *file = NULL;
    uint32_t line = 0;
    h->node_source(n, &file, &line);
    if (key[0] == 'f')
      lua_pushstring(L, file);
    else
      lua_pushinteger(L, line);
  } else if (strcmp(key, "parent") == 0) {
    push_node(L, h->node_parent(n));
  } else if (strcmp(key, "children") == 0) {
    push_children(L, h, n, 0);
  } else if (k == DCONV_NODE_COLLECTION && strcmp(key, "digests") == 0) {
    push_children(L, h, n, DCONV_NODE_DIGEST);
  } else if (k == DCONV_NODE_COLLECTION && strcmp(key, "papers") == 0) {
    push_all_papers(L, h, n);
  } else if (k == DCONV_NODE_DIGEST && strcmp(key, "papers") == 0) {
    push_children(L, h, n, DCONV_NODE_PAPER);
  } else if (k == DCONV_NODE_PAPER && strcmp(key, "items") == 0) {
    push_children(L, h, n, DCONV_NODE_ITEM);
  } else if (k == DCONV_NODE_PAPER && strcmp(key, "authors") == 0) {
    lua_newtable(L);
    lua_Integer i = 0;
    for (const dconv_node *c = h->node_first_child(n); c; c = h->node_next(c))
      if (h->node_kind(c) == DCONV_NODE_AUTHOR) {
        const char *name = h->node_str(c, DCONV_ATTR_NAME);
        lua_pushstring(L, name ? name : "");
        lua_rawseti(L, -2, ++i);
      }
  } else if (strcmp(key, "content") == 0) {
    push_children(L, h, n, 0);
  } else if (strcmp(key, "remove") == 0) {
    lua_pushcfunction(L, m_remove);
  } else if (strcmp(key, "insert") == 0) {
    lua_pushcfunction(L, m_insert);
  } else {
    const char *s = h->node_str(n, key);
    int64_t v;
    if (s)
      lua_pushstring(L, s);
    else if (h->node_int(n, key, &v) == 0 && is_flag(key))
      lua_pushboolean(L, v != 0);
    else if (h->node_int(n, key, &v) == 0)
      lua_pushinteger(L, (lua_Integer)v);
    else
      lua_pushnil(L);
  }
  return 1;
}

/* Turn a failed editor call into a Lua error naming what was refused. */
static int edit_result(lua_State *L, int rc, const char *what,
                       const char *key, const char *kind) {
  if (rc == 0)
    return 0;
  if (rc == DCONV_E_NOMEM)
    return raise_host(L, rc);
  if (rc == DCONV_E_NOTFOUND)
    return luaL_error(L, "a %s has no attribute '%s'", kind, key);
  return luaL_error(L, "cannot %s '%s' of a %s (%s)", what, key, kind,
                    rc == DCONV_E_INVALID ? "refused by the host"
                                          : "host error");
}

static lrun *need_editor(lua_State *L) {
  lrun *r = need_run(L, "editing the tree");
  if (!r->can_edit)
    luaL_error(L, "the tree is read-only in a writer (only a Filter edits "
                  "it)");
  return r;
}

/* node.KEY = value (filters): nil unsets, booleans and integers set an
 * integer attribute, strings a string attribute. */
static int node_newindex(lua_State *L) {
  const dconv_node *n = check_node(L, 1);
  const char *key = luaL_checkstring(L, 2);
  lrun *r = need_editor(L);
  const dconv_host *h = r->host;
  const char *kind = kind_name(h->node_kind(n));
  int rc;
  switch (lua_type(L, 3)) {
  case LUA_TNIL:
    rc = h->node_unset(r->ex, n, key);
    return edit_result(L, rc, "unset", key, kind);
  case LUA_TBOOLEAN:
    rc = h->node_set_int(r->ex, n, key, lua_toboolean(L, 3));
    return edit_result(L, rc, "set", key, kind);
  case LUA_TNUMBER:
    if (!lua_isinteger(L, 3))
      return luaL_error(L, "'%s' must be an integer, not %s", key,
                        lua_tostring(L, 3));
    rc = h->node_set_int(r->ex, n, key, (int64_t)lua_tointeger(L, 3));
    return edit_result(L, rc, "set", key, kind);
  case LUA_TSTRING: {
    size_t len;
    const char *s = lua_tolstring(L, 3, &len);
    rc = h->node_set_str(r->ex, n, key, s, len);
    return edit_result(L, rc, "set", key, kind);
  }
  default:
    return luaL_error(L, "cannot set '%s' to a %s value", key,
                      luaL_typename(L, 3));
  }
}

/* node:remove() - detach the node (and its subtree) from the tree. */
static int m_remove(lua_State *L) {
  const dconv_node *n = check_node(L, 1);
  lrun *r = need_editor(L);
  if (r->walking)
    return luaL_error(L, "cannot remove nodes inside dconv.walk (collect "
                         "them, remove them afterwards)");
  int rc = r->host->node_unlink(r->ex, n);
  if (rc)
    return luaL_error(L, "cannot remove this %s",
                      kind_name(r->host->node_kind(n)));
  return 0;
}

/* parent:insert(node[, before]) - insert a removed node as a child of
 * parent, before `before` (default: as the last child). */
static int m_insert(lua_State *L) {
  const dconv_node *parent = check_node(L, 1);
  const dconv_node *n = check_node(L, 2);
  const dconv_node *before = lua_isnoneornil(L, 3) ? NULL : check_node(L, 3);
  lrun *r = need_editor(L);
  if (r->walking)
    return luaL_error(L, "cannot insert nodes inside dconv.walk");
  if (r->host->node_insert(r->ex, parent, n, before))
    return luaL_error(L, "cannot insert a %s here (remove it first; it must "
                         "fit the tree's shape)",
                      kind_name(r->host->node_kind(n)));
  return 0;
}

static int node_tostring(lua_State *L) {
  const dconv_node *n = check_node(L, 1);
  const dconv_host *h = need_run(L, "the tree")->host;
  const char *file = NULL;
  uint32_t line = 0;
  h->node_source(n, &file, &line);
  lua_pushfstring(L, "%s (%s:%d)", kind_name(h->node_kind(n)),
                  file ? file : "?", (int)line);
  return 1;
}

/* ---------------------------------------------------------------- dconv.* */

/* dconv.write(s, ...) - append strings (or numbers) to the output. */
static int d_write(lua_State *L) {
  lrun *r = need_run(L, "dconv.write");
  int n = lua_gettop(L);
  for (int i = 1; i <= n; i++) {
    size_t len;
    const char *s = luaL_checklstring(L, i, &len);
    int rc = r->host->write(r->ex, s, len);
    if (rc)
      return raise_host(L, rc);
  }
  return 0;
}

/* dconv.add_entry(name, data[, store]) - a zip entry (container formats). */
static int d_add_entry(lua_State *L) {
  lrun *r = need_run(L, "dconv.add_entry");
  const char *name = luaL_checkstring(L, 1);
  size_t len;
  const char *data = luaL_checklstring(L, 2, &len);
  uint32_t flags = lua_toboolean(L, 3) ? DCONV_ENTRY_STORE : DCONV_ENTRY_DEFLATE;
  int rc = r->host->add_entry(r->ex, name, data, len, flags);
  return rc ? raise_host(L, rc) : 0;
}

/* dconv.warn(node, msg) - "file:line: warning: msg" at the node. */
static int d_warn(lua_State *L) {
  lrun *r = need_run(L, "dconv.warn");
  const dconv_node *n = check_node(L, 1);
  const char *msg = luaL_checkstring(L, 2);
  int rc = r->host->warn_at(r->ex, n, "%s", msg);
  return rc ? raise_host(L, rc) : 0;
}

/* dconv.log(...) and print(...): one informational line (shown with -v). */
static int d_log(lua_State *L) {
  lrun *r = run_of(L);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  int n = lua_gettop(L);
  for (int i = 1; i <= n; i++) {
    if (i > 1)
      luaL_addchar(&b, '\t');
    luaL_tolstring(L, i, NULL);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  if (r->host) {
    int rc = r->host->log(r->ex, DCONV_LOG_INFO, "%s", lua_tostring(L, -1));
    if (rc)
      return raise_host(L, rc);
  }
  return 0;
}

/* The declared type ("string", "bool", "int", "enum", "file") of option
 * `key` in Format.options, or NULL. Leaves the stack as it found it. */
static const char *declared_type(lua_State *L, const char *key) {
  const char *type = NULL;
  int top = lua_gettop(L);
  if (lua_getglobal(L, "Format") == LUA_TTABLE &&
      lua_getfield(L, -1, "options") == LUA_TTABLE) {
    for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TTABLE; i++) {
      lua_getfield(L, -1, "key");
      lua_getfield(L, -2, "type");
      const char *k = lua_tostring(L, -2), *t = lua_tostring(L, -1);
      if (k && strcmp(k, key) == 0) {
        /* Interned names, not the Lua string (which may be collected). */
        type = !t                        ? "string"
               : strcmp(t, "bool") == 0  ? "bool"
               : strcmp(t, "int") == 0   ? "int"
               : strcmp(t, "file") == 0  ? "file"
                                         : "string";
        break;
      }
      lua_pop(L, 3);
    }
  }
  lua_settop(L, top);
  return type;
}

/* dconv.option(key) - the option's value (typed as declared), or nil. */
static int d_option(lua_State *L) {
  lrun *r = need_run(L, "dconv.option");
  const char *key = luaL_checkstring(L, 1);
  const char *v = r->host->option(r->ex, key);
  const char *type = declared_type(L, key);
  if (!v)
    lua_pushnil(L);
  else if (type && strcmp(type, "bool") == 0)
    lua_pushboolean(L, strcmp(v, "true") == 0);
  else if (type && strcmp(type, "int") == 0)
    lua_pushinteger(L, (lua_Integer)strtoll(v, NULL, 10));
  else
    lua_pushstring(L, v);
  return 1;
}

static int d_timestamp(lua_State *L) {
  lrun *r = need_run(L, "dconv.timestamp");
  lua_pushinteger(L, (lua_Integer)r->host->timestamp(r->ex));
  return 1;
}

static int d_output_name(lua_State *L) {
  lrun *r = need_run(L, "dconv.output_name");
  if (!r->host->output_name) {
    lua_pushnil(L);
    return 1;
  }
  const char *s = r->can_edit ? NULL : r->host->output_name(r->ex);
  lua_pushstring(L, s);
  return 1;
}

/* dconv.sha1(s) - 40 lowercase hex digits (stable ids). */
static int d_sha1(lua_State *L) {
  lrun *r = need_run(L, "dconv.sha1");
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  uint8_t md[20];
  char hex[41];
  r->host->sha1(s, len, md);
  for (int i = 0; i < 20; i++)
    snprintf(hex + 2 * i, 3, "%02x", md[i]);
  lua_pushlstring(L, hex, 40);
  return 1;
}

/* dconv.flatten(node) - the plain text of a node's inline content. */
static int d_flatten(lua_State *L) {
  lrun *r = need_run(L, "dconv.flatten");
  const dconv_node *n = check_node(L, 1);
  size_t len = 0;
  char *s = r->host->node_flatten(n, &len);
  if (!s)
    return raise_host(L, r->host->set_error(r->ex, DCONV_E_NOMEM,
                                            "out of memory"));
  r->pending = s; /* freed by run_script if pushing raises an error */
  lua_pushlstring(L, s, len);
  r->pending = NULL;
  r->host->free(s);
  return 1;
}

/* The host iterator of one dconv.walk, freed by __gc even when the
 * callback raises an error. */
typedef struct walk_ud {
  const dconv_host *host;
  dconv_iter *it;
} walk_ud;

static int walk_gc(lua_State *L) {
  walk_ud *w = lua_touserdata(L, 1);
  if (w->it)
    w->host->iter_free(w->it);
  w->it = NULL;
  return 0;
}

/* dconv.walk(node, fn): fn(n, true) when entering every node of the
 * subtree (node included), fn(n, false) when leaving it; returning false
 * on entering skips the node's children. */
static int d_walk(lua_State *L) {
  lrun *r = need_run(L, "dconv.walk");
  const dconv_node *top = check_node(L, 1);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  walk_ud *w = lua_newuserdatauv(L, sizeof *w, 0);
  w->host = r->host;
  w->it = NULL;
  if (luaL_newmetatable(L, "dconv.walk")) {
    lua_pushcfunction(L, walk_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  if (!(w->it = r->host->iter_new(top)))
    return raise_host(L, r->host->set_error(r->ex, DCONV_E_NOMEM,
                                            "out of memory"));
  int was_walking = r->walking;
  r->walking = 1;
  const dconv_node *n;
  int ev;
  while ((ev = r->host->iter_next(w->it, &n)) != DCONV_EVENT_DONE) {
    lua_pushvalue(L, 2);
    push_node(L, n);
    lua_pushboolean(L, ev == DCONV_EVENT_ENTER);
    lua_call(L, 2, 1);
    if (ev == DCONV_EVENT_ENTER && lua_isboolean(L, -1) && !lua_toboolean(L, -1))
      r->host->iter_skip(w->it);
    lua_pop(L, 1);
  }
  r->walking = was_walking;
  r->host->iter_free(w->it);
  w->it = NULL;
  return 0;
}

static const luaL_Reg dconv_funcs[] = {
    {"write", d_write},         {"add_entry", d_add_entry},
    {"warn", d_warn},           {"log", d_log},
    {"option", d_option},       {"timestamp", d_timestamp},
    {"output_name", d_output_name}, {"sha1", d_sha1},
    {"flatten", d_flatten},     {"walk", d_walk},
    {NULL, NULL}};

/* ---------------------------------------------------------------- sandbox */

/* load(chunk[, name[, mode[, env]]]) limited to text: bytecode can crash
 * the VM, so it never runs. */
static int s_load(lua_State *L) {
  int env = !lua_isnone(L, 4);
  lua_settop(L, 4);
  lua_pushstring(L, "t");
  lua_replace(L, 3);
  lua_pushvalue(L, lua_upvalueindex(1)); /* the real load */
  lua_insert(L, 1);
  lua_call(L, env ? 4 : 3, LUA_MULTRET);
  return lua_gettop(L);
}

/* The FILE options of this run are the only files a script may read. */
static int file_allowed(lua_State *L, const char *path) {
  lrun *r = run_of(L);
  if (!r->host)
    return 0;
  int ok = 0, top = lua_gettop(L);
  if (lua_getglobal(L, "Format") == LUA_TTABLE &&
      lua_getfield(L, -1, "options") == LUA_TTABLE) {
    for (lua_Integer i = 1; !ok && lua_rawgeti(L, -1, i) == LUA_TTABLE; i++) {
      lua_getfield(L, -1, "key");
      const char *k = lua_tostring(L, -1);
      const char *t = k ? declared_type(L, k) : NULL;
      const char *v = t && strcmp(t, "file") == 0 ? r->host->option(r->ex, k)
                                                  : NULL;
      ok = v && strcmp(v, path) == 0;
      lua_pop(L, 2);
    }
  }
  lua_settop(L, top);
  return ok;
}

/* io.open(path[, "r"|"rb"]) for the files of FILE options only. */
static int s_open(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  const char *mode = luaL_optstring(L, 2, "r");
  if (strcmp(mode, "r") != 0 && strcmp(mode, "rb") != 0)
    return luaL_error(L, "io.open: mode '%s' refused (scripts only read)",
                      mode);
  if (!file_allowed(L, path))
    return luaL_error(L, "io.open: '%s' refused: a script reads only the "
                         "files given as its FILE options (-O key=FILE)",
                      path);
  lua_settop(L, 2);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, 2, LUA_MULTRET);
  return lua_gettop(L);
}

/* io.lines(path, ...) with the same rule. */
static int s_lines(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  if (!file_allowed(L, path))
    return luaL_error(L, "io.lines: '%s' refused: a script reads only the "
                         "files given as its FILE options (-O key=FILE)",
                      path);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

/* The ownership and permission rule of plugin files, for modules a script
 * requires: code others can replace is not run. */
static const char *unsafe_file(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0)
    return strerror(errno);
  if (!S_ISREG(st.st_mode))
    return "not a regular file";
  if (st.st_uid != 0 && st.st_uid != geteuid())
    return "owned by someone else";
  if (st.st_mode & S_IWOTH)
    return "world-writable";
  return NULL;
}

/* require(name): a Lua (text) module NAME.lua from the script's own
 * directory, nothing else ('.' in NAME is a subdirectory). */
static int s_require(lua_State *L) {
  lrun *r = run_of(L);
  const char *name = luaL_checkstring(L, 1);
  for (const char *p = name; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
          (*p >= '0' && *p <= '9') || *p == '_' || (*p == '.' && p != name)))
      return luaL_error(L, "require '%s': module names are [A-Za-z0-9_.]",
                        name);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &key_loaded);
  if (lua_getfield(L, -1, name) != LUA_TNIL)
    return 1;
  lua_pop(L, 1);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addstring(&b, r->dir);
  luaL_addchar(&b, '/');
  for (const char *p = name; *p; p++)
    luaL_addchar(&b, *p == '.' ? '/' : *p);
  luaL_addstring(&b, ".lua");
  luaL_pushresult(&b);
  const char *path = lua_tostring(L, -1);
  const char *bad = unsafe_file(path);
  if (bad)
    return luaL_error(L, "require '%s': %s: %s (modules come only from the "
                         "script's directory)",
                      name, path, bad);
  if (luaL_loadfilex(L, path, "t") != LUA_OK)
    return lua_error(L);
  lua_pushstring(L, name);
  lua_call(L, 1, 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
  }
  lua_pushvalue(L, -1);
  lua_setfield(L, -4, name);
  return 1;
}

/* Remove field `name` of the table on top of the stack. */
static void drop(lua_State *L, const char *name) {
  lua_pushnil(L);
  lua_setfield(L, -2, name);
}

/* Open the safe parts of the standard library and the dconv table. */
static void open_sandbox(lua_State *L) {
  luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  drop(L, "dofile");
  drop(L, "loadfile");
  lua_getfield(L, -1, "load");
  lua_pushcclosure(L, s_load, 1);
  lua_setfield(L, -2, "load");
  lua_pushcfunction(L, d_log);
  lua_setfield(L, -2, "print");
  lua_pushcfunction(L, s_require);
  lua_setfield(L, -2, "require");
  lua_pop(L, 1);

  luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
  drop(L, "dump"); /* bytecode is never loaded anyway; nothing to make */
  lua_pop(L, 1);
  luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
  luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
  luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
  luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 1);
  lua_pop(L, 4);

  /* os: only the clock and calendar functions. */
  luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);
  lua_newtable(L);
  static const char *const os_keep[] = {"clock", "date", "difftime", "time"};
  for (size_t i = 0; i < sizeof os_keep / sizeof *os_keep; i++) {
    lua_getfield(L, -2, os_keep[i]);
    lua_setfield(L, -2, os_keep[i]);
  }
  lua_setglobal(L, LUA_OSLIBNAME);
  lua_pop(L, 1);

  /* io: open and lines, limited to the run's FILE options. */
  luaL_requiref(L, LUA_IOLIBNAME, luaopen_io, 0);
  lua_newtable(L);
  lua_getfield(L, -2, "open");
  lua_pushcclosure(L, s_open, 1);
  lua_setfield(L, -2, "open");
  lua_getfield(L, -2, "lines");
  lua_pushcclosure(L, s_lines, 1);
  lua_setfield(L, -2, "lines");
  lua_setglobal(L, LUA_IOLIBNAME);
  lua_pop(L, 1);

  /* Reproducible by default: the same script gives the same output. */
  lua_getglobal(L, LUA_MATHLIBNAME);
  lua_getfield(L, -1, "randomseed");
  lua_pushinteger(L, 0);
  lua_call(L, 1, 0);
  lua_pop(L, 1);

  luaL_newlib(L, dconv_funcs);
  lua_setglobal(L, "dconv");

  luaL_newmetatable(L, NODE_MT);
  lua_pushcfunction(L, node_index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, node_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_pushcfunction(L, node_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pushliteral(L, "dconv.node");
  lua_setfield(L, -2, "__metatable"); /* getmetatable cannot change it */
  lua_pop(L, 1);

  lua_newtable(L); /* node cache with weak values */
  lua_newtable(L);
  lua_pushliteral(L, "v");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &key_nodes);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &key_loaded);
  lua_newtable(L); /* a unique object: "the host has the message" */
  lua_rawsetp(L, LUA_REGISTRYINDEX, &key_hosterr);
}

/* Set up r for `path` and open a sandboxed state that has run the
 * script's top level. Returns the state (NULL only when even the state
 * could not be made); on failure *err is LUA_ERR* with the message on top. */
static lua_State *open_script(lrun *r, const char *path, int *err) {
  r->path = path;
  r->mem_limit = LUA_MEM_LIMIT;
  /* Messages show the path relative to the working directory when the
   * script is below it, as the user most likely typed it. */
  char cwd[4096];
  size_t cl = getcwd(cwd, sizeof cwd) ? strlen(cwd) : 0;
  if (cl && strncmp(path, cwd, cl) == 0 && path[cl] == '/')
    snprintf(r->shown, sizeof r->shown, "%s", path + cl + 1);
  else
    snprintf(r->shown, sizeof r->shown, "%s", path);
  snprintf(r->dir, sizeof r->dir, "%s", path);
  char *slash = strrchr(r->dir, '/');
  if (slash)
    *slash = '\0';
  lua_State *L = lua_newstate(l_alloc, r);
  *err = LUA_ERRMEM;
  if (!L)
    return NULL;
  *(lrun **)lua_getextraspace(L) = r;
  lua_sethook(L, l_hook, LUA_MASKCOUNT, LUA_HOOK_EVERY);
  *err = LUA_OK;
  return L;
}

/* lua_CFunction wrapper so that setting up the sandbox is protected too. */
static int p_sandbox(lua_State *L) {
  open_sandbox(L);
  return 0;
}

#define LUA_SCRIPT_MAX ((long)16 << 20) /* bytes of one script file */

/* Load the script file (text only) and run its top level, protected. The
 * chunk is named "@SHOWN", so every message reads "SHOWN:LINE: ...". */
static int run_top(lua_State *L, lrun *r) {
  lua_pushcfunction(L, p_sandbox);
  int err = lua_pcall(L, 0, 0, 0);
  if (err)
    return err;
  FILE *f = fopen(r->path, "rb");
  long len = -1;
  if (f && fseek(f, 0, SEEK_END) == 0)
    len = ftell(f);
  if (!f || len < 0 || len > LUA_SCRIPT_MAX || fseek(f, 0, SEEK_SET) != 0) {
    lua_pushfstring(L, "%s: cannot read: %s", r->shown,
                    !f || len < 0 ? strerror(errno) : "larger than 16 MiB");
    if (f)
      fclose(f);
    return LUA_ERRFILE;
  }
  char *text = malloc((size_t)len + 1);
  size_t got = text ? fread(text, 1, (size_t)len, f) : 0;
  fclose(f);
  if (!text || got != (size_t)len) {
    free(text);
    lua_pushfstring(L, "%s: cannot read the script", r->shown);
    return LUA_ERRFILE;
  }
  lua_pushfstring(L, "@%s", r->shown);
  err = luaL_loadbufferx(L, text, got, lua_tostring(L, -1), "t");
  free(text);
  lua_remove(L, -2); /* the chunk name */
  return err ? err : lua_pcall(L, 0, 0, 0);
}

/* The message for a failed pcall. Replaces the error object on top of the
 * stack with it. */
static const char *error_text(lua_State *L, lrun *r, int err) {
  if (r->mem_hit && err == LUA_ERRMEM)
    lua_pushfstring(L, "%s: memory limit of %d MiB exceeded", r->shown,
                    (int)(r->mem_limit >> 20));
  else if (lua_type(L, -1) == LUA_TSTRING)
    lua_pushvalue(L, -1);
  else
    lua_pushfstring(L, "%s: error object is a %s value", r->shown,
                    luaL_typename(L, -1));
  lua_remove(L, -2);
  return lua_tostring(L, -1);
}

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

/* Describe the script: run its top level, read Format and the roles. */
static const dconv_plugin *l_script_load(const char *path, char *why,
                                         size_t why_len) {
  lrun r;
  memset(&r, 0, sizeof r);
  r.max_steps = LUA_STEPS_BASE;
  int err;
  lua_State *L = open_script(&r, path, &err);
  if (!L) {
    fail(why, why_len, "%s: out of memory", path);
    return NULL;
  }
  err = run_top(L, &r);
  if (err) {
    fail(why, why_len, "%s", error_text(L, &r, err));
    lua_close(L);
    return NULL;
  }
  script_desc *d = calloc(1, sizeof *d);
  if (!d) {
    fail(why, why_len, "%s: out of memory", r.shown);
    lua_close(L);
    return NULL;
  }
  int writer = has_function(L, "Writer"), filter = has_function(L, "Filter");
  int ok = 1;
  if (!writer && !filter)
    ok = fail(why, why_len,
              "%s: defines neither a Writer nor a Filter function", r.shown);
  if (ok && lua_getglobal(L, "Format") != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L); /* everything has a default */
  }
  if (ok) {
    char *name = script_name(L, &r);
    d->strings[0] = name;
    d->strings[1] = dup_field(L, -1, "version", "0");
    lua_pushfstring(L, "Lua script %s", r.shown);
    d->strings[2] = dup_field(L, -2, "description", lua_tostring(L, -1));
    lua_pop(L, 1);
    d->strings[3] = dup_field(L, -1, "extension", writer ? "txt" : "");
    if (!d->strings[0] || !d->strings[1] || !d->strings[2] || !d->strings[3])
      ok = fail(why, why_len, "%s: out of memory", r.shown);
  }
  if (ok)
    ok = read_options(L, d, &r, why, why_len);
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
  lua_close(L);
  if (!ok) {
    desc_free(d);
    return NULL;
  }
  return &d->ext.base;
}

/* ---------------------------------------------------------------- runs */

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
  lua_State *L = open_script(&r, host->plugin_path(ex), &err);
  if (!L)
    return host->set_error(ex, DCONV_E_NOMEM, "out of memory");
  err = run_top(L, &r);
  if (!err) {
    lua_getglobal(L, fn);
    push_node(L, root);
    err = lua_pcall(L, 1, 0, 0);
  }
  int rc = 0;
  if (r.host_rc) {
    rc = r.host_rc; /* the host has the message */
  } else if (err == LUA_ERRMEM && !r.mem_hit) {
    rc = host->set_error(ex, DCONV_E_NOMEM, "out of memory");
  } else if (err) {
    rc = host->set_error(ex, DCONV_E_PLUGIN, "%s", error_text(L, &r, err));
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
