/*
 * dconv/tree.h - the canonical document tree as plugins see it.
 *
 * The tree is read-only and reached only through opaque handles. Plugins never
 * link libdconv: every accessor below is called through the host services
 * table declared in <dconv/plugin.h> (host->node_kind(n), ...).
 *
 * Shape (every node records its source file and line):
 *
 *   COLLECTION                       ints: digests, papers
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
 *               LINK                 strs: url (inline children)
 *
 * Growth rules: node kinds form an OPEN enum. A plugin must skip kinds it does
 * not know (adding a kind is a minor ABI bump). Attribute keys may be added in
 * minor versions; asking for an unknown key returns NULL / DCONV_E_NOTFOUND.
 */
#ifndef DCONV_TREE_H
#define DCONV_TREE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque, immutable node. Borrowed: valid for the duration of the export. */
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
 * Error codes: every call returns 0 or one of these negative values; the
 * human-readable message travels separately (host->set_error).
 */
#define DCONV_OK 0
#define DCONV_E_NOMEM (-1)       /* allocation failed */
#define DCONV_E_INVALID (-2)     /* bad argument or bad input data */
#define DCONV_E_IO (-3)          /* reading or writing failed */
#define DCONV_E_PARSE (-4)       /* input is not a digest */
#define DCONV_E_NOTFOUND (-5)    /* no such node attribute / file / plugin */
#define DCONV_E_UNSUPPORTED (-6) /* feature not available in this host */
#define DCONV_E_ABI (-7)         /* plugin ABI mismatch */
#define DCONV_E_OPTION (-8)      /* unknown option or bad option value */
#define DCONV_E_PLUGIN (-9)      /* a plugin failed for its own reasons */

#ifdef __cplusplus
}
#endif

#endif /* DCONV_TREE_H */
