/*
 * tree.c - the dconv tree as Lua userdata: node fields (attributes, lists,
 * positions), the filter editors (assignment, remove, insert) and
 * dconv.walk. See README.md "The tree".
 */
#include "lua_host.h"

#include <string.h>

/* Registry key (the address is unique): weak table node -> userdata. */
static const char key_nodes;

static const char *const kind_names[] = {
    "none", "collection", "digest", "paper", "author", "item",
    "text", "code",       "emph",   "strong", "link"};

static const char *kind_name(uint32_t k) {
  return k < sizeof kind_names / sizeof *kind_names ? kind_names[k]
                                                    : "unknown";
}

/* Push the userdata of `n` (nil for NULL); the same node is always the
 * same userdata, so `a == b` compares nodes. */
void lh_push_node(lua_State *L, const dconv_node *n) {
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

const dconv_node *lh_check_node(lua_State *L, int idx) {
  return *(const dconv_node **)luaL_checkudata(L, idx, NODE_MT);
}

/* Push a list of the children of `n` of `kind` (0 = every child). */
static void push_children(lua_State *L, const dconv_host *h,
                          const dconv_node *n, uint32_t kind) {
  lua_newtable(L);
  lua_Integer i = 0;
  for (const dconv_node *c = h->node_first_child(n); c; c = h->node_next(c))
    if (!kind || h->node_kind(c) == kind) {
      lh_push_node(L, c);
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
          lh_push_node(L, p);
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
  const dconv_node *n = lh_check_node(L, 1);
  const char *key = luaL_checkstring(L, 2);
  const dconv_host *h = lh_need_run(L, "the tree")->host;
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
    lh_push_node(L, h->node_parent(n));
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
    return lh_raise_host(L, rc);
  if (rc == DCONV_E_NOTFOUND)
    return luaL_error(L, "a %s has no attribute '%s'", kind, key);
  return luaL_error(L, "cannot %s '%s' of a %s (%s)", what, key, kind,
                    rc == DCONV_E_INVALID ? "refused by the host"
                                          : "host error");
}

static lrun *need_editor(lua_State *L) {
  lrun *r = lh_need_run(L, "editing the tree");
  if (!r->can_edit)
    luaL_error(L, "the tree is read-only in a writer (only a Filter edits "
                  "it)");
  return r;
}

/* node.KEY = value (filters): nil unsets, booleans and integers set an
 * integer attribute, strings a string attribute. */
static int node_newindex(lua_State *L) {
  const dconv_node *n = lh_check_node(L, 1);
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
  const dconv_node *n = lh_check_node(L, 1);
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
  const dconv_node *parent = lh_check_node(L, 1);
  const dconv_node *n = lh_check_node(L, 2);
  const dconv_node *before = lua_isnoneornil(L, 3) ? NULL : lh_check_node(L, 3);
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
  const dconv_node *n = lh_check_node(L, 1);
  const dconv_host *h = lh_need_run(L, "the tree")->host;
  const char *file = NULL;
  uint32_t line = 0;
  h->node_source(n, &file, &line);
  lua_pushfstring(L, "%s (%s:%d)", kind_name(h->node_kind(n)),
                  file ? file : "?", (int)line);
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
int lh_walk(lua_State *L) {
  lrun *r = lh_need_run(L, "dconv.walk");
  const dconv_node *top = lh_check_node(L, 1);
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
    return lh_raise_host(L, r->host->set_error(r->ex, DCONV_E_NOMEM,
                                            "out of memory"));
  int was_walking = r->walking;
  r->walking = 1;
  const dconv_node *n;
  int ev;
  while ((ev = r->host->iter_next(w->it, &n)) != DCONV_EVENT_DONE) {
    lua_pushvalue(L, 2);
    lh_push_node(L, n);
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

/* The node metatable and the node cache of a new state. */
void lh_tree_open(lua_State *L) {
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
}
