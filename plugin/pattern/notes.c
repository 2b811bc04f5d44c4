/* Note names (Strudel's and Tidal's numbering), Tidal's chords (`c'min7'ii`), and
   the JS number syntax and printing the mini-notation follows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern/pat_internal.h"

/* ---- notes -------------------------------------------------------------- */

/* A note name: a letter, accidentals (s # sharp, f b flat; n natural in
   Tidal's names) and an optional octave, read in `numbering`. */
static bool note_prefix(const char *s, size_t len, pat_note_numbering numbering, double *number) {
  static const int chroma[7] = {9, 11, 0, 2, 4, 5, 7}; /* a b c d e f g */
  if (len == 0)
    return false;
  char pc = s[0];
  if (pc >= 'A' && pc <= 'G')
    pc = (char)(pc - 'A' + 'a');
  if (pc < 'a' || pc > 'g')
    return false;
  size_t i = 1;
  int offset = 0;
  const char *accidentals = numbering == PAT_NOTES_TIDAL ? "#bsfn" : "#bsf";
  for (; i < len && s[i] && strchr(accidentals, s[i]); i++)
    offset += s[i] == 'n' ? 0 : (s[i] == '#' || s[i] == 's') ? 1 : -1;
  /* without an octave: Strudel's noteToMidi reads octave 3, Tidal octave 5 */
  double octave = numbering == PAT_NOTES_TIDAL ? 5 : 3;
  if (i < len) {
    octave = 0;
    for (; i < len; i++) {
      if (s[i] < '0' || s[i] > '9')
        return false;
      octave = octave * 10 + (s[i] - '0');
    }
  }
  /* MIDI: c4 = 60; Tidal: c5 = 0 */
  double octave_zero = numbering == PAT_NOTES_TIDAL ? -5 : 1;
  *number = (octave + octave_zero) * 12 + chroma[pc - 'a'] + offset;
  return true;
}

bool pat_note_number(const char *name, pat_note_numbering numbering, double *number) {
  return name && note_prefix(name, strlen(name), numbering, number);
}

/* ---- chords (Tidal's Sound.Tidal.Chords table) ------------------------------- */

typedef struct {
  const char *names; /* space-separated aliases */
  signed char notes[8];
  int count;
} chord_def;

static const chord_def chords[] = {
    {"major maj M", {0, 4, 7}, 3},
    {"aug plus sharp5", {0, 4, 8}, 3},
    {"six 6", {0, 4, 7, 9}, 4},
    {"sixNine six9 sixby9 6by9", {0, 4, 7, 9, 14}, 5},
    {"major7 maj7", {0, 4, 7, 11}, 4},
    {"major9 maj9", {0, 4, 7, 11, 14}, 5},
    {"add9", {0, 4, 7, 14}, 4},
    {"major11 maj11", {0, 4, 7, 11, 14, 17}, 6},
    {"add11", {0, 4, 7, 17}, 4},
    {"major13 maj13", {0, 4, 7, 11, 14, 21}, 6},
    {"add13", {0, 4, 7, 21}, 4},
    {"dom7", {0, 4, 7, 10}, 4},
    {"dom9", {0, 4, 7, 14}, 4},
    {"dom11", {0, 4, 7, 17}, 4},
    {"dom13", {0, 4, 7, 21}, 4},
    {"sevenFlat5 7f5", {0, 4, 6, 10}, 4},
    {"sevenSharp5 7s5", {0, 4, 8, 10}, 4},
    {"sevenFlat9 7f9", {0, 4, 7, 10, 13}, 5},
    {"nine", {0, 4, 7, 10, 14}, 5},
    {"eleven 11", {0, 4, 7, 10, 14, 17}, 6},
    {"thirteen 13", {0, 4, 7, 10, 14, 17, 21}, 7},
    {"minor min m", {0, 3, 7}, 3},
    {"diminished dim", {0, 3, 6}, 3},
    {"minorSharp5 msharp5 mS5", {0, 3, 8}, 3},
    {"minor6 min6 m6", {0, 3, 7, 9}, 4},
    {"minorSixNine minor69 min69 minSixNine m69 mSixNine m6by9", {0, 3, 9, 7, 14}, 5},
    {"minor7flat5 minor7f5 min7flat5 min7f5 m7flat5 m7f5", {0, 3, 6, 10}, 4},
    {"minor7 min7 m7", {0, 3, 7, 10}, 4},
    {"minor7sharp5 minor7s5 min7sharp5 min7s5 m7sharp5 m7s5", {0, 3, 8, 10}, 4},
    {"minor7flat9 minor7f9 min7flat9 min7f9 m7flat9 m7f9", {0, 3, 7, 10, 13}, 5},
    {"minor7sharp9 minor7s9 min7sharp9 min7s9 m7sharp9 m7s9", {0, 3, 7, 10, 14}, 5},
    {"diminished7 dim7", {0, 3, 6, 9}, 4},
    {"minor9 min9 m9", {0, 3, 7, 10, 14}, 5},
    {"minor11 min11 m11", {0, 3, 7, 10, 14, 17}, 6},
    {"minor13 min13 m13", {0, 3, 7, 10, 14, 17, 21}, 7},
    {"minorMajor7 minMaj7 mmaj7", {0, 3, 7, 11}, 4},
    {"one 1", {0}, 1},
    {"five 5", {0, 7}, 2},
    {"sus2", {0, 2, 7}, 3},
    {"sus4", {0, 5, 7}, 3},
    {"sevenSus2 7sus2", {0, 2, 7, 10}, 4},
    {"sevenSus4 7sus4", {0, 5, 7, 10}, 4},
    {"nineSus4 ninesus4 9sus4", {0, 5, 7, 10, 14}, 5},
    {"sevenFlat10 7f10", {0, 4, 7, 10, 15}, 5},
    {"nineSharp5 9sharp5 9s5", {0, 1, 13}, 3},
    {"minor9sharp5 minor9s5 min9sharp5 min9s5 m9sharp5 m9s5", {0, 1, 14}, 3},
    {"sevenSharp5flat9 7s5f9", {0, 4, 8, 10, 13}, 5},
    {"minor7sharp5flat9 m7sharp5flat9", {0, 3, 8, 10, 13}, 5},
    {"elevenSharp 11s", {0, 4, 7, 10, 14, 18}, 6},
    {"minor11sharp m11sharp m11s", {0, 3, 7, 10, 14, 18}, 6},
};

static const chord_def *find_chord(const char *name, size_t len) {
  for (size_t c = 0; c < sizeof chords / sizeof chords[0]; c++) {
    const char *p = chords[c].names;
    while (*p) {
      const char *end = strchr(p, ' ');
      size_t n = end ? (size_t)(end - p) : strlen(p);
      if (n == len && memcmp(p, name, len) == 0)
        return &chords[c];
      p += n;
      while (*p == ' ')
        p++;
    }
  }
  return NULL;
}

/* A whole number of at most 3 digits; -1 if `text` is not one. */
static int small_count(const char *text, size_t len) {
  if (len == 0 || len > 3 || strspn(text, "0123456789") < len)
    return -1;
  return atoi(text);
}

/* One of Tidal's chord modifiers (ParseBP's parseModifiers, Chords'
   applyModifier) on chord[0..*n): a note count 'N (the chord repeated up by
   octaves, cut at N notes), 'i 'ii ... or 'iN (inversions: the lowest note up
   an octave), 'o 'oo ... (open: the 1st and 3rd notes down an octave, before
   the rest) and 'dN (drop the Nth note from the top an octave; a chord with
   fewer notes is unchanged). false if `m` is none of these. */
static bool apply_modifier(const char *m, size_t len, double *chord, int *n) {
  int count = small_count(m, len);
  if (count >= 0) {
    if (count > PAT_CHORD_MAX)
      return false;
    if (*n == 0) /* nothing to repeat */
      count = 0;
    double ext[PAT_CHORD_MAX];
    for (int i = 0; i < count; i++)
      ext[i] = chord[i % *n] + 12 * (i / *n);
    memcpy(chord, ext, sizeof(double) * (size_t)count);
    *n = count;
    return true;
  }
  const int size = *n;
  if (len > 0 && m[0] == 'i') { /* 'i, 'ii, ... or 'iN */
    int times = strspn(m, "i") == len ? (int)len : small_count(m + 1, len - 1);
    if (times < 0)
      return false;
    for (int k = 0; size > 0 && k < times; k++) {
      double low = chord[0];
      memmove(chord, chord + 1, sizeof(double) * (size_t)(size - 1));
      chord[size - 1] = low + 12;
    }
    return true;
  }
  if (len > 0 && strspn(m, "o") >= len) {
    for (size_t k = 0; size > 2 && k < len; k++) {
      double first = chord[0] - 12, third = chord[2] - 12, second = chord[1];
      chord[0] = first;
      chord[1] = third;
      chord[2] = second;
    }
    return true;
  }
  if (len > 1 && m[0] == 'd') {
    int k = small_count(m + 1, len - 1);
    if (k < 1)
      return false;
    if (k <= size) {
      int idx = size - k;
      double dropped = chord[idx] - 12;
      memmove(chord + 1, chord, sizeof(double) * (size_t)idx);
      chord[0] = dropped;
    }
    return true;
  }
  return false;
}

bool pat_chord_named(const char *name, size_t length, double *notes, int *count) {
  const chord_def *def = find_chord(name, length);
  if (!def)
    return false;
  for (int i = 0; i < def->count; i++)
    notes[i] = def->notes[i];
  *count = def->count;
  return true;
}

bool pat_chord_modify(const char *text, size_t length, double *notes, int *count) {
  char one[32]; /* NUL-terminated for strspn and atoi */
  if (length >= sizeof one)
    return false;
  memcpy(one, text, length);
  one[length] = '\0';
  return apply_modifier(one, length, notes, count);
}

bool pat_chord_root(const char *text, size_t length, double *root) {
  *root = 0; /* "'maj": Tidal's root is 0 */
  return length == 0 || note_prefix(text, length, PAT_NOTES_TIDAL, root) ||
         pat_js_number(text, length, root);
}

/* root'name['modifier...], as Tidal's mini-notation reads it: the root a
   note name in Tidal's numbering (c5 = 0, "e" = 4) or a number, the notes
   relative to it ("c'maj" = 0 4 7, "e4'min7" = -8 -5 -1 2). */
bool pat_chord_notes(const char *text, size_t length, double *notes, int *count) {
  const char *quote = memchr(text, '\'', length), *end = text + length;
  double root;
  if (!quote || !pat_chord_root(text, (size_t)(quote - text), &root))
    return false;
  const char *name = quote + 1;
  const char *name_end = memchr(name, '\'', (size_t)(end - name));
  if (!name_end)
    name_end = end;
  double chord[PAT_CHORD_MAX];
  int n = 0;
  if (!pat_chord_named(name, (size_t)(name_end - name), chord, &n))
    return false;
  for (const char *m = name_end; m < end;) {
    m++; /* skip the quote */
    const char *m_end = memchr(m, '\'', (size_t)(end - m));
    if (!m_end)
      m_end = end;
    if (!pat_chord_modify(m, (size_t)(m_end - m), chord, &n))
      return false;
    m = m_end;
  }
  for (int i = 0; i < n; i++)
    notes[i] = root + chord[i];
  *count = n;
  return true;
}

/* ---- JS numbers --------------------------------------------------------------- */

static bool digits_in_base(const char *s, size_t len, int base, double *out) {
  if (len == 0)
    return false;
  double v = 0;
  for (size_t i = 0; i < len; i++) {
    int d;
    char c = s[i];
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      return false;
    if (d >= base)
      return false;
    v = v * base + d;
  }
  *out = v;
  return true;
}

bool pat_js_number(const char *text, size_t len, double *out) {
  char buf[128];
  if (len == 0 || len >= sizeof buf)
    return false;
  memcpy(buf, text, len); /* the text need not be NUL-terminated */
  buf[len] = '\0';
  const char *s = buf;
  if (len > 2 && s[0] == '0' && strchr("xXoObB", s[1])) {
    int base = (s[1] == 'x' || s[1] == 'X') ? 16 : (s[1] == 'o' || s[1] == 'O') ? 8 : 2;
    return digits_in_base(s + 2, len - 2, base, out);
  }
  size_t i = 0;
  bool negative = false;
  if (s[0] == '-' || s[0] == '+') {
    negative = s[0] == '-';
    i = 1;
  }
  if (len - i == 8 && memcmp(s + i, "Infinity", 8) == 0) {
    *out = negative ? -INFINITY : INFINITY;
    return true;
  }
  /* digits [. digits] | . digits, then [eE [+-] digits] */
  size_t int_digits = strspn(s + i, "0123456789");
  size_t j = i + int_digits, frac_digits = 0;
  if (j < len && s[j] == '.') {
    frac_digits = strspn(s + j + 1, "0123456789");
    if (j + 1 + frac_digits > len)
      frac_digits = len - j - 1;
    j += 1 + frac_digits;
  }
  if (int_digits + frac_digits == 0)
    return false;
  if (j < len && (s[j] == 'e' || s[j] == 'E')) {
    size_t k = j + 1;
    if (k < len && (s[k] == '+' || s[k] == '-'))
      k++;
    size_t exp_digits = strspn(s + k, "0123456789");
    if (exp_digits == 0)
      return false;
    j = k + exp_digits;
  }
  if (j != len)
    return false;
  *out = strtod(buf, NULL);
  return true;
}

int pat_js_format_number(double x, char *buf, size_t size) {
  if (isnan(x))
    return snprintf(buf, size, "NaN");
  if (isinf(x))
    return snprintf(buf, size, x < 0 ? "-Infinity" : "Infinity");
  if (x == 0)
    return snprintf(buf, size, "0");
  /* shortest digits that read back as x */
  char digits[40];
  int precision;
  for (precision = 1; precision <= 17; precision++) {
    snprintf(digits, sizeof digits, "%.*e", precision - 1, x);
    if (strtod(digits, NULL) == x)
      break;
  }
  /* digits = "-d.ddde+XX": collect the significant digits and exponent */
  char sig[24];
  int k = 0;
  const char *p = digits;
  bool negative = *p == '-';
  if (negative)
    p++;
  for (; *p && *p != 'e'; p++)
    if (*p >= '0' && *p <= '9')
      sig[k++] = *p;
  while (k > 1 && sig[k - 1] == '0')
    k--;
  sig[k] = '\0';
  int n = atoi(p + 1) + 1; /* decimal point position, as in ECMA-262 */
  char out[64];
  int o = 0;
  if (negative)
    out[o++] = '-';
  if (k <= n && n <= 21) {
    memcpy(out + o, sig, (size_t)k);
    o += k;
    for (int i = 0; i < n - k; i++)
      out[o++] = '0';
  } else if (0 < n && n <= 21) {
    memcpy(out + o, sig, (size_t)n);
    o += n;
    out[o++] = '.';
    memcpy(out + o, sig + n, (size_t)(k - n));
    o += k - n;
  } else if (-6 < n && n <= 0) {
    out[o++] = '0';
    out[o++] = '.';
    for (int i = 0; i < -n; i++)
      out[o++] = '0';
    memcpy(out + o, sig, (size_t)k);
    o += k;
  } else {
    out[o++] = sig[0];
    if (k > 1) {
      out[o++] = '.';
      memcpy(out + o, sig + 1, (size_t)(k - 1));
      o += k - 1;
    }
    o += snprintf(out + o, sizeof out - (size_t)o, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
  }
  out[o] = '\0';
  return snprintf(buf, size, "%s", out);
}
