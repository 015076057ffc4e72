/* fuzz_opml - parse, export as OPML to memory. Oracle: libxml2 parses the
 * output as well-formed XML whose root is <opml>. */
#define FUZZ_WRITER
#include "fuzz_common.h"

#include <libxml/parser.h>

static void fuzz_check_output(const char *out, size_t len, const uint8_t *in,
                              size_t in_len) {
  (void)in, (void)in_len;
  FUZZ_ASSERT(dconv_input_clean_prefix(out, len) == len, "output is clean UTF-8");
  xmlDocPtr x = xmlReadMemory(out, (int)len, "fuzz.opml", NULL,
                              XML_PARSE_NONET | XML_PARSE_NOERROR |
                                  XML_PARSE_NOWARNING | XML_PARSE_HUGE);
  FUZZ_ASSERT(x != NULL, "OPML is well-formed XML");
  xmlNodePtr root = xmlDocGetRootElement(x);
  FUZZ_ASSERT(root && strcmp((const char *)root->name, "opml") == 0,
              "root element is <opml>");
  xmlFreeDoc(x);
}
