/* cyclebus-render PROGRAM -o OUT.wav: renders a program through the real
   plugin bundle, loaded with lilv the way a DAW loads it, with a rolling
   transport, into a 32-bit float stereo WAV (and, with --midi, what the
   plugin sends on its MIDI out into a MIDI file; with --stems, through the
   multi-out plugin, each orbit into OUT-orbitN.wav beside the mix). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sndfile.h>

#include "host/cli.h"
#include "host/host.h"
#include "host/midi_file.h"
#include "host/text_file.h"

#include "../plugin/lv2/worker_protocol.h"

typedef struct {
  const char *program_path, *out_path, *bundle, *midi_path, *samples;
  double rate, bpm, seconds, cycles;
  uint32_t block;
  int render_threads;
  int sample_memory; /* MB of sample data at most (0: the plugin's default) */
  bool sync_worker, live, stats, position_every_block, stems;
  int set_ports[32]; /* --set SYMBOL=VALUE: indices in cb_control_ports */
  float set_values[32];
  int set_count;
} render_args;

#define TOOL "cyclebus-render"

static void usage(FILE *to) {
  fprintf(to, "usage: cyclebus-render PROGRAM.cb -o OUT.wav [--seconds S | --cycles N] [--bpm B]\n"
              "       [--rate HZ] [--block N] [--bundle DIR] [--sync-worker] [--live] [--stats]\n"
              "       [--set SYMBOL=VALUE]... [--position-every-block] [--render-threads N]\n"
              "       [--midi OUT.mid] [--samples DIR[:DIR...]] [--sample-memory MB]\n");
}

/* 1: parsed, 0: --help, -1: a bad argument (said why). */
static int parse_args(int argc, char **argv, render_args *a) {
  *a = (render_args){.rate = 48000, .block = 256};
  double block = a->block, render_threads = 0, sample_memory = 0;
  /* The numeric options and what each accepts: --bpm what the plugin takes
     from a host's time:Position, --block up to 8192 frames. */
  const cb_cli_number_option numbers[] = {
      {"--rate", {1000, 768000, false, false, false}, &a->rate},
      {"--bpm", {1, 10000, true, true, false}, &a->bpm},
      {"--seconds", {0, 86400, true, false, false}, &a->seconds},
      {"--cycles", {0, 100000, true, false, false}, &a->cycles},
      {"--block", {1, 8192, false, false, true}, &block},
      {"--render-threads", {0, 64, false, false, true}, &render_threads},
      {"--sample-memory", {1, 1048576, false, false, true}, &sample_memory},
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
    if (!strcmp(arg, "-o") && next)
      a->out_path = argv[++i];
    else if (!strcmp(arg, "--midi") && next)
      a->midi_path = argv[++i];
    else if (!strcmp(arg, "--samples") && next)
      a->samples = argv[++i];
    else if (!strcmp(arg, "--bundle") && next)
      a->bundle = argv[++i];
    else if (!strcmp(arg, "--set") && next && a->set_count < 32) {
      float *value = &a->set_values[a->set_count];
      if ((a->set_ports[a->set_count++] = cb_cli_control(TOOL, argv[++i], value)) < 0)
        return -1;
    } else if (!strcmp(arg, "--sync-worker"))
      a->sync_worker = true;
    else if (!strcmp(arg, "--live"))
      a->live = true;
    else if (!strcmp(arg, "--stats"))
      a->stats = true;
    else if (!strcmp(arg, "--stems"))
      a->stems = true;
    else if (!strcmp(arg, "--position-every-block"))
      a->position_every_block = true;
    else if (arg[0] != '-' && !a->program_path)
      a->program_path = arg;
    else {
      fprintf(stderr, TOOL ": unknown or incomplete option '%s'\n", arg);
      return -1;
    }
  }
  if (!a->program_path || !a->out_path) {
    fprintf(stderr, TOOL ": %s\n", a->program_path ? "no -o OUT.wav" : "no PROGRAM");
    return -1;
  }
  a->block = (uint32_t)block;
  a->render_threads = (int)render_threads;
  a->sample_memory = (int)sample_memory;
  return 1;
}

/* Without --bundle or LV2_PATH, the bundle built beside this program. */
static const char *default_bundle(const char *argv0) {
  static char path[4096];
  if (getenv("LV2_PATH"))
    return NULL;
  const char *slash = strrchr(argv0, '/');
  int dir_length = slash ? (int)(slash - argv0) : 1;
  snprintf(path, sizeof path, "%.*s/lv2/cyclebus.lv2", dir_length, slash ? argv0 : ".");
  return access(path, R_OK) == 0 ? path : NULL;
}

#define ORBITS 8
#define WRITE_FRAMES 8192

/* Pacing a threaded worker. For each block whose look-ahead asked for
   renders: the worker's ticket after it and the earliest onset among them
   (cb_host_render_lead). A finished render reaches the plugin at the end of
   the next run() (the host delivers responses after run), so before running
   a block the loop waits for the renders whose onsets come before the end
   of the block after it. Their buffers come in time to play, as when the
   loop waited after every block, and the loop runs on beside the worker
   meanwhile: the look-ahead asks a quarter second or more ahead. */
#define PACE_MAX 1024
typedef struct {
  uint64_t ticket[PACE_MAX], onset[PACE_MAX];
  int count;
} pace_list;

/* Waits for the renders whose onsets come before frame `until`, and for the
   oldest if the list is full; forgets what the worker has finished. */
static void pace_wait(cb_host *host, pace_list *pace, uint64_t until) {
  uint64_t needed = 0;
  for (int i = 0; i < pace->count; ++i)
    if (pace->onset[i] < until || (pace->count == PACE_MAX && i == 0))
      needed = pace->ticket[i] > needed ? pace->ticket[i] : needed;
  if (needed == 0)
    return;
  cb_host_wait_worker_until(host, needed);
  int kept = 0;
  for (int i = 0; i < pace->count; ++i)
    if (pace->ticket[i] > needed) {
      pace->ticket[kept] = pace->ticket[i];
      pace->onset[kept++] = pace->onset[i];
    }
  pace->count = kept;
}

/* Notes the renders the block starting at frame `start` asked for. */
static void pace_note(cb_host *host, pace_list *pace, uint64_t start) {
  const uint64_t lead = cb_host_render_lead(host);
  if (lead == UINT64_MAX)
    return;
  pace->ticket[pace->count] = cb_host_worker_ticket(host);
  pace->onset[pace->count++] = start + lead;
}

/* --stems: OUT-orbitN.wav for each orbit, beside OUT.wav (the mix). */
static bool open_stems(const char *out_path, SF_INFO *info, SNDFILE *stems[ORBITS]) {
  size_t length = strlen(out_path);
  if (length > 4 && !strcmp(out_path + length - 4, ".wav"))
    length -= 4;
  for (int o = 0; o < ORBITS; ++o) {
    char path[4096];
    snprintf(path, sizeof path, "%.*s-orbit%d.wav", (int)length, out_path, o);
    SF_INFO stem_info = *info;
    if (!(stems[o] = sf_open(path, SFM_WRITE, &stem_info))) {
      fprintf(stderr, "%s: %s\n", path, sf_strerror(NULL));
      return false;
    }
  }
  return true;
}

static void write_stems(cb_host *host, SNDFILE *stems[ORBITS], float *frames, uint32_t n) {
  for (int o = 0; o < ORBITS; ++o) {
    char left[32], right[32];
    snprintf(left, sizeof left, "orbit%d_left", o);
    snprintf(right, sizeof right, "orbit%d_right", o);
    const float *l = cb_host_audio(host, left), *r = cb_host_audio(host, right);
    for (uint32_t i = 0; i < n; ++i) {
      frames[2 * i] = l ? l[i] : 0.0f;
      frames[2 * i + 1] = r ? r[i] : 0.0f;
    }
    sf_writef_float(stems[o], frames, n);
  }
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Sends the program with the transport stopped and waits for the plugin's
   verdict; "" means it compiled. */
static const char *load_program(cb_host *host, const char *text, const char *samples, float *left,
                                float *right) {
  uint32_t before = 0, count = 0;
  cb_host_status(host, &before);
  cb_host_send_position(host, 0, 0.0, 120.0, 0.0, 0.0, 4.0);
  if (samples)
    cb_host_send_samples(host, 0, samples); /* before the program, which compiles with them */
  cb_host_send_program(host, 0, text);
  double deadline = now_seconds() + 30.0;
  do {
    cb_host_run(host, 64, left, right);
    cb_host_wait_worker(host);
    cb_host_status(host, &count);
  } while (count == before && now_seconds() < deadline);
  cb_host_run(host, 64, left, right); /* installs it (stopped: at once) */
  return count == before ? "the plugin did not answer" : cb_host_status(host, NULL);
}

/* "LINE:COL: message" lines become PROGRAM:LINE:COL: message; the sample
   library's messages (about files) PROGRAM: message. */
static void print_warnings(const char *program_path, const char *warnings) {
  for (const char *line = warnings; *line;) {
    const char *end = strchr(line, '\n');
    int length = end ? (int)(end - line) : (int)strlen(line);
    bool placed = line[0] >= '0' && line[0] <= '9';
    fprintf(stderr, "%s:%s%.*s\n", program_path, placed ? "" : " ", length, line);
    line = end ? end + 1 : line + length;
  }
}

static void progress(double done, double total) {
  int width = 40, filled = (int)(width * done / total);
  fprintf(stderr, "\r[%.*s%*s] %5.1f%%", filled, "########################################",
          width - filled, "", 100.0 * done / total);
}

int main(int argc, char **argv) {
  render_args a;
  int parsed = parse_args(argc, argv, &a);
  if (parsed <= 0) {
    if (parsed == 0)
      usage(stdout);
    else
      fprintf(stderr, TOOL " --help shows the usage\n");
    return parsed == 0 ? 0 : 2;
  }
  char *text = cb_read_text_file(a.program_path);
  if (!text) {
    fprintf(stderr, "%s: %s\n", a.program_path, strerror(errno));
    return 1;
  }

  if (!a.bundle)
    a.bundle = default_bundle(argv[0]);
  char message[512];
  cb_host_options options = {
      a.bundle, a.rate,           a.block > 64 ? a.block : 64,           a.sync_worker,
      false,    a.render_threads, a.stems ? "urn:cyclebus:stems" : NULL, a.sample_memory};
  cb_host *host = cb_host_new(&options, message, sizeof message);
  if (!host) {
    fprintf(stderr, TOOL ": %s\n", message);
    return 1;
  }
  for (int i = 0; i < a.set_count; ++i) {
    const char *symbol = cb_control_ports[a.set_ports[i]].symbol;
    if (!cb_host_set_control(host, symbol, a.set_values[i])) {
      fprintf(stderr, TOOL ": the plugin has no control port '%s'\n", symbol);
      return 1;
    }
  }
  cb_host_set_presynth(host, !a.live);
  cb_host_set_control(host, "freewheel", 1.0f); /* offline, as hosts export */
  /* paced (below): the waits count renders, not the frees most blocks send */
  cb_host_set_wait_skip(host, 1u << CB_WORK_FREE_BUFFERS | 1u << CB_WORK_FREE_PROGRAM);
  uint32_t max_block = options.max_block;
  float *left = calloc(max_block, sizeof(float)), *right = calloc(max_block, sizeof(float));
  const char *status = load_program(host, text, a.samples, left, right);
  if (*status) {
    fprintf(stderr, "%s:%s\n", a.program_path, status);
    return 1;
  }
  print_warnings(a.program_path, cb_host_warnings(host));
  /* the program's own tempo, as the plugin compiled it (the program is
     compiled once, by the plugin) */
  cb_stats compiled;
  if (a.bpm <= 0)
    a.bpm = cb_host_stats(host, &compiled) && compiled.program_cps > 0
                ? compiled.program_cps * 240.0
                : 120.0;
  if (a.seconds <= 0)
    a.seconds = a.cycles > 0 ? a.cycles * 4.0 * 60.0 / a.bpm : 8.0;

  SF_INFO info = {
      .samplerate = (int)a.rate, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
  SNDFILE *out = sf_open(a.out_path, SFM_WRITE, &info);
  if (!out) {
    fprintf(stderr, "%s: %s\n", a.out_path, sf_strerror(NULL));
    return 1;
  }
  SNDFILE *stems[ORBITS] = {NULL};
  if (a.stems && !open_stems(a.out_path, &info, stems))
    return 1;
  cb_midi_file *midi = a.midi_path ? cb_midi_file_new(a.bpm, a.rate) : NULL;
  uint32_t midi_event = cb_host_map(host, "http://lv2plug.in/ns/ext/midi#MidiEvent");
  cb_stats before;
  cb_host_stats(host, &before);
  bool show_progress = isatty(STDERR_FILENO);
  uint64_t total = (uint64_t)llround(a.seconds * a.rate), done = 0;
  /* The mix is written in runs of WRITE_FRAMES: a write per 256-frame block
     cost more than the rest of a short render's loop. */
  uint32_t buffered = 0, capacity = a.block > WRITE_FRAMES ? a.block : WRITE_FRAMES;
  float *frames = malloc(2 * sizeof(float) * capacity);
  float *stem_frames = a.stems ? malloc(2 * sizeof(float) * a.block) : NULL;
  double peak = 0.0, sum_squares = 0.0, start = now_seconds();
  const bool paced = !a.sync_worker && !a.live;
  static pace_list pace;
  while (done < total) {
    uint32_t n = total - done < a.block ? (uint32_t)(total - done) : a.block;
    if (paced) /* the next block's renders, in before this one runs */
      pace_wait(host, &pace, done + 2 * (uint64_t)n);
    if (done == 0 || a.position_every_block) {
      double beat = (double)done / a.rate * a.bpm / 60.0;
      cb_host_send_position(host, 0, 1.0, a.bpm, floor(beat / 4.0), fmod(beat, 4.0), 4.0);
    }
    cb_host_run(host, n, left, right);
    if (paced)
      pace_note(host, &pace, done);
    if (midi && !cb_midi_file_add(midi, cb_host_midi_out(host), done, midi_event)) {
      fprintf(stderr, "%s: out of memory\n", a.midi_path);
      return 1;
    }
    if (buffered + n > capacity) {
      sf_writef_float(out, frames, buffered);
      buffered = 0;
    }
    for (uint32_t i = 0; i < n; ++i) {
      frames[2 * (buffered + i)] = left[i];
      frames[2 * (buffered + i) + 1] = right[i];
      double l = fabs(left[i]), r = fabs(right[i]);
      if (l > peak)
        peak = l;
      if (r > peak)
        peak = r;
      sum_squares += l * l + r * r;
    }
    buffered += n;
    if (a.stems)
      write_stems(host, stems, stem_frames, n);
    done += n;
    if (show_progress && (done % (a.block * 256) < a.block || done == total))
      progress((double)done, (double)total);
  }
  sf_writef_float(out, frames, buffered);
  double wall = now_seconds() - start;
  if (show_progress)
    fputc('\n', stderr);
  sf_close(out);
  for (int o = 0; o < ORBITS && a.stems; ++o)
    sf_close(stems[o]);
  if (midi && !cb_midi_file_write(midi, a.midi_path, total)) {
    fprintf(stderr, "%s: cannot write the MIDI file\n", a.midi_path);
    return 1;
  }
  cb_midi_file_free(midi);

  cb_stats stats;
  cb_host_stats(host, &stats);
  double rms = sqrt(sum_squares / (2.0 * (double)(total ? total : 1)));
  printf("rendered %.2f s in %.3f s wall (%.0fx realtime), %llu events, peak %.1f dBFS, RMS %.1f "
         "dBFS\n",
         a.seconds, wall, wall > 0 ? a.seconds / wall : 0.0,
         (unsigned long long)(stats.triggers - before.triggers), 20.0 * log10(peak + 1e-12),
         20.0 * log10(rms + 1e-12));
  if (a.stats) {
    printf("stats: triggers %llu requests %llu hits %llu live %llu scheduled %llu renders %llu "
           "refused %llu evicted %llu dropped %llu stolen %llu cache_bytes %llu\n",
           (unsigned long long)stats.triggers, (unsigned long long)stats.requests,
           (unsigned long long)stats.hits, (unsigned long long)stats.live_fallbacks,
           (unsigned long long)stats.scheduled, (unsigned long long)stats.renders,
           (unsigned long long)stats.refused, (unsigned long long)stats.evicted,
           (unsigned long long)stats.dropped, (unsigned long long)stats.stolen,
           (unsigned long long)stats.cache_bytes);
    printf("stats: over_cap %llu too_long %llu reclaimed %llu leaked %llu\n",
           (unsigned long long)stats.over_cap, (unsigned long long)stats.too_long,
           (unsigned long long)stats.reclaimed, (unsigned long long)stats.leaked);
    printf("stats: samples: files loaded %llu failed %llu, names in memory %llu, %.1f MB of "
           "%.0f MB, evictions %llu, load time %.3f s\n",
           (unsigned long long)stats.sample_files_loaded,
           (unsigned long long)stats.sample_load_failures, (unsigned long long)stats.sample_names,
           (double)stats.sample_bytes / 1048576.0, (double)stats.sample_cap / 1048576.0,
           (unsigned long long)stats.sample_evictions, stats.sample_load_seconds);
    printf("stats: sample folders: %s\n", cb_host_samples_in_use(host));
  }
  free(frames);
  free(stem_frames);
  free(left);
  free(right);
  free(text);
  cb_host_free(host);
  return 0;
}
