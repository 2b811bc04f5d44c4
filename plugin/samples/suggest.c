/* "Did you mean": the edit distance between two names (insertions,
   deletions and substitutions of bytes, each costing 1). */
#include "samples_private.h"

#include <stdlib.h>

#define LONGEST 64 /* longer names are compared by their first 64 bytes */

size_t samples_edit_distance(const char *a, size_t a_length, const char *b, size_t b_length) {
  a_length = a_length < LONGEST ? a_length : LONGEST;
  b_length = b_length < LONGEST ? b_length : LONGEST;
  size_t row[LONGEST + 1];
  for (size_t j = 0; j <= b_length; ++j)
    row[j] = j;
  for (size_t i = 1; i <= a_length; ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b_length; ++j) {
      size_t above = row[j];
      size_t best = diagonal + (a[i - 1] != b[j - 1]);
      if (above + 1 < best)
        best = above + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diagonal = above;
    }
  }
  return row[b_length];
}
