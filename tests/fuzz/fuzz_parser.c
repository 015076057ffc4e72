/* fuzz_parser - input.c sanitize + parser.c into a dconv_doc (no writer). */
#include "fuzz_common.h"
