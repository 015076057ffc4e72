/*
 * sandbox.c - one sandboxed Lua state per run: the byte budget allocator,
 * the instruction-count hook, the restricted standard library (io, os,
 * load, require) and loading the script's top level with its errors
 * turned into "script.lua:LINE: message". See README.md "Sandbox".
 */
#include "lua_host.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char key_loaded; /* require() cache */
static const char key_hosterr; /* the error object "host already reported" */

static void l_hook(lua_State *L, lua_Debug *ar);

/* "script.lua:LINE:" of the innermost Lua function running on L (the
 * script's own code, not the C function it called), into r->where. */
static void note_where(lrun *r, lua_State *L) {
  lua_Debug ar;
  for (int level = 0; L && lua_getstack(L, level, &ar); level++)
    if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
      snprintf(r->where, sizeof r->where, "%s:%d:", ar.short_src,
               ar.currentline);
      return;
    }
  snprintf(r->where, sizeof r->where, "%s:", r->shown);
}

/* Our allocator: realloc with a byte budget, so a string.rep bomb or a
 * runaway table is a Lua "not enough memory" error instead of dconv's.
 * The first refusal notes where the script was (the error Lua raises for
 * it carries no position) and makes the hook run at the next instruction:
 * from then on every hook call fails, so a script that catches the error
 * with pcall cannot go on allocating (each refusal costs a full GC; a
 * loop of them would run for minutes). lua_sethook is safe here: Lua
 * allows it even from signal handlers. */
static void *l_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  lrun *r = ud;
  size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    free(ptr);
    r->mem -= old;
    return NULL;
  }
  if (nsize > old && r->mem - old + nsize > r->mem_limit) {
    if (!r->mem_hit && !r->steps_hit)
      note_where(r, r->main);
    r->mem_hit = 1;
    if (r->main)
      lua_sethook(r->main, l_hook, LUA_MASKCOUNT, 1);
    return NULL;
  }
  void *p = realloc(ptr, nsize);
  if (p)
    r->mem = r->mem - old + nsize;
  return p;
}

/* Count hook: every LUA_HOOK_EVERY instructions. Once a limit is hit it
 * runs at every instruction and keeps failing, so a script catching the
 * error with pcall (at any depth, in any coroutine) cannot go on: each
 * enclosing Lua frame fails at its next instruction. */
static void l_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lrun *r = run_of(L);
  if (!r->mem_hit && !r->steps_hit) {
    r->steps += LUA_HOOK_EVERY;
    if (r->steps <= r->max_steps)
      return;
    r->steps_hit = 1;
    note_where(r, L);
  }
  lua_sethook(L, l_hook, LUA_MASKCOUNT, 1);
  if (r->mem_hit)
    luaL_error(L, "memory limit exceeded");
  luaL_error(L, "instruction limit exceeded");
}

/* Raise the error meaning "a host call failed and the host has the
 * message" (a warning stopped by --strict, a failed write, no memory). */
int lh_raise_host(lua_State *L, int rc) {
  lrun *r = run_of(L);
  if (!r->host_rc)
    r->host_rc = rc;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &key_hosterr);
  return lua_error(L);
}

lrun *lh_need_run(lua_State *L, const char *what) {
  lrun *r = run_of(L);
  if (!r->host)
    luaL_error(L, "%s is not available at the top level of a script (only "
                  "inside Writer or Filter)", what);
  return r;
}

/* ---------------------------------------------------------------- sandbox */

/* load(chunk[, name[, mode[, env]]]) limited to text: bytecode can crash
 * the VM, so it never runs. */
static int s_load(lua_State *L) {
  int env = !lua_isnone(L, 4); /* a nil env is not a missing one */
  lua_settop(L, env ? 4 : 3);
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
      const char *t = k ? lh_declared_type(L, k) : NULL;
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
    return luaL_error(L, "require '%s': %s: %s (only Lua modules, "
                         "only from the script's directory)",
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

/* What a refused function does: fail, naming itself. */
static int s_refused(lua_State *L) {
  return luaL_error(L, "%s is not available to dconv scripts (sandbox: no "
                       "processes, environment, file writes or native code)",
                    lua_tostring(L, lua_upvalueindex(1)));
}

/* Replace fields of the table on top of the stack by s_refused, so that a
 * script calling one gets a clear error instead of "attempt to call a nil
 * value". `lib` prefixes the names in messages ("os." or ""). */
static void refuse(lua_State *L, const char *lib, const char *const *names) {
  for (; *names; names++) {
    lua_pushfstring(L, "%s%s", lib, *names);
    lua_pushcclosure(L, s_refused, 1);
    lua_setfield(L, -2, *names);
  }
}

/* Open the safe parts of the standard library and the dconv table. */
static void open_sandbox(lua_State *L) {
  luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  refuse(L, "", (const char *const[]){"dofile", "loadfile", NULL});
  lua_getfield(L, -1, "load");
  lua_pushcclosure(L, s_load, 1);
  lua_setfield(L, -2, "load");
  lua_pushcfunction(L, lh_log);
  lua_setfield(L, -2, "print");
  lua_pushcfunction(L, s_require);
  lua_setfield(L, -2, "require");
  lua_pop(L, 1);

  luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
  /* bytecode is never loaded anyway; nothing to make */
  refuse(L, "string.", (const char *const[]){"dump", NULL});
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
  refuse(L, "os.", (const char *const[]){"execute", "exit", "getenv", "remove",
                                         "rename", "setlocale", "tmpname",
                                         NULL});
  lua_setglobal(L, LUA_OSLIBNAME);
  lua_pop(L, 1);

  /* package: no C modules, no search paths (require is ours). */
  lua_newtable(L);
  refuse(L, "package.", (const char *const[]){"loadlib", "searchpath", NULL});
  lua_setglobal(L, LUA_LOADLIBNAME);

  /* io: open and lines, limited to the run's FILE options. */
  luaL_requiref(L, LUA_IOLIBNAME, luaopen_io, 0);
  lua_newtable(L);
  lua_getfield(L, -2, "open");
  lua_pushcclosure(L, s_open, 1);
  lua_setfield(L, -2, "open");
  lua_getfield(L, -2, "lines");
  lua_pushcclosure(L, s_lines, 1);
  lua_setfield(L, -2, "lines");
  refuse(L, "io.", (const char *const[]){"popen", "write", "read", "input",
                                         "output", "tmpfile", "close", NULL});
  lua_setglobal(L, LUA_IOLIBNAME);
  lua_pop(L, 1);

  /* Reproducible by default: the same script gives the same output. */
  lua_getglobal(L, LUA_MATHLIBNAME);
  lua_getfield(L, -1, "randomseed");
  lua_pushinteger(L, 0);
  lua_call(L, 1, 0);
  lua_pop(L, 1);

  lh_services_open(L);
  lh_tree_open(L);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &key_loaded);
  lua_newtable(L); /* a unique object: "the host has the message" */
  lua_rawsetp(L, LUA_REGISTRYINDEX, &key_hosterr);
}

/* Set up r for `path` and open a sandboxed state that has run the
 * script's top level. Returns the state (NULL only when even the state
 * could not be made); on failure *err is LUA_ERR* with the message on top. */
lua_State *lh_open_script(lrun *r, const char *path, int *err) {
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
  r->main = L;
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
int lh_run_top(lua_State *L, lrun *r) {
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
const char *lh_error_text(lua_State *L, lrun *r) {
  /* Building the message must not fail: the script may have left the
   * state at its memory limit, and an error here is unprotected. */
  r->mem_limit = (size_t)-1;
  if (r->mem_hit) /* whatever the script made of the error since */
    lua_pushfstring(L, "%s memory limit of %d MiB exceeded", r->where,
                    (int)(LUA_MEM_LIMIT >> 20));
  else if (r->steps_hit)
    lua_pushfstring(L, "%s instruction limit of %d million exceeded "
                       "(an endless loop?)", r->where,
                    (int)(r->max_steps / 1000000));
  else if (lua_type(L, -1) == LUA_TSTRING)
    lua_pushvalue(L, -1);
  else
    lua_pushfstring(L, "%s: error object is a %s value", r->shown,
                    luaL_typename(L, -1));
  lua_remove(L, -2);
  return lua_tostring(L, -1);
}
