/* es-word-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-word-search"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "es-word-search.h"
#include "es-worker.h"

#define MAX_SHOWN     60
/* Prefix matches looked at before ranking: enough for any useful prefix. */
#define MAX_SCANNED   20000

struct _EsWordSearch
{
  GtkWidget       parent_instance;

  GtkSearchEntry *entry;
  GtkPopover     *popover;
  GtkListView    *list_view;

  GtkStringList  *words;
  GtkSingleSelection *selection;

  EsEmbeddingSet *set;
  guint32        *index;       /* rows sorted by word, ignoring ASCII case */
  gsize           n_index;
  GCancellable   *index_cancellable;

  GArray         *hits;        /* gsize rows, best rank first */
  char           *hits_text;   /* the text the hits are for */
  /* The word chosen (Enter, a click) or selected elsewhere: its text
   * brings no completion popup, whatever triggers an update later (the
   * entry's delayed search-changed, a new file's index).
   */
  char           *accepted;
};

G_DEFINE_FINAL_TYPE (EsWordSearch, es_word_search, GTK_TYPE_WIDGET)

enum {
  HITS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  EsEmbeddingSet *set;
} IndexData;

static void
index_data_free (gpointer pointer)
{
  IndexData *data = pointer;

  g_clear_pointer (&data->set, es_embedding_set_unref);
  g_free (data);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  EsEmbeddingSet *set = user_data;
  guint32 ra = *(const guint32 *) a;
  guint32 rb = *(const guint32 *) b;
  int r = g_ascii_strcasecmp (es_embedding_set_get_word (set, ra),
                              es_embedding_set_get_word (set, rb));

  if (r != 0)
    return r;

  return ra < rb ? -1 : ra > rb;
}

static void
index_thread_cb (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  IndexData *data = task_data;
  gsize rows = es_embedding_set_get_rows (data->set);
  guint32 *index = g_new (guint32, MAX (rows, 1));
  gsize n = 0;

  es_worker_enter ();
  for (gsize i = 0; i < rows; i++)
    if (es_embedding_set_is_row_valid (data->set, i))
      index[n++] = (guint32) i;

  g_qsort_with_data (index, (gint) n, sizeof (guint32), compare_rows, data->set);

  if (g_task_return_error_if_cancelled (task))
    {
      g_free (index);
      return;
    }

  /* The count travels in front of the rows. */
  {
    guint32 *result = g_new (guint32, n + 2);

    result[0] = (guint32) (n & 0xffffffffu);
    result[1] = (guint32) ((guint64) n >> 32);
    memcpy (result + 2, index, n * sizeof (guint32));
    g_free (index);
    g_task_return_pointer (task, result, g_free);
  }
}

static int
compare_prefix (EsWordSearch *self,
                gsize         position,
                const char   *prefix,
                gsize         len)
{
  return g_ascii_strncasecmp (es_embedding_set_get_word (self->set, self->index[position]),
                              prefix, len);
}

static int
compare_gsize (gconstpointer a,
               gconstpointer b)
{
  gsize x = *(const gsize *) a;
  gsize y = *(const gsize *) b;

  return x < y ? -1 : x > y;
}

/* @typed: the user changed the text (only then may the popup open). */
static void
es_word_search_update (EsWordSearch *self,
                       gboolean      typed)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
  gsize len = strlen (text);
  gsize lo = 0;
  gsize hi = self->n_index;

  /* A chosen word keeps its hits (none when chosen elsewhere) and stays
   * closed.
   */
  if (self->accepted != NULL && g_str_equal (text, self->accepted))
    {
      gtk_popover_popdown (self->popover);
      return;
    }

  g_array_set_size (self->hits, 0);
  g_free (self->hits_text);
  self->hits_text = g_strdup (text);

  if (len > 0 && self->index != NULL)
    {
      gsize exact;

      /* Lower bound of the prefix in the sorted index. */
      while (lo < hi)
        {
          gsize mid = lo + (hi - lo) / 2;

          if (compare_prefix (self, mid, text, len) < 0)
            lo = mid + 1;
          else
            hi = mid;
        }
      for (gsize i = lo; i < self->n_index && i - lo < MAX_SCANNED; i++)
        {
          gsize row;

          if (compare_prefix (self, i, text, len) != 0)
            break;
          row = self->index[i];
          g_array_append_val (self->hits, row);
        }

      /* Frequent words first: the file order is the frequency rank. */
      g_array_sort (self->hits, compare_gsize);
      if (es_embedding_set_lookup (self->set, text, &exact))
        {
          for (guint i = 0; i < self->hits->len; i++)
            if (g_array_index (self->hits, gsize, i) == exact)
              {
                g_array_remove_index (self->hits, i);
                break;
              }
          g_array_prepend_val (self->hits, exact);
        }
      if (self->hits->len > ES_WORD_SEARCH_MAX_HITS)
        g_array_set_size (self->hits, ES_WORD_SEARCH_MAX_HITS);
    }

  for (guint i = 0; i < self->hits->len && i < MAX_SHOWN; i++)
    g_ptr_array_add (shown, es_embedding_set_dup_display_word (self->set,
                                                               g_array_index (self->hits, gsize, i)));
  g_ptr_array_add (shown, NULL);

  gtk_string_list_splice (self->words, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->words)),
                          (const char * const *) shown->pdata);

  if (typed && self->hits->len > 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_popover_popup (self->popover);
  else
    gtk_popover_popdown (self->popover);

  g_signal_emit (self, signals[HITS_CHANGED], 0);
}

static void
index_ready_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(EsWordSearch) self = user_data;
  g_autoptr(GError) error = NULL;
  guint32 *packed;
  gsize n;

  packed = g_task_propagate_pointer (G_TASK (result), &error);
  if (packed == NULL)
    return;
  if (g_task_get_cancellable (G_TASK (result)) != self->index_cancellable)
    {
      g_free (packed);
      return;
    }

  n = (gsize) packed[0] | ((gsize) ((guint64) packed[1] << 32));
  memmove (packed, packed + 2, n * sizeof (guint32));
  g_free (self->index);
  self->index = packed;
  self->n_index = n;

  es_word_search_update (self, FALSE);
}

static void
activate_word (EsWordSearch *self,
               const char   *word)
{
  if (word == NULL || *word == '\0')
    return;

  g_free (self->accepted);
  self->accepted = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  gtk_popover_popdown (self->popover);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.select-word", "s", word);
}

static void
search_changed_cb (EsWordSearch   *self,
                   GtkSearchEntry *entry)
{
  es_word_search_update (self, TRUE);
}

static void
entry_activate_cb (EsWordSearch   *self,
                   GtkSearchEntry *entry)
{
  guint position;

  /* Enter before the entry's delayed search-changed: the hits are still
   * those of an earlier text; find the ones of this text now.
   */
  if (g_strcmp0 (self->hits_text, gtk_editable_get_text (GTK_EDITABLE (entry))) != 0)
    es_word_search_update (self, FALSE);
  position = gtk_single_selection_get_selected (self->selection);

  if (self->hits->len > 0 && position != GTK_INVALID_LIST_POSITION)
    activate_word (self, gtk_string_list_get_string (self->words, position));
  else
    activate_word (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
stop_search_cb (EsWordSearch   *self,
                GtkSearchEntry *entry)
{
  gtk_popover_popdown (self->popover);
}

static void
list_activate_cb (EsWordSearch *self,
                  guint         position,
                  GtkListView  *list_view)
{
  activate_word (self, gtk_string_list_get_string (self->words, position));
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                EsWordSearch          *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->words));
  guint position = gtk_single_selection_get_selected (self->selection);

  if (n == 0 || !gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    return FALSE;

  if (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
    position = position == GTK_INVALID_LIST_POSITION ? 0 : MIN (position + 1, n - 1);
  else if (keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up)
    position = position == GTK_INVALID_LIST_POSITION || position == 0 ? 0 : position - 1;
  else
    return FALSE;

  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);

  return TRUE;
}

static void
setup_item_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_item_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (string));
}

static void
es_word_search_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  EsWordSearch *self = ES_WORD_SEARCH (widget);

  gtk_widget_measure (GTK_WIDGET (self->entry), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
es_word_search_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  EsWordSearch *self = ES_WORD_SEARCH (widget);

  gtk_widget_allocate (GTK_WIDGET (self->entry), width, height, baseline, NULL);
  /* A popover on a custom widget is positioned by its parent. */
  gtk_widget_set_size_request (GTK_WIDGET (self->popover), MAX (width, 240), -1);
  gtk_popover_present (self->popover);
}

static gboolean
es_word_search_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (ES_WORD_SEARCH (widget)->entry));
}

static void
es_word_search_dispose (GObject *object)
{
  EsWordSearch *self = (EsWordSearch *)object;
  GtkWidget *child;

  if (self->index_cancellable != NULL)
    g_cancellable_cancel (self->index_cancellable);
  g_clear_object (&self->index_cancellable);
  if (self->entry != NULL)
    g_signal_handlers_disconnect_by_data (self->entry, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), ES_TYPE_WORD_SEARCH);
  /* Children the template does not bind (the root box) are ours too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->words);
  g_clear_pointer (&self->set, es_embedding_set_unref);

  G_OBJECT_CLASS (es_word_search_parent_class)->dispose (object);
}

static void
es_word_search_finalize (GObject *object)
{
  EsWordSearch *self = (EsWordSearch *)object;

  g_clear_pointer (&self->index, g_free);
  g_clear_pointer (&self->hits, g_array_unref);
  g_clear_pointer (&self->hits_text, g_free);
  g_clear_pointer (&self->accepted, g_free);

  G_OBJECT_CLASS (es_word_search_parent_class)->finalize (object);
}

static void
es_word_search_class_init (EsWordSearchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = es_word_search_dispose;
  object_class->finalize = es_word_search_finalize;

  widget_class->measure = es_word_search_measure;
  widget_class->size_allocate = es_word_search_size_allocate;
  widget_class->grab_focus = es_word_search_grab_focus;

  signals[HITS_CHANGED] =
    g_signal_new ("hits-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/embedscope/Embedscope/ui/es-word-search.ui");
  gtk_widget_class_bind_template_child (widget_class, EsWordSearch, entry);
  gtk_widget_class_bind_template_child (widget_class, EsWordSearch, popover);
  gtk_widget_class_bind_template_child (widget_class, EsWordSearch, list_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_set_css_name (widget_class, "eswordsearch");
}

static void
es_word_search_init (EsWordSearch *self)
{
  GtkListItemFactory *factory;
  GtkEventController *key;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->hits = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->words = gtk_string_list_new (NULL);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->words)));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_item_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_item_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  key = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), key);
  gtk_search_entry_set_key_capture_widget (self->entry, NULL);
}

GtkWidget *
es_word_search_new (void)
{
  return g_object_new (ES_TYPE_WORD_SEARCH, NULL);
}

void
es_word_search_set_embedding_set (EsWordSearch   *self,
                                  EsEmbeddingSet *set)
{
  g_autoptr(GTask) task = NULL;
  IndexData *data;

  g_return_if_fail (ES_IS_WORD_SEARCH (self));

  if (self->set == set)
    return;

  if (self->index_cancellable != NULL)
    g_cancellable_cancel (self->index_cancellable);
  g_clear_object (&self->index_cancellable);
  g_clear_pointer (&self->set, es_embedding_set_unref);
  g_clear_pointer (&self->index, g_free);
  self->n_index = 0;
  /* Hits are rows of the old set: gone, and marked nowhere. */
  g_array_set_size (self->hits, 0);
  g_clear_pointer (&self->hits_text, g_free);
  g_signal_emit (self, signals[HITS_CHANGED], 0);

  if (set == NULL)
    {
      es_word_search_update (self, FALSE);
      return;
    }

  self->set = es_embedding_set_ref (set);
  self->index_cancellable = g_cancellable_new ();

  data = g_new0 (IndexData, 1);
  data->set = es_embedding_set_ref (set);
  task = g_task_new (NULL, self->index_cancellable, index_ready_cb, g_object_ref (self));
  g_task_set_source_tag (task, es_word_search_set_embedding_set);
  /* Not LOW: while frames keep GTK's redraw source (priority 120) busy,
   * a LOW completion is never dispatched (a load that never ends).
   */
  g_task_set_priority (task, G_PRIORITY_DEFAULT);
  g_task_set_task_data (task, data, index_data_free);
  g_task_run_in_thread (task, index_thread_cb);
}

const gsize *
es_word_search_get_hits (EsWordSearch *self,
                         gsize        *n_hits)
{
  g_return_val_if_fail (ES_IS_WORD_SEARCH (self), NULL);

  if (n_hits != NULL)
    *n_hits = self->hits->len;

  return (const gsize *) (gpointer) self->hits->data;
}

GtkEditable *
es_word_search_get_editable (EsWordSearch *self)
{
  g_return_val_if_fail (ES_IS_WORD_SEARCH (self), NULL);

  return GTK_EDITABLE (self->entry);
}

void
es_word_search_set_text (EsWordSearch *self,
                         const char   *text)
{
  g_return_if_fail (ES_IS_WORD_SEARCH (self));

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text != NULL ? text : "");
  es_word_search_update (self, TRUE);
}

void
es_word_search_show_word (EsWordSearch *self,
                          const char   *word)
{
  g_return_if_fail (ES_IS_WORD_SEARCH (self));

  if (g_strcmp0 (word, gtk_editable_get_text (GTK_EDITABLE (self->entry))) == 0 &&
      g_strcmp0 (word, self->accepted) == 0)
    return;
  g_free (self->accepted);
  self->accepted = g_strdup (word != NULL ? word : "");
  g_array_set_size (self->hits, 0);
  g_clear_pointer (&self->hits_text, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), self->accepted);
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
  gtk_popover_popdown (self->popover);
  g_signal_emit (self, signals[HITS_CHANGED], 0);
}

gboolean
es_word_search_is_ready (EsWordSearch *self)
{
  g_return_val_if_fail (ES_IS_WORD_SEARCH (self), FALSE);

  return self->set == NULL || self->index != NULL;
}
