/* cyclebus-analyze FILE.wav: measures what the host tests assert on a render
   (onset times, spectral centroid and RMS per window, level, and the
   difference between two files), printing one plain line per figure. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sndfile.h>

#include "host/cli.h"

typedef struct {
  const char *path, *diff_path;
  bool onsets, stats;
  double centroid_window; /* seconds; 0 = off */
  double threshold_db;    /* onset: the level a note must rise above */
  double gap_seconds;     /* onset: this long below the threshold before it */
  double floor_db;        /* onset: the rise is traced back to this level */
  double lookback_seconds;
  double start, end; /* seconds; end 0 = to the end */
} analyze_args;

typedef struct {
  float *mono; /* channels averaged */
  float *interleaved;
  sf_count_t frames;
  int channels, rate;
} audio;

#define TOOL "cyclebus-analyze"

static void usage(FILE *to) {
  fprintf(to, "usage: cyclebus-analyze FILE.wav [--stats] [--onsets] [--centroid SECONDS]\n"
              "       [--diff OTHER.wav] [--threshold DB] [--gap SECONDS] [--floor DB]\n"
              "       [--lookback SECONDS] [--start SECONDS] [--end SECONDS]\n"
              "prints: 'stats FRAMES RATE CHANNELS PEAK RMS', 'onset FRAME SECONDS DURATION',\n"
              "        'centroid START_SECONDS HZ RMS' (HZ is nan for a silent window),\n"
              "        'diff FRAMES_A FRAMES_B MAX_ABS FIRST_DIFFERENT_FRAME' (-1: identical)\n");
}

/* 1: parsed, 0: --help, -1: a bad argument (said why). */
static int parse_args(int argc, char **argv, analyze_args *a) {
  *a = (analyze_args){
      .threshold_db = -40.0, .gap_seconds = 0.02, .floor_db = -100.0, .lookback_seconds = 0.005};
  /* The numeric options and what each accepts (times in seconds, levels in dBFS). */
  const cb_cli_number_option numbers[] = {
      {"--centroid", {0, 3600, true, false, false}, &a->centroid_window},
      {"--threshold", {-200, 0, false, false, false}, &a->threshold_db},
      {"--gap", {0, 3600, false, false, false}, &a->gap_seconds},
      {"--floor", {-300, 0, false, false, false}, &a->floor_db},
      {"--lookback", {0, 3600, false, false, false}, &a->lookback_seconds},
      {"--start", {0, 1e6, false, false, false}, &a->start},
      {"--end", {0, 1e6, true, false, false}, &a->end},
  };
  size_t number_count = sizeof numbers / sizeof *numbers;
  for (int i = 1; i < argc; ++i) {
    const char *arg = argv[i];
    const char *next = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(arg, "--help") || !strcmp(arg, "-h"))
      return 0;
    int taken = cb_cli_take_number(TOOL, numbers, number_count, argc, argv, &i);
    if (taken < 0)
      return -1;
    if (taken)
      continue;
    if (!strcmp(arg, "--onsets"))
      a->onsets = true;
    else if (!strcmp(arg, "--stats"))
      a->stats = true;
    else if (!strcmp(arg, "--diff") && next)
      a->diff_path = argv[++i];
    else if (arg[0] != '-' && !a->path)
      a->path = arg;
    else {
      fprintf(stderr, TOOL ": unknown or incomplete option '%s'\n", arg);
      return -1;
    }
  }
  if (!a->path) {
    fprintf(stderr, TOOL ": no FILE.wav\n");
    return -1;
  }
  if (a->end > 0.0 && a->end <= a->start) {
    fprintf(stderr, TOOL ": --end %g is not after --start %g\n", a->end, a->start);
    return -1;
  }
  return 1;
}

static bool load(const char *path, audio *out) {
  SF_INFO info = {0};
  if (access(path, R_OK) != 0) { /* libsndfile would say "System error : ..." */
    fprintf(stderr, "%s: %s\n", path, strerror(errno));
    return false;
  }
  SNDFILE *file = sf_open(path, SFM_READ, &info);
  if (!file) {
    fprintf(stderr, "%s: %s\n", path, sf_strerror(NULL));
    return false;
  }
  out->frames = info.frames;
  out->channels = info.channels;
  out->rate = info.samplerate;
  size_t frames = (size_t)info.frames, channels = (size_t)info.channels;
  out->interleaved = malloc((frames * channels + 1) * sizeof(float));
  out->mono = malloc((frames + 1) * sizeof(float));
  if (!out->interleaved || !out->mono) {
    sf_close(file);
    fprintf(stderr, "%s: out of memory\n", path);
    return false;
  }
  out->frames = sf_readf_float(file, out->interleaved, info.frames);
  sf_close(file);
  for (sf_count_t f = 0; f < out->frames; ++f) {
    float sum = 0.0f;
    for (size_t c = 0; c < channels; ++c)
      sum += out->interleaved[(size_t)f * channels + c];
    out->mono[f] = sum / (float)channels;
  }
  return true;
}

static double from_db(double db) { return pow(10.0, db / 20.0); }

static sf_count_t frame_at(const audio *in, double seconds) {
  double frame = seconds * in->rate;
  if (frame <= 0.0)
    return 0;
  if (frame >= (double)in->frames)
    return in->frames;
  return (sf_count_t)frame;
}

static void print_stats(const audio *in) {
  double peak = 0.0, sum = 0.0;
  size_t samples = (size_t)in->frames * (size_t)in->channels;
  for (size_t i = 0; i < samples; ++i) {
    double v = fabs(in->interleaved[i]);
    if (v > peak)
      peak = v;
    sum += v * v;
  }
  printf("stats %lld %d %d %.6g %.6g\n", (long long)in->frames, in->rate, in->channels, peak,
         samples ? sqrt(sum / (double)samples) : 0.0);
}

/* An onset: the first frame above the threshold after at least `gap` frames
   below it, traced back (at most `lookback` frames) to where the signal left
   the floor, so a slow attack or a low-passed edge still dates the note to
   the sample it started on. A note lasts until its last frame above the
   threshold before the next quiet gap. */
static void print_note(const audio *in, sf_count_t onset, sf_count_t last_loud) {
  printf("onset %lld %.6f %.6f\n", (long long)onset, (double)onset / in->rate,
         (double)(last_loud + 1 - onset) / in->rate);
}

static void print_onsets(const audio *in, const analyze_args *a, sf_count_t first,
                         sf_count_t last) {
  float threshold = (float)from_db(a->threshold_db), floor_level = (float)from_db(a->floor_db);
  sf_count_t gap = (sf_count_t)(a->gap_seconds * in->rate);
  sf_count_t lookback = (sf_count_t)(a->lookback_seconds * in->rate);
  /* A file that starts in silence may start with a note; one that starts loud
     starts in the middle of a note, which is no onset. */
  sf_count_t quiet = first < last && fabsf(in->mono[first]) <= floor_level ? gap : 0;
  sf_count_t onset = -1, last_loud = -1;
  for (sf_count_t f = first; f < last; ++f) {
    if (fabsf(in->mono[f]) < threshold) {
      ++quiet;
      continue;
    }
    if (quiet >= gap) {
      if (onset >= 0)
        print_note(in, onset, last_loud);
      sf_count_t stop = f - lookback > first ? f - lookback : first;
      for (onset = f; onset > stop && fabsf(in->mono[onset - 1]) > floor_level;)
        --onset;
    }
    quiet = 0;
    last_loud = f;
  }
  if (onset >= 0)
    print_note(in, onset, last_loud);
}

/* In-place iterative radix-2 FFT; n is a power of two. */
static void fft(double *re, double *im, size_t n) {
  for (size_t i = 1, j = 0; i < n; ++i) {
    size_t bit = n >> 1;
    for (; j & bit; bit >>= 1)
      j ^= bit;
    j |= bit;
    if (i < j) {
      double t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  for (size_t len = 2; len <= n; len <<= 1) {
    double angle = -2.0 * M_PI / (double)len;
    for (size_t i = 0; i < n; i += len) {
      for (size_t k = 0; k < len / 2; ++k) {
        double wr = cos(angle * (double)k), wi = sin(angle * (double)k);
        size_t p = i + k, q = i + k + len / 2;
        double xr = re[q] * wr - im[q] * wi, xi = re[q] * wi + im[q] * wr;
        re[q] = re[p] - xr;
        im[q] = im[p] - xi;
        re[p] += xr;
        im[p] += xi;
      }
    }
  }
}

/* Spectral centroid (magnitude-weighted mean frequency) of Hann-windowed,
   zero-padded windows; windows below -80 dBFS RMS have no centroid. */
static bool print_centroids(const audio *in, double window_seconds, sf_count_t first,
                            sf_count_t last) {
  size_t window = (size_t)(window_seconds * in->rate);
  if (window < 16) {
    fprintf(stderr, "cyclebus-analyze: centroid window too short\n");
    return false;
  }
  size_t n = 1;
  while (n < window)
    n <<= 1;
  double *re = malloc(n * sizeof(double)), *im = malloc(n * sizeof(double));
  if (!re || !im) {
    free(re);
    free(im);
    return false;
  }
  for (sf_count_t start = first; start + (sf_count_t)window <= last; start += (sf_count_t)window) {
    double energy = 0.0;
    for (size_t i = 0; i < n; ++i) {
      double sample = i < window ? in->mono[start + (sf_count_t)i] : 0.0;
      double hann =
          i < window ? 0.5 - 0.5 * cos(2.0 * M_PI * (double)i / (double)(window - 1)) : 0.0;
      energy += sample * sample;
      re[i] = sample * hann;
      im[i] = 0.0;
    }
    double rms = sqrt(energy / (double)window);
    fft(re, im, n);
    double weighted = 0.0, total = 0.0;
    for (size_t k = 1; k <= n / 2; ++k) {
      double magnitude = hypot(re[k], im[k]);
      weighted += magnitude * (double)k * in->rate / (double)n;
      total += magnitude;
    }
    double centroid = rms > from_db(-80.0) && total > 0.0 ? weighted / total : NAN;
    printf("centroid %.6f %.2f %.6g\n", (double)start / in->rate, centroid, rms);
  }
  free(re);
  free(im);
  return true;
}

/* Sample-by-sample comparison of every channel. */
static bool print_diff(const audio *a, const char *other_path) {
  audio b = {0};
  if (!load(other_path, &b))
    return false;
  sf_count_t common = a->frames < b.frames ? a->frames : b.frames;
  double max_abs = 0.0;
  long long first_different = a->frames == b.frames && a->channels == b.channels ? -1 : common;
  if (a->channels == b.channels) {
    for (sf_count_t f = 0; f < common; ++f) {
      for (int c = 0; c < a->channels; ++c) {
        size_t i = (size_t)f * (size_t)a->channels + (size_t)c;
        double d = fabs((double)a->interleaved[i] - (double)b.interleaved[i]);
        if (d > max_abs)
          max_abs = d;
        if (d > 0.0 && (first_different < 0 || f < first_different))
          first_different = f;
      }
    }
  } else {
    max_abs = INFINITY;
  }
  printf("diff %lld %lld %.6g %lld\n", (long long)a->frames, (long long)b.frames, max_abs,
         first_different);
  free(b.mono);
  free(b.interleaved);
  return true;
}

int main(int argc, char **argv) {
  analyze_args a;
  int parsed = parse_args(argc, argv, &a);
  if (parsed <= 0) {
    if (parsed == 0)
      usage(stdout);
    else
      fprintf(stderr, TOOL " --help shows the usage\n");
    return parsed == 0 ? 0 : 2;
  }
  audio in = {0};
  if (!load(a.path, &in))
    return 1;
  sf_count_t first = frame_at(&in, a.start), last = a.end > 0.0 ? frame_at(&in, a.end) : in.frames;
  bool ok = true;
  if (a.stats || (!a.onsets && a.centroid_window <= 0.0 && !a.diff_path))
    print_stats(&in);
  if (a.onsets)
    print_onsets(&in, &a, first, last);
  if (a.centroid_window > 0.0)
    ok = print_centroids(&in, a.centroid_window, first, last) && ok;
  if (a.diff_path)
    ok = print_diff(&in, a.diff_path) && ok;
  free(in.mono);
  free(in.interleaved);
  return ok ? 0 : 1;
}
