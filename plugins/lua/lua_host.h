/*
 * lua_host.h - what the files of the Lua script host share: the state of
 * one run (lrun, reached from the Lua state's extra space), the limits,
 * and each file's entry points.
 *
 *   lua.c       descriptors (script_load) and runs (Writer, Filter)
 *   sandbox.c   allocator, instruction hook, restricted libraries, loading
 *   tree.c      nodes as userdata, the filter editors, dconv.walk
 *   services.c  the `dconv` table
 */
#ifndef DCONV_LUA_HOST_H
#define DCONV_LUA_HOST_H

#include <stdint.h>
#include <stddef.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <dconv/plugin.h>

#define LUA_MEM_LIMIT ((size_t)128 << 20)      /* bytes per Lua state */
#define LUA_STEPS_BASE 10000000ull             /* instructions, any run */
#define LUA_STEPS_PER_PAPER 50000ull           /* more per paper */
#define LUA_HOOK_EVERY 1000                    /* count hook granularity */

#define NODE_MT "dconv.node"

/* Everything one Lua state needs, reached from the state's extra space. */
typedef struct lrun {
  const dconv_host *host; /* NULL while describing (script_load) */
  dconv_export *ex;
  lua_State *main;        /* the state's main thread */
  int can_edit;           /* a filter: the editors are allowed */
  int walking;            /* inside dconv.walk: no removing */
  size_t mem, mem_limit;
  int mem_hit;            /* the state went over mem_limit */
  unsigned long long steps, max_steps;
  int steps_hit;
  char where[4200];       /* "script.lua:LINE:" where a limit was hit */
  int host_rc;            /* a host call failed and reported it itself */
  char *pending;          /* host string to free if Lua raises */
  const char *path;       /* absolute script path */
  char shown[4096];       /* the path as messages show it */
  char dir[4096];         /* the script's directory, for require */
} lrun;

static inline lrun *run_of(lua_State *L) {
  return *(lrun **)lua_getextraspace(L);
}

/* sandbox.c */
int lh_raise_host(lua_State *L, int rc);
lrun *lh_need_run(lua_State *L, const char *what);
lua_State *lh_open_script(lrun *r, const char *path, int *err);
int lh_run_top(lua_State *L, lrun *r);
const char *lh_error_text(lua_State *L, lrun *r);

/* tree.c */
void lh_tree_open(lua_State *L);
void lh_push_node(lua_State *L, const dconv_node *n);
const dconv_node *lh_check_node(lua_State *L, int idx);
int lh_walk(lua_State *L);

/* services.c */
void lh_services_open(lua_State *L);
const char *lh_declared_type(lua_State *L, const char *key);
int lh_log(lua_State *L); /* dconv.log, also print */

#endif
