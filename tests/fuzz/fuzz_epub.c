/* fuzz_epub - parse, export as EPUB to memory. Oracle: the output is a zip
 * whose first entry is the stored "mimetype", and every XML entry (.xhtml,
 * .opf, .ncx, .xml) is well-formed XML according to libxml2. */
#define FUZZ_WRITER
#include "fuzz_common.h"

#include <libxml/parser.h>
#include <zip.h>

static void fuzz_check_output(const char *out, size_t len, const uint8_t *in,
                              size_t in_len) {
  (void)in, (void)in_len;
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(out, len, 0, &ze);
  FUZZ_ASSERT(src != NULL, "zip source");
  zip_t *z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
  FUZZ_ASSERT(z != NULL, "EPUB is a consistent zip");
  zip_int64_t n = zip_get_num_entries(z, 0);
  FUZZ_ASSERT(n > 1, "EPUB has entries");
  FUZZ_ASSERT(strcmp(zip_get_name(z, 0, 0), "mimetype") == 0,
              "mimetype comes first");
  for (zip_int64_t i = 0; i < n; i++) {
    const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
    size_t nl = strlen(name);
    int xml = (nl > 6 && strcmp(name + nl - 6, ".xhtml") == 0) ||
              (nl > 4 && (strcmp(name + nl - 4, ".opf") == 0 ||
                          strcmp(name + nl - 4, ".ncx") == 0 ||
                          strcmp(name + nl - 4, ".xml") == 0));
    if (!xml)
      continue;
    zip_stat_t st;
    FUZZ_ASSERT(zip_stat_index(z, (zip_uint64_t)i, 0, &st) == 0, "zip stat");
    char *buf = malloc(st.size + 1);
    zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
    FUZZ_ASSERT(buf && f, "zip entry opens");
    FUZZ_ASSERT(zip_fread(f, buf, st.size) == (zip_int64_t)st.size,
                "zip entry reads");
    zip_fclose(f);
    xmlDocPtr x = xmlReadMemory(buf, (int)st.size, name, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR |
                                    XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    if (!x)
      fprintf(stderr, "not well-formed: %s\n", name);
    FUZZ_ASSERT(x != NULL, "every XML entry of the EPUB is well-formed");
    xmlFreeDoc(x);
    free(buf);
  }
  zip_close(z);
}
