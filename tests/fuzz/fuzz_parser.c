/* fuzz_parser - input.c sanitize + parser.c into a dconv_tree (no writer). */
#include "fuzz_common.h"
