/* es-nmf.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With Ht = Hᵀ (cols × k), one iteration is
 *   P = X Ht, G = HtᵀHt:   W[i,r] ← max (0, W[i,r] + (P[i,r] − (W G)[i,r]) / G[r,r])  for r = 1..k
 *   Q = Xᵀ W, F = WᵀW:     Ht[j,r] ← max (0, Ht[j,r] + (Q[j,r] − (Ht F)[j,r]) / F[r,r])
 * each update the exact minimiser of the loss in that one variable (the
 * rows of W are independent, so a row's k updates run in order).  The loss
 * ‖X‖² − 2 Σ Ht∘Q + Σ F∘(HtᵀHt) needs no dense X.
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-nmf.h"

#include "es-engine-error.h"
#include "es-memory.h"
#include "es-sparse-private.h"
#include "es-sparse-svd.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

struct _EsNmf
{
  gsize   rows, cols;
  guint   k;
  double *w;
  double *ht;
  GArray *losses;
  guint   iterations;
  gboolean converged;
};

void
es_nmf_options_init (EsNmfOptions *options)
{
  options->components = 10;
  options->max_iterations = 200;
  options->tolerance = 1e-4;
  options->seed = 42;
  options->init = ES_NMF_INIT_NNDSVDA;
}

void
es_nmf_free (EsNmf *self)
{
  if (self == NULL)
    return;
  g_free (self->w);
  g_free (self->ht);
  g_clear_pointer (&self->losses, g_array_unref);
  g_free (self);
}

guint         es_nmf_get_components (const EsNmf *self) { return self->k; }
const double *es_nmf_get_w          (const EsNmf *self) { return self->w; }
const double *es_nmf_get_ht         (const EsNmf *self) { return self->ht; }
guint         es_nmf_get_iterations (const EsNmf *self) { return self->iterations; }
gboolean      es_nmf_get_converged  (const EsNmf *self) { return self->converged; }

double
es_nmf_get_error (const EsNmf *self)
{
  double loss = g_array_index (self->losses, double, self->losses->len - 1);

  return sqrt (MAX (loss, 0.0));
}

const double *
es_nmf_get_losses (const EsNmf *self,
                   guint       *n)
{
  *n = self->losses->len;
  return (const double *) self->losses->data;
}

/* Boutsidis & Gallopoulos (2008), NNDSVD, then zeros → @fill. */
static gboolean
init_nndsvd (EsNmf                *self,
             const EsSparseMatrix *x,
             double                fill,
             guint64               seed,
             GError              **error)
{
  g_autoptr(EsSparseSvd) svd = NULL;
  EsSparseSvdOptions options;
  const double *u, *v, *s;
  guint k = self->k;

  es_sparse_svd_options_init (&options);
  options.dims = k;
  options.seed = seed;
  /* scikit-learn's randomized_svd n_iter='auto' */
  options.power_iterations = k < 0.1 * MIN (self->rows, self->cols) ? 7 : 4;
  if (!(svd = es_sparse_svd_compute (x, &options, NULL, NULL, NULL, error)))
    return FALSE;
  u = es_sparse_svd_get_u (svd);
  v = es_sparse_svd_get_v (svd);
  s = es_sparse_svd_get_singular_values (svd);

  /* The leading pair is non-negative up to sign (Perron–Frobenius). */
  for (gsize i = 0; i < self->rows; i++)
    self->w[i * k] = sqrt (s[0]) * fabs (u[i * k]);
  for (gsize j = 0; j < self->cols; j++)
    self->ht[j * k] = sqrt (s[0]) * fabs (v[j * k]);

  /* The others: the larger of the positive and the negative parts. */
  for (guint r = 1; r < k; r++)
    {
      double pu = 0, nu = 0, pv = 0, nv = 0, mu, mv, lambda;
      gboolean positive;

      for (gsize i = 0; i < self->rows; i++)
        {
          double a = u[i * k + r];
          if (a > 0)
            pu += a * a;
          else
            nu += a * a;
        }
      for (gsize j = 0; j < self->cols; j++)
        {
          double a = v[j * k + r];
          if (a > 0)
            pv += a * a;
          else
            nv += a * a;
        }
      pu = sqrt (pu);
      nu = sqrt (nu);
      pv = sqrt (pv);
      nv = sqrt (nv);
      positive = pu * pv > nu * nv;
      mu = positive ? pu : nu;
      mv = positive ? pv : nv;
      lambda = sqrt (s[r] * mu * mv);
      for (gsize i = 0; i < self->rows; i++)
        {
          double a = positive ? u[i * k + r] : -u[i * k + r];
          self->w[i * k + r] = a > 0 && mu > 0 ? lambda * a / mu : 0.0;
        }
      for (gsize j = 0; j < self->cols; j++)
        {
          double a = positive ? v[j * k + r] : -v[j * k + r];
          self->ht[j * k + r] = a > 0 && mv > 0 ? lambda * a / mv : 0.0;
        }
    }

  for (gsize i = 0; i < self->rows * k; i++)
    if (self->w[i] < 1e-6)
      self->w[i] = fill;
  for (gsize j = 0; j < self->cols * k; j++)
    if (self->ht[j] < 1e-6)
      self->ht[j] = fill;
  return TRUE;
}

/* One sweep of HALS over the rows of @a (n × k) given P = X·(other) and
 * G = otherᵀ·other.
 */
static void
hals_update (double       *a,
             gsize         n,
             guint         k,
             const double *p,
             const double *g)
{
  for (gsize i = 0; i < n; i++)
    {
      double *row = a + i * k;
      const double *prow = p + i * k;

      for (guint r = 0; r < k; r++)
        {
          double grad = prow[r];

          if (g[r * k + r] <= 0)
            continue;
          for (guint s = 0; s < k; s++)
            grad -= row[s] * g[s * k + r];
          row[r] = MAX (0.0, row[r] + grad / g[r * k + r]);
        }
    }
}

static void
gram (const double *a,
      gsize         n,
      guint         k,
      double       *g)
{
  cblas_dgemm (CblasRowMajor, CblasTrans, CblasNoTrans, k, k, n, 1.0, a, k, a, k, 0.0, g, k);
}

EsNmf *
es_nmf_compute (const EsSparseMatrix  *x,
                const EsNmfOptions    *options,
                GCancellable          *cancellable,
                EsProgressFunc         progress,
                gpointer               progress_data,
                GError               **error)
{
  g_autoptr(EsNmf) self = NULL;
  g_autoptr(EsSparseMatrix) xt = NULL;
  g_autofree double *p = NULL;
  g_autofree double *q = NULL;
  g_autofree double *g = NULL;
  g_autofree double *f = NULL;
  EsNmfOptions defaults;
  gsize m = es_sparse_matrix_get_rows (x), n = es_sparse_matrix_get_cols (x);
  double norm_x, mean, loss, previous;
  guint k;

  if (options == NULL)
    {
      es_nmf_options_init (&defaults);
      options = &defaults;
    }
  k = options->components;
  if (!es_sparse_matrix_is_nonnegative (x))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "NMF needs a non-negative matrix, and this one has negative values "
                   "(weight it with ppmi or tfidf, or use counts)");
      return NULL;
    }
  if (k < 1 || k >= MIN (m, n))
    {
      g_set_error (error, ES_ENGINE_ERROR, ES_ENGINE_ERROR_INVALID_ARGUMENT,
                   "%u components need a matrix larger than %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT
                   " (at most %" G_GSIZE_FORMAT ")", k, m, n, MIN (m, n) - 1);
      return NULL;
    }

  self = g_new0 (EsNmf, 1);
  self->rows = m;
  self->cols = n;
  self->k = k;
  self->losses = g_array_new (FALSE, FALSE, sizeof (double));
  if (!(self->w = es_memory_try_alloc (m, (guint64) k * sizeof (double), "The NMF factors", error)) ||
      !(self->ht = es_memory_try_alloc (n, (guint64) k * sizeof (double), "The NMF factors", error)) ||
      !(p = es_memory_try_alloc (m, (guint64) k * sizeof (double), "The NMF factors", error)) ||
      !(q = es_memory_try_alloc (n, (guint64) k * sizeof (double), "The NMF factors", error)) ||
      !(xt = es_sparse_matrix_transpose (x, error)))
    return NULL;
  g = g_new (double, (gsize) k * k);
  f = g_new (double, (gsize) k * k);

  norm_x = es_sparse_matrix_frobenius_sq (x);
  mean = 0;
  for (guint64 e = 0; e < es_sparse_matrix_get_nnz (x); e++)
    mean += es_sparse_matrix_get_values (x)[e];
  mean /= (double) m * n;

  if (options->init == ES_NMF_INIT_NNDSVDA)
    {
      if (!init_nndsvd (self, x, mean, options->seed, error))
        return NULL;
    }
  else
    {
      guint64 state = options->seed;
      double scale = sqrt (mean / k);

      for (gsize i = 0; i < n * k; i++)
        self->ht[i] = scale * fabs (_es_sparse_rand_normal (&state));
      for (gsize i = 0; i < m * k; i++)
        self->w[i] = scale * fabs (_es_sparse_rand_normal (&state));
    }

  /* The loss of the initial factors. */
  es_sparse_matrix_multiply (xt, self->w, k, q);
  gram (self->w, m, k, f);
  gram (self->ht, n, k, g);
  loss = norm_x - 2 * cblas_ddot (n * k, self->ht, 1, q, 1) + cblas_ddot (k * k, f, 1, g, 1);
  g_array_append_val (self->losses, loss);

  for (guint it = 0; it < options->max_iterations; it++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      es_sparse_matrix_multiply (x, self->ht, k, p);
      gram (self->ht, n, k, g);
      hals_update (self->w, m, k, p, g);
      es_sparse_matrix_multiply (xt, self->w, k, q);
      gram (self->w, m, k, f);
      hals_update (self->ht, n, k, q, f);
      gram (self->ht, n, k, g);

      previous = loss;
      loss = norm_x - 2 * cblas_ddot (n * k, self->ht, 1, q, 1) + cblas_ddot (k * k, f, 1, g, 1);
      g_array_append_val (self->losses, loss);
      self->iterations = it + 1;
      if (progress != NULL)
        progress ((double) (it + 1) / options->max_iterations, progress_data);
      if (options->tolerance > 0 && previous - loss < options->tolerance * previous)
        {
          self->converged = TRUE;
          break;
        }
    }

  return g_steal_pointer (&self);
}
