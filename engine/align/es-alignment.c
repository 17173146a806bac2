/* es-alignment.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Orthogonal Procrustes: with X and Y the (centred) pair rows, the
 * orthogonal W minimising ‖XW − Y‖_F is U Vᵀ where XᵀY = U Σ Vᵀ; with
 * isotropic scaling the best factor is trace Σ / ‖X‖²_F (Umeyama 1991).
 * XᵀY is a dims × dims sum over the pairs, accumulated in double from
 * float sgemm blocks of gathered rows, so no copy of the pair matrices is
 * made.  The linear map solves the least-squares problem with dgels (QR)
 * on double copies of X and Y.
 */

#define G_LOG_DOMAIN "es-align"

#include "config.h"

#include "es-alignment.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "es-engine-error.h"
#include "es-memory.h"

#define BLOCK_ROWS 4096

struct _EsAlignment
{
  EsAlignMethod method;
  gsize         dims_a;
  gsize         dims_b;
  double       *w;        /* dims_a × dims_b */
  float        *wf;       /* s · W in float, for sgemm */
  double        scale;
  double       *mean_a;   /* NULL without centring */
  double       *mean_b;
  float        *shift;    /* μb − s μa W, dims_b floats (zero without centring) */
  gsize         n_fit;
  double        residual;
  double        relative_residual;
  double        mean_cosine;
};

void
es_align_options_init (EsAlignOptions *options)
{
  memset (options, 0, sizeof *options);
  options->method = ES_ALIGN_ORTHOGONAL;
}

gboolean
es_align_method_from_string (const char    *text,
                             EsAlignMethod *method)
{
  if (g_strcmp0 (text, "orthogonal") == 0)
    *method = ES_ALIGN_ORTHOGONAL;
  else if (g_strcmp0 (text, "linear") == 0)
    *method = ES_ALIGN_LINEAR;
  else
    return FALSE;

  return TRUE;
}

const char *
es_align_method_to_string (EsAlignMethod method)
{
  return method == ES_ALIGN_LINEAR ? "linear" : "orthogonal";
}

void
es_alignment_free (EsAlignment *self)
{
  if (self == NULL)
    return;
  g_free (self->w);
  g_free (self->wf);
  g_free (self->mean_a);
  g_free (self->mean_b);
  g_free (self->shift);
  g_free (self);
}

void
_es_align_gather (EsEmbeddingSet *set,
                  const gsize    *rows,
                  gsize           count,
                  float          *out)
{
  gsize dims = es_embedding_set_get_dims (set);

  for (gsize i = 0; i < count; i++)
    memcpy (out + i * dims, es_embedding_set_get_vector (set, rows[i]), dims * sizeof (float));
}

/* Means over the pair rows, in double. */
static double *
pair_mean (EsEmbeddingSet *set,
           const gsize    *rows,
           gsize           n)
{
  gsize dims = es_embedding_set_get_dims (set);
  double *mean = g_new0 (double, dims);

  for (gsize i = 0; i < n; i++)
    {
      const float *v = es_embedding_set_get_vector (set, rows[i]);

      for (gsize j = 0; j < dims; j++)
        mean[j] += v[j];
    }
  for (gsize j = 0; j < dims; j++)
    mean[j] /= MAX (n, 1);

  return mean;
}

static void
subtract_mean (float        *block,
               gsize         count,
               gsize         dims,
               const double *mean)
{
  if (mean == NULL)
    return;
  for (gsize i = 0; i < count; i++)
    for (gsize j = 0; j < dims; j++)
      block[i * dims + j] = (float) (block[i * dims + j] - mean[j]);
}

static gboolean
fit_orthogonal (EsAlignment       *self,
                EsEmbeddingSet    *a,
                EsEmbeddingSet    *b,
                const EsWordPairs *pairs,
                gboolean           scale,
                GCancellable      *cancellable,
                GError           **error)
{
  gsize d = self->dims_a, n = es_word_pairs_get_n (pairs);
  const gsize *ra = es_word_pairs_get_rows_a (pairs), *rb = es_word_pairs_get_rows_b (pairs);
  g_autofree float *xb = g_new (float, BLOCK_ROWS * d);
  g_autofree float *yb = g_new (float, BLOCK_ROWS * d);
  g_autofree float *prod = g_new (float, d * d);
  g_autofree double *m = g_new0 (double, d * d);
  g_autofree double *u = g_new (double, d * d);
  g_autofree double *vt = g_new (double, d * d);
  g_autofree double *sigma = g_new (double, d);
  double x_norm2 = 0, trace = 0;
  int info;

  for (gsize start = 0; start < n; start += BLOCK_ROWS)
    {
      gsize count = MIN (BLOCK_ROWS, n - start);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      _es_align_gather (a, ra + start, count, xb);
      _es_align_gather (b, rb + start, count, yb);
      subtract_mean (xb, count, d, self->mean_a);
      subtract_mean (yb, count, d, self->mean_b);
      cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, d, d, count,
                   1.0f, xb, d, yb, d, 0.0f, prod, d);
      for (gsize i = 0; i < d * d; i++)
        m[i] += prod[i];
      if (scale)
        for (gsize i = 0; i < count * d; i++)
          x_norm2 += (double) xb[i] * xb[i];
    }

  info = LAPACKE_dgesdd (LAPACK_ROW_MAJOR, 'S', d, d, m, d, sigma, u, d, vt, d);
  if (info != 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "LAPACKE_dgesdd failed (info = %d) on the %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT
                   " cross-covariance", info, d, d);
      return FALSE;
    }
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, d, d, d, 1.0, u, d, vt, d, 0.0, self->w, d);
  for (gsize i = 0; i < d; i++)
    trace += sigma[i];
  if (scale)
    {
      if (!(x_norm2 > 0))
        {
          g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                       "cannot scale: the %s pair vectors of the first set are all zero",
                       self->mean_a != NULL ? "centred" : "");
          return FALSE;
        }
      self->scale = trace / x_norm2;
    }

  return TRUE;
}

static gboolean
fit_linear (EsAlignment       *self,
            EsEmbeddingSet    *a,
            EsEmbeddingSet    *b,
            const EsWordPairs *pairs,
            GCancellable      *cancellable,
            GError           **error)
{
  gsize da = self->dims_a, db = self->dims_b, n = es_word_pairs_get_n (pairs);
  const gsize *ra = es_word_pairs_get_rows_a (pairs), *rb = es_word_pairs_get_rows_b (pairs);
  g_autofree double *x = NULL;
  g_autofree double *y = NULL;
  guint64 cells;
  int info;

  if (!es_checked_mul (n, da + db, &cells) ||
      !es_memory_check (cells, sizeof (double), "the least-squares problem", NULL, error))
    return FALSE;
  if (!(x = es_memory_try_alloc (n, da * sizeof (double), "the least-squares problem", error)) ||
      !(y = es_memory_try_alloc (n, db * sizeof (double), "the least-squares problem", error)))
    return FALSE;

  for (gsize i = 0; i < n; i++)
    {
      const float *va = es_embedding_set_get_vector (a, ra[i]);
      const float *vb = es_embedding_set_get_vector (b, rb[i]);

      if (i % 65536 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      for (gsize j = 0; j < da; j++)
        x[i * da + j] = va[j] - (self->mean_a != NULL ? self->mean_a[j] : 0);
      for (gsize j = 0; j < db; j++)
        y[i * db + j] = vb[j] - (self->mean_b != NULL ? self->mean_b[j] : 0);
    }

  info = LAPACKE_dgels (LAPACK_ROW_MAJOR, 'N', n, da, db, x, da, y, db);
  if (info > 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "the %" G_GSIZE_FORMAT " pair vectors of the first set are linearly dependent "
                   "(rank < %" G_GSIZE_FORMAT "): no unique least-squares map", n, da);
      return FALSE;
    }
  if (info < 0)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_NUMERIC,
                   "LAPACKE_dgels failed (info = %d)", info);
      return FALSE;
    }
  memcpy (self->w, y, da * db * sizeof (double));

  return TRUE;
}

/* map() in float: out = x (s W) + shift. */
void
es_alignment_apply (const EsAlignment *self,
                    const float       *x,
                    gsize              n,
                    float             *out)
{
  for (gsize i = 0; i < n; i++)
    memcpy (out + i * self->dims_b, self->shift, self->dims_b * sizeof (float));
  if (n > 0)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, self->dims_b, self->dims_a,
                 1.0f, x, self->dims_a, self->wf, self->dims_b, 1.0f, out, self->dims_b);
}

/* Residual and mean cosine over the fit pairs. */
static gboolean
measure_fit (EsAlignment       *self,
             EsEmbeddingSet    *a,
             EsEmbeddingSet    *b,
             const EsWordPairs *pairs,
             GCancellable      *cancellable,
             GError           **error)
{
  gsize da = self->dims_a, db = self->dims_b, n = es_word_pairs_get_n (pairs);
  const gsize *ra = es_word_pairs_get_rows_a (pairs), *rb = es_word_pairs_get_rows_b (pairs);
  g_autofree float *xb = g_new (float, BLOCK_ROWS * da);
  g_autofree float *yb = g_new (float, BLOCK_ROWS * db);
  g_autofree float *zb = g_new (float, BLOCK_ROWS * db);
  double res2 = 0, y2 = 0, cos_sum = 0;

  for (gsize start = 0; start < n; start += BLOCK_ROWS)
    {
      gsize count = MIN (BLOCK_ROWS, n - start);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      _es_align_gather (a, ra + start, count, xb);
      _es_align_gather (b, rb + start, count, yb);
      es_alignment_apply (self, xb, count, zb);
      for (gsize i = 0; i < count; i++)
        {
          const float *z = zb + i * db, *y = yb + i * db;
          double dot = 0, zz = 0, yy = 0, r = 0, yc = 0;

          for (gsize j = 0; j < db; j++)
            {
              double diff = (double) z[j] - y[j];
              double centred = y[j] - (self->mean_b != NULL ? self->mean_b[j] : 0);

              dot += (double) z[j] * y[j];
              zz += (double) z[j] * z[j];
              yy += (double) y[j] * y[j];
              r += diff * diff;
              yc += centred * centred;
            }
          res2 += r;
          y2 += yc;
          cos_sum += zz > 0 && yy > 0 ? dot / sqrt (zz * yy) : 0;
        }
    }
  self->residual = sqrt (res2);
  self->relative_residual = y2 > 0 ? sqrt (res2 / y2) : 0;
  self->mean_cosine = cos_sum / MAX (n, 1);

  return TRUE;
}

EsAlignment *
es_alignment_fit (EsEmbeddingSet       *a,
                  EsEmbeddingSet       *b,
                  const EsWordPairs    *pairs,
                  const EsAlignOptions *options,
                  GCancellable         *cancellable,
                  GError              **error)
{
  g_autoptr(EsAlignment) self = NULL;
  gsize da, db, n;

  g_return_val_if_fail (a != NULL && b != NULL && pairs != NULL && options != NULL, NULL);

  da = es_embedding_set_get_dims (a);
  db = es_embedding_set_get_dims (b);
  n = es_word_pairs_get_n (pairs);

  if (options->method == ES_ALIGN_ORTHOGONAL && da != db)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_DIMENSION,
                   "an orthogonal map needs the same dimensions on both sides, not %" G_GSIZE_FORMAT
                   " and %" G_GSIZE_FORMAT " (use the linear method)", da, db);
      return NULL;
    }
  if (options->scale && options->method != ES_ALIGN_ORTHOGONAL)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "scaling is for the orthogonal method (a linear map already scales)");
      return NULL;
    }
  if (n < da)
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_DIMENSION,
                   "%" G_GSIZE_FORMAT " word pair%s to fit, fewer than the %" G_GSIZE_FORMAT
                   " dimensions: the map is not determined", n, n == 1 ? "" : "s", da);
      return NULL;
    }

  self = g_new0 (EsAlignment, 1);
  self->method = options->method;
  self->dims_a = da;
  self->dims_b = db;
  self->scale = 1.0;
  self->n_fit = n;
  self->w = g_new0 (double, da * db);
  self->wf = g_new (float, da * db);
  self->shift = g_new0 (float, db);
  if (options->center)
    {
      self->mean_a = pair_mean (a, es_word_pairs_get_rows_a (pairs), n);
      self->mean_b = pair_mean (b, es_word_pairs_get_rows_b (pairs), n);
    }

  if (options->method == ES_ALIGN_ORTHOGONAL)
    {
      if (!fit_orthogonal (self, a, b, pairs, options->scale, cancellable, error))
        return NULL;
    }
  else if (!fit_linear (self, a, b, pairs, cancellable, error))
    return NULL;

  for (gsize i = 0; i < da * db; i++)
    self->wf[i] = (float) (self->scale * self->w[i]);
  if (options->center)
    for (gsize j = 0; j < db; j++)
      {
        double s = self->mean_b[j];

        for (gsize i = 0; i < da; i++)
          s -= self->scale * self->mean_a[i] * self->w[i * db + j];
        self->shift[j] = (float) s;
      }

  if (!options->skip_fit_measures && !measure_fit (self, a, b, pairs, cancellable, error))
    return NULL;

  return g_steal_pointer (&self);
}

gsize
es_alignment_get_dims_a (const EsAlignment *self)
{
  return self->dims_a;
}

gsize
es_alignment_get_dims_b (const EsAlignment *self)
{
  return self->dims_b;
}

EsAlignMethod
es_alignment_get_method (const EsAlignment *self)
{
  return self->method;
}

const double *
es_alignment_get_matrix (const EsAlignment *self)
{
  return self->w;
}

double
es_alignment_get_scale (const EsAlignment *self)
{
  return self->scale;
}

const double *
es_alignment_get_mean_a (const EsAlignment *self)
{
  return self->mean_a;
}

const double *
es_alignment_get_mean_b (const EsAlignment *self)
{
  return self->mean_b;
}

gsize
es_alignment_get_n_fit (const EsAlignment *self)
{
  return self->n_fit;
}

double
es_alignment_get_residual (const EsAlignment *self)
{
  return self->residual;
}

double
es_alignment_get_relative_residual (const EsAlignment *self)
{
  return self->relative_residual;
}

double
es_alignment_get_mean_cosine (const EsAlignment *self)
{
  return self->mean_cosine;
}

/* Best 5 (score descending, row ascending on ties) kept by insertion. */
typedef struct
{
  float score[5];
  gsize row[5];
  guint n;
} Top5;

static inline void
top5_offer (Top5  *top,
            float  score,
            gsize  row)
{
  guint i;

  if (top->n == 5 && !(score > top->score[4]))
    return;
  i = top->n < 5 ? top->n++ : 4;
  while (i > 0 && score > top->score[i - 1])
    {
      top->score[i] = top->score[i - 1];
      top->row[i] = top->row[i - 1];
      i--;
    }
  top->score[i] = score;
  top->row[i] = row;
}

gboolean
es_alignment_precision (const EsAlignment *self,
                        EsEmbeddingSet    *a,
                        EsEmbeddingSet    *b,
                        const EsWordPairs *held_out,
                        double            *p1,
                        double            *p5,
                        GCancellable      *cancellable,
                        GError           **error)
{
  gsize h = es_word_pairs_get_n (held_out), db = self->dims_b;
  gsize rows_b = es_embedding_set_get_rows (b);
  const gsize *ra = es_word_pairs_get_rows_a (held_out), *rb = es_word_pairs_get_rows_b (held_out);
  const float *norms = es_embedding_set_get_norms (b);
  const float *data_b = es_matrix_get_data (es_embedding_set_get_matrix (b));
  g_autofree float *x = NULL;
  g_autofree float *q = NULL;
  g_autofree float *scores = NULL;
  g_autofree Top5 *top = NULL;
  gsize hits1 = 0, hits5 = 0;
  const gsize block = 8192;

  *p1 = *p5 = 0;
  if (h == 0)
    return TRUE;
  if (!(x = es_memory_try_alloc (h, self->dims_a * sizeof (float), "the held-out queries", error)) ||
      !(q = es_memory_try_alloc (h, db * sizeof (float), "the held-out queries", error)) ||
      !(scores = es_memory_try_alloc (h, block * sizeof (float), "the held-out scores", error)))
    return FALSE;
  top = g_new0 (Top5, h);
  _es_align_gather (a, ra, h, x);
  es_alignment_apply (self, x, h, q);
  for (gsize i = 0; i < h; i++)
    {
      float nq = cblas_snrm2 (db, q + i * db, 1);

      if (nq > 0)
        cblas_sscal (db, 1.0f / nq, q + i * db, 1);
    }

  for (gsize start = 0; start < rows_b; start += block)
    {
      gsize count = MIN (block, rows_b - start);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, h, count, db, 1.0f, q, db,
                   data_b + start * db, db, 0.0f, scores, count);
      for (gsize i = 0; i < h; i++)
        for (gsize j = 0; j < count; j++)
          {
            gsize row = start + j;

            if (!es_embedding_set_is_row_valid (b, row) || !(norms[row] > 0))
              continue;
            top5_offer (&top[i], scores[i * count + j] / norms[row], row);
          }
    }
  for (gsize i = 0; i < h; i++)
    for (guint r = 0; r < top[i].n; r++)
      if (top[i].row[r] == rb[i])
        {
          hits1 += r == 0;
          hits5++;
          break;
        }
  *p1 = (double) hits1 / h;
  *p5 = (double) hits5 / h;

  return TRUE;
}
