/* The sample library's load time and memory: a Dirt-Samples-like folder of
   a few hundred files written here (44.1 kHz 16-bit WAV and FLAC, mono and
   stereo, 0.2 to 1.2 s), scanned and loaded whole at a 48 kHz session (every
   file resampled) and at 44.1 kHz (none is), then acquired again from memory;
   and, when installed, Debian's sonic-pi-samples through the shipped alias
   table. Medians of the runs, each with a new bank. */
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../plugin/samples/samples.h"
#include "bench_time.h"

#define NAMES 30
#define FILES_PER_NAME 10
#define RUNS 5

static double total_seconds; /* of audio written */

static void write_file(const char *path, int format, int rate, int channels, double seconds) {
  SF_INFO info = {.samplerate = rate, .channels = channels, .format = format};
  SNDFILE *file = sf_open(path, SFM_WRITE, &info);
  if (!file) {
    fprintf(stderr, "%s: %s\n", path, sf_strerror(NULL));
    exit(1);
  }
  uint32_t frames = (uint32_t)(seconds * rate);
  float *data = malloc(sizeof(float) * frames * (size_t)channels);
  for (uint32_t f = 0; f < frames; ++f) /* a decaying noisy tone, like a drum */
    for (int c = 0; c < channels; ++c)
      data[f * (uint32_t)channels + (uint32_t)c] =
          (float)(0.5 * exp(-6.0 * f / frames) *
                  (sin(f * 0.05 * (c + 1)) + 0.3 * ((rand() % 2001) / 1000.0 - 1.0)));
  sf_writef_float(file, data, frames);
  free(data);
  sf_close(file);
  total_seconds += seconds;
}

static void make_folder(const char *root) {
  srand(1);
  for (int n = 0; n < NAMES; ++n) {
    char folder[512];
    snprintf(folder, sizeof folder, "%s/name%02d", root, n);
    mkdir(folder, 0755);
    for (int i = 0; i < FILES_PER_NAME; ++i) {
      char path[600];
      bool flac = i % 3 == 0;
      snprintf(path, sizeof path, "%s/%02d.%s", folder, i, flac ? "flac" : "wav");
      write_file(path, (flac ? SF_FORMAT_FLAC : SF_FORMAT_WAV) | SF_FORMAT_PCM_16, 44100,
                 i % 2 ? 2 : 1, 0.2 + (double)((n * 7 + i * 3) % 11) / 10.0);
    }
  }
}

typedef struct {
  double scan, load, again;
  size_t bytes;
  uint64_t files;
} figures;

static figures load_all(const char *places, const char *aliases, double rate, const char **names,
                        int count) {
  figures out = {0};
  samples_bank *bank = samples_bank_new(rate, 0);
  samples_set_places(bank, SAMPLES_ENV, NULL);
  samples_set_places(bank, SAMPLES_DEFAULT, NULL);
  samples_set_places(bank, SAMPLES_PARAMETER, places);
  samples_set_alias_file(bank, aliases);
  sample_source source = samples_source(bank);
  char in_use[256];
  double start = bench_now();
  samples_folders_in_use(bank, in_use, sizeof in_use); /* scans */
  out.scan = bench_now() - start;
  const sample_set **sets = calloc((size_t)count, sizeof *sets);
  start = bench_now();
  for (int i = 0; i < count; ++i)
    sets[i] = source.acquire(source.context, names[i], strlen(names[i]));
  out.load = bench_now() - start;
  for (int i = 0; i < count; ++i)
    source.release(source.context, sets[i]);
  start = bench_now();
  for (int i = 0; i < count; ++i)
    sets[i] = source.acquire(source.context, names[i], strlen(names[i]));
  out.again = bench_now() - start;
  for (int i = 0; i < count; ++i)
    source.release(source.context, sets[i]);
  samples_stats stats;
  samples_get_stats(bank, &stats);
  out.bytes = stats.bytes;
  out.files = stats.files;
  free(sets);
  samples_bank_free(bank);
  return out;
}

static void report(const char *what, const char *places, const char *aliases, double rate,
                   const char **names, int count) {
  double scan[RUNS], load[RUNS], again[RUNS];
  figures f = {0};
  for (int r = 0; r < RUNS; ++r) {
    f = load_all(places, aliases, rate, names, count);
    scan[r] = f.scan;
    load[r] = f.load;
    again[r] = f.again;
  }
  printf("%-44s %4llu files  scan %6.2f ms  load %7.1f ms (%.2f ms a file)  again %5.3f ms  "
         "memory %6.1f MB\n",
         what, (unsigned long long)f.files, bench_median(scan, RUNS) * 1e3,
         bench_median(load, RUNS) * 1e3, bench_median(load, RUNS) * 1e3 / (double)f.files,
         bench_median(again, RUNS) * 1e3, (double)f.bytes / 1048576.0);
}

int main(int argc, char **argv) {
  (void)argv;
  if (argc > 1) {
    printf("usage: bench_samples\n(writes %d files into a temporary folder, loads them %d times)\n",
           NAMES * FILES_PER_NAME, RUNS);
    return 0;
  }
  char root[] = "/tmp/cb_bench_samples_XXXXXX";
  if (!mkdtemp(root))
    return 1;
  make_folder(root);
  printf("a Dirt-Samples-like folder: %d names x %d files, %.0f s of audio at 44.1 kHz\n", NAMES,
         FILES_PER_NAME, total_seconds);
  const char *names[NAMES];
  char storage[NAMES][16];
  for (int n = 0; n < NAMES; ++n) {
    snprintf(storage[n], sizeof storage[n], "name%02d", n);
    names[n] = storage[n];
  }
  report("every name, session 48 kHz (resampled)", root, NULL, 48000, names, NAMES);
  report("every name, session 44.1 kHz (not resampled)", root, NULL, 44100, names, NAMES);

  const char *aliases = "build/lv2/cyclebus.lv2/samples-aliases.txt";
  if (access("/usr/share/sonic-pi/samples/bd_haus.flac", R_OK) == 0 && access(aliases, R_OK) == 0) {
    const char *drums[] = {"bd", "sn", "hh", "oh", "cp", "lt", "mt", "ht", "cr", "rd", "perc"};
    report("sonic-pi-samples: bd sn hh oh cp lt mt ht cr rd perc", NULL, aliases, 48000, drums, 11);
  }
  char command[128];
  snprintf(command, sizeof command, "rm -rf %s", root);
  return system(command) == 0 ? 0 : 1;
}
