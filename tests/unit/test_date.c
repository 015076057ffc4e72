/*
 * Unit tests for the date check behind digest headers (dconv_parse_date):
 * the calendar (month lengths, Gregorian leap years), what counts as
 * date-shaped, normalisation to YYYY-MM-DD and the consumed length.
 */
#include <stdio.h>
#include <string.h>

#include "parser.h"
#include "parser_ids.h"
#include "unit.h"

static void test_calendar(void) {
  /* The last day of every month is a date, the day after is not. */
  static const char *const last[] = {
      "2023-01-31", "2023-02-28", "2023-03-31", "2023-04-30",
      "2023-05-31", "2023-06-30", "2023-07-31", "2023-08-31",
      "2023-09-30", "2023-10-31", "2023-11-30", "2023-12-31"};
  static const char *const after[] = {
      "2023-01-32", "2023-02-29", "2023-03-32", "2023-04-31",
      "2023-05-32", "2023-06-31", "2023-07-32", "2023-08-32",
      "2023-09-31", "2023-10-32", "2023-11-31", "2023-12-32"};
  char out[11];
  size_t used;
  for (int m = 0; m < 12; m++) {
    used = 0;
    CHECK_INT(dconv_parse_date(last[m], out, &used), 1);
    CHECK_STR(out, last[m]);
    CHECK_INT(used, 10);
    if (dconv_parse_date(after[m], out, &used) != 0)
      fprintf(stderr, "'%s' accepted\n", after[m]);
    CHECK_INT(dconv_parse_date(after[m], out, &used), 0);
  }

  /* Gregorian leap years: every 4th, not every 100th, every 400th. */
  static const struct {
    const char *date;
    int ok;
  } leap[] = {{"2024-02-29", 1}, {"2023-02-29", 0}, {"1900-02-29", 0},
              {"2000-02-29", 1}, {"2100-02-29", 0}, {"2400-02-29", 1},
              {"2024-02-30", 0}, {"1996-02-29", 1}};
  for (size_t i = 0; i < sizeof leap / sizeof leap[0]; i++)
    CHECK_INT(dconv_parse_date(leap[i].date, out, &used), leap[i].ok);

  /* Impossible months and days are 0 (an error), not -1 (not a date). */
  CHECK_INT(dconv_parse_date("2024-13-45", out, &used), 0);
  CHECK_INT(dconv_parse_date("2024-00-10", out, &used), 0);
  CHECK_INT(dconv_parse_date("2024-01-00", out, &used), 0);
  CHECK_INT(dconv_parse_date("2024-99-99", out, &used), 0);
  CHECK_INT(dconv_parse_date("0999-01-01", out, &used), 0);
  CHECK_INT(dconv_parse_date("1000-01-01", out, &used), 1);
  CHECK_INT(dconv_parse_date("9999-12-31", out, &used), 1);
}

static void test_shape(void) {
  char out[11];
  size_t used = 0;
  /* One-digit months and days are normalised; used covers the token. */
  CHECK_INT(dconv_parse_date("2024-3-7", out, &used), 1);
  CHECK_STR(out, "2024-03-07");
  CHECK_INT(used, 8);
  CHECK_INT(dconv_parse_date("2024-03-7)", out, &used), 1);
  CHECK_STR(out, "2024-03-07");
  CHECK_INT(used, 9);
  /* What follows the date does not matter unless it is another digit. */
  CHECK_INT(dconv_parse_date("2024-03-27) extra", out, &used), 1);
  CHECK_INT(used, 10);
  CHECK_INT(dconv_parse_date("2024-03-27T10:00", out, &used), 1);
  CHECK_INT(used, 10);

  /* Not date-shaped: -1, whatever the numbers. */
  static const char *const not_dates[] = {
      "",           "2024",        "2024-03",    "2024-03-",
      "2024--03",   "2024/03/27",  "24-03-27",   "202-03-27",
      "abcd-01-01", "20245-01-01", "2024-003-27", "2024-03-270",
      "2024-x-01",  "2024-01-x",   "-2024-01-01", " 2024-01-01"};
  for (size_t i = 0; i < sizeof not_dates / sizeof not_dates[0]; i++) {
    int r = dconv_parse_date(not_dates[i], out, &used);
    if (r != -1)
      fprintf(stderr, "'%s' is date-shaped (%d)\n", not_dates[i], r);
    CHECK_INT(r, -1);
  }
}

int main(void) {
  test_calendar();
  test_shape();
  return unit_finish("date");
}
