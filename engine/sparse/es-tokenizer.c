/* es-tokenizer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "es-sparse"

#include "config.h"

#include "es-tokenizer.h"
#include "es-sparse-private.h"

#include <string.h>

/* Characters that belong in a word; ASCII by table, the rest by category. */
static inline gboolean
is_word_char (gunichar c,
              gboolean inside)
{
  if (c < 0x80)
    return g_ascii_isalnum (c);
  switch (g_unichar_type (c))
    {
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
      return TRUE;
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_NON_SPACING_MARK:
      return inside;
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_CONNECT_PUNCTUATION:
    case G_UNICODE_DASH_PUNCTUATION:
    case G_UNICODE_CLOSE_PUNCTUATION:
    case G_UNICODE_FINAL_PUNCTUATION:
    case G_UNICODE_INITIAL_PUNCTUATION:
    case G_UNICODE_OTHER_PUNCTUATION:
    case G_UNICODE_OPEN_PUNCTUATION:
    case G_UNICODE_CURRENCY_SYMBOL:
    case G_UNICODE_MODIFIER_SYMBOL:
    case G_UNICODE_MATH_SYMBOL:
    case G_UNICODE_OTHER_SYMBOL:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SPACE_SEPARATOR:
    default:
      return FALSE;
    }
}

/* The character at *p (advancing *p), or (gunichar) -1 for an invalid byte
 * (*p advances by one).
 */
static inline gunichar
next_char (const char **p,
           const char  *end)
{
  guchar b = (guchar) **p;
  gunichar c;

  if (b < 0x80)
    {
      (*p)++;
      return b;
    }
  c = g_utf8_get_char_validated (*p, end - *p);
  if (c == (gunichar) -1 || c == (gunichar) -2)
    {
      (*p)++;
      return (gunichar) -1;
    }
  *p = g_utf8_next_char (*p);
  return c;
}

static inline void
append_lower (GString  *word,
              gunichar  c)
{
  if (c < 0x80)
    g_string_append_c (word, g_ascii_tolower ((char) c));
  else
    g_string_append_unichar (word, g_unichar_tolower (c));
}

static inline gboolean
is_apostrophe (gunichar c)
{
  return c == '\'' || c == 0x2019;
}

/* The definition, one character at a time (the tests' reference). */
gsize
_es_tokenize_foreach_reference (const char  *text,
                                   gsize        len,
                                   GString     *word,
                                   EsTokenFunc  func,
                                   gpointer     user_data)
{
  const char *p = text, *end = text + len;
  gsize invalid = 0;

  g_string_truncate (word, 0);
  while (p < end)
    {
      guchar b = (guchar) *p;
      gunichar c;

      /* The common case: ASCII letters and digits. */
      if (b < 0x80 && g_ascii_isalnum (b))
        {
          g_string_append_c (word, g_ascii_tolower ((char) b));
          p++;
          continue;
        }
      c = next_char (&p, end);
      if (c == (gunichar) -1)
        {
          invalid++;
        }
      else if (c >= 0x80 && is_word_char (c, word->len > 0))
        {
          append_lower (word, c);
          continue;
        }
      else if (is_apostrophe (c) && word->len > 0 && p < end)
        {
          const char *q = p;
          gunichar after = next_char (&q, end);

          if (after != (gunichar) -1 && is_word_char (after, FALSE))
            {
              g_string_append_c (word, '\'');
              append_lower (word, after);
              p = q;
              continue;
            }
        }
      if (word->len > 0)
        {
          func (word->str, word->len, user_data);
          g_string_truncate (word, 0);
        }
    }
  if (word->len > 0)
    {
      func (word->str, word->len, user_data);
      g_string_truncate (word, 0);
    }

  return invalid;
}

/* ASCII letters and digits, and their lowercase (0 for other bytes). */
static const guint8 ascii_word_lower[256] = {
  ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
  ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
#define L(c) [c] = c, [c - 'a' + 'A'] = c
  L ('a'), L ('b'), L ('c'), L ('d'), L ('e'), L ('f'), L ('g'), L ('h'), L ('i'),
  L ('j'), L ('k'), L ('l'), L ('m'), L ('n'), L ('o'), L ('p'), L ('q'), L ('r'),
  L ('s'), L ('t'), L ('u'), L ('v'), L ('w'), L ('x'), L ('y'), L ('z'),
#undef L
};

/* The same words as the reference loop above, faster: a run of ASCII
 * letters and digits that starts a word and is followed by an ASCII byte
 * other than an apostrophe (or the end) is a whole word, copied lowercase
 * in one go; anything else (a non-ASCII byte, an apostrophe, a word that
 * goes on past its ASCII run) takes the reference loop's path, one
 * character at a time.  test-cooccur checks both give the same words.
 */
gsize
es_tokenize_foreach (const char  *text,
                     gsize        len,
                     GString     *word,
                     EsTokenFunc  func,
                     gpointer     user_data)
{
  const guchar *p = (const guchar *) text, *end = p + len;
  gsize invalid = 0;

  g_string_truncate (word, 0);
  while (p < end)
    {
      guchar b = *p;
      gunichar c;

      if (word->len == 0 && b < 0x80)
        {
          const guchar *q = p + 1;

          if (ascii_word_lower[b] == 0)
            {
              p++;            /* a separator (an apostrophe too, here) */
              continue;
            }
          while (q < end && ascii_word_lower[*q] != 0)
            q++;
          g_string_set_size (word, q - p);
          for (gsize i = 0; i < (gsize) (q - p); i++)
            word->str[i] = (char) ascii_word_lower[p[i]];
          p = q;
          if (q == end || (*q < 0x80 && *q != '\''))
            {
              func (word->str, word->len, user_data);
              g_string_truncate (word, 0);
            }
          continue;         /* the word goes on character by character */
        }
      if (b < 0x80 && ascii_word_lower[b] != 0)
        {
          g_string_append_c (word, (char) ascii_word_lower[b]);
          p++;
          continue;
        }
      c = next_char ((const char **) &p, (const char *) end);
      if (c == (gunichar) -1)
        {
          invalid++;
        }
      else if (c >= 0x80 && is_word_char (c, word->len > 0))
        {
          append_lower (word, c);
          continue;
        }
      else if (is_apostrophe (c) && word->len > 0 && p < end)
        {
          const char *q = (const char *) p;
          gunichar after = next_char (&q, (const char *) end);

          if (after != (gunichar) -1 && is_word_char (after, FALSE))
            {
              g_string_append_c (word, '\'');
              append_lower (word, after);
              p = (const guchar *) q;
              continue;
            }
        }
      if (word->len > 0)
        {
          func (word->str, word->len, user_data);
          g_string_truncate (word, 0);
        }
    }
  if (word->len > 0)
    {
      func (word->str, word->len, user_data);
      g_string_truncate (word, 0);
    }

  return invalid;
}

static void
collect_cb (const char *word,
            gsize       len,
            gpointer    user_data)
{
  g_ptr_array_add (user_data, g_strndup (word, len));
}

char **
es_tokenize (const char *text,
             gssize      len)
{
  g_autoptr(GString) scratch = g_string_new (NULL);
  GPtrArray *words = g_ptr_array_new ();

  es_tokenize_foreach (text, len < 0 ? strlen (text) : (gsize) len, scratch, collect_cb, words);
  g_ptr_array_add (words, NULL);

  return (char **) g_ptr_array_free (words, FALSE);
}
