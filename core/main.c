/*
 * main.c - the `dconv` command: argument handling on top of libdconv.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"

static void usage(FILE *f) {
  fputs(
      "usage: dconv --to FORMAT [-o FILE|DIR/|-] [-O key=value]...\n"
      "             [--from READER[:k=v,...]] [--filter NAME[:k=v,...]]...\n"
      "             INPUT...\n"
      "       dconv --check INPUT...\n"
      "       dconv --list-formats | --list-plugins [-v] | --version\n"
      "       dconv --help [FORMAT]\n"
      "\n"
      "INPUT is a digest file, a directory of *.md/*.txt digests, or - for\n"
      "standard input. Several inputs make one document, sorted by date.\n"
      "\n"
      "  -t, --to FORMAT     output format (see --list-formats)\n"
      "  -o, --output FILE   output file, - for stdout (default: stdout for\n"
      "                      text formats, a name from the dates otherwise)\n"
      "  -O, --option K=V    format option (see --help FORMAT)\n"
      "      --from READER   input reader for every input (default: detected\n"
      "                      per input; markdown = the digest parser)\n"
      "      --filter NAME   run filter plugin NAME on the tree (repeatable,\n"
      "                      in order); options as NAME:key=value,...\n"
      "      --since DATE    keep digests dated DATE (YYYY-MM-DD) or later\n"
      "      --until DATE    keep digests dated DATE or earlier\n"
      "      --min-votes N   keep papers with at least N votes\n"
      "      --match REGEX   keep papers whose title, authors or summary match\n"
      "                      (POSIX extended, case-insensitive)\n"
      "      --top N         keep the N papers with most votes per day\n"
      "      --top-per day|all  count --top per day (default) or overall\n"
      "      --dedupe        keep one paper per arXiv id (the first)\n"
      "                      (these six are --filter select:KEY=VALUE,...)\n"
      "      --check         parse and report only; no output\n"
      "      --strict        treat warnings as errors\n"
      "  -q, --quiet         no warnings (errors still print)\n"
      "  -v, --verbose       notes too; with --list-plugins, details\n"
      "      --plugin FILE   load this plugin file too (skips path checks)\n"
      "      --list-formats  formats the loaded plugins provide\n"
      "      --list-plugins  plugins found, and files rejected with reasons\n"
      "  -h, --help [FORMAT] this help, or a format's options\n"
      "  -V, --version       version and plugin ABI\n"
      "\n"
      "Exit status: 0 ok, 1 bad input, 2 usage, 3 output error, 4 plugin\n"
      "failure, 5 out of memory.\n",
      f);
}

/* Make sure descriptors 0-2 are open before anything else is opened. A
 * closed one would be the next open()'s result: with `2>&-` the temporary
 * output file became fd 2 and diagnostics were written into the output.
 * A closed descriptor gets /dev/null opened the wrong way round (0
 * write-only, 1 and 2 read-only), so that using it still fails (EBADF)
 * instead of silently succeeding: a conversion to a closed stdout is an
 * output error (exit 3), not a conversion into nothing. Returns -1 when
 * /dev/null cannot be opened. */
static int open_standard_fds(void) {
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
    if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
      continue;
    /* fds below this one are open: open() returns this one. */
    int got = open("/dev/null", fd == STDIN_FILENO ? O_WRONLY : O_RDONLY);
    if (got != fd) {
      if (got >= 0)
        close(got);
      return -1;
    }
  }
  return 0;
}

/* "dconv: error: BEFORE'ARG'AFTER", ARG shown terminal-safe: it may hold
 * anything, escape sequences included. */
static void bad_option(const char *before, const char *arg,
                       const char *after) {
  fprintf(stderr, "dconv: error: %s'", before);
  dconv_diag_fputs_safe(arg, stderr);
  fprintf(stderr, "'%s\n", after);
}

/* --since, --until, ... : shorthands for one `--filter select:...` stage.
 * The keys are the select filter's own (plugins/select/README.md), in the
 * order of the long options below; match comes last because a comma in a
 * regex only ends it when "KEY=" follows (core/options.h). */
#define SELECT_N 7
static const char *const select_keys[SELECT_N] = {
    "since", "until", "min-votes", "top", "top-per", "dedupe", "match"};
typedef struct {
  const char *value[SELECT_N]; /* borrowed from argv; NULL if not given */
} select_spec;

/* "select:k=v,..." for the given values (malloc'd, caller frees), or NULL
 * when out of memory. */
static char *select_stage(const select_spec *sel) {
  size_t len = sizeof "select:";
  for (int i = 0; i < SELECT_N; i++)
    if (sel->value[i])
      len += strlen(select_keys[i]) + strlen(sel->value[i]) + 2;
  char *s = malloc(len);
  if (!s)
    return NULL;
  char *p = s + sprintf(s, "select:");
  for (int i = 0; i < SELECT_N; i++)
    if (sel->value[i])
      p += sprintf(p, "%s%s=%s", p[-1] == ':' ? "" : ",", select_keys[i],
                   sel->value[i]);
  return s;
}

int main(int argc, char **argv) {
  if (open_standard_fds() != 0)
    return DCONV_EXIT_OUTPUT; /* nowhere to say why: stderr may be closed */
  dconv_app_args a;
  memset(&a, 0, sizeof a);
  enum {
    OPT_CHECK = 256,
    OPT_STRICT,
    OPT_PLUGIN,
    OPT_LIST_FORMATS,
    OPT_LIST_PLUGINS,
    OPT_FROM,
    OPT_FILTER,
    OPT_SELECT /* + index into select_keys */
  };
  static const struct option longopts[] = {
      {"to", required_argument, NULL, 't'},
      {"output", required_argument, NULL, 'o'},
      {"option", required_argument, NULL, 'O'},
      {"check", no_argument, NULL, OPT_CHECK},
      {"strict", no_argument, NULL, OPT_STRICT},
      {"quiet", no_argument, NULL, 'q'},
      {"verbose", no_argument, NULL, 'v'},
      {"plugin", required_argument, NULL, OPT_PLUGIN},
      {"from", required_argument, NULL, OPT_FROM},
      {"filter", required_argument, NULL, OPT_FILTER},
      {"since", required_argument, NULL, OPT_SELECT + 0},
      {"until", required_argument, NULL, OPT_SELECT + 1},
      {"min-votes", required_argument, NULL, OPT_SELECT + 2},
      {"top", required_argument, NULL, OPT_SELECT + 3},
      {"top-per", required_argument, NULL, OPT_SELECT + 4},
      {"dedupe", no_argument, NULL, OPT_SELECT + 5},
      {"match", required_argument, NULL, OPT_SELECT + 6},
      {"list-formats", no_argument, NULL, OPT_LIST_FORMATS},
      {"list-plugins", no_argument, NULL, OPT_LIST_PLUGINS},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0}};
  char **opts = calloc((size_t)argc + 1, sizeof *opts);
  char **plugins = calloc((size_t)argc + 1, sizeof *plugins);
  char **filters = calloc((size_t)argc + 1, sizeof *filters);
  if (!opts || !plugins || !filters) {
    fputs("dconv: error: out of memory\n", stderr);
    return DCONV_EXIT_NOMEM;
  }
  a.options = opts;
  a.plugins = plugins;
  a.filters = filters;
  /* The selection options are one `select` filter stage, run where the
   * first of them stands among the --filter stages. */
  select_spec sel;
  memset(&sel, 0, sizeof sel);
  size_t sel_slot = (size_t)-1;
  int c, help = 0;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":t:o:O:qvhV", longopts, NULL)) != -1) {
    switch (c) {
    case 't':
      a.format = optarg;
      break;
    case 'o':
      a.output = optarg;
      break;
    case 'O':
      opts[a.n_options++] = optarg;
      break;
    case OPT_CHECK:
      a.mode = DCONV_APP_CHECK;
      break;
    case OPT_STRICT:
      a.strict = 1;
      break;
    case 'q':
      a.quiet = 1;
      break;
    case 'v':
      a.verbose = 1;
      break;
    case OPT_PLUGIN:
      plugins[a.n_plugins++] = optarg;
      break;
    case OPT_FROM:
      a.from = optarg;
      break;
    case OPT_FILTER:
      filters[a.n_filters++] = optarg;
      break;
    case OPT_SELECT + 0:
    case OPT_SELECT + 1:
    case OPT_SELECT + 2:
    case OPT_SELECT + 3:
    case OPT_SELECT + 4:
    case OPT_SELECT + 5:
    case OPT_SELECT + 6:
      if (sel_slot == (size_t)-1)
        sel_slot = a.n_filters++;
      sel.value[c - OPT_SELECT] = optarg ? optarg : "true";
      break;
    case OPT_LIST_FORMATS:
      a.mode = DCONV_APP_LIST_FORMATS;
      break;
    case OPT_LIST_PLUGINS:
      a.mode = DCONV_APP_LIST_PLUGINS;
      break;
    case 'h':
      help = 1;
      break;
    case 'V':
      a.mode = DCONV_APP_VERSION;
      break;
    case ':':
      bad_option("option ", argv[optind - 1], " needs a value");
      usage(stderr);
      free(opts);
      free(plugins);
      free(filters);
      return DCONV_EXIT_USAGE;
    default:
      bad_option("unknown option ", argv[optind - 1], "");
      usage(stderr);
      free(opts);
      free(plugins);
      free(filters);
      return DCONV_EXIT_USAGE;
    }
  }
  a.inputs = argv + optind;
  a.n_inputs = (size_t)(argc - optind);
  if (help) {
    if (a.n_inputs == 0) {
      usage(stdout);
      free(opts);
      free(plugins);
      free(filters);
      return 0;
    }
    a.mode = DCONV_APP_HELP_FORMAT;
    a.format = a.inputs[0];
  } else if (a.mode == 0) {
    if (!a.format) {
      fputs("dconv: error: no output format: use --to FORMAT or --check\n",
            stderr);
      usage(stderr);
      free(opts);
      free(plugins);
      free(filters);
      return DCONV_EXIT_USAGE;
    }
    a.mode = DCONV_APP_CONVERT;
  }
  char *sel_stage = NULL;
  if (sel_slot != (size_t)-1) {
    if (!(sel_stage = select_stage(&sel))) {
      fputs("dconv: error: out of memory\n", stderr);
      free(opts);
      free(plugins);
      free(filters);
      return DCONV_EXIT_NOMEM;
    }
    filters[sel_slot] = sel_stage;
  }
  int rc = dconv_app_run(&a);
  free(sel_stage);
  free(opts);
  free(plugins);
  free(filters);
  return rc;
}
