/* es-engine-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "es-engine-error.h"

G_DEFINE_QUARK (es-engine-error-quark, es_engine_error)
