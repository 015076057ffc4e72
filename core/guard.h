/*
 * guard.h - keeping the host alive and honest while plugin code runs.
 *
 * Plugins run in the dconv process (no child, no IPC: a conversion hands
 * the plugin a tree of possibly millions of nodes through function calls).
 * What the host can still do is mark the stretches where plugin code runs
 * - constructors and the entry point inside dlopen, probe, read, filter,
 * convert - and, inside them:
 *  - point fd 1 at stderr, so that a plugin's printf() never lands in the
 *    converted output (the output itself goes through a descriptor of its
 *    own, see output.c);
 *  - on SIGSEGV, SIGBUS, SIGILL, SIGFPE or SIGABRT print
 *    "dconv: plugin NAME (PATH) crashed: SIGSEGV" with write(2), remove the
 *    temporary output file and die of the same signal (exit status 128+N);
 *  - on exit() print "dconv: plugin NAME (PATH) called exit() during
 *    convert", remove the temporary file and _exit(DCONV_EXIT_PLUGIN).
 * Outside plugin code a crash still removes the temporary file.
 */
#ifndef DCONV_CORE_GUARD_H
#define DCONV_CORE_GUARD_H

/* What was running before dconv_guard_enter, for dconv_guard_leave (guards
 * nest: a script host's script_load runs inside the loader's guard). */
typedef struct dconv_guard {
  int depth;
  char name[128];
  char path[1024];
  char what[32];
} dconv_guard;

/* Install the crash handlers (on an alternate stack, so a plugin's stack
 * overflow is reported too) and the exit() catcher. Once, early. */
void dconv_guard_install(void);
/* Plugin code of `name` (loaded from `path`) runs from now on, doing
 * `what` ("load", "convert", ...). Strings are copied, cut if long. */
void dconv_guard_enter(dconv_guard *saved, const char *name, const char *path,
                       const char *what);
/* Back in host code (or in the outer plugin's, when nested). */
void dconv_guard_leave(const dconv_guard *saved);

#endif
