/*
 * dconv/errors.h - the error codes of the dconv plugin ABI.
 *
 * Every host service and every plugin callback returns 0 or one of these
 * negative values; the human-readable message travels separately
 * (host->set_error). The values are part of the ABI: never renumbered
 * within a major version. <dconv/tree.h> includes this header, so code
 * written against ABI 1.0 (where the codes lived in tree.h) still builds.
 */
#ifndef DCONV_ERRORS_H
#define DCONV_ERRORS_H

#define DCONV_OK 0
#define DCONV_E_NOMEM (-1)       /* allocation failed */
#define DCONV_E_INVALID (-2)     /* bad argument or bad input data */
#define DCONV_E_IO (-3)          /* reading or writing failed */
#define DCONV_E_PARSE (-4)       /* input is not in the expected format */
#define DCONV_E_NOTFOUND (-5)    /* no such node attribute / file / plugin */
#define DCONV_E_UNSUPPORTED (-6) /* feature not available in this host */
#define DCONV_E_ABI (-7)         /* plugin ABI mismatch */
#define DCONV_E_OPTION (-8)      /* unknown option or bad option value */
#define DCONV_E_PLUGIN (-9)      /* a plugin failed for its own reasons */

#endif /* DCONV_ERRORS_H */
