/* es-engine-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ES_ENGINE_ERROR (es_engine_error_quark ())

/* One domain for every engine failure. Cancellation is G_IO_ERROR_CANCELLED. */
typedef enum
{
  ES_ENGINE_ERROR_FAILED,          /* I/O or anything without a better code */
  ES_ENGINE_ERROR_EMPTY,           /* no bytes, or no vectors */
  ES_ENGINE_ERROR_FORMAT,          /* content matches no supported format */
  ES_ENGINE_ERROR_HEADER,          /* malformed or implausible header */
  ES_ENGINE_ERROR_PARSE,           /* malformed line or field */
  ES_ENGINE_ERROR_TRUNCATED,       /* unexpected end of file */
  ES_ENGINE_ERROR_COMPRESSION,     /* corrupt, truncated or mismatched gzip */
  ES_ENGINE_ERROR_DIMENSION,       /* shapes do not agree */
  ES_ENGINE_ERROR_TOO_LARGE,       /* over the memory ceiling or overflow */
  ES_ENGINE_ERROR_ENCODING,        /* invalid UTF-8 under the strict policy */
  ES_ENGINE_ERROR_NUMERIC,         /* LAPACK failure, degenerate input */
  ES_ENGINE_ERROR_UNKNOWN_WORD,    /* a word is not in the vocabulary */
  ES_ENGINE_ERROR_EXPRESSION,      /* a word expression does not parse */
  ES_ENGINE_ERROR_INVALID_ARGUMENT /* k too large, bad component, ... */
} EsEngineError;

GQuark es_engine_error_quark (void);

G_END_DECLS
