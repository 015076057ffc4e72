/*
 * dconv/tree.h - the canonical document tree as plugins see it.
 *
 * The tree is reached only through opaque handles. Plugins never link
 * libdconv: every accessor is called through the host services table
 * declared in <dconv/plugin.h> (host->node_kind(n), ...). Writers see the
 * tree read-only; readers build it and filters edit it, again only through
 * host services (ABI 1.1: node_add, node_set_str, node_unlink, ...).
 *
 * Shape (every node records its source file and line; the attribute keys
 * are the DCONV_ATTR_* macros below, written here as their strings):
 *
 *   COLLECTION                       ints: digests, papers (computed by the
 *   |                                      host after reading and filtering)
 *   +- DIGEST                        strs: date (YYYY-MM-DD), title
 *      +- PAPER                      strs: title, url, arxiv_id, arxiv_version,
 *         |                                media_kind ("image"|"video"), media_url
 *         |                          ints: votes (absent = unknown),
 *         |                                authors_elided (0/1),
 *         |                                authors_elided_at (index of the '+')
 *         +- AUTHOR                  strs: name
 *         +- ITEM (summary bullet)   ints: depth (0 = top level), ordered (0/1),
 *            |                             number (for ordered items)
 *            +- inline content:
 *               TEXT                 strs: text
 *               CODE                 strs: text
 *               EMPH, STRONG         (inline children)
 *               LINK                 strs: url; ints: image (1 = the digest
 *                                    wrote it as an image, ![text](url))
 *                                    (inline children)
 *
 * Growth rules: node kinds form an OPEN enum. A plugin must cope with kinds
 * it does not know (adding a kind is a minor ABI bump):
 *   - an unknown kind among a PAPER's or DIGEST's children (block level) is
 *     skipped with its subtree;
 *   - an unknown kind inside inline content is a container: render it
 *     through, i.e. show its children (its text is kept, only the unknown
 *     styling is lost). Never drop the text of an unknown inline node.
 * Attribute keys may be added in minor versions; asking for an unknown key
 * returns NULL / DCONV_E_NOTFOUND. host->node_attr_next (ABI 1.1) lists the
 * attributes a node actually has, so a generic dumper needs no key list.
 */
#ifndef DCONV_TREE_H
#define DCONV_TREE_H

#include <stdint.h>

#include <dconv/errors.h> /* the DCONV_E_* codes lived here in ABI 1.0 */

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque node. Borrowed: valid until the end of the run (see plugin.h). */
typedef struct dconv_node dconv_node;

/** Opaque iterator over a subtree (enter/exit events, cmark style). */
typedef struct dconv_iter dconv_iter;

/* Node kinds: an open set of fixed-width values, never renumbered. */
#define DCONV_NODE_NONE 0u
#define DCONV_NODE_COLLECTION 1u
#define DCONV_NODE_DIGEST 2u
#define DCONV_NODE_PAPER 3u
#define DCONV_NODE_AUTHOR 4u
#define DCONV_NODE_ITEM 5u
#define DCONV_NODE_TEXT 6u
#define DCONV_NODE_CODE 7u
#define DCONV_NODE_EMPH 8u
#define DCONV_NODE_STRONG 9u
#define DCONV_NODE_LINK 10u

/* Iterator events. Every node, leaf or not, yields ENTER then EXIT. */
#define DCONV_EVENT_DONE 0
#define DCONV_EVENT_ENTER 1
#define DCONV_EVENT_EXIT 2

/*
 * Attribute keys (ABI 1.1 names for the strings ABI 1.0 documented above;
 * the strings themselves never change). Use the macros: a typo is then a
 * compile error instead of a silent NULL. The host's one table of
 * attributes (which kinds carry which key, and its type) is what
 * host->node_attr_next walks and what dconv-plugin(7) lists; a test checks
 * that the three agree.
 */
#define DCONV_ATTR_TITLE "title"                 /* str: DIGEST, PAPER */
#define DCONV_ATTR_URL "url"                     /* str: PAPER, LINK */
#define DCONV_ATTR_TEXT "text"                   /* str: TEXT, CODE */
#define DCONV_ATTR_NAME "name"                   /* str: AUTHOR */
#define DCONV_ATTR_ARXIV_ID "arxiv_id"           /* str: PAPER */
#define DCONV_ATTR_ARXIV_VERSION "arxiv_version" /* str: PAPER */
#define DCONV_ATTR_DATE "date"                   /* str: DIGEST */
#define DCONV_ATTR_MEDIA_KIND "media_kind"       /* str: PAPER */
#define DCONV_ATTR_MEDIA_URL "media_url"         /* str: PAPER */
#define DCONV_ATTR_VOTES "votes"                 /* int: PAPER */
#define DCONV_ATTR_AUTHORS_ELIDED "authors_elided"       /* int: PAPER */
#define DCONV_ATTR_AUTHORS_ELIDED_AT "authors_elided_at" /* int: PAPER */
#define DCONV_ATTR_DEPTH "depth"                 /* int: ITEM */
#define DCONV_ATTR_ORDERED "ordered"             /* int: ITEM */
#define DCONV_ATTR_NUMBER "number"               /* int: ITEM */
#define DCONV_ATTR_IMAGE "image"                 /* int: LINK */
#define DCONV_ATTR_DIGESTS "digests"             /* int: COLLECTION */
#define DCONV_ATTR_PAPERS "papers"               /* int: COLLECTION */

/* Attribute value types (host->node_attr_next): an open enum. */
#define DCONV_VALUE_STR 1u /* read with host->node_str */
#define DCONV_VALUE_INT 2u /* read with host->node_int */

#ifdef __cplusplus
}
#endif

#endif /* DCONV_TREE_H */
