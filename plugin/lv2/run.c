/* run(): the audio thread. A recipe of named steps: read ports, handle atoms
   in time order (playing the slice before each), trigger voices at exact
   frames, look ahead and ask the worker for the buffers, mix, notify.
   Nothing here allocates, frees, locks, waits, prints or touches files. */
#include "plugin.h"

#include <math.h>
#include <string.h>

/* Pattern spans are exact rationals; block edges are converted with this
   resolution and widened by one step, then events are picked by frame. */
#define SPAN_RESOLUTION 65536
#define LOOKAHEAD_SECONDS 0.5
/* While the host freewheels (an export: lv2:freeWheeling), no deadline binds
   a block: it may do CB_FREEWHEEL_WORK times the pattern work (still a
   bound) and looks up to FREEWHEEL_LOOKAHEAD_SECONDS (at most
   FREEWHEEL_CYCLES cycles) ahead. Its look-ahead batches then hold several
   SIMD groups of notes, which the render pool's threads share; at the
   real-time reach a batch was often one group, which one thread renders
   while the others wait (a synchronous worker renders inside run()). It
   reaches no further than FREEWHEEL_NOTES notes take, at the density of its
   last window (never less than the real-time reach): the buffers a dense
   program has waiting ahead of the playhead stay what the real-time reach
   holds (2 s of bench_engines' 64-layer reference are 512 notes, 22 MB). */
#define FREEWHEEL_LOOKAHEAD_SECONDS 2.0
#define FREEWHEEL_CYCLES 4.0
#define FREEWHEEL_NOTES 64
#define MAX_VOICE_SECONDS 60.0
/* Every voice is mixed at -12 dB, so a four-note chord of full-scale saws
   stays below full scale at gain 1. */
#define VOICE_LEVEL 0.25f
/* What starting (or asking for) one trigger costs, in pattern work steps. */
#define TRIGGER_WORK 12
#define MIN_TRIGGERS 32 /* a query may always return a chord */

static pat_rat cycle_below(double cycle) {
  bool overflow = false;
  return pat_rat_make((int64_t)floor(cycle * SPAN_RESOLUTION) - 1, SPAN_RESOLUTION, &overflow);
}

static pat_rat cycle_above(double cycle) {
  bool overflow = false;
  return pat_rat_make((int64_t)ceil(cycle * SPAN_RESOLUTION) + 1, SPAN_RESOLUTION, &overflow);
}

static float port_value(const cb_plugin *self, cb_port_index index, float fallback) {
  const float *port = self->controls[index];
  return port && isfinite(*port) ? *port : fallback;
}

static bool freewheeling(const cb_plugin *self) {
  return port_value(self, CB_PORT_FREEWHEEL, 0.0f) >= 0.5f;
}

static void read_ports(cb_plugin *self) {
  static const cb_port_index macro_ports[PROG_MACRO_M1] = {
      CB_PORT_CUTOFF, CB_PORT_RES, CB_PORT_ATTACK, CB_PORT_RELEASE, CB_PORT_GAIN};
  for (uint32_t i = 0; i < CB_CONTROL_PORT_COUNT; ++i) {
    const cb_control_port *p = &cb_control_ports[i];
    float value = port_value(self, p->index, p->fallback);
    if (value < p->minimum)
      value = p->minimum;
    if (value > p->maximum)
      value = p->maximum;
    for (int m = 0; m < PROG_MACRO_M1; ++m)
      if (macro_ports[m] == p->index)
        self->macros[m] = value;
    if (p->index >= CB_PORT_M1 && p->index < CB_PORT_M1 + 8)
      self->macros[PROG_MACRO_M1 + (p->index - CB_PORT_M1)] = value;
    if (p->index == CB_PORT_TRANSPOSE)
      self->macros[PROG_MACRO_TRANSPOSE] = value;
  }
  float length = port_value(self, CB_PORT_CYCLE_LENGTH, 1.0f);
  bool in_beats = port_value(self, CB_PORT_CYCLE_UNIT, 0.0f) >= 0.5f;
  if (cb_clock_set_cycle_length(&self->clock, self->block_frame, length, in_beats))
    cb_transport_jumped(self, self->block_frame);
}

/* The clock moved discontinuously: sounding voices release, the next events
   are those at or after `frame`, and the look-ahead starts again. */
void cb_transport_jumped(cb_plugin *self, int64_t frame) {
  voice_release_all(&self->voices);
  cb_midi_all_off(&self->midi, frame);
  self->have_last_onset = false;
  self->floor_frame = frame;
  self->have_frontier = false;
  cb_seen_forget(&self->seen);
}

/* Frames of a trigger at the current tempo: the rest of its key. */
static void complete_voice(const cb_plugin *self, const prog_trigger *t, synth_voice *voice) {
  double frames_per_cycle = cb_clock_frames_per_cycle(&self->clock);
  if (t->sample) {
    prog_sample_voice(t, frames_per_cycle, self->sample_rate, voice);
    return;
  }
  double max_frames = MAX_VOICE_SECONDS * self->sample_rate;
  double gate = fmin(fmax(t->gate_cycles * frames_per_cycle, 1.0), max_frames);
  double release = fmin(fmax(t->release_seconds * self->sample_rate, 0.0), max_frames);
  *voice = t->voice;
  voice->sample_rate = (float)self->sample_rate;
  voice->gate_frames = (uint32_t)llround(gate);
  voice->total_frames = voice->gate_frames + (uint32_t)llround(release);
}

/* Remembers an event for the UI (once per event, not per chord note). */
static void note_for_ui(cb_plugin *self, const prog_trigger *t) {
  if (self->triggered_count > 0 && pat_rat_cmp(t->onset, self->triggered_onset) == 0 &&
      self->triggered[self->triggered_count - 1].output == t->output)
    return;
  if (self->triggered_count == CB_TRIGGERED_PER_BLOCK)
    return;
  double onset = pat_rat_to_double(t->onset);
  self->triggered[self->triggered_count].output = t->output;
  self->triggered[self->triggered_count].onset = onset;
  self->triggered[self->triggered_count].end = onset + t->gate_cycles;
  self->triggered_count++;
  self->triggered_onset = t->onset;
}

static void start_trigger(cb_plugin *self, const prog_trigger *t, uint32_t start) {
  synth_voice voice;
  note_for_ui(self, t);
  complete_voice(self, t, &voice);
  if (self->midi_out) {
    int64_t frame = self->block_frame + start;
    cb_midi_note(&self->midi, frame, frame + voice.gate_frames, t->output, t->note, t->gain);
  }
  const synth_bus *bus = prog_bus(self->program->compiled, t->bus);
  self->stats.triggers++;
  /* a negative cut group cuts the same sound: the same file, or the same bus */
  uint64_t sound = voice.sample_id ? voice.sample_id : UINT64_MAX - t->bus;
  voice_options options = {synth_channels(&voice), t->cut, sound, t->orbit, t->room, t->delay};
  orbit_set(&self->orbits, t->orbit, start, &t->fx);
  self->orbit_effects_wanted |= orbit_effects_of(t->orbit, t->room, t->delay);
  if (self->presynth_enabled) {
    uint32_t ref;
    const float *samples = presynth_lookup_for_trigger(&self->cache, bus, &voice, &ref);
    if (samples) {
      voice_start_sample_with(&self->voices, start, samples, voice.total_frames, ref,
                              t->gain * VOICE_LEVEL, t->pan, &options);
      return;
    }
  }
  voice_start_live_with(&self->voices, start, bus, &voice, t->gain * VOICE_LEVEL, t->pan, &options);
}

/* The queries of one block share its work budget (set in cb_run): a block
   split by many atom events queries many times, and only their sum bounds it.
   A query returns at most the triggers half of what is left pays for
   (TRIGGER_WORK each: a cache lookup hashes the bus and voice, then a voice
   starts or a render is asked for), but always a chord's worth; each is paid
   for when it is used (pay_trigger). */
static size_t query(cb_plugin *self, const cb_program *program, pat_arc span, size_t *dropped) {
  pat_arena *arena = &self->arena;
  uint64_t left =
      arena->work_spent < arena->work_budget ? arena->work_budget - arena->work_spent : 0;
  size_t capacity = (size_t)(left / 2 / TRIGGER_WORK);
  capacity = capacity < MIN_TRIGGERS      ? MIN_TRIGGERS
             : capacity > CB_TRIGGERS_MAX ? CB_TRIGGERS_MAX
                                          : capacity;
  return prog_query(program->compiled, span, self->macros, arena, self->triggers, capacity,
                    dropped);
}

/* Pays for starting (or asking for) one trigger if the budget still can:
   what it cannot pay for is dropped and counted, so the budget is a bound. */
static bool pay_trigger(cb_plugin *self) {
  pat_arena *arena = &self->arena;
  if (arena->work_spent + TRIGGER_WORK > arena->work_budget)
    return false;
  arena->work_spent += TRIGGER_WORK;
  return true;
}

/* Starts the voices whose onsets fall in frames [from, to) of this block.
   Each event fires once: its onset must pass the last one fired (so tempo
   changes and block splits neither double nor lose events). The events come
   from the look-ahead's queries when they cover the span (the same ones a
   query would give), else from a query of it. */
static void trigger(cb_plugin *self, uint32_t from, uint32_t to) {
  if (!self->clock.rolling)
    return;
  int64_t first = self->block_frame + from, end = self->block_frame + to;
  pat_arc span = {cycle_below(cb_clock_cycle_at(&self->clock, first)),
                  cycle_above(cb_clock_cycle_at(&self->clock, end))};
  if (self->have_last_onset && pat_rat_cmp(self->last_onset, span.begin) > 0)
    span.begin = self->last_onset;
  const prog_trigger *events = self->triggers;
  size_t dropped = 0, count;
  if (cb_seen_covers(&self->seen, span, self->macros)) {
    events = self->seen.events + self->seen.first;
    count = self->seen.count;
  } else {
    count = query(self, self->program, span, &dropped);
  }
  self->stats.dropped += dropped;
  bool fired = false;
  pat_rat newest = self->last_onset;
  for (size_t i = 0; i < count; ++i) {
    const prog_trigger *t = &events[i];
    if (pat_rat_cmp(t->onset, span.end) >= 0)
      break; /* the look-ahead's events go on past the span */
    if (pat_rat_cmp(t->onset, span.begin) < 0 ||
        (self->have_last_onset && pat_rat_cmp(t->onset, self->last_onset) <= 0))
      continue;
    int64_t onset = cb_clock_frame_of(&self->clock, pat_rat_to_double(t->onset));
    if (onset >= end || (!self->have_last_onset && onset < self->floor_frame))
      continue;
    if (pay_trigger(self))
      start_trigger(self, t, (uint32_t)((onset > first ? onset : first) - self->block_frame));
    else
      self->stats.dropped++; /* passed all the same: dropped, never played late */
    if (!fired || pat_rat_cmp(t->onset, newest) > 0)
      newest = t->onset;
    fired = true;
  }
  if (fired) {
    self->last_onset = newest;
    self->have_last_onset = true;
    cb_seen_pass(&self->seen, newest);
  }
}

void cb_install_program(cb_plugin *self, cb_program *program) {
  if (self->program)
    cb_retire_program(self, self->program);
  self->program = program;
  self->have_frontier = false;
  cb_seen_forget(&self->seen);
  self->stats.programs++;
  double cps = 0.0;
  if (prog_tempo(program->compiled, &cps))
    cb_clock_set_program_tempo(&self->clock, self->block_frame, cps);
}

void cb_retire_program(cb_plugin *self, cb_program *program) {
  if (self->retired_count < CB_RETIRED_MAX) {
    self->retired_serial[self->retired_count] = voice_next_serial(&self->voices);
    self->retired[self->retired_count++] = program;
  } else /* the worker has stopped answering, and run() must not free */
    self->programs_leaked++;
}

/* The frame where a pending program starts: the next cycle boundary, or now. */
static int64_t swap_frame(const cb_plugin *self, int64_t now) {
  bool at_cycle = port_value(self, CB_PORT_SWAP_AT_CYCLE, 1.0f) >= 0.5f;
  if (!at_cycle || !self->clock.rolling)
    return now;
  double boundary = ceil(cb_clock_cycle_at(&self->clock, now) - 1e-9);
  return cb_clock_frame_of(&self->clock, boundary);
}

/* Mixes frames [from, to) of the voices into their orbits and runs the
   orbits' effects, a chunk at a time, into the outputs (and the stems). */
static void mix(cb_plugin *self, uint32_t from, uint32_t to) {
  const double frames_per_cycle = cb_clock_frames_per_cycle(&self->clock);
  for (uint32_t n; from < to; from += n) {
    n = to - from < ORBIT_CHUNK ? to - from : ORBIT_CHUNK;
    orbit_inputs *in = orbit_begin_chunk(&self->orbits, n);
    voice_mix_orbits(&self->voices, in, from, from + n);
    float *stems[ORBIT_COUNT][2];
    for (uint32_t o = 0; o < ORBIT_COUNT && self->stems; ++o)
      for (int c = 0; c < 2; ++c)
        stems[o][c] = self->stem_out[o][c] ? self->stem_out[o][c] + from : NULL;
    orbit_process(&self->orbits, frames_per_cycle, self->out_left + from, self->out_right + from,
                  self->stems ? (float *const(*)[2])stems : NULL);
  }
}

/* Plays frames [from, to): swaps programs at their boundary, triggers, mixes. */
static void play(cb_plugin *self, uint32_t from, uint32_t to) {
  while (from < to) {
    uint32_t end = to;
    if (self->pending) {
      int64_t swap = swap_frame(self, self->block_frame + from);
      if (swap <= self->block_frame + from) {
        cb_install_program(self, self->pending);
        self->pending = NULL;
      } else if (swap < self->block_frame + to) {
        end = (uint32_t)(swap - self->block_frame);
      }
    }
    trigger(self, from, end);
    mix(self, from, end);
    from = end;
  }
}

/* Hands the cache's garbage (evicted buffers, unwanted answers) to the
   worker to free; what the host refuses stays queued for the next block. */
static void send_cache_garbage(cb_plugin *self) {
  float *const *buffers;
  uint32_t n;
  while ((n = presynth_garbage(&self->cache, &buffers, CB_FREE_MAX)) > 0) {
    cb_msg_free_buffers msg = {
        .type = CB_WORK_FREE_BUFFERS, .handoff = cb_handoff_next(&self->to_worker), .count = n};
    memcpy(msg.buffers, buffers, n * sizeof(float *));
    uint32_t size = (uint32_t)(offsetof(cb_msg_free_buffers, buffers) + n * sizeof(float *));
    if (self->schedule->schedule_work(self->schedule->handle, size, &msg) != LV2_WORKER_SUCCESS)
      break;
    cb_handoff_sent(&self->to_worker, msg.handoff);
    for (uint32_t i = 0; i < n; ++i)
      cb_handoff_log(&self->to_worker, msg.handoff, CB_OWNED_BUFFER, msg.buffers[i]);
    presynth_garbage_sent(&self->cache, n);
  }
}

/* Sends the queued render jobs, after the garbage: the worker frees before
   it renders, so memory stays within the cache's cap. */
static void send_batch(cb_plugin *self) {
  send_cache_garbage(self);
  cb_msg_render msg = {.type = CB_WORK_RENDER};
  if (!presynth_take_batch(&self->cache, &msg.batch))
    return;
  uint32_t size =
      (uint32_t)(offsetof(cb_msg_render, batch.jobs) + msg.batch.count * sizeof(presynth_job));
  if (self->schedule->schedule_work(self->schedule->handle, size, &msg) != LV2_WORKER_SUCCESS)
    presynth_request_refused(&self->cache, &msg.batch);
}

/* Requests the buffers of the events in the look-ahead window that the cache
   lacks, in one batch (more only when a batch fills up), but not those that
   start before `played_until` (this block has triggered them: they play live,
   and a render would go unused). With more than `max_notes` events the
   window ends at the first onset past them (the triggers come sorted by
   onset). The playing program's events are kept for the trigger. Sets
   *notes to the events of the window; returns how many did not fit in the
   block's budget (0: the window was seen whole). */
static size_t request_window(cb_plugin *self, const cb_program *program, pat_arc *window,
                             int64_t played_until, size_t max_notes, size_t *notes) {
  size_t dropped = 0, count = query(self, program, *window, &dropped);
  if (count > max_notes) {
    pat_rat cut = self->triggers[max_notes].onset;
    size_t kept = max_notes;
    while (kept > 0 && pat_rat_cmp(self->triggers[kept - 1].onset, cut) >= 0)
      kept--;
    if (kept > 0) {
      window->end = cut;
      count = kept;
    }
  }
  if (program == self->program) {
    if (dropped) /* not seen whole: the trigger queries */
      cb_seen_forget(&self->seen);
    else
      cb_seen_keep(&self->seen, *window, self->macros, self->triggers, count);
  }
  *notes = count;
  int64_t now = self->block_frame; /* presynth's frame count is at this block's start */
  for (size_t i = 0; i < count; ++i) {
    if (!pay_trigger(self)) {
      dropped += count - i;
      break;
    }
    const prog_trigger *t = &self->triggers[i];
    self->orbit_effects_wanted |= orbit_effects_of(t->orbit, t->room, t->delay);
    synth_voice voice;
    complete_voice(self, t, &voice);
    const synth_bus *bus = prog_bus(program->compiled, t->bus);
    int64_t onset = cb_clock_frame_of(&self->clock, pat_rat_to_double(t->onset));
    if (onset < played_until)
      continue;
    int64_t ahead = onset - now;
    uint32_t frames_ahead = ahead < 0 ? 0 : ahead > INT32_MAX ? INT32_MAX : (uint32_t)ahead;
    presynth_request_status status = presynth_request(&self->cache, bus, &voice, frames_ahead);
    if (status == PRESYNTH_BATCH_FULL) {
      send_batch(self);
      status = presynth_request(&self->cache, bus, &voice, frames_ahead);
    }
    if (status == PRESYNTH_QUEUED && frames_ahead < self->render_lead)
      self->render_lead = frames_ahead;
    if (status == PRESYNTH_BATCH_FULL || status == PRESYNTH_TABLE_FULL)
      break;
  }
  return dropped;
}

/* Pattern work this block may do (CB_BLOCK_WORK_*, cyclebus_stats.h), in
   prog_query's steps (about 0.1 us each on the benchmark machine; starting a
   trigger counts TRIGGER_WORK). A base plus
   a rate per second of audio, so every block size gets about the same work
   per second: block 256 at 48 kHz gets 3133 steps, about 0.3 ms of its
   5.33 ms. What does not fit is dropped and counted, never done late. */
static uint64_t block_work(const cb_plugin *self, uint32_t frames) {
  uint64_t work = CB_BLOCK_WORK_BASE +
                  (uint64_t)((double)frames * CB_BLOCK_WORK_PER_SECOND / self->sample_rate);
  return freewheeling(self) ? work * CB_FREEWHEEL_WORK : work;
}

/* Asks for the buffers of the next LOOKAHEAD_SECONDS (at most a cycle;
   freewheeling, FREEWHEEL_LOOKAHEAD_SECONDS, at most FREEWHEEL_CYCLES), in
   chunks of half that: fewer queries, larger batches, and every request
   still goes out at least half the reach before its onset. A program too
   dense for the block's budget is looked ahead in smaller slices, at least a
   block long so the frontier keeps up with the playhead; what still does not
   fit is dropped (it plays live, or is dropped at its onset). */
static void look_ahead(cb_plugin *self, uint32_t frames) {
  if (!self->presynth_enabled || !self->clock.rolling)
    return;
  int64_t end = self->block_frame + frames;
  const bool offline = freewheeling(self);
  const double cycle_frames = cb_clock_frames_per_cycle(&self->clock);
  double reach = fmin(cycle_frames, LOOKAHEAD_SECONDS * self->sample_rate);
  if (offline)
    reach = fmax(reach, fmin(fmin(cycle_frames * FREEWHEEL_CYCLES,
                                  FREEWHEEL_LOOKAHEAD_SECONDS * self->sample_rate),
                             self->freewheel_reach > 0 ? self->freewheel_reach : INFINITY));
  /* Freewheeling while renders asked for are still unanswered (a worker on
     its own thread, behind), the reach is measured from an eighth of it
     past the block. A window of FREEWHEEL_NOTES spans half the reach, so
     from the block itself the next was asked for just as the one before
     began to play: a host that waits for renders at their onsets
     (cyclebus-render) held the request back until the worker had finished
     the window before, and the worker idled meanwhile (10 of its 50 ms in
     bench_engines' 64-layer render). A worker that keeps up is not asked
     sooner: it would only render further past the end of an export. */
  const bool worker_behind = presynth_pending(&self->cache) > 0;
  const int64_t from = end + (offline && worker_behind ? (int64_t)(reach / 8) : 0);
  double still_covered = cb_clock_cycle_at(&self->clock, from + (int64_t)(reach / 2));
  if (self->have_frontier && pat_rat_to_double(self->lookahead_frontier) >= still_covered)
    return;
  pat_rat now = cycle_below(cb_clock_cycle_at(&self->clock, end));
  pat_arc window = {now, cycle_above(cb_clock_cycle_at(&self->clock, from + (int64_t)reach))};
  if (self->have_frontier && pat_rat_cmp(self->lookahead_frontier, now) > 0)
    window.begin = self->lookahead_frontier; /* else it fell behind: the past plays live */
  double slice = fmax(self->lookahead_slice * reach, (double)frames);
  /* Freewheeling, a window spans a quarter more than FREEWHEEL_NOTES took in
     the last one (freewheel_reach is twice that): a longer one would be
     queried whole for the notes kept, a dense program's many times over. */
  if (offline && self->freewheel_reach > 0)
    slice = fmax(fmin(slice, self->freewheel_reach * 0.625), (double)frames);
  double begin_frame = (double)cb_clock_frame_of(&self->clock, pat_rat_to_double(window.begin));
  if (begin_frame + slice < (double)from + reach)
    window.end = cycle_above(cb_clock_cycle_at(&self->clock, (int64_t)(begin_frame + slice)));
  if (pat_rat_cmp(window.end, window.begin) <= 0)
    return;
  size_t notes = 0, pending_notes = 0;
  size_t dropped = request_window(self, self->program, &window, end,
                                  offline ? FREEWHEEL_NOTES : SIZE_MAX, &notes);
  if (self->pending)
    dropped += request_window(self, self->pending, &window, end, SIZE_MAX, &pending_notes);
  send_batch(self);
  if (offline && !dropped) { /* twice the frames FREEWHEEL_NOTES take (0: no note, the most) */
    double window_frames =
        (double)(cb_clock_frame_of(&self->clock, pat_rat_to_double(window.end)) -
                 cb_clock_frame_of(&self->clock, pat_rat_to_double(window.begin)));
    self->freewheel_reach = notes ? 2.0 * FREEWHEEL_NOTES * window_frames / (double)notes : 0.0;
  }
  if (dropped && slice > (double)frames) {
    self->lookahead_slice = fmax(slice / 2, (double)frames) / reach; /* retry a smaller slice */
    return;
  }
  self->stats.dropped += dropped; /* requests not made: those events play live */
  if (!dropped && self->lookahead_slice < 1.0)
    self->lookahead_slice = fmin(self->lookahead_slice * 2, 1.0);
  self->lookahead_frontier = window.end;
  self->have_frontier = true;
}

/* Asks the worker to make the lines of the effects that events use (seen by
   the look-ahead or at their onset) resident, once each: until then they
   are address space only (orbit_bank_init). */
static void send_orbit_memory(cb_plugin *self) {
  uint32_t effects = self->orbit_effects_wanted & ~self->orbit_effects_asked;
  if (!effects)
    return;
  cb_msg_orbit_memory msg = {.type = CB_WORK_ORBIT_MEMORY, .effects = effects};
  if (self->schedule->schedule_work(self->schedule->handle, sizeof msg, &msg) == LV2_WORKER_SUCCESS)
    self->orbit_effects_asked |= effects;
}

/* Hands the cache's garbage and retired programs to the worker to free;
   what the host refuses stays queued for the next block. */
static void send_garbage(cb_plugin *self) {
  send_cache_garbage(self);
  /* a program holds its samples: it is freed only once no live voice that
     may read them (one started before it retired) still sounds */
  uint64_t oldest_reader = voice_oldest_live_sample(&self->voices);
  uint32_t kept = 0;
  for (uint32_t i = 0; i < self->retired_count; ++i) {
    cb_program *program = self->retired[i];
    bool sent = false;
    if (self->retired_serial[i] <= oldest_reader) {
      cb_msg_program msg = {CB_WORK_FREE_PROGRAM, cb_handoff_next(&self->to_worker), program};
      sent = self->schedule->schedule_work(self->schedule->handle, sizeof msg, &msg) ==
             LV2_WORKER_SUCCESS;
      if (sent) {
        cb_handoff_sent(&self->to_worker, msg.handoff);
        cb_handoff_log(&self->to_worker, msg.handoff, CB_OWNED_PROGRAM, msg.program);
      }
    }
    if (!sent) {
      self->retired_serial[kept] = self->retired_serial[i];
      self->retired[kept++] = program;
    }
  }
  self->retired_count = kept;
}

/* A program restore() compiled (any thread) replaces the playing one at once. */
static void take_restored(cb_plugin *self) {
  uint32_t sequence = atomic_load_explicit(&self->restored_sequence, memory_order_acquire);
  if (sequence != self->newest_request && cb_sequence_at_least(sequence, self->newest_request)) {
    self->newest_request = sequence; /* answers to requests before the restore are dropped */
    self->newest_failed = false;
  }
  cb_program *restored = atomic_exchange_explicit(&self->restored, NULL, memory_order_acquire);
  if (!restored)
    return;
  if (!cb_program_wanted(self, restored)) {
    /* A refresh that a later compile of its request overtook (restore()
       raced the worker reading the program file): the folders show still. */
    if (restored->refresh && cb_sequence_at_least(restored->sequence, self->newest_request))
      cb_samples_show_restored(self, restored->samples_param);
    cb_retire_program(self, restored); /* a request newer than the restore came first */
    return;
  }
  if (self->pending)
    cb_retire_program(self, self->pending);
  self->pending = NULL;
  cb_install_program(self, restored); /* sounding voices ring on */
  cb_samples_program_taken(self, restored, true);
}

/* Whether orbit o's stem shares a buffer with the main pair or an earlier
   stem (a host may connect outputs it does not use to one buffer): the
   gain is applied to each buffer once. */
static bool cb_stem_shares_buffer(const cb_plugin *self, uint32_t o) {
  for (int c = 0; c < 2; ++c) {
    const float *buffer = self->stem_out[o][c];
    if (buffer == self->out_left || buffer == self->out_right)
      return true;
    for (uint32_t p = 0; p < o; ++p)
      if (buffer == self->stem_out[p][0] || buffer == self->stem_out[p][1])
        return true;
  }
  return self->stem_out[o][0] == self->stem_out[o][1];
}

/* Master gain in dB on a pair, ramped across the block when it moves (no
   zipper noise). */
static void gain_pair(float *left, float *right, float current, float target, uint32_t frames) {
  if (!left || !right)
    return;
  if (current == target) {
    for (uint32_t i = 0; i < frames; ++i) {
      left[i] *= target;
      right[i] *= target;
    }
  } else {
    float step = (target - current) / (float)frames;
    for (uint32_t i = 0; i < frames; ++i) {
      float g = current + step * (float)(i + 1);
      left[i] *= g;
      right[i] *= g;
    }
  }
}

/* ... on the main output and every stem. */
static void apply_gain(cb_plugin *self, uint32_t frames) {
  float target = powf(10.0f, self->macros[PROG_MACRO_GAIN] / 20.0f);
  float current = self->gain_now >= 0.0f ? self->gain_now : target; /* < 0: first block */
  gain_pair(self->out_left, self->out_right, current, target, frames);
  for (uint32_t o = 0; o < ORBIT_COUNT && self->stems; ++o)
    if (!cb_stem_shares_buffer(self, o))
      gain_pair(self->stem_out[o][0], self->stem_out[o][1], current, target, frames);
  self->gain_now = target;
}

/* The block's triggered events and the playhead, for the inline display. */
static void publish_inline_display(cb_plugin *self) {
  for (uint32_t i = 0; i < self->triggered_count; ++i)
    cb_idisp_record(&self->inline_display, self->triggered[i].output, self->triggered[i].onset,
                    self->triggered[i].end);
  cb_idisp_publish(&self->inline_display, self->block_frame,
                   cb_clock_cycle_at(&self->clock, self->block_frame), self->clock.rolling);
}

void cb_run(LV2_Handle instance, uint32_t frames) {
  cb_plugin *self = instance;
  /* Triggering may take three quarters of the block's work, so that a
     program too dense to play whole is still looked ahead (and its events
     that repeat play from the cache, not live); the queries of the block
     share it, however many atom events split the block. */
  uint64_t work = block_work(self, frames);
  self->render_lead = UINT64_MAX;
  pat_arena_reset(&self->arena);
  self->arena.work_budget = work / 4 * 3;
  read_ports(self);
  if (self->notify)
    cb_prepare_notify(self, self->notify->atom.size);
  take_restored(self);
  memset(self->out_left, 0, frames * sizeof(float));
  memset(self->out_right, 0, frames * sizeof(float));

  uint32_t done = 0;
  if (self->control) {
    LV2_ATOM_SEQUENCE_FOREACH(self->control, event) {
      int64_t at = event->time.frames;
      uint32_t until = at < (int64_t)done ? done : at > (int64_t)frames ? frames : (uint32_t)at;
      play(self, done, until);
      done = until;
      cb_handle_atom(self, event, self->block_frame + done);
    }
  }
  play(self, done, frames);
  apply_gain(self, frames);

  /* the look-ahead: what triggering left, a quarter at least (triggering
     never spends past its three quarters) */
  self->arena.work_budget = work;
  look_ahead(self, frames);
  send_orbit_memory(self);
  send_garbage(self);
  cb_send_program_requests(self);
  if (self->notify)
    cb_write_notify(self);
  if (self->midi_out)
    cb_midi_write(&self->midi, self->block_frame, frames, self->midi_out, self->uris.midi_MidiEvent,
                  self->uris.atom_Sequence);
  publish_inline_display(self);
  if (self->arena.work_spent > self->stats.block_work_max)
    self->stats.block_work_max = self->arena.work_spent;
  self->stats.block_work_total += self->arena.work_spent;
  self->triggered_count = 0;
  voice_end_block(&self->voices);
  orbit_end_block(&self->orbits);
  self->block_frame += frames;
  presynth_end_block(&self->cache, frames);
}
