/*
 * Unit tests for -O option validation (dconv_options_check): every
 * option type, unknown keys, malformed pairs, and the message each problem
 * gets. The plugin is a hand-made dconv_loaded, so no module is loaded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "unit.h"

static const dconv_option table[] = {
    {sizeof(dconv_option), DCONV_OPT_BOOL, "pretty", "false", NULL, "b"},
    {sizeof(dconv_option), DCONV_OPT_INT, "level", NULL, NULL, "i"},
    {sizeof(dconv_option), DCONV_OPT_ENUM, "sep", "comma",
     "comma|semicolon|tab", "e"},
    {sizeof(dconv_option), DCONV_OPT_FILE, "cover", NULL, NULL, "f"},
};

static dconv_loaded plugin_with(const dconv_option *opts, uint32_t n,
                                const char *name) {
  dconv_loaded p;
  memset(&p, 0, sizeof p);
  p.path = (char *)"/nowhere/test.so";
  p.desc.name = name;
  p.desc.options = opts;
  p.desc.n_options = n;
  return p;
}

/* Result of one validation: return code, error count, what was printed. */
typedef struct {
  int rc;
  unsigned long errors;
  char *text; /* owned */
} checked;

static checked check(const dconv_loaded *p, size_t n, char **opts) {
  checked c;
  size_t len = 0;
  c.text = NULL;
  dconv_diag diag;
  dconv_diag_init(&diag);
  diag.out = open_memstream(&c.text, &len);
  c.rc = dconv_options_check(p, opts, n, &diag);
  fclose(diag.out);
  c.errors = diag.errors;
  return c;
}

/* One option: accepted (no message) or refused with exactly `message`. */
static void expect(const dconv_loaded *p, const char *opt,
                   const char *message) {
  char *opts[] = {(char *)opt};
  checked c = check(p, 1, opts);
  if (!message) {
    if (c.rc != 0 || c.errors != 0 || (c.text && *c.text))
      fprintf(stderr, "option '%s' should be accepted; got: %s\n", opt,
              c.text ? c.text : "");
    CHECK_INT(c.rc, 0);
    CHECK_INT(c.errors, 0);
    CHECK_STR(c.text, "");
  } else {
    CHECK_INT(c.rc, DCONV_E_OPTION);
    CHECK_INT(c.errors, 1);
    char want[512];
    snprintf(want, sizeof want, "dconv: error: %s\n", message);
    CHECK_STR(c.text, want);
  }
  free(c.text);
}

static void test_types(void) {
  dconv_loaded p = plugin_with(table, 4, "fmt");

  expect(&p, "pretty=true", NULL);
  expect(&p, "pretty=false", NULL);
  expect(&p, "pretty=yes",
         "bad value 'yes' for option 'pretty': expects true or false");
  expect(&p, "pretty=True",
         "bad value 'True' for option 'pretty': expects true or false");
  expect(&p, "pretty=",
         "bad value '' for option 'pretty': expects true or false");
  expect(&p, "pretty=true=false",
         "bad value 'true=false' for option 'pretty': expects true or false");

  expect(&p, "level=12", NULL);
  expect(&p, "level=-3", NULL);
  expect(&p, "level=0", NULL);
  expect(&p, "level=9223372036854775807", NULL);
  expect(&p, "level=", "bad value '' for option 'level': expects an integer");
  expect(&p, "level=12x",
         "bad value '12x' for option 'level': expects an integer");
  expect(&p, "level=1.5",
         "bad value '1.5' for option 'level': expects an integer");
  expect(&p, "level=9223372036854775808",
         "bad value '9223372036854775808' for option 'level': expects an "
         "integer");

  expect(&p, "sep=comma", NULL);
  expect(&p, "sep=semicolon", NULL);
  expect(&p, "sep=tab", NULL);
  expect(&p, "sep=colon",
         "bad value 'colon' for option 'sep': expects one of the listed "
         "values (comma|semicolon|tab)");
  /* Whole choices only: no prefix, no case folding, no list. */
  expect(&p, "sep=com",
         "bad value 'com' for option 'sep': expects one of the listed "
         "values (comma|semicolon|tab)");
  expect(&p, "sep=Tab",
         "bad value 'Tab' for option 'sep': expects one of the listed "
         "values (comma|semicolon|tab)");
  expect(&p, "sep=comma|tab",
         "bad value 'comma|tab' for option 'sep': expects one of the listed "
         "values (comma|semicolon|tab)");
  expect(&p, "sep=",
         "bad value '' for option 'sep': expects one of the listed values "
         "(comma|semicolon|tab)");

  char path[] = "/tmp/dconv-unit-options.XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  close(fd);
  char opt[64];
  snprintf(opt, sizeof opt, "cover=%s", path);
  expect(&p, opt, NULL);
  unlink(path);
  char msg[160];
  snprintf(msg, sizeof msg,
           "bad value '%s' for option 'cover': expects a readable file", path);
  expect(&p, opt, msg);
}

static void test_keys(void) {
  dconv_loaded p = plugin_with(table, 4, "fmt");
  const char *valid = "valid: pretty, level, sep, cover";
  char msg[160];

  snprintf(msg, sizeof msg, "unknown option 'nope' for format 'fmt'; %s",
           valid);
  expect(&p, "nope=1", msg);
  /* Keys match exactly: neither a prefix nor a longer key is taken. */
  snprintf(msg, sizeof msg, "unknown option 'pre' for format 'fmt'; %s",
           valid);
  expect(&p, "pre=true", msg);
  snprintf(msg, sizeof msg, "unknown option 'prettyx' for format 'fmt'; %s",
           valid);
  expect(&p, "prettyx=true", msg);
  snprintf(msg, sizeof msg, "unknown option 'Pretty' for format 'fmt'; %s",
           valid);
  expect(&p, "Pretty=true", msg);

  expect(&p, "pretty", "option 'pretty' is not of the form key=value");
  expect(&p, "=true", "option '=true' is not of the form key=value");
  expect(&p, "", "option '' is not of the form key=value");
  expect(&p, "sep=\xff",
         "value of option 'sep' is not valid UTF-8 text");
  expect(&p, "sep=a\x01", "value of option 'sep' is not valid UTF-8 text");

  /* A format without options says so instead of listing nothing. */
  dconv_loaded bare = plugin_with(NULL, 0, "bare");
  expect(&bare, "a=b",
         "unknown option 'a' for format 'bare'; valid: (this format has no "
         "options)");
  checked c = check(&bare, 0, NULL);
  CHECK_INT(c.rc, 0);
  free(c.text);
}

static void test_several(void) {
  dconv_loaded p = plugin_with(table, 4, "fmt");
  /* Every problem is reported, not only the first; good ones in between
   * change nothing. Repeating a key is fine (the last one counts later). */
  char *opts[] = {"pretty=maybe", "sep=tab", "nope=1", "level=x",
                  "pretty=true", "pretty=false"};
  checked c = check(&p, 6, opts);
  CHECK_INT(c.rc, DCONV_E_OPTION);
  CHECK_INT(c.errors, 3);
  CHECK(c.text && strstr(c.text, "'maybe'") && strstr(c.text, "'nope'") &&
        strstr(c.text, "'x'") && !strstr(c.text, "'tab'"));
  free(c.text);

  char *good[] = {"pretty=true", "level=7", "sep=semicolon", "pretty=false"};
  c = check(&p, 4, good);
  CHECK_INT(c.rc, 0);
  CHECK_INT(c.errors, 0);
  free(c.text);
}

/* A plugin built against a later 1.x header has bigger dconv_option
 * entries: lookup must step by the plugin's struct_size, not ours. */
typedef struct {
  dconv_option o;
  const char *added_later[3];
} option_v2;

static void test_stride(void) {
  static const option_v2 wide[] = {
      {{sizeof(option_v2), DCONV_OPT_BOOL, "first", NULL, NULL, "h"},
       {NULL, NULL, NULL}},
      {{sizeof(option_v2), DCONV_OPT_ENUM, "second", NULL, "x|y", "h"},
       {NULL, NULL, NULL}},
  };
  dconv_loaded p = plugin_with(&wide[0].o, 2, "wide");
  expect(&p, "first=true", NULL);
  expect(&p, "second=y", NULL);
  expect(&p, "second=z",
         "bad value 'z' for option 'second': expects one of the listed "
         "values (x|y)");
  expect(&p, "third=1",
         "unknown option 'third' for format 'wide'; valid: first, second");
}

int main(void) {
  test_types();
  test_keys();
  test_several();
  test_stride();
  return unit_finish("option");
}
