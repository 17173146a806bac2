/* es-tokenizer.h: how a corpus line becomes words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The tokeniser of `cooccur` and `lsa --corpus`, locale-free:
 *  - a word is a run of Unicode letters (L*), digits and other numbers
 *    (N*) and combining marks (M*, inside a word);
 *  - an apostrophe (U+0027 or U+2019) between two such characters stays in
 *    the word as U+0027 ("don't", "o'clock"); elsewhere it separates;
 *  - every character is lowercased on its own with g_unichar_tolower ()
 *    (Unicode's simple mapping, no locale: "I" is "i" in any locale and
 *    U+0130 "İ" is "i", unlike g_utf8_strdown's Turkish rules);
 *  - everything else (spaces, punctuation, symbols, controls) separates;
 *  - invalid UTF-8 bytes separate too and are counted in *invalid_bytes.
 * Words never span lines.
 */
typedef void (*EsTokenFunc) (const char *word,
                             gsize       len,
                             gpointer    user_data);

/* Calls @func for each word of [text, text + len) in order; a word's bytes
 * are valid only during the call.  Returns the number of invalid bytes.
 */
gsize  es_tokenize_foreach (const char  *text,
                            gsize        len,
                            GString     *scratch,
                            EsTokenFunc  func,
                            gpointer     user_data);

/* The words of @text as a NULL-terminated array (tests, small inputs). */
char **es_tokenize         (const char  *text,
                            gssize       len);

G_END_DECLS
