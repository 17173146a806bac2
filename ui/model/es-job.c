/* es-job.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-job"

#include "config.h"

#include "es-job.h"

struct _EsJob
{
  GObject       parent_instance;

  char         *title;
  GCancellable *cancellable;

  /* Written by any thread, under the mutex. */
  GMutex        mutex;
  double        fraction;
  char         *message;
  guint         notify_source;
  gint64        last_notify;    /* monotonic us */
};

/* Progress is for eyes: ~20 updates a second are plenty, and each costs
 * the main thread a relayout of the progress bar.
 */
#define NOTIFY_INTERVAL_US (50 * 1000)

G_DEFINE_FINAL_TYPE (EsJob, es_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_FRACTION,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
es_job_notify_idle_cb (gpointer user_data)
{
  EsJob *self = user_data;

  g_mutex_lock (&self->mutex);
  self->notify_source = 0;
  self->last_notify = g_get_monotonic_time ();
  g_mutex_unlock (&self->mutex);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);

  return G_SOURCE_REMOVE;
}

static void
es_job_finalize (GObject *object)
{
  EsJob *self = (EsJob *)object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_object (&self->cancellable);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (es_job_parent_class)->finalize (object);
}

static void
es_job_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  EsJob *self = ES_JOB (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, es_job_get_title (self));
      break;

    case PROP_FRACTION:
      g_value_set_double (value, es_job_get_fraction (self));
      break;

    case PROP_MESSAGE:
      g_value_take_string (value, es_job_dup_message (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
es_job_set_property (GObject      *object,
                     guint         prop_id,
                     const GValue *value,
                     GParamSpec   *pspec)
{
  EsJob *self = ES_JOB (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_free (self->title);
      self->title = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
es_job_class_init (EsJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = es_job_finalize;
  object_class->get_property = es_job_get_property;
  object_class->set_property = es_job_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL,
                         0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
es_job_init (EsJob *self)
{
  g_mutex_init (&self->mutex);
  self->cancellable = g_cancellable_new ();
}

EsJob *
es_job_new (const char *title)
{
  return g_object_new (ES_TYPE_JOB, "title", title, NULL);
}

const char *
es_job_get_title (EsJob *self)
{
  g_return_val_if_fail (ES_IS_JOB (self), NULL);

  return self->title;
}

GCancellable *
es_job_get_cancellable (EsJob *self)
{
  g_return_val_if_fail (ES_IS_JOB (self), NULL);

  return self->cancellable;
}

void
es_job_cancel (EsJob *self)
{
  g_return_if_fail (ES_IS_JOB (self));

  g_cancellable_cancel (self->cancellable);
}

double
es_job_get_fraction (EsJob *self)
{
  double fraction;

  g_return_val_if_fail (ES_IS_JOB (self), 0.0);

  g_mutex_lock (&self->mutex);
  fraction = self->fraction;
  g_mutex_unlock (&self->mutex);

  return fraction;
}

char *
es_job_dup_message (EsJob *self)
{
  char *message;

  g_return_val_if_fail (ES_IS_JOB (self), NULL);

  g_mutex_lock (&self->mutex);
  message = g_strdup (self->message);
  g_mutex_unlock (&self->mutex);

  return message;
}

void
es_job_update (EsJob      *self,
               double      fraction,
               const char *message)
{
  g_return_if_fail (ES_IS_JOB (self));

  g_mutex_lock (&self->mutex);
  self->fraction = CLAMP (fraction, 0.0, 1.0);
  if (message != NULL && g_strcmp0 (message, self->message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
    }
  /* However often the engine reports, the main loop hears about it once,
   * and not sooner than NOTIFY_INTERVAL_US after the last time.
   */
  if (self->notify_source == 0)
    {
      gint64 wait = self->last_notify + NOTIFY_INTERVAL_US - g_get_monotonic_time ();

      if (self->last_notify == 0 || wait <= 0)
        /* Above GTK's redraw (120): progress shows while frames keep coming. */
        self->notify_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE,
                                               es_job_notify_idle_cb,
                                               g_object_ref (self),
                                               g_object_unref);
      else
        self->notify_source = g_timeout_add_full (G_PRIORITY_HIGH_IDLE,
                                                  (guint) (wait / 1000) + 1,
                                                  es_job_notify_idle_cb,
                                                  g_object_ref (self),
                                                  g_object_unref);
    }
  g_mutex_unlock (&self->mutex);
}

void
es_job_progress_cb (double   fraction,
                    gpointer user_data)
{
  es_job_update (ES_JOB (user_data), fraction, NULL);
}
