/*
 * parser_list.h - a summary list (possibly nested, numbered) -> ITEM nodes
 * of the current paper, with their depth (clamped to DCONV_PARSE_MAX_DEPTH)
 * and numbering. Internal to the parser (core/parser*.c).
 */
#ifndef DCONV_CORE_PARSER_LIST_H
#define DCONV_CORE_PARSER_LIST_H

#include <cmark-gfm.h>

#include "parser_state.h"

void dconv_list_convert(dconv_pstate *ps, cmark_node *list);

#endif
