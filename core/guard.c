#include "guard.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "output.h"

/* The plugin now running. Plain arrays and a sig_atomic_t, because the
 * signal handler and the atexit handler read them. */
static dconv_guard g_now;
static volatile sig_atomic_t g_depth;
static int g_stdout = -1; /* the real fd 1, while it points at stderr */

static void copy(char *dst, size_t cap, const char *src) {
  size_t n = src ? strlen(src) : 0;
  if (n >= cap)
    n = cap - 1;
  memcpy(dst, src ? src : "", n);
  dst[n] = '\0';
}

/* Async-signal-safe pieces of the report. */
static void say(const char *s) {
  size_t n = strlen(s);
  while (n) {
    ssize_t w = write(STDERR_FILENO, s, n);
    if (w <= 0)
      return;
    s += w, n -= (size_t)w;
  }
}

/* Names and paths come from the file system and the plugin: shown only
 * with printable ASCII, the rest as '?', since a terminal would obey them.
 * (No stdio here: this runs in a signal handler.) */
static void say_clean(const char *s) {
  char buf[256];
  size_t n = 0;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    buf[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    if (n == sizeof buf - 1) {
      buf[n] = '\0';
      say(buf);
      n = 0;
    }
  }
  buf[n] = '\0';
  say(buf);
}

static void say_plugin(void) {
  say("dconv: plugin ");
  say_clean(g_now.name);
  say(" (");
  say_clean(g_now.path);
  say(")");
}

static const char *sig_name(int sig) {
  switch (sig) {
  case SIGSEGV:
    return "SIGSEGV";
  case SIGBUS:
    return "SIGBUS";
  case SIGILL:
    return "SIGILL";
  case SIGFPE:
    return "SIGFPE";
  case SIGABRT:
    return "SIGABRT";
  }
  return "a fatal signal";
}

static void on_crash(int sig) {
  if (g_depth > 0) {
    say_plugin();
    say(" crashed: ");
    say(sig_name(sig));
    say(" (during ");
    say_clean(g_now.what);
    say(")\n");
  }
  dconv_output_remove_temporary();
  /* Die of the same signal: the shell then reports 128+N, and a core dump
   * (when enabled) shows the plugin's frame. The signal is blocked while
   * this handler runs, so raise() takes effect when it returns. */
  signal(sig, SIG_DFL);
  raise(sig);
}

static void on_exit_call(void) {
  if (g_depth <= 0)
    return;
  say_plugin();
  say(" called exit() during ");
  say_clean(g_now.what);
  say("\n");
  dconv_output_remove_temporary();
  _exit(DCONV_EXIT_PLUGIN);
}

void dconv_guard_install(void) {
  static char altstack[64 * 1024];
  stack_t ss;
  memset(&ss, 0, sizeof ss);
  ss.ss_sp = altstack;
  ss.ss_size = sizeof altstack;
  sigaltstack(&ss, NULL);
  static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_crash;
    sa.sa_flags = SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(sigs[i], &sa, NULL);
  }
  atexit(on_exit_call);
}

void dconv_guard_enter(dconv_guard *saved, const char *name, const char *path,
                       const char *what) {
  *saved = g_now;
  saved->depth = (int)g_depth;
  if (g_depth == 0) {
    /* Whatever the host had buffered goes out first, to the real fd 1. */
    fflush(stdout);
    g_stdout = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (g_stdout >= 0)
      dup2(STDERR_FILENO, STDOUT_FILENO);
  }
  dconv_guard next;
  copy(next.name, sizeof next.name, name);
  copy(next.path, sizeof next.path, path);
  copy(next.what, sizeof next.what, what);
  g_depth = 0; /* the handlers never see a half-copied record */
  g_now = next;
  g_depth = saved->depth + 1;
}

void dconv_guard_leave(const dconv_guard *saved) {
  g_depth = 0;
  g_now = *saved;
  if (saved->depth == 0) {
    /* The plugin's buffered printf() output goes to stderr, not later
     * into the converted output. */
    fflush(stdout);
    if (g_stdout >= 0) {
      dup2(g_stdout, STDOUT_FILENO);
      close(g_stdout);
      g_stdout = -1;
    }
  }
  g_depth = saved->depth;
}
