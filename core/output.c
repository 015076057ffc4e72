#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <dconv/tree.h>

/* OUT_FILE: a regular file, written atomically. OUT_STREAM: stdout or an
 * existing non-regular file (a FIFO, /dev/null, /dev/full, a terminal),
 * written in place: renaming over a device node would replace it. */
enum { OUT_FILE, OUT_STREAM, OUT_MEMORY };

struct dconv_output {
  int kind;
  int fd;
  char *path; /* final name (OUT_FILE) */
  char *tmp;  /* temporary name (OUT_FILE) */
  dconv_buf mem;
  dconv_buf pending; /* write-behind buffer: few large write(2) calls */
  dconv_diag *diag;
  int failed;
  struct timespec start; /* when the target was opened (OUT_FILE) */
};

/* The temporary file a signal handler must remove. One conversion runs at a
 * time, so one slot is enough; it is a plain char array because only
 * async-signal-safe code (unlink) may touch it from the handler. */
static char g_tmp_path[4096];
static volatile sig_atomic_t g_tmp_active;

void dconv_output_remove_temporary(void) {
  if (g_tmp_active)
    unlink(g_tmp_path);
}

static void on_fatal_signal(int sig) {
  dconv_output_remove_temporary();
  signal(sig, SIG_DFL);
  raise(sig);
}

void dconv_output_install_signal_handlers(void) {
  /* Every signal whose default action ends the process and that a user, a
   * shell limit (ulimit -t: SIGXCPU) or a supervisor may send. Crashes
   * (SIGSEGV, ...) are left to whoever reports them; they can call
   * dconv_output_remove_temporary. */
  static const int sigs[] = {SIGINT,  SIGTERM,   SIGHUP,  SIGPIPE,
                             SIGQUIT, SIGALRM,   SIGUSR1, SIGUSR2,
                             SIGXCPU, SIGVTALRM, SIGPROF};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(sigs[i], &sa, NULL);
  }
  /* A file size limit (ulimit -f) is an output error like a full disk:
   * ignored, the signal becomes EFBIG from write(2), reported and exit 3. */
  signal(SIGXFSZ, SIG_IGN);
}

/* ------------------------------------------------------ temporary names */

/* The temporary file of target NAME is ".STEM.PID.XXXXXX" beside it: STEM is
 * NAME, or when that would not fit NAME_MAX, NAME's first bytes and a hash of
 * all of it ("~" and 8 hex digits); PID is the creating process. The pid lets
 * a later run tell a temporary left by a SIGKILLed run (its process is gone)
 * from one a running conversion is writing. */
#define TMP_PID_MAX 10 /* digits of a pid_t */
#define TMP_EXTRA (1 + 1 + TMP_PID_MAX + 1 + 6) /* "." "." PID "." XXXXXX */

/* Write STEM for the basename `name` into stem (NAME_MAX + 1 bytes). */
static void temporary_stem(const char *name, char *stem) {
  size_t len = strlen(name);
  if (len + TMP_EXTRA <= NAME_MAX) {
    memcpy(stem, name, len + 1);
    return;
  }
  uint32_t h = 2166136261u; /* FNV-1a: any stable hash will do */
  for (const char *p = name; *p; p++)
    h = (h ^ (unsigned char)*p) * 16777619u;
  size_t keep = NAME_MAX - TMP_EXTRA - 9;
  while (keep > 0 && ((unsigned char)name[keep] & 0xC0) == 0x80)
    keep--; /* keep whole UTF-8 characters */
  snprintf(stem, NAME_MAX + 1, "%.*s~%08x", (int)keep, name, (unsigned)h);
}

/* 1 when entry is ".STEM.PID.XXXXXX" for this stem; sets *pid. */
static int is_temporary_of(const char *entry, const char *stem, long *pid) {
  size_t sl = strlen(stem);
  if (entry[0] != '.' || strncmp(entry + 1, stem, sl) != 0 ||
      entry[1 + sl] != '.')
    return 0;
  const char *p = entry + 2 + sl, *digits = p;
  long long v = 0;
  while (*p >= '0' && *p <= '9' && p - digits < TMP_PID_MAX)
    v = v * 10 + (*p++ - '0');
  /* kill(0, ...) would address our own process group: never a pid here. */
  if (p == digits || *p != '.' || strlen(p + 1) != 6 || v <= 0 || v > INT_MAX)
    return 0;
  *pid = v;
  return 1;
}

/* Remove the temporaries a killed run left for this target: ours by name
 * and owner, their pid no longer a process, and last written before this
 * run began (so a pid reused or seen through another pid namespace is not
 * enough to remove a file being written). Best effort: failures are not
 * reported, the conversion itself succeeded. */
static void remove_stale_temporaries(const dconv_output *o) {
  const char *slash = strrchr(o->path, '/');
  char dirpath[4096];
  snprintf(dirpath, sizeof dirpath, "%.*s",
           slash ? (int)(slash - o->path) + 1 : 1, slash ? o->path : ".");
  char stem[NAME_MAX + 1];
  temporary_stem(slash ? slash + 1 : o->path, stem);
  DIR *dir = opendir(dirpath);
  if (!dir)
    return;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    long pid;
    struct stat st;
    if (!is_temporary_of(e->d_name, stem, &pid) || pid == (long)getpid() ||
        !(kill((pid_t)pid, 0) != 0 && errno == ESRCH) ||
        fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISREG(st.st_mode) || st.st_uid != geteuid())
      continue;
    if (st.st_mtim.tv_sec < o->start.tv_sec ||
        (st.st_mtim.tv_sec == o->start.tv_sec &&
         st.st_mtim.tv_nsec < o->start.tv_nsec))
      unlinkat(dirfd(dir), e->d_name, 0);
  }
  closedir(dir);
}

dconv_output *dconv_output_open(const char *path, dconv_diag *diag) {
  dconv_output *o = calloc(1, sizeof *o);
  if (!o) {
    dconv_diag_report(diag, DCONV_DIAG_ERROR, NULL, 0, "out of memory");
    return NULL;
  }
  o->diag = diag;
  o->fd = -1;
  if (!path) {
    o->kind = OUT_MEMORY;
    return o;
  }
  if (strcmp(path, "-") == 0) {
    o->kind = OUT_STREAM;
    /* A descriptor of its own: while plugin code runs, fd 1 points at
     * stderr (guard.c), so that a plugin's printf() stays out of the
     * output. Closed (and its error reported) by the commit. */
    o->fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (o->fd < 0)
      o->fd = STDOUT_FILENO;
    return o;
  }
  o->kind = OUT_FILE;
  struct stat st;
  int exists = stat(path, &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) {
    dconv_diag_report(diag, DCONV_DIAG_ERROR, path, 0,
                      "output is a directory");
    free(o);
    return NULL;
  }
  if (exists && !S_ISREG(st.st_mode)) {
    o->kind = OUT_STREAM;
    o->path = strdup(path);
    o->fd = open(path, O_WRONLY | O_CLOEXEC);
    if (o->fd < 0 || !o->path) {
      dconv_diag_report(diag, DCONV_DIAG_ERROR, path, 0, "cannot open: %s",
                        strerror(errno));
      if (o->fd >= 0)
        close(o->fd);
      free(o->path);
      free(o);
      return NULL;
    }
    return o;
  }
  clock_gettime(CLOCK_REALTIME, &o->start);
  const char *slash = strrchr(path, '/');
  size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
  char stem[NAME_MAX + 1];
  temporary_stem(path + dirlen, stem);
  size_t need = dirlen + strlen(stem) + TMP_EXTRA + 1;
  o->path = strdup(path);
  o->tmp = malloc(need);
  if (!o->path || !o->tmp || need > sizeof g_tmp_path) {
    dconv_diag_report(diag, DCONV_DIAG_ERROR, path, 0,
                      "output path too long or out of memory");
    goto fail;
  }
  snprintf(o->tmp, need, "%.*s.%s.%ld.XXXXXX", (int)dirlen, path, stem,
           (long)getpid());
  o->fd = mkostemp(o->tmp, O_CLOEXEC);
  if (o->fd < 0) {
    dconv_diag_report(diag, DCONV_DIAG_ERROR, path, 0,
                      "cannot create a temporary file beside it: %s",
                      strerror(errno));
    goto fail;
  }
  /* Keep the permissions a normal create would give (mkstemp uses 0600). */
  mode_t mask = umask(0);
  umask(mask);
  if (exists)
    fchmod(o->fd, st.st_mode & 07777);
  else
    fchmod(o->fd, 0666 & ~mask);
  memcpy(g_tmp_path, o->tmp, strlen(o->tmp) + 1);
  g_tmp_active = 1;
  return o;
fail:
  free(o->path);
  free(o->tmp);
  free(o);
  return NULL;
}

static int write_all(dconv_output *o, const char *p, size_t left) {
  while (left) {
    ssize_t n = write(o->fd, p, left);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      dconv_diag_report(o->diag, DCONV_DIAG_ERROR,
                        o->path ? o->path : "<stdout>", 0, "write failed: %s",
                        strerror(errno));
      o->failed = 1;
      return DCONV_E_IO;
    }
    p += n;
    left -= (size_t)n;
  }
  return 0;
}

static int flush_pending(dconv_output *o) {
  int rc = write_all(o, o->pending.data, o->pending.len);
  if (!rc)
    o->pending.len = 0;
  return rc;
}

int dconv_output_write(dconv_output *o, const void *data, size_t len) {
  if (o->failed)
    return DCONV_E_IO;
  /* A block as large as the write-behind buffer goes out as it is, after
   * what is pending: appending it would hold a second copy of it (a zip
   * writer sends each deflated entry in one call: 60 MB for the .apkg of
   * 100,000 papers). */
  if (o->kind != OUT_MEMORY && len >= (256u << 10)) {
    int rc = flush_pending(o);
    return rc ? rc : write_all(o, data, len);
  }
  dconv_buf *b = o->kind == OUT_MEMORY ? &o->mem : &o->pending;
  if (dconv_buf_append(b, data, len)) {
    dconv_diag_report(o->diag, DCONV_DIAG_ERROR, NULL, 0, "out of memory");
    o->failed = 1;
    return DCONV_E_NOMEM;
  }
  if (o->kind != OUT_MEMORY && o->pending.len >= (256u << 10))
    return flush_pending(o);
  return 0;
}

static void release(dconv_output *o) {
  if (o->kind == OUT_FILE)
    g_tmp_active = 0;
  if (o->fd > STDERR_FILENO)
    close(o->fd);
  dconv_buf_free(&o->mem);
  dconv_buf_free(&o->pending);
  free(o->path);
  free(o->tmp);
  free(o);
}

int dconv_output_commit(dconv_output *o) {
  int rc = o->failed ? DCONV_E_IO : 0;
  if (!rc && o->kind != OUT_MEMORY)
    rc = flush_pending(o);
  if (o->kind == OUT_STREAM && o->fd > STDERR_FILENO) {
    if (close(o->fd) != 0 && !rc) {
      dconv_diag_report(o->diag, DCONV_DIAG_ERROR, o->path, 0,
                        "write failed: %s", strerror(errno));
      rc = DCONV_E_IO;
    }
    o->fd = -1;
  }
  if (!rc && o->kind == OUT_FILE) {
    /* fsync before rename: after a crash the name points at whole data. */
    if (fsync(o->fd) != 0 || close(o->fd) != 0) {
      dconv_diag_report(o->diag, DCONV_DIAG_ERROR, o->path, 0,
                        "write failed: %s", strerror(errno));
      rc = DCONV_E_IO;
    }
    o->fd = -1;
    if (!rc && rename(o->tmp, o->path) != 0) {
      dconv_diag_report(o->diag, DCONV_DIAG_ERROR, o->path, 0,
                        "cannot rename the temporary file into place: %s",
                        strerror(errno));
      rc = DCONV_E_IO;
    }
    if (rc)
      unlink(o->tmp);
    else
      remove_stale_temporaries(o);
  } else if (rc && o->kind == OUT_FILE) {
    unlink(o->tmp); /* a write failed (e.g. disk full): no partial file */
  }
  release(o);
  return rc;
}

void dconv_output_abort(dconv_output *o) {
  if (!o)
    return;
  if (o->kind == OUT_FILE)
    unlink(o->tmp);
  release(o);
}

const dconv_buf *dconv_output_memory(const dconv_output *o) {
  return o->kind == OUT_MEMORY ? &o->mem : NULL;
}

int dconv_output_is_tty(const dconv_output *o) {
  return o->kind == OUT_STREAM && isatty(o->fd);
}
