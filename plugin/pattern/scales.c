/* Tidal's scale table (the common part of Sound.Tidal.Scales): a scale is its
   steps in semitones above the root within one octave. */
#include <math.h>
#include <string.h>

#include "pattern/pat_internal.h"

static const struct {
  const char *name;
  int count;
  int8_t steps[12];
} scales[] = {
    {"major", 7, {0, 2, 4, 5, 7, 9, 11}},
    {"ionian", 7, {0, 2, 4, 5, 7, 9, 11}},
    {"minor", 7, {0, 2, 3, 5, 7, 8, 10}},
    {"aeolian", 7, {0, 2, 3, 5, 7, 8, 10}},
    {"dorian", 7, {0, 2, 3, 5, 7, 9, 10}},
    {"phrygian", 7, {0, 1, 3, 5, 7, 8, 10}},
    {"lydian", 7, {0, 2, 4, 6, 7, 9, 11}},
    {"mixolydian", 7, {0, 2, 4, 5, 7, 9, 10}},
    {"locrian", 7, {0, 1, 3, 5, 6, 8, 10}},
    {"harmonicMinor", 7, {0, 2, 3, 5, 7, 8, 11}},
    {"melodicMinor", 7, {0, 2, 3, 5, 7, 9, 11}},
    {"majPent", 5, {0, 2, 4, 7, 9}},
    {"minPent", 5, {0, 3, 5, 7, 10}},
    {"whole", 6, {0, 2, 4, 6, 8, 10}},
    {"wholetone", 6, {0, 2, 4, 6, 8, 10}},
    {"chromatic", 12, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
};
#define SCALE_COUNT ((int)(sizeof scales / sizeof scales[0]))

int pat_scale_lookup(const char *name, size_t length) {
  for (int i = 0; i < SCALE_COUNT; ++i)
    if (strlen(scales[i].name) == length && memcmp(scales[i].name, name, length) == 0)
      return i;
  return -1;
}

int pat_scale_count(void) { return SCALE_COUNT; }
const char *pat_scale_name(int scale) { return scales[scale].name; }

/* Degree d of a scale: step d mod n, d div n octaves up (down for negative d),
   as Tidal's noteInScale; fractional degrees count from their floor. */
double pat_scale_note(int scale, double degree) {
  int n = scales[scale].count;
  double whole = floor(degree);
  if (!(fabs(whole) < 1e9))
    return 0.0;
  long long d = (long long)whole, octave = d >= 0 ? d / n : -((-d + n - 1) / n);
  return (double)scales[scale].steps[d - octave * n] + 12.0 * (double)octave;
}
