/* es-window-status.c: the window around the plot: status line, title, component
 * and metadata choices, warnings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-window"

#include "config.h"

#include <glib/gi18n.h>

#include "es-window-private.h"

void
_es_window_update_status (EsWindow *self)
{
  g_autoptr(GString) status = g_string_new (NULL);
  g_autofree char *base = NULL;

  if (es_document_get_set (self->document) == NULL)
    {
      gtk_label_set_text (self->status_label, _("No embedding loaded"));
      gtk_window_set_title (GTK_WINDOW (self), _("Embedscope"));
      return;
    }

  /* A computed set (a corpus's LSA vectors) is named by the document. */
  if (es_document_get_title (self->document) != NULL)
    base = g_strdup (es_document_get_title (self->document));
  else
    base = g_path_get_basename (es_embedding_set_get_path (es_document_get_set (self->document)) != NULL
                                ? es_embedding_set_get_path (es_document_get_set (self->document)) : _("Untitled"));
  {
    EsFormat format = es_embedding_set_get_format (es_document_get_set (self->document));
    gboolean words = format != ES_FORMAT_PROJECTOR_TSV && format != ES_FORMAT_PROJECTOR_BYTES &&
                     format != ES_FORMAT_NPY;

    /* A computed set has no file format to name. */
    if (es_document_get_title (self->document) != NULL)
      g_string_append_printf (status, _("%s — %zu words × %zu dimensions"), base,
                              es_embedding_set_get_n_valid (es_document_get_set (self->document)),
                              es_embedding_set_get_dims (es_document_get_set (self->document)));
    else
    g_string_append_printf (status, words ? _("%s — %zu words × %zu dimensions (%s%s)")
                                          : _("%s — %zu points × %zu dimensions (%s%s)"),
                            base, es_embedding_set_get_n_valid (es_document_get_set (self->document)),
                            es_embedding_set_get_dims (es_document_get_set (self->document)),
                            es_format_to_string (format),
                            es_embedding_set_get_compression (es_document_get_set (self->document)) == ES_COMPRESSION_GZIP
                            ? ", gzip" : "");
  }
  if (es_document_get_view_set (self->document) != NULL && es_document_get_view_set (self->document) != es_document_get_set (self->document))
    g_string_append_printf (status, _(" — isolated: %zu words"),
                            es_embedding_set_get_rows (es_document_get_view_set (self->document)));
  /* The filters hide rows: say so, with how many remain. */
  if (self->plot_filtered && _es_window_plot_is_current (self))
    {
      EsFormat format = es_embedding_set_get_format (es_document_get_set (self->document));
      gboolean words = format != ES_FORMAT_PROJECTOR_TSV && format != ES_FORMAT_PROJECTOR_BYTES &&
                       format != ES_FORMAT_NPY;
      g_autofree char *shown = g_strdup_printf ("%'" G_GSIZE_FORMAT, self->plot_shown);
      g_autofree char *total = g_strdup_printf ("%'" G_GSIZE_FORMAT,
                                                es_embedding_set_get_n_valid (es_document_get_view_set (self->document)));

      g_string_append_printf (status, words ? _(" — %s of %s words shown (filter)")
                                            : _(" — %s of %s points shown (filter)"), shown, total);
    }
  {
    gsize n_selected = 0;

    es_document_get_selection (self->document, &n_selected);
    if (n_selected > 0)
      g_string_append_printf (status, _(" — %'" G_GSIZE_FORMAT " selected"), n_selected);
  }

  {
    g_autofree char *preprocess = _es_window_preprocess_describe (self);

    if (preprocess != NULL)
      g_string_append_printf (status, " — %s", preprocess);
  }

  if (es_document_get_projection (self->document) != NULL &&
      (es_method_is_layout (es_projection_get_method (es_document_get_projection (self->document))) ||
       (self->layout_note != NULL && g_str_has_prefix (self->layout_note, "PCA"))) &&
      self->layout_note != NULL)
    g_string_append_printf (status, " — %s", self->layout_note);

  if (es_document_get_projection (self->document) != NULL)
    {
      guint n = 0;
      const double *cumulative = es_projection_get_cumulative_ratio (es_document_get_projection (self->document), &n);
      guint shown = self->three_d ? 3 : 2;

      if (cumulative != NULL && n >= shown && self->component_x < shown && self->component_y < shown)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          g_ascii_formatd (buf, sizeof buf, "%.1f", cumulative[shown - 1] * 100.0);
          g_string_append_printf (status, _(" — PCA: first %u components explain %s %%"), shown, buf);
        }

      /* Word axes are rarely perpendicular: say how far from it they are. */
      {
        const double *angles = es_projection_get_axis_angles_deg (es_document_get_projection (self->document), &n);

        if (angles != NULL && n > 0)
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            g_ascii_formatd (buf, sizeof buf, "%.1f", angles[0]);
            g_string_append_printf (status, _(" — angle between X and Y: %s°"), buf);
          }
      }
    }

  gtk_label_set_text (self->status_label, status->str);

  {
    g_autofree char *title = g_strdup_printf (_("%s — Embedscope"), base);

    gtk_window_set_title (GTK_WINDOW (self), title);
  }
}

char *
_es_window_component_name (EsWindow *self,
                           guint     i)
{
  EsProjection *projection = es_document_get_projection (self->document);
  const double *ratio;
  guint n = 0;

  switch (es_projection_get_method (projection))
    {
    case ES_METHOD_PCA:
      ratio = es_projection_get_explained_variance_ratio (projection, &n);
      if (ratio != NULL && i < n)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          g_ascii_formatd (buf, sizeof buf, "%.1f", ratio[i] * 100.0);
          return g_strdup_printf ("PC%u (%s %%)", i + 1, buf);
        }
      return g_strdup_printf ("PC%u", i + 1);

    case ES_METHOD_SVD:
      ratio = es_projection_get_singular_values (projection, &n);
      if (ratio != NULL && i < n)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          g_ascii_formatd (buf, sizeof buf, "%.3g", ratio[i]);
          return g_strdup_printf ("SV%u (σ %s)", i + 1, buf);
        }
      return g_strdup_printf ("SV%u", i + 1);

    case ES_METHOD_AXES:
      /* The axis is its expression: "man - woman". */
      if (self->projection_axes != NULL && i < g_strv_length (self->projection_axes))
        return g_strdup (self->projection_axes[i]);
      return g_strdup_printf (_("Axis %u"), i + 1);

    case ES_METHOD_IDENTITY:
      /* NMF topics: a dimension is a topic, named by its top words. */
      if (es_document_get_corpus (self->document) != NULL &&
          es_embedding_set_get_metadata (es_document_get_set (self->document)) != NULL &&
          i < es_metadata_get_n_columns (es_embedding_set_get_metadata (es_document_get_set (self->document))))
        return g_strdup (es_metadata_get_column_name (es_embedding_set_get_metadata (es_document_get_set (self->document)), i));
      return g_strdup_printf (_("Dim %u"), i + 1);

    case ES_METHOD_TSNE:
      return g_strdup_printf ("t-SNE %u", i + 1);

    case ES_METHOD_UMAP:
      return g_strdup_printf ("UMAP %u", i + 1);

    default:
      return g_strdup_printf ("%u", i + 1);
    }
}

void
_es_window_update_components (EsWindow *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint n = es_document_get_projection (self->document) != NULL ? es_projection_get_n_components (es_document_get_projection (self->document)) : 0;
  guint x = self->component_x, y = self->component_y, z = self->component_z;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (names, _es_window_component_name (self, i));
  g_ptr_array_add (names, NULL);

  gtk_string_list_splice (self->component_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->component_names)),
                          (const char * const *) names->pdata);
  gtk_string_list_splice (self->z_component_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->z_component_names)),
                          (const char * const *) names->pdata);

  /* Splicing resets the selection: put the choice back, in range. */
  if (n > 0)
    {
      if (x >= n || y >= n || x == y)
        x = 0, y = MIN (1, n - 1);
      /* Z repeating X or Y is a flat sheet: after a 2-component
       * projection clamped it, take the first component that is neither.
       */
      if (z >= n || ((z == x || z == y) && n >= 3))
        for (z = 0; z < n - 1 && (z == x || z == y); z++)
          ;
    }
  self->component_x = G_MAXUINT;
  self->component_y = G_MAXUINT;
  self->component_z = G_MAXUINT;
  g_object_set (self, "component-x", x, "component-y", y, "component-z", z, NULL);
}

static void
fill_string_list (GtkStringList *list,
                  const char    *first,
                  EsMetadata    *metadata)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  g_ptr_array_add (names, (gpointer) first);
  for (guint c = 0; metadata != NULL && c < es_metadata_get_n_columns (metadata); c++)
    g_ptr_array_add (names, (gpointer) es_metadata_get_column_name (metadata, c));
  g_ptr_array_add (names, NULL);

  gtk_string_list_splice (list, 0, g_list_model_get_n_items (G_LIST_MODEL (list)),
                          (const char * const *) names->pdata);
}

/* The colour menu's last entry, after "None" and the metadata columns. */
gboolean
_es_window_color_is_clusters (EsWindow *self)
{
  EsMetadata *metadata = es_document_get_set (self->document) != NULL
                         ? es_embedding_set_get_metadata (es_document_get_set (self->document)) : NULL;
  guint n_columns = metadata != NULL ? es_metadata_get_n_columns (metadata) : 0;

  return es_document_get_clusters (self->document) != NULL &&
         gtk_drop_down_get_selected (self->color_dropdown) == n_columns + 1;
}

void
_es_window_update_metadata_choices (EsWindow *self)
{
  EsMetadata *metadata = es_document_get_set (self->document) != NULL ? es_embedding_set_get_metadata (es_document_get_set (self->document)) : NULL;
  guint color = 0;

  /* A layers × tokens tensor's columns bring the layer bar. */
  _es_window_update_layers (self);

  fill_string_list (self->label_names, _("Word"), metadata);
  fill_string_list (self->color_names, _("None"), metadata);
  /* After the metadata columns: the clusters, when there are some. */
  if (es_document_get_clusters (self->document) != NULL)
    {
      g_autofree char *name = g_strdup_printf (_("Clusters (k = %u)"),
                                               es_kmeans_get_k (es_document_get_clusters (self->document)));

      gtk_string_list_append (self->color_names, name);
    }

  /* A projector file's metadata usually has a class column: colour by the
   * last column when there is more than one.
   */
  if (metadata != NULL && es_metadata_get_n_columns (metadata) > 1)
    color = es_metadata_get_n_columns (metadata);
  else if (metadata != NULL)
    color = 1;
  gtk_drop_down_set_selected (self->label_dropdown, 0);
  gtk_drop_down_set_selected (self->color_dropdown, color);
}

void
_es_window_update_category_choices (EsWindow *self)
{
  EsMetadata *metadata = es_document_get_view_set (self->document) != NULL ? es_embedding_set_get_metadata (es_document_get_view_set (self->document)) : NULL;
  guint column = gtk_drop_down_get_selected (self->color_dropdown);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_ptr_array_add (names, (gpointer) _("All"));
  if (metadata != NULL && column != GTK_INVALID_LIST_POSITION && column > 0 &&
      column - 1 < es_metadata_get_n_columns (metadata))
    {
      for (gsize r = 0; r < es_metadata_get_n_rows (metadata) && names->len < 200; r++)
        {
          const char *value = es_metadata_get_value (metadata, r, column - 1);

          if (value != NULL && *value != '\0' && g_hash_table_add (seen, (gpointer) value))
            g_ptr_array_add (names, (gpointer) value);
        }
    }
  g_ptr_array_add (names, NULL);

  gtk_string_list_splice (self->category_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->category_names)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->category_dropdown, 0);
}

void
_es_window_update_warnings (EsWindow *self)
{
  GPtrArray *warnings = es_document_get_set (self->document) != NULL ? es_embedding_set_get_warnings (es_document_get_set (self->document)) : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->warnings_list))) != NULL)
    gtk_list_box_remove (self->warnings_list, child);

  gtk_widget_set_visible (GTK_WIDGET (self->warnings_button), warnings != NULL && warnings->len > 0);
  if (warnings == NULL || warnings->len == 0)
    return;

  {
    g_autofree char *tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%u load warning",
                                                             "%u load warnings",
                                                             warnings->len),
                                                warnings->len);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->warnings_button), tooltip);
  }

  for (guint i = 0; i < warnings->len; i++)
    {
      GtkWidget *label = gtk_label_new (g_ptr_array_index (warnings, i));

      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_widget_set_margin_top (label, 3);
      gtk_widget_set_margin_bottom (label, 3);
      gtk_list_box_append (self->warnings_list, label);
    }
}

static void
component_setup_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  if (GPOINTER_TO_INT (ellipsize))
    {
      /* Room permitting "PC1 (13.3 %)" shows whole and longer expressions
       * end in "…"; a narrow window keeps at least "PC1 (1…".
       */
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 4);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 16);
    }
  gtk_list_item_set_child (item, label);
}

static void
component_bind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  ellipsize)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  const char *text = gtk_string_object_get_string (gtk_list_item_get_item (item));

  gtk_label_set_text (GTK_LABEL (label), text);
}

/* A custom axis is a whole expression: the header button shows its start,
 * the list all of it, so the header keeps fitting a small window.
 */
void
_es_window_set_component_factories (GtkDropDown *dropdown)
{
  g_autoptr(GtkListItemFactory) button = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) list = gtk_signal_list_item_factory_new ();

  g_signal_connect (button, "setup", G_CALLBACK (component_setup_cb), GINT_TO_POINTER (TRUE));
  g_signal_connect (button, "bind", G_CALLBACK (component_bind_cb), NULL);
  g_signal_connect (list, "setup", G_CALLBACK (component_setup_cb), GINT_TO_POINTER (FALSE));
  g_signal_connect (list, "bind", G_CALLBACK (component_bind_cb), NULL);
  gtk_drop_down_set_factory (dropdown, button);
  gtk_drop_down_set_list_factory (dropdown, list);
}

/* No limit is 0 words: the spin button says "All" instead. */
gboolean
_es_window_top_n_output_cb (GtkSpinButton *spin,
                            EsWindow      *self)
{
  if (gtk_adjustment_get_value (gtk_spin_button_get_adjustment (spin)) >= 0.5)
    return FALSE;

  gtk_editable_set_text (GTK_EDITABLE (spin), _("All"));
  return TRUE;
}

int
_es_window_top_n_input_cb (GtkSpinButton *spin,
                           double        *value,
                           EsWindow      *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin))));

  if (*text != '\0' && g_ascii_strcasecmp (text, "all") != 0 && g_utf8_collate (text, _("All")) != 0)
    return FALSE;

  *value = 0;
  return TRUE;
}
