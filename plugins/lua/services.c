/*
 * services.c - the `dconv` table: the host's services to a script (write,
 * add_entry, part_open, part_close, warn, log, option, timestamp, output_name, sha1, flatten,
 * walk). See README.md "Host services".
 */
#include "lua_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* dconv.write(s, ...) - append strings (or numbers) to the output. */
static int d_write(lua_State *L) {
  lrun *r = lh_need_run(L, "dconv.write");
  int n = lua_gettop(L);
  for (int i = 1; i <= n; i++) {
    size_t len;
    const char *s = luaL_checklstring(L, i, &len);
    int rc = r->host->write(r->ex, s, len);
    if (rc)
      return lh_raise_host(L, rc);
  }
  return 0;
}

/* dconv.add_entry(name, data[, store]) - a zip entry (container formats). */
static int d_add_entry(lua_State *L) {
  lrun *r = lh_need_run(L, "dconv.add_entry");
  const char *name = luaL_checkstring(L, 1);
  size_t len;
  const char *data = luaL_checklstring(L, 2, &len);
  uint32_t flags = lua_toboolean(L, 3) ? DCONV_ENTRY_STORE : DCONV_ENTRY_DEFLATE;
  int rc = r->host->add_entry(r->ex, name, data, len, flags);
  return rc ? lh_raise_host(L, rc) : 0;
}

/* dconv.part_open(name) - start output file `name`: one file among many
 * (-o DIR/ writes DIR/name, -o FILE a zip of them). The host checks the
 * name and refuses output outside a part once one was opened. */
static int d_part_open(lua_State *L) {
  lrun *r = lh_need_run(L, "dconv.part_open");
  const char *name = luaL_checkstring(L, 1);
  int rc = r->host->part_open(r->ex, name);
  return rc ? lh_raise_host(L, rc) : 0;
}

/* dconv.part_close() - finish the open part (the host closes one left
 * open when Writer returns). */
static int d_part_close(lua_State *L) {
  lrun *r = lh_need_run(L, "dconv.part_close");
  int rc = r->host->part_close(r->ex);
  return rc ? lh_raise_host(L, rc) : 0;
}

/* dconv.warn(node, msg) - "file:line: warning: msg" at the node. */
static int d_warn(lua_State *L) {
  lrun *r = lh_need_run(L, "dconv.warn");
  const dconv_node *n = lh_check_node(L, 1);
  const char *msg = luaL_checkstring(L, 2);
  int rc = r->host->warn_at(r->ex, n, "%s", msg);
  return rc ? lh_raise_host(L, rc) : 0;
}

/* dconv.log(...) and print(...): one informational line (shown with -v). */
int lh_log(lua_State *L) {
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
      return lh_raise_host(L, rc);
  }
  return 0;
}

/* The declared type ("string", "bool", "int", "enum", "file") of option
 * `key` in Format.options, or NULL. Leaves the stack as it found it. */
const char *lh_declared_type(lua_State *L, const char *key) {
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
  lrun *r = lh_need_run(L, "dconv.option");
  const char *key = luaL_checkstring(L, 1);
  const char *v = r->host->option(r->ex, key);
  const char *type = lh_declared_type(L, key);
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
  lrun *r = lh_need_run(L, "dconv.timestamp");
  lua_pushinteger(L, (lua_Integer)r->host->timestamp(r->ex));
  return 1;
}

static int d_output_name(lua_State *L) {
  lrun *r = lh_need_run(L, "dconv.output_name");
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
  lrun *r = lh_need_run(L, "dconv.sha1");
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
  lrun *r = lh_need_run(L, "dconv.flatten");
  const dconv_node *n = lh_check_node(L, 1);
  size_t len = 0;
  char *s = r->host->node_flatten(n, &len);
  if (!s)
    return lh_raise_host(L, r->host->set_error(r->ex, DCONV_E_NOMEM,
                                            "out of memory"));
  r->pending = s; /* freed by run_script if pushing raises an error */
  lua_pushlstring(L, s, len);
  r->pending = NULL;
  r->host->free(s);
  return 1;
}


static const luaL_Reg dconv_funcs[] = {
    {"write", d_write},         {"add_entry", d_add_entry},
    {"part_open", d_part_open}, {"part_close", d_part_close},
    {"warn", d_warn},           {"log", lh_log},
    {"option", d_option},       {"timestamp", d_timestamp},
    {"output_name", d_output_name}, {"sha1", d_sha1},
    {"flatten", d_flatten},     {"walk", lh_walk},
    {NULL, NULL}};

void lh_services_open(lua_State *L) {
  luaL_newlib(L, dconv_funcs);
  lua_setglobal(L, "dconv");
}
