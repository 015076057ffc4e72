/*
 * attrs.c - prints the host's attribute table (core/attrs.def) as the roff
 * block dconv-plugin(7) must contain, then each key on a line "key KEY";
 * tests/sdk/attrs.sh compares the first with the manual and the keys with
 * the DCONV_ATTR_* macros of <dconv/tree.h>, so the three cannot drift.
 */
#include <stdio.h>

#include "tree.h"

static void kinds(uint32_t mask) {
  static const char *const names[] = {"", "COLLECTION", "DIGEST", "PAPER",
                                      "AUTHOR", "ITEM", "TEXT", "CODE",
                                      "EMPH", "STRONG", "LINK"};
  const char *sep = "";
  for (uint32_t k = 1; k < sizeof names / sizeof names[0]; k++)
    if (mask & DCONV_ATTR_KIND(k)) {
      printf("%s%s", sep, names[k]);
      sep = ", ";
    }
}

int main(void) {
  for (size_t i = 0; i < dconv_attr_count; i++) {
    const dconv_attr_def *a = &dconv_attr_table[i];
    printf(".TP\n.BR %s \" (%s; ", a->key,
           a->type == DCONV_VALUE_INT ? "int" : "str");
    kinds(a->kinds);
    printf("%s)\"\n", a->flags & DCONV_ATTR_COMPUTED ? "; set by the host" : "");
    /* roff: a line may not start with '.' or '\''; none of ours do. */
    for (const char *s = a->doc; *s; s++) {
      if (*s == '\\')
        fputs("\\e", stdout);
      else if (*s == '-')
        fputs("\\-", stdout);
      else
        putchar(*s);
    }
    putchar('\n');
  }
  for (size_t i = 0; i < dconv_attr_count; i++)
    printf("key %s\n", dconv_attr_table[i].key);
  return 0;
}
