/* The sample library alone (plugin/samples), with files the tests write into
   a temporary folder: names from Dirt-Samples and flat folders, file order,
   the search order and the alias table, channels and resampling (aliasing
   measured), the memory cap and least-recently-used unloading, rescans, and
   bad files (empty, not audio, damaged, too big, unreadable, a FIFO, a folder
   that disappears). No host, no installed sample package. */
#include <check.h>

#include "check_run.h"
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../plugin/samples/samples.h"

#define PI 3.14159265358979323846

static char root[256];

static void make_root(void) {
  strcpy(root, "/tmp/cb_samples_XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(root));
}

static void remove_root(void) {
  char command[600];
  snprintf(command, sizeof command, "chmod -R u+rwx %s; rm -rf %s", root, root);
  ck_assert_int_eq(system(command), 0);
}

static const char *at(const char *relative) {
  static char paths[8][512];
  static int next;
  char *path = paths[next++ % 8];
  snprintf(path, 512, "%s/%s", root, relative);
  return path;
}

static void make_folder(const char *relative) { ck_assert_int_eq(mkdir(at(relative), 0755), 0); }

typedef double (*fill_fn)(uint32_t frame, uint32_t channel, double rate);

static double fill_value;
static double constant(uint32_t frame, uint32_t channel, double rate) {
  (void)frame, (void)rate;
  return fill_value + 0.125 * channel;
}

/* A file of `frames` frames at `rate`, in `format` (SF_FORMAT_WAV | ...). */
static void write_audio(const char *relative, int format, int rate, int channels, uint32_t frames,
                        fill_fn fill) {
  SF_INFO info = {.samplerate = rate, .channels = channels, .format = format};
  SNDFILE *file = sf_open(at(relative), SFM_WRITE, &info);
  ck_assert_msg(file != NULL, "%s: %s", relative, sf_strerror(NULL));
  float *frame = malloc(sizeof(float) * (size_t)channels);
  for (uint32_t f = 0; f < frames; ++f) {
    for (int c = 0; c < channels; ++c)
      frame[c] = (float)fill(f, (uint32_t)c, rate);
    ck_assert_int_eq(sf_writef_float(file, frame, 1), 1);
  }
  free(frame);
  sf_close(file);
}

/* A short mono float WAV whose every value is `value`: files tell apart by it. */
static void write_marked(const char *relative, double value) {
  fill_value = value;
  write_audio(relative, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 48000, 1, 64, constant);
}

static void write_text(const char *relative, const char *text) {
  FILE *file = fopen(at(relative), "w");
  ck_assert_ptr_nonnull(file);
  fputs(text, file);
  fclose(file);
}

/* A bank that sees only what the test names (not the user's folders). */
static samples_bank *new_bank(double rate, size_t cap) {
  samples_bank *bank = samples_bank_new(rate, cap);
  ck_assert_ptr_nonnull(bank);
  samples_set_places(bank, SAMPLES_ENV, NULL);
  samples_set_places(bank, SAMPLES_DEFAULT, NULL);
  return bank;
}

static char messages[4096];
static void collect(void *context, const char *message) {
  (void)context;
  strncat(messages, message, sizeof messages - strlen(messages) - 2);
  strcat(messages, "\n");
}
static const char *take_messages(samples_bank *bank) {
  messages[0] = '\0';
  samples_take_messages(bank, collect, NULL);
  return messages;
}

static const sample_set *get(sample_source *source, const char *name) {
  return source->acquire(source->context, name, strlen(name));
}

START_TEST(a_dirt_folder_gives_each_sub_folder_its_files_sorted_by_name) {
  make_root();
  make_folder("dirt");
  make_folder("dirt/bd");
  write_marked("dirt/bd/b.wav", 0.2);
  write_marked("dirt/bd/a.wav", 0.1);
  write_marked("dirt/bd/c.WAV", 0.3);
  write_text("dirt/bd/notes.txt", "not audio");
  make_folder("dirt/empty");
  samples_bank *bank = new_bank(48000, 0);
  samples_set_places(bank, SAMPLES_PARAMETER, at("dirt"));
  sample_source source = samples_source(bank);
  /* The name need not end in a NUL: "bd:3" is looked up as "bd". */
  const sample_set *bd = source.acquire(source.context, "bd:3", 2);
  ck_assert_ptr_nonnull(bd);
  ck_assert_str_eq(bd->name, "bd");
  ck_assert_uint_eq(bd->count, 3);
  const float marks[] = {0.1f, 0.2f, 0.3f};
  for (uint32_t i = 0; i < 3; ++i) {
    ck_assert_uint_eq(bd->items[i]->channels, 1);
    ck_assert_uint_eq(bd->items[i]->frame_count, 64);
    ck_assert_float_eq(bd->items[i]->frames[10], marks[i]);
  }
  ck_assert_ptr_null(get(&source, "empty"));
  ck_assert_ptr_null(get(&source, "b"));
  source.release(source.context, bd);
  samples_bank_free(bank);
  remove_root();
}
END_TEST

START_TEST(a_flat_folder_names_each_file_by_its_stem) {
  make_root();
  make_folder("flat");
  write_marked("flat/snare.wav", 0.25);
  fill_value = 0.5;
  write_audio("flat/kick.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 48000, 1, 64, constant);
  samples_bank *bank = new_bank(48000, 0);
  samples_set_places(bank, SAMPLES_PARAMETER, at("flat"));
  sample_source source = samples_source(bank);
  const sample_set *kick = get(&source, "kick");
  const sample_set *snare = get(&source, "snare");
  ck_assert_ptr_nonnull(kick);
  ck_assert_ptr_nonnull(snare);
  ck_assert_uint_eq(kick->count, 1);
  ck_assert_float_eq(kick->items[0]->frames[0], 0.5f);
  ck_assert_float_eq(snare->items[0]->frames[0], 0.25f);
  ck_assert_uint_ne(kick->items[0]->id, snare->items[0]->id);
  source.release(source.context, kick);
  source.release(source.context, snare);
  samples_bank_free(bank);
  remove_root();
}
END_TEST

/* parameter, program, CYCLEBUS_SAMPLES, defaults, alias table: the first
   place that has a name gives all of its files. */
START_TEST(the_first_place_with_a_name_gives_all_its_files) {
  make_root();
  const char *places[] = {"param", "program", "env", "default"};
  for (int i = 0; i < 4; ++i)
    make_folder(places[i]);
  make_folder("param/bd");
  write_marked("param/bd/0.wav", 0.1);
  make_folder("program/bd");
  write_marked("program/bd/0.wav", 0.2);
  write_marked("program/bd/1.wav", 0.2);
  make_folder("program/sn");
  write_marked("program/sn/0.wav", 0.2);
  make_folder("env/sn");
  write_marked("env/sn/0.wav", 0.3);
  make_folder("env/hh");
  write_marked("env/hh/0.wav", 0.3);
  make_folder("default/hh");
  write_marked("default/hh/0.wav", 0.4);
  make_folder("default/cp");
  write_marked("default/cp/0.wav", 0.4);
  make_folder("pi");
  write_marked("pi/drum_cowbell.wav", 0.5);
  write_marked("pi/elec_snare.wav", 0.5);
  char table[1024];
  snprintf(table, sizeof table, "# test\n@folder %s\ncp elec_snare\ncb drum_cowbell.wav\n",
           at("pi"));
  write_text("aliases.txt", table);

  samples_bank *bank = new_bank(48000, 0);
  samples_set_places(bank, SAMPLES_PARAMETER, at("param"));
  samples_set_places(bank, SAMPLES_ENV, at("env"));
  samples_set_places(bank, SAMPLES_DEFAULT, at("default"));
  samples_set_alias_file(bank, at("aliases.txt"));
  sample_source source = samples_source(bank);
  source.program_folders(source.context, at("program"), strlen(at("program")));
  const char *names[] = {"bd", "sn", "hh", "cp", "cb", "drum_cowbell"};
  const float expected[] = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.5f};
  for (int i = 0; i < 6; ++i) {
    const sample_set *set = get(&source, names[i]);
    ck_assert_msg(set != NULL, "%s", names[i]);
    ck_assert_msg(set->items[0]->frames[0] == expected[i], "%s", names[i]);
    ck_assert_uint_eq(set->count, 1); /* bd: the parameter's one file, not the program's two */
    source.release(source.context, set);
  }
  /* Without the program's line, its names are gone and sn comes from the variable. */
  source.program_folders(source.context, "", 0);
  const sample_set *sn = get(&source, "sn");
  ck_assert_float_eq(sn->items[0]->frames[0], 0.3f);
  source.release(source.context, sn);
  char in_use[4096];
  samples_folders_in_use(bank, in_use, sizeof in_use);
  char wanted[4096];
  snprintf(wanted, sizeof wanted, "%s:%s:%s:%s", at("param"), at("env"), at("default"), at("pi"));
  ck_assert_str_eq(in_use, wanted);
  samples_bank_free(bank);
  remove_root();
}
END_TEST

START_TEST(the_alias_table_keeps_its_order_and_skips_missing_files) {
  make_root();
  make_folder("pi");
  write_marked("pi/bd_b.flac", 0.1);
  write_marked("pi/bd_a.wav", 0.2);
  write_text("aliases.txt", "  # comment\n\n@folder pi\nbd  bd_b   bd_missing bd_a.wav\n"
                            "gone missing.wav\n");
  samples_bank *bank = new_bank(48000, 0);
  /* Relative to the table's own folder: "pi" is root/pi. */
  samples_set_alias_file(bank, at("aliases.txt"));
  sample_source source = samples_source(bank);
  const sample_set *bd = get(&source, "bd");
  ck_assert_ptr_nonnull(bd);
  ck_assert_uint_eq(bd->count, 2);
  ck_assert_float_eq(bd->items[0]->frames[0], 0.1f); /* the table's order, not sorted */
  ck_assert_float_eq(bd->items[1]->frames[0], 0.2f);
  ck_assert_ptr_null(get(&source, "gone"));
  source.release(source.context, bd);
  samples_bank_free(bank);
  remove_root();
}
END_TEST

static const char *setup_one(const char *file, int format, int rate, int channels, uint32_t frames,
                             fill_fn fill) {
  make_root();
  make_folder("s");
  make_folder("s/x");
  char relative[64];
  snprintf(relative, sizeof relative, "s/x/%s", file);
  write_audio(relative, format, rate, channels, frames, fill);
  return at("s");
}

static double by_channel(uint32_t frame, uint32_t channel, double rate) {
  (void)frame, (void)rate;
  return 0.1 * (channel + 1);
}

START_TEST(mono_and_stereo_are_kept_and_more_channels_fold_to_two) {
  const int channel_counts[] = {1, 2, 4, 3};
  const float left[] = {0.1f, 0.1f, (0.1f + 0.3f) / 2, (0.1f + 0.3f) / 2};
  const float right[] = {0, 0.2f, (0.2f + 0.4f) / 2, 0.2f};
  for (int i = 0; i < 4; ++i) {
    const char *folder = setup_one("a.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 48000,
                                   channel_counts[i], 100, by_channel);
    samples_bank *bank = new_bank(48000, 0);
    samples_set_places(bank, SAMPLES_PARAMETER, folder);
    sample_source source = samples_source(bank);
    const sample_set *x = get(&source, "x");
    ck_assert_ptr_nonnull(x);
    const sample_data *d = x->items[0];
    ck_assert_uint_eq(d->channels, channel_counts[i] == 1 ? 1 : 2);
    ck_assert_uint_eq(d->frame_count, 100);
    ck_assert_float_eq_tol(d->frames[50 * d->channels], left[i], 1e-6f);
    if (d->channels == 2)
      ck_assert_float_eq_tol(d->frames[50 * 2 + 1], right[i], 1e-6f);
    source.release(source.context, x);
    samples_bank_free(bank);
    remove_root();
  }
}
END_TEST

static double tone_hz[2], tone_amplitude[2];
static double tones(uint32_t frame, uint32_t channel, double rate) {
  (void)channel;
  double value = 0;
  for (int i = 0; i < 2; ++i)
    value += tone_amplitude[i] * sin(2 * PI * tone_hz[i] * frame / rate);
  return value;
}

/* The output's energy left after removing its best fit of a sine at `hz`
   (least squares on sin and cos), over frames [from, to): what is not that
   tone. */
static double residual_rms(const float *x, uint32_t from, uint32_t to, double rate,
                           const double *hz, int count) {
  double *rest = malloc(sizeof(double) * (to - from));
  for (uint32_t f = from; f < to; ++f)
    rest[f - from] = x[f];
  for (int k = 0; k < count; ++k) {
    double ss = 0, cc = 0, sc = 0, xs = 0, xc = 0;
    for (uint32_t f = from; f < to; ++f) {
      double s = sin(2 * PI * hz[k] * f / rate), c = cos(2 * PI * hz[k] * f / rate);
      ss += s * s, cc += c * c, sc += s * c, xs += rest[f - from] * s, xc += rest[f - from] * c;
    }
    double det = ss * cc - sc * sc, a = (xs * cc - xc * sc) / det, b = (xc * ss - xs * sc) / det;
    for (uint32_t f = from; f < to; ++f)
      rest[f - from] -= a * sin(2 * PI * hz[k] * f / rate) + b * cos(2 * PI * hz[k] * f / rate);
  }
  double sum = 0;
  for (uint32_t f = from; f < to; ++f)
    sum += rest[f - from] * rest[f - from];
  free(rest);
  return sqrt(sum / (to - from));
}

/* Up: 44.1 kHz with a 19 kHz tone, whose image at 25.1 kHz would fold to
   22.9 kHz at 48 kHz. Down: 96 kHz with 1 kHz and 30 kHz, the 30 kHz would
   fold to 18 kHz. What is left beside the wanted tone must be below -100 dB
   of the tone that could alias (measured -128 and -121 dB; the passband ends
   at 90 % of Nyquist, 19.8 kHz from 44.1 kHz). */
START_TEST(resampling_keeps_the_length_and_does_not_alias) {
  const int in_rates[] = {44100, 96000};
  const double hz[2][2] = {{19000, 0}, {1000, 30000}};
  const double amplitude[2][2] = {{0.5, 0}, {0.3, 0.5}};
  for (int i = 0; i < 2; ++i) {
    memcpy(tone_hz, hz[i], sizeof tone_hz);
    memcpy(tone_amplitude, amplitude[i], sizeof tone_amplitude);
    uint32_t frames = (uint32_t)in_rates[i]; /* one second */
    const char *folder =
        setup_one("t.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, in_rates[i], 1, frames, tones);
    samples_bank *bank = new_bank(48000, 0);
    samples_set_places(bank, SAMPLES_PARAMETER, folder);
    sample_source source = samples_source(bank);
    const sample_set *t = get(&source, "x");
    ck_assert_ptr_nonnull(t);
    const sample_data *d = t->items[0];
    ck_assert_uint_ge(d->frame_count, 47999);
    ck_assert_uint_le(d->frame_count, 48001);
    /* Nothing but the wanted tone is above -100 dB of the tone that could alias... */
    double kept = i == 0 ? 19000 : 1000;
    double rest = residual_rms(d->frames, 4800, 43200, 48000, &kept, 1);
    double aliased = i == 0 ? amplitude[0][0] : amplitude[1][1];
    double db = 20 * log10(rest / (aliased / sqrt(2)));
    printf("%d Hz -> 48000 Hz: %.1f dB beside the tone\n", in_rates[i], db);
    ck_assert_msg(db < -100, "%d Hz -> 48000 Hz: %.1f dB left beside the tone", in_rates[i], db);
    /* ...and the wanted tone keeps its level (within 0.25 dB). */
    double total = residual_rms(d->frames, 4800, 43200, 48000, NULL, 0);
    ck_assert_double_eq_tol(total, amplitude[i][0] / sqrt(2), amplitude[i][0] / sqrt(2) * 0.03);
    source.release(source.context, t);
    samples_bank_free(bank);
    remove_root();
  }
}
END_TEST

/* Any rate: the polyphase filter for ratios like 147/160, libsamplerate for
   44056 Hz (ratio 6000/5507); the length follows the rate, a constant stays
   that constant. */
START_TEST(every_rate_keeps_length_and_level) {
  const int rates[] = {8000, 22050, 32000, 44056, 88200, 192000};
  for (int i = 0; i < 6; ++i) {
    fill_value = 0.25;
    uint32_t frames = (uint32_t)rates[i] / 2; /* half a second */
    const char *folder =
        setup_one("c.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, rates[i], 2, frames, constant);
    samples_bank *bank = new_bank(48000, 0);
    samples_set_places(bank, SAMPLES_PARAMETER, folder);
    sample_source source = samples_source(bank);
    const sample_set *x = get(&source, "x");
    ck_assert_ptr_nonnull(x);
    const sample_data *d = x->items[0];
    ck_assert_msg(d->frame_count >= 23999 && d->frame_count <= 24001, "%d Hz: %u frames", rates[i],
                  d->frame_count);
    for (uint32_t f = 2000; f < 22000; f += 997) {
      ck_assert_float_eq_tol(d->frames[f * 2], 0.25f, 1e-4f);
      ck_assert_float_eq_tol(d->frames[f * 2 + 1], 0.375f, 1e-4f);
    }
    source.release(source.context, x);
    samples_bank_free(bank);
    remove_root();
  }
}
END_TEST

START_TEST(unpinned_names_are_unloaded_least_recently_used_first_under_the_cap) {
  make_root();
  make_folder("s");
  const char *names[] = {"a", "b", "c", "d"};
  for (int i = 0; i < 4; ++i) {
    char relative[32];
    snprintf(relative, sizeof relative, "s/%s", names[i]);
    make_folder(relative);
    strcat(relative, "/0.wav");
    fill_value = 0.1;
    write_audio(relative, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 48000, 1, 25000, constant);
  }
  /* 100 000 bytes a name: room for two. */
  samples_bank *bank = new_bank(48000, 250000);
  samples_set_places(bank, SAMPLES_PARAMETER, at("s"));
  sample_source source = samples_source(bank);
  const sample_set *a = get(&source, "a");
  const sample_set *b = get(&source, "b");
  source.release(source.context, b);
  source.release(source.context, a); /* a was used last... */
  const sample_set *c = get(&source, "c");
  ck_assert_ptr_nonnull(c);
  samples_stats stats;
  samples_get_stats(bank, &stats);
  ck_assert_uint_eq(stats.evictions, 1);
  ck_assert_uint_eq(stats.files_loaded, 3);
  ck_assert_uint_le(stats.bytes, 250000);
  const sample_set *again = get(&source, "a"); /* ...so b went and a is still there */
  samples_get_stats(bank, &stats);
  ck_assert_uint_eq(stats.files_loaded, 3);
  ck_assert_uint_eq(stats.names_pinned, 2);
  /* a and c are held: d cannot be loaded, with a word why, and nothing held is unloaded. */
  ck_assert_ptr_null(get(&source, "d"));
  ck_assert_ptr_nonnull(strstr(take_messages(bank), "does not fit under the sample memory cap"));
  ck_assert_float_eq(c->items[0]->frames[24999], again->items[0]->frames[0]);
  source.release(source.context, again);
  source.release(source.context, c);
  ck_assert_ptr_nonnull(get(&source, "d"));
  samples_get_stats(bank, &stats);
  ck_assert_uint_eq(stats.evictions, 2);
  ck_assert_uint_le(stats.bytes, 250000);
  ck_assert_uint_eq(stats.names_pinned, 1);
  samples_bank_free(bank);
  remove_root();
}
END_TEST

START_TEST(a_file_added_later_is_found_and_held_sets_stay_valid) {
  make_root();
  make_folder("s");
  make_folder("s/bd");
  write_marked("s/bd/0.wav", 0.1);
  samples_bank *bank = new_bank(48000, 0);
  samples_set_places(bank, SAMPLES_PARAMETER, at("s"));
  sample_source source = samples_source(bank);
  const sample_set *old = get(&source, "bd");
  ck_assert_uint_eq(old->count, 1);
  write_marked("s/bd/1.wav", 0.2);
  ck_assert_uint_eq(get(&source, "bd")->count, 1); /* within one compile, the same */
  source.release(source.context, old);
  /* A new file changes its folder's time stamp: the next compile rescans. */
  source.program_folders(source.context, "", 0);
  const sample_set *now = get(&source, "bd");
  ck_assert_uint_eq(now->count, 2);
  ck_assert_ptr_eq(now->items[0], old->items[0]); /* the file in memory is shared */
  /* A file rewritten in place is seen after an explicit rescan. */
  write_marked("s/bd/0.wav", 0.3);
  samples_rescan(bank);
  const sample_set *rewritten = get(&source, "bd");
  ck_assert_float_eq(rewritten->items[0]->frames[0], 0.3f);
  ck_assert_float_eq(old->items[0]->frames[0], 0.1f); /* still held, still whole */
  source.release(source.context, old);
  source.release(source.context, now);
  source.release(source.context, rewritten);
  samples_stats stats;
  samples_get_stats(bank, &stats);
  ck_assert_uint_eq(stats.files, 2);
  ck_assert_uint_eq(stats.bytes, 2 * 64 * sizeof(float));
  samples_bank_free(bank);
  remove_root();
}
END_TEST

START_TEST(a_folder_that_disappears_leaves_held_sets_playing) {
  make_root();
  make_folder("s");
  make_folder("s/bd");
  write_marked("s/bd/0.wav", 0.1);
  samples_bank *bank = new_bank(48000, 0);
  samples_set_places(bank, SAMPLES_PARAMETER, at("s"));
  sample_source source = samples_source(bank);
  const sample_set *bd = get(&source, "bd");
  char command[600];
  snprintf(command, sizeof command, "rm -rf %s", at("s"));
  ck_assert_int_eq(system(command), 0);
  source.program_folders(source.context, "", 0);
  ck_assert_ptr_null(get(&source, "bd"));
  ck_assert_ptr_nonnull(strstr(take_messages(bank), "cannot be read"));
  ck_assert_float_eq(bd->items[0]->frames[63], 0.1f);
  source.release(source.context, bd);
  samples_bank_free(bank);
  remove_root();
}
END_TEST

/* Each bad file is left out with a message naming it; the name's good
   files still play. */
START_TEST(bad_files_are_left_out_with_a_clear_message) {
  make_root();
  make_folder("s");
  make_folder("s/x");
  write_marked("s/x/9_good.wav", 0.1);
  write_text("s/x/1_empty.wav", "");
  write_text("s/x/2_text.flac", "this is not a FLAC file, only text\n");
  /* A WAV header followed by noise where the format chunk should be. */
  write_marked("s/x/3_corrupt.wav", 0.1);
  FILE *corrupt = fopen(at("s/x/3_corrupt.wav"), "r+b");
  fseek(corrupt, 12, SEEK_SET);
  for (int i = 0; i < 64; ++i)
    fputc((i * 37) & 0xff, corrupt);
  fclose(corrupt);
  fill_value = 0.1;
  write_audio("s/x/4_silent.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 48000, 1, 0, constant);
  write_audio("s/x/5_huge.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 48000, 2, 200000, constant);
  ck_assert_int_eq(mkfifo(at("s/x/6_fifo.wav"), 0644), 0);
  write_marked("s/x/7_unreadable.wav", 0.1);
  chmod(at("s/x/7_unreadable.wav"), 0);
  bool root_user = access(at("s/x/7_unreadable.wav"), R_OK) == 0;
  samples_bank *bank = new_bank(48000, 1 << 20); /* 1 MB: 5_huge needs 1.6 */
  samples_set_places(bank, SAMPLES_PARAMETER, at("s"));
  sample_source source = samples_source(bank);
  const sample_set *x = get(&source, "x");
  ck_assert_ptr_nonnull(x);
  ck_assert_uint_eq(x->count, root_user ? 2 : 1);
  ck_assert_float_eq(x->items[x->count - 1]->frames[0], 0.1f);
  const char *said = take_messages(bank);
  const char *expected[] = {"1_empty.wav: not an audio file", "2_text.flac: not an audio file",
                            "3_corrupt.wav: not an audio file",
                            "4_silent.wav: no audio in the file",
                            "5_huge.wav: 1.5 MB at the session rate does not fit"};
  for (int i = 0; i < 5; ++i)
    ck_assert_msg(strstr(said, expected[i]), "'%s' not in:\n%s", expected[i], said);
  if (!root_user)
    ck_assert_msg(strstr(said, "7_unreadable.wav: not an audio file"), "%s", said);
  ck_assert_ptr_null(strstr(said, "6_fifo")); /* never opened: only regular files are */
  source.release(source.context, x);
  samples_stats stats;
  samples_get_stats(bank, &stats);
  ck_assert_uint_eq(stats.load_failures, root_user ? 5 : 6);
  samples_bank_free(bank);
  remove_root();
}
END_TEST

START_TEST(a_name_whose_files_all_fail_is_unknown_and_said_why) {
  make_root();
  make_folder("s");
  make_folder("s/x");
  write_text("s/x/a.wav", "RIFF");
  samples_bank *bank = new_bank(48000, 0);
  samples_set_places(bank, SAMPLES_PARAMETER, at("s"));
  sample_source source = samples_source(bank);
  ck_assert_ptr_null(get(&source, "x"));
  ck_assert_ptr_nonnull(strstr(take_messages(bank), "a.wav: not an audio file"));
  samples_stats stats;
  samples_get_stats(bank, &stats);
  ck_assert_uint_eq(stats.names_loaded, 0);
  ck_assert_uint_eq(stats.bytes, 0);
  samples_bank_free(bank);
  remove_root();
}
END_TEST

START_TEST(a_folder_named_but_missing_is_said_and_defaults_are_silent) {
  samples_bank *bank = new_bank(48000, 0);
  samples_set_places(bank, SAMPLES_PARAMETER, "/nonexistent/cb-samples");
  samples_set_places(bank, SAMPLES_DEFAULT, "/nonexistent/Dirt-Samples");
  sample_source source = samples_source(bank);
  ck_assert_ptr_null(get(&source, "bd"));
  const char *said = take_messages(bank);
  ck_assert_ptr_nonnull(strstr(said, "sample folder /nonexistent/cb-samples cannot be read"));
  ck_assert_ptr_null(strstr(said, "Dirt-Samples"));
  samples_bank_free(bank);
}
END_TEST

START_TEST(suggest_gives_the_nearest_known_name) {
  make_root();
  make_folder("s");
  const char *names[] = {"bd", "sn", "hh", "tabla", "arpy"};
  for (int i = 0; i < 5; ++i) {
    char relative[32];
    snprintf(relative, sizeof relative, "s/%s.wav", names[i]);
    write_marked(relative, 0.1);
  }
  samples_bank *bank = new_bank(48000, 0);
  samples_set_places(bank, SAMPLES_PARAMETER, at("s"));
  sample_source source = samples_source(bank);
  ck_assert_str_eq(source.suggest(source.context, "bdd", 3), "bd");
  ck_assert_str_eq(source.suggest(source.context, "tabal", 5), "tabla");
  ck_assert_str_eq(source.suggest(source.context, "arpyy:2", 5), "arpy");
  ck_assert_ptr_null(source.suggest(source.context, "superpiano", 10));
  samples_bank_free(bank);
  remove_root();
}
END_TEST

int main(void) {
  Suite *s = suite_create("samples");
  TCase *tc = tcase_create("library");
  tcase_add_test(tc, a_dirt_folder_gives_each_sub_folder_its_files_sorted_by_name);
  tcase_add_test(tc, a_flat_folder_names_each_file_by_its_stem);
  tcase_add_test(tc, the_first_place_with_a_name_gives_all_its_files);
  tcase_add_test(tc, the_alias_table_keeps_its_order_and_skips_missing_files);
  tcase_add_test(tc, mono_and_stereo_are_kept_and_more_channels_fold_to_two);
  tcase_add_test(tc, resampling_keeps_the_length_and_does_not_alias);
  tcase_add_test(tc, every_rate_keeps_length_and_level);
  tcase_add_test(tc, unpinned_names_are_unloaded_least_recently_used_first_under_the_cap);
  tcase_add_test(tc, a_file_added_later_is_found_and_held_sets_stay_valid);
  tcase_add_test(tc, a_folder_that_disappears_leaves_held_sets_playing);
  tcase_add_test(tc, bad_files_are_left_out_with_a_clear_message);
  tcase_add_test(tc, a_name_whose_files_all_fail_is_unknown_and_said_why);
  tcase_add_test(tc, a_folder_named_but_missing_is_said_and_defaults_are_silent);
  tcase_add_test(tc, suggest_gives_the_nearest_known_name);
  suite_add_tcase(s, tc);
  return check_run(s);
}
