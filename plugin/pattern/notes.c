/* Note names (Strudel's noteToMidi), Tidal's chord names (`c4'min7`), and
   the JS number syntax and printing the mini-notation follows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern/pat_internal.h"

/* ---- notes -------------------------------------------------------------- */

static bool note_prefix(const char *s, size_t len, double *midi) {
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
  for (; i < len && s[i] && strchr("#bsf", s[i]); i++)
    offset += (s[i] == '#' || s[i] == 's') ? 1 : -1;
  double octave = 3; /* noteToMidi's default */
  if (i < len) {
    octave = 0;
    for (; i < len; i++) {
      if (s[i] < '0' || s[i] > '9')
        return false;
      octave = octave * 10 + (s[i] - '0');
    }
  }
  *midi = (octave + 1) * 12 + chroma[pc - 'a'] + offset;
  return true;
}

bool pat_note_to_midi(const char *name, double *midi) {
  return name && note_prefix(name, strlen(name), midi);
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
    {"minor7flat5 min7flat5 m7flat5 m7f5 m7b5", {0, 3, 6, 10}, 4},
    {"minorMajor7 minMaj7 mmaj7", {0, 3, 7, 11}, 4},
    {"diminished7 dim7", {0, 3, 6, 9}, 4},
    {"minor7 min7 m7", {0, 3, 7, 10}, 4},
    {"minor9 min9 m9", {0, 3, 7, 10, 14}, 5},
    {"minor11 min11 m11", {0, 3, 7, 10, 14, 17}, 6},
    {"minor13 min13 m13", {0, 3, 7, 10, 14, 17, 21}, 7},
    {"minorMajor9 minMaj9 mmaj9", {0, 3, 7, 11, 14}, 5},
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
    {"minor7sharp5 min7sharp5 min7s5 m7sharp5 m7s5", {0, 3, 8, 10}, 4},
    {"elevenSharp 11s", {0, 4, 7, 10, 14, 18}, 6},
    {"minor11sharp m11sharp m11s", {0, 3, 7, 10, 14, 18}, 6},
    /* older Tidal names */
    {"m7sharp9 m7s9", {0, 3, 7, 10, 14}, 5},
    {"m7flat9 m7f9", {0, 3, 7, 10, 13}, 5},
    {"m7sharp5flat9", {0, 3, 8, 10, 13}, 5},
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

/* root'name['modifier...]: modifiers are a note count ("c'major'5"), 'i
   inversions ("'ii" = two), 'o (open voicing) and 'dN (drop the Nth from the
   top an octave), as in Tidal. */
bool pat_chord_notes(const char *source, size_t length, double *notes, int *count) {
  char copy[128]; /* NUL-terminated, for atoi and strspn */
  if (length >= sizeof copy)
    return false;
  memcpy(copy, source, length);
  copy[length] = '\0';
  const char *text = copy;
  const char *quote = memchr(text, '\'', length);
  if (!quote)
    return false;
  size_t root_len = (size_t)(quote - text);
  double root;
  char buf[64];
  if (root_len == 0 || root_len >= sizeof buf)
    return false;
  memcpy(buf, text, root_len);
  buf[root_len] = '\0';
  if (!note_prefix(buf, root_len, &root) && !pat_js_number(buf, root_len, &root))
    return false;
  const char *name = quote + 1, *end = text + length;
  const char *name_end = memchr(name, '\'', (size_t)(end - name));
  if (!name_end)
    name_end = end;
  const chord_def *def = find_chord(name, (size_t)(name_end - name));
  if (!def)
    return false;
  double chord[PAT_CHORD_MAX];
  int n = def->count;
  for (int i = 0; i < n; i++)
    chord[i] = def->notes[i];
  for (const char *m = name_end; m < end;) {
    m++; /* skip the quote */
    const char *m_end = memchr(m, '\'', (size_t)(end - m));
    if (!m_end)
      m_end = end;
    size_t mlen = (size_t)(m_end - m);
    if (mlen > 0 && m[0] >= '0' && m[0] <= '9') { /* note count: extend by octaves */
      int want = atoi(m);
      if (want < 1 || want > PAT_CHORD_MAX)
        return false;
      double ext[PAT_CHORD_MAX];
      for (int i = 0; i < want; i++)
        ext[i] = chord[i % n] + 12 * (i / n);
      memcpy(chord, ext, sizeof(double) * (size_t)want);
      n = want;
    } else if (mlen > 0 && strspn(m, "i") >= mlen) { /* inversions: 'i, 'ii, ... */
      for (size_t k = 0; k < mlen; k++) {
        double low = chord[0];
        memmove(chord, chord + 1, sizeof(double) * (size_t)(n - 1));
        chord[n - 1] = low + 12;
      }
    } else if (mlen == 1 && m[0] == 'o') { /* open: 1st and 3rd down an octave */
      if (n > 2) {
        double a = chord[0] - 12, b = chord[2] - 12;
        double rest[PAT_CHORD_MAX];
        int r = 0;
        for (int i = 0; i < n; i++)
          if (i != 0 && i != 2)
            rest[r++] = chord[i];
        chord[0] = a;
        chord[1] = b;
        memcpy(chord + 2, rest, sizeof(double) * (size_t)r);
      }
    } else if (mlen >= 2 && m[0] == 'd' && m[1] >= '1' && m[1] <= '9') { /* drop N */
      int k = atoi(m + 1);
      if (k > n)
        return false;
      int idx = n - k;
      double dropped = chord[idx] - 12;
      memmove(chord + 1, chord, sizeof(double) * (size_t)idx);
      chord[0] = dropped;
    } else {
      return false;
    }
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
