/* parser_ids.c - dates of digest headers and arXiv ids of title links
 * (see parser_ids.h). */
#include "parser_ids.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int dconv_parse_date(const char *s, char out[11], size_t *consumed) {
  size_t i = 0;
  unsigned y = 0, m = 0, d = 0;
  int nd = 0;
  while (isdigit((unsigned char)s[i]) && nd < 4)
    y = y * 10 + (unsigned)(s[i++] - '0'), nd++;
  if (nd != 4 || s[i] != '-')
    return -1;
  i++;
  for (nd = 0; isdigit((unsigned char)s[i]) && nd < 2; nd++)
    m = m * 10 + (unsigned)(s[i++] - '0');
  if (nd == 0 || s[i] != '-')
    return -1;
  i++;
  for (nd = 0; isdigit((unsigned char)s[i]) && nd < 2; nd++)
    d = d * 10 + (unsigned)(s[i++] - '0');
  if (nd == 0 || isdigit((unsigned char)s[i]))
    return -1;
  *consumed = i;
  static const unsigned mdays[12] = {31, 28, 31, 30, 31, 30,
                                     31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y < 1000 || m < 1 || m > 12 || d < 1 ||
      d > mdays[m - 1] + (m == 2 && leap))
    return 0;
  snprintf(out, 11, "%04u-%02u-%02u", y % 10000, m % 100, d % 100);
  return 1;
}

/* Old-style archive names (hep-th, math.AG, cs, ...) are letters, digits,
 * '-' and '.'; new-style ids are YYMM.NNNN(N). */
int dconv_parse_arxiv_url(const char *url, char id[64], char version[16]) {
  static const char *const hosts[] = {"arxiv.org/abs/", "arxiv.org/pdf/",
                                      "huggingface.co/papers/",
                                      "alphaxiv.org/abs/", NULL};
  const char *p = NULL;
  for (int i = 0; hosts[i] && !p; i++) {
    p = strstr(url, hosts[i]);
    if (p)
      p += strlen(hosts[i]);
  }
  if (!p)
    return 0;
  size_t n = 0;
  if (isdigit((unsigned char)p[0])) {
    while (n < 4 && isdigit((unsigned char)p[n]))
      n++;
    if (n != 4 || p[4] != '.')
      return 0;
    n = 5;
    size_t k = 0;
    while (k < 5 && isdigit((unsigned char)p[n + k]))
      k++;
    if (k < 4)
      return 0;
    n += k;
  } else {
    while (isalnum((unsigned char)p[n]) || p[n] == '-' || p[n] == '.')
      n++;
    if (n == 0 || n > 32 || p[n] != '/')
      return 0;
    size_t k = 0;
    while (k < 7 && isdigit((unsigned char)p[n + 1 + k]))
      k++;
    if (k != 7)
      return 0;
    n += 8;
  }
  if (isdigit((unsigned char)p[n]))
    return 0; /* too many digits */
  memcpy(id, p, n);
  id[n] = '\0';
  version[0] = '\0';
  if (p[n] == 'v' && isdigit((unsigned char)p[n + 1])) {
    size_t k = 0;
    while (k < 8 && isdigit((unsigned char)p[n + 1 + k])) {
      version[k] = p[n + 1 + k];
      k++;
    }
    version[k] = '\0';
  }
  return 1;
}
