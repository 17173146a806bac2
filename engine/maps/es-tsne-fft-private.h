/* es-tsne-fft-private.h: the FFT repulsion's state, shared by its grid code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "es-tsne-private.h"

#include <fftw3.h>

G_BEGIN_DECLS

#define MAX_INTERP 4      /* nodes per box and dimension: 3, or 4 in crowded maps */
#define MAX_BOXES  512    /* beyond, boxes get wider than 1 (less accurate) */
#define N_TERMS    3
#define COL_BLOCK  8      /* columns per contiguous transform batch */

struct _EsTsneFft
{
  guint          nn;                          /* nodes per dimension */
  guint          m;                           /* padded: _es_tsne_fft_length (nn) ≥ 2 nn */
  guint          nn_cap;                      /* the blocks below hold this many */
  float         *kernel_t;                    /* the kernel's transform (real), column c at c × m */
  float         *real_block;                  /* the terms' charges on the grid, real_stride apart */
  float         *out_block;                   /* and their potentials, the same shape */
  fftwf_complex *hat_block;                   /* the terms' row transforms, hat_stride apart */
  fftwf_complex *col_buf[ES_TSNE_N_PARTS];    /* 3 × COL_BLOCK columns of m: in, transformed, back */
  float         *real[N_TERMS];               /* nn × m: the rows that are not padding */
  float         *out[N_TERMS];
  fftwf_complex *hat[N_TERMS];                /* nn × (m/2 + 1): the rows needed */
  /* Per part: the DCT-I of its rows of the kernel's quarter, then of its
   * columns, in place at the start of the potentials' block.
   */
  fftwf_plan     kernel_rows[ES_TSNE_N_PARTS];
  fftwf_plan     kernel_columns[ES_TSNE_N_PARTS];
  /* Per part, every term: */
  fftwf_plan     rows_r2c[ES_TSNE_N_PARTS];   /* its rows → hat rows */
  fftwf_plan     rows_c2r[ES_TSNE_N_PARTS];   /* hat rows → its rows */
  /* Per part: COL_BLOCK columns, and one (the part's last few). */
  fftwf_plan     cols_forward[ES_TSNE_N_PARTS][2];
  fftwf_plan     cols_backward[ES_TSNE_N_PARTS][2];
  guint          row_split[ES_TSNE_N_PARTS + 1];
  guint          col_split[ES_TSNE_N_PARTS + 1];
  float          kernel_box;                  /* the box width kernel_t is for; 0: none */
  guint          kernel_p;                    /* and the nodes per box */
  guint          p;                           /* nodes per box and dimension now */
  guint          forced_p;                    /* 0, or the p a test asked for */
  guint          calls;
  guint32       *crowd;                       /* boxes² point counts */
  gsize          crowd_cap;

  gsize          n_cap;
  guint32       *base;                        /* n × 2 first node per dim */
  float         *weights;                     /* n × 2 × MAX_INTERP */
  double        *sum_w;                       /* n */
};

/* The grids, blocks and plans for @nn nodes per dimension (the blocks
 * reused while they are large enough); on failure, none.
 */
gboolean _es_tsne_fft_alloc_grids (EsTsneFft *self,
                                   guint      nn,
                                   GError   **error);
void     _es_tsne_fft_free_grids  (EsTsneFft *self);
guint    _es_tsne_fft_smooth_size (guint      b);
guint    _es_tsne_fft_length      (guint      nn);

G_END_DECLS
