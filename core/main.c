/*
 * main.c - the `dconv` command: argument handling on top of libdconv.
 */
#define _GNU_SOURCE
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

int main(int argc, char **argv) {
  dconv_app_args a;
  memset(&a, 0, sizeof a);
  enum {
    OPT_CHECK = 256,
    OPT_STRICT,
    OPT_PLUGIN,
    OPT_LIST_FORMATS,
    OPT_LIST_PLUGINS,
    OPT_FROM,
    OPT_FILTER
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
      fprintf(stderr, "dconv: error: option '%s' needs a value\n",
              argv[optind - 1]);
      usage(stderr);
      free(opts);
      free(plugins);
      free(filters);
      return DCONV_EXIT_USAGE;
    default:
      fprintf(stderr, "dconv: error: unknown option '%s'\n",
              argv[optind - 1]);
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
  int rc = dconv_app_run(&a);
  free(opts);
  free(plugins);
  free(filters);
  return rc;
}
