/* Sound names played from the sample library: acquired through the
   sample_source when the program compiles (worker thread), warned about
   when the library lacks them, found by name on the audio thread, released
   when the program is freed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program_private.h"

static void warn(prog_compiler *c, int line, int column, const char *format, const char *name,
                 size_t length, const char *hint) {
  prog_warnings *w = c->warnings;
  if (!w)
    return;
  if (w->count < PROG_MAX_WARNINGS) {
    w->items[w->count].line = line;
    w->items[w->count].column = column;
    snprintf(w->items[w->count].message, sizeof w->items[w->count].message, format, (int)length,
             name, hint);
  }
  w->count++;
}

static bool known(const prog_program *p, const char *name, size_t length) {
  for (int i = 0; i < p->sound_count; ++i)
    if (prog_name_is(name, length, p->sounds[i].name))
      return true;
  return false;
}

static bool warned(const prog_compiler *c, const char *name, size_t length) {
  for (int i = 0; i < c->unknown_count; ++i)
    if (prog_name_is(name, length, c->unknown_sounds[i]))
      return true;
  return false;
}

static void remember_unknown(prog_compiler *c, const char *name, size_t length) {
  if (c->unknown_count % 16 == 0) {
    const char **more = prog_alloc(c, (size_t)(c->unknown_count + 16) * sizeof *more);
    if (c->unknown_count)
      memcpy(more, c->unknown_sounds, (size_t)c->unknown_count * sizeof *more);
    c->unknown_sounds = more;
  }
  char *copy = prog_alloc(c, length + 1);
  memcpy(copy, name, length);
  copy[length] = '\0';
  c->unknown_sounds[c->unknown_count++] = copy;
}

/* The program's sample bus, made the first time a sample is found. */
static void make_sample_bus(prog_compiler *c, int line, int column) {
  prog_program *p = c->program;
  if (p->has_sample_bus)
    return;
  if (p->bus_count >= PROG_MAX_BUSES)
    prog_fail(c, line, column, "too many buses (at most %d, counting the one samples play on)",
              PROG_MAX_BUSES);
  prog_bus_info *info = &p->buses[p->bus_count];
  memset(info, 0, sizeof *info);                       /* byte-equal graphs for the cache */
  snprintf(info->name, sizeof info->name, "(sample)"); /* no sound name can match it */
  synth_node *node = &info->graph.nodes[0];
  node->kind = SYNTH_SAMPLE;
  for (int i = 0; i < PROG_SAMPLE_PARAMS; ++i) {
    node->inputs[i] = (synth_input){SYNTH_FROM_PARAM, (uint8_t)i};
    info->slots[i] = (prog_slot){.kind = SLOT_CONST, .control = CTL_NONE};
  }
  info->graph.node_count = 1;
  info->graph.param_count = PROG_SAMPLE_PARAMS;
  info->base = p->bus_count;
  p->sample_bus = p->bus_count++;
  p->has_sample_bus = true;
}

/* The line plays the sample bus (so its controls' stages get a copy). */
static void line_plays_samples(prog_compiler *c) {
  if (c->program->has_sample_bus)
    c->line_bus_mask |= (uint64_t)1 << c->program->sample_bus;
}

/* prog_sample_use; `quiet`: a name the source lacks is no warning (nor
   remembered as one). */
static void use(prog_compiler *c, const char *name, size_t length, int line, int column,
                bool quiet) {
  prog_program *p = c->program;
  if (known(p, name, length)) {
    line_plays_samples(c);
    return;
  }
  if (warned(c, name, length))
    return;
  const sample_source *source = c->samples;
  const sample_set *set =
      source && source->acquire ? source->acquire(source->context, name, length) : NULL;
  if (set && set->count == 0) { /* nothing to play: as good as unknown */
    if (source->release)
      source->release(source->context, set);
    set = NULL;
  }
  if (!set && quiet)
    return;
  if (!set) {
    const char *suggestion =
        source && source->suggest ? source->suggest(source->context, name, length) : NULL;
    char hint[96];
    prog_did_you_mean(hint, sizeof hint, "", suggestion);
    warn(c, line, column, "unknown sound '%.*s'%s", name, length,
         source ? hint : " (no sample library)");
    remember_unknown(c, name, length);
    return;
  }
  if (!p->sounds) {
    p->sounds = calloc(PROG_MAX_SOUNDS, sizeof *p->sounds);
    if (!p->sounds) {
      source->release(source->context, set);
      prog_fail(c, 0, 0, "out of memory");
    }
  }
  char *copy = malloc(length + 1);
  if (!copy || p->sound_count == PROG_MAX_SOUNDS) {
    free(copy);
    if (source->release)
      source->release(source->context, set);
    if (!copy)
      prog_fail(c, 0, 0, "out of memory");
    prog_fail(c, line, column, "too many sample names (at most %d in a program)", PROG_MAX_SOUNDS);
  }
  memcpy(copy, name, length);
  copy[length] = '\0';
  p->sounds[p->sound_count++] = (prog_sound){copy, set};
  p->samples = *source;
  make_sample_bus(c, line, column);
  line_plays_samples(c);
}

void prog_sample_use(prog_compiler *c, const char *name, size_t length, int line, int column) {
  use(c, name, length, line, column, false);
}

void prog_sample_word_add(prog_compiler *c, const char *text, size_t length, int line, int column,
                          bool bank) {
  if (c->line_word_count % 16 == 0) {
    prog_sample_word *more = prog_alloc(c, (size_t)(c->line_word_count + 16) * sizeof *more);
    if (c->line_word_count)
      memcpy(more, c->line_words, (size_t)c->line_word_count * sizeof *more);
    c->line_words = more;
  }
  c->line_words[c->line_word_count++] = (prog_sample_word){text, length, line, column, bank};
}

void prog_sample_line(prog_compiler *c) {
  int count = c->line_word_count;
  c->line_word_count = 0;
  bool banked = false;
  for (int i = 0; i < count; ++i)
    banked = banked || c->line_words[i].bank;
  for (int i = 0; i < count; ++i) {
    const prog_sample_word *sound = &c->line_words[i];
    if (sound->bank)
      continue;
    use(c, sound->text, sound->length, sound->line, sound->column, banked);
    for (int b = 0; b < count; ++b) {
      const prog_sample_word *bank = &c->line_words[b];
      if (!bank->bank)
        continue;
      size_t length = bank->length + 1 + sound->length;
      char *name = prog_alloc(c, length + 1);
      memcpy(name, bank->text, bank->length);
      name[bank->length] = '_';
      memcpy(name + bank->length + 1, sound->text, sound->length);
      name[length] = '\0';
      use(c, name, length, sound->line, sound->column, false);
    }
  }
}

void prog_sample_folders(prog_compiler *c) {
  const sample_source *source = c->samples;
  if (source && source->program_folders)
    source->program_folders(source->context, c->sample_folders ? c->sample_folders : "",
                            c->sample_folders ? c->sample_folders_length : 0);
}

void prog_sample_release_all(prog_program *program) {
  for (int i = 0; i < program->sound_count; ++i) {
    if (program->samples.release)
      program->samples.release(program->samples.context, program->sounds[i].set);
    free(program->sounds[i].name);
  }
  free(program->sounds);
  program->sounds = NULL;
  program->sound_count = 0;
}

/* `stored` is bank_name (or name, without a bank): compared in place, as
   the audio thread may not build the string. */
static int compare_sounds(const void *a, const void *b) {
  return strcmp(((const prog_sound *)a)->name, ((const prog_sound *)b)->name);
}

void prog_sample_sort(prog_program *program) {
  if (program->sound_count > 1)
    qsort(program->sounds, (size_t)program->sound_count, sizeof *program->sounds, compare_sounds);
}

/* strcmp(stored, key), the key being bank "_" name (or name without a
   bank), without building it. */
static int compare_key(const char *stored, const char *bank, const char *name) {
  if (bank) {
    for (; *bank; ++bank, ++stored)
      if (*stored != *bank)
        return (int)(unsigned char)*stored - (int)(unsigned char)*bank;
    if (*stored != '_')
      return (int)(unsigned char)*stored - '_';
    ++stored;
  }
  return strcmp(stored, name);
}

const sample_data *prog_sample_find(const prog_program *program, const char *bank, const char *name,
                                    double n) {
  if (!name)
    return NULL;
  /* the names are sorted (prog_sample_sort): a binary search, so a lookup
     costs about 8 comparisons however many names the program plays */
  int low = 0, high = program->sound_count;
  while (low < high) {
    int middle = low + (high - low) / 2;
    int order = compare_key(program->sounds[middle].name, bank, name);
    if (order == 0) {
      const sample_set *set = program->sounds[middle].set;
      uint32_t count = set->count;
      if (count == 0)
        return NULL;
      /* SuperDirt: the index as an integer (towards zero), wrapped */
      double index = isfinite(n) ? trunc(fmod(n, (double)count)) : 0.0;
      if (index < 0.0)
        index += (double)count;
      uint32_t at = (uint32_t)index;
      return at < count ? set->items[at] : NULL;
    }
    if (order < 0)
      low = middle + 1;
    else
      high = middle;
  }
  return NULL;
}

/* ---- a sample voice's length ----------------------------------------------------------- */

#define SAMPLE_MAX_SECONDS 60.0 /* the longest a sample voice lasts, as any voice */

void prog_sample_voice(const prog_trigger *t, double frames_per_cycle, double sample_rate,
                       synth_voice *voice) {
  *voice = t->voice;
  voice->sample_rate = (float)sample_rate;
  const sample_data *sample = t->sample;
  double file_seconds = sample ? (double)sample->frame_count / sample_rate : 0.0;
  float *params = voice->params;
  double speed = params[PROG_SAMPLE_SPEED];
  if (t->unit_cycles && frames_per_cycle > 0.0) { /* speed 1: the file fills a cycle */
    speed *= sample_rate / frames_per_cycle * file_seconds;
    params[PROG_SAMPLE_SPEED] = (float)speed;
  }
  /* SuperDirt's calcTimeSpan: the segment at the mean of the first and the
     last speed, times loop, unless sustain or legato cut it shorter */
  double end_speed = speed * (1.0 + params[PROG_SAMPLE_ACCELERATE]);
  double mean_speed = (fabs(speed) + fabs(end_speed)) * 0.5;
  double length = fabs((double)params[PROG_SAMPLE_END] - params[PROG_SAMPLE_BEGIN]);
  double seconds = mean_speed > 1e-9 ? file_seconds * length / mean_speed : SAMPLE_MAX_SECONDS;
  double loop = params[PROG_SAMPLE_LOOP];
  if (t->sustain_seconds > 0.0f)
    seconds = fmin(seconds, t->sustain_seconds);
  else if (t->has_length)
    seconds = fmin(seconds, t->gate_cycles * frames_per_cycle / sample_rate);
  else if (loop >= 1.0)
    seconds *= loop;
  double frames =
      fmin(fmax(floor(seconds * sample_rate + 0.5), 1.0), SAMPLE_MAX_SECONDS * sample_rate);
  voice->gate_frames = (uint32_t)frames;
  voice->total_frames = (uint32_t)frames;
}
