/* es-blas.h: the process's BLAS threads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean es_blas_settle (void);

G_END_DECLS
