/* MIDI out through the built bundle, as a host sees it: a note-on at each
   event's frame (channel per output line, velocity from gain, one per chord
   note), its note-off at the end of the gate, the same frames for any block
   size, time order within every block, and note-offs for every sounding note
   at stop and at a locate. The plugin plays the same with the port
   unconnected, and the fullest block the tables allow loses no note-off. */
#include <lilv/lilv.h>
#include <lv2/atom/util.h>
#include <lv2/midi/midi.h>

#include "../plugin/lv2/midi_out.h"
#include "plugin_harness.h"

#define CYCLE 96000 /* frames per cycle at 120 bpm, 48 kHz */
#define MAX_MESSAGES 4096

typedef struct {
  int64_t frame;
  uint8_t status, key, velocity;
} message;

typedef struct {
  message all[MAX_MESSAGES];
  int count;
} messages;

/* Appends the last block's MIDI, checking it is in time order. */
static void collect(cb_host *host, int64_t block_frame, messages *out) {
  const LV2_Atom_Sequence *seq = cb_host_midi_out(host);
  int64_t last = -1;
  LV2_ATOM_SEQUENCE_FOREACH(seq, ev) {
    ck_assert_int_ge(ev->time.frames, last);
    last = ev->time.frames;
    ck_assert_uint_eq(ev->body.size, 3);
    const uint8_t *b = (const uint8_t *)(ev + 1);
    ck_assert_int_lt(out->count, MAX_MESSAGES);
    out->all[out->count++] = (message){block_frame + ev->time.frames, b[0], b[1], b[2]};
  }
}

/* Plays `frames` with the transport rolling from bar 0; with `stop_at` > 0
   the host stops the transport at that frame. */
static void play(cb_host *host, uint32_t frames, uint32_t block, uint32_t stop_at, messages *out) {
  float *l = calloc(block, sizeof(float)), *r = calloc(block, sizeof(float));
  for (uint32_t done = 0; done < frames;) {
    uint32_t n = frames - done < block ? frames - done : block;
    if (done == 0)
      cb_host_send_position(host, 0, 1.0, 120.0, 0.0, 0.0, 4.0);
    if (stop_at > done && stop_at < done + n)
      cb_host_send_position(host, stop_at - done, 0.0, 120.0, 0.0, 0.0, 4.0);
    cb_host_run(host, n, l, r);
    collect(host, done, out);
    done += n;
  }
  free(l);
  free(r);
}

static const char *const program = "bpm: 120\n~x $ saw # env 0.001 0.01\n"
                                   "d1 $ s \"~x(3,8)\" # note \"c5 e5\"\n"
                                   "d2 $ s \"~x\" # note \"g4'maj\" # gain 0.5\n";

static bool has(const messages *m, int64_t frame, uint8_t status, uint8_t key, uint8_t velocity) {
  for (int i = 0; i < m->count; ++i)
    if (m->all[i].frame == frame && m->all[i].status == status && m->all[i].key == key &&
        m->all[i].velocity == velocity)
      return true;
  return false;
}

START_TEST(notes_start_and_end_where_the_pattern_puts_them) {
  cb_host *host = harness_host(true, 4096);
  ck_assert_str_eq(harness_load(host, program), "");
  static messages m;
  m.count = 0;
  play(host, 2 * CYCLE, 256, 0, &m);
  for (int64_t cycle = 0; cycle < 2; ++cycle) {
    const int steps[3] = {0, 3, 6};
    const uint8_t keys[3] = {60, 60, 64}; /* "c4 e4": the first half is c4 */
    for (int i = 0; i < 3; ++i) {
      int64_t on = cycle * CYCLE + steps[i] * CYCLE / 8;
      ck_assert_msg(has(&m, on, 0x90, keys[i], 100), "d1 note-on at %lld", (long long)on);
      ck_assert_msg(has(&m, on + CYCLE / 8, 0x80, keys[i], 0), "d1 note-off at %lld",
                    (long long)(on + CYCLE / 8));
    }
    const uint8_t chord[3] = {55, 59, 62}; /* g3'maj on channel 2, gain 0.5 */
    for (int i = 0; i < 3; ++i) {
      ck_assert(has(&m, cycle * CYCLE, 0x91, chord[i], 50));
      ck_assert(cycle == 1 || has(&m, (cycle + 1) * CYCLE, 0x81, chord[i], 0));
    }
  }
  /* 2 cycles: 6 + 6 note-ons, and their 12 note-offs (the last chord's at
     frame 2 * CYCLE, after the end, has not come yet). */
  ck_assert_int_eq(m.count, 12 + 9);
  cb_host_free(host);
}
END_TEST

START_TEST(block_size_changes_nothing) {
  static messages reference, other;
  const uint32_t blocks[] = {4096, 1, 37, 1000};
  for (int b = 0; b < 4; ++b) {
    cb_host *host = harness_host(true, 4096);
    ck_assert_str_eq(harness_load(host, program), "");
    messages *m = b == 0 ? &reference : &other;
    m->count = 0;
    play(host, CYCLE + CYCLE / 2, blocks[b], 0, m);
    cb_host_free(host);
    if (b == 0)
      continue;
    ck_assert_int_eq(other.count, reference.count);
    for (int i = 0; i < other.count; ++i)
      ck_assert_msg(memcmp(&other.all[i], &reference.all[i], sizeof other.all[i]) == 0,
                    "block %u: message %d differs", blocks[b], i);
  }
}
END_TEST

START_TEST(stop_and_locate_end_every_sounding_note) {
  cb_host *host = harness_host(true, 4096);
  ck_assert_str_eq(harness_load(host, program), "");
  static messages m;
  m.count = 0;
  uint32_t stop = CYCLE + 1000; /* the chord (g3'maj) and d1's c4 sound */
  play(host, 2 * CYCLE, 512, stop, &m);
  int offs_at_stop = 0;
  for (int i = 0; i < m.count; ++i) {
    ck_assert_msg(m.all[i].frame <= stop, "MIDI after the stop at %lld", (long long)m.all[i].frame);
    offs_at_stop += m.all[i].frame == stop && (m.all[i].status & 0xF0) == 0x80;
  }
  ck_assert_int_eq(offs_at_stop, 4);
  cb_host_free(host);

  /* A locate (bar 5 while playing bar 0) ends the notes at its frame. */
  host = harness_host(true, 4096);
  ck_assert_str_eq(harness_load(host, program), "");
  m.count = 0;
  float l[512], r[512];
  cb_host_send_position(host, 0, 1.0, 120.0, 0.0, 0.0, 4.0);
  cb_host_run(host, 512, l, r);
  collect(host, 0, &m);
  cb_host_send_position(host, 100, 1.0, 120.0, 5.0, 0.5, 4.0);
  cb_host_run(host, 512, l, r);
  collect(host, 512, &m);
  ck_assert(has(&m, 612, 0x80, 60, 0)); /* d1's c4 */
  ck_assert(has(&m, 612, 0x81, 55, 0)); /* the chord */
  cb_host_free(host);
}
END_TEST

START_TEST(an_unconnected_port_changes_nothing_else) {
  cb_host *a = harness_host(true, 4096), *b = harness_host(true, 4096);
  ck_assert_str_eq(harness_load(a, program), "");
  ck_assert_str_eq(harness_load(b, program), "");
  lilv_instance_connect_port(cb_host_instance(b), 21, NULL); /* midi_out */
  float *with = harness_render(a, 120, CYCLE, 256), *without = harness_render(b, 120, CYCLE, 256);
  ck_assert(!harness_silent(with, 0, CYCLE));
  ck_assert(memcmp(with, without, 2 * CYCLE * sizeof(float)) == 0);
  free(with);
  free(without);
  cb_host_free(a);
  cb_host_free(b);
}
END_TEST

/* A knob read by the pattern, turned after the look-ahead queried the next
   events: those play its new value (a velocity here), as a query at their
   onsets would give. */
START_TEST(a_knob_turned_after_the_look_ahead_plays_its_new_value) {
  cb_host *host = harness_host(true, 4096);
  ck_assert_str_eq(harness_load(host, "bpm: 120\n~x $ saw # env 0.001 0.01\n"
                                      "d1 $ s \"~x*8\" # gain \\m1\n"),
                   "");
  ck_assert(cb_host_set_control(host, "m1", 0.5f));
  static messages m;
  m.count = 0;
  float l[256], r[256];
  for (uint32_t done = 0; done < CYCLE; done += 256) {
    if (done == 0)
      cb_host_send_position(host, 0, 1.0, 120.0, 0.0, 0.0, 4.0);
    if (done == 93 * 256) /* just before the third eighth, at 24000 */
      ck_assert(cb_host_set_control(host, "m1", 1.0f));
    cb_host_run(host, 256, l, r);
    collect(host, done, &m);
  }
  for (int step = 0; step < 8; ++step)
    ck_assert_msg(has(&m, step * CYCLE / 8, 0x90, 60, step < 2 ? 50 : 100), "note-on %d", step);
  cb_host_free(host);
}
END_TEST

/* The worst block: every sounding slot full, each key struck again and
   ended inside the block. Every message must come out, in time order. */
START_TEST(the_fullest_block_loses_no_note_off) {
  static cb_midi_out m;
  static union {
    LV2_Atom_Sequence seq;
    uint8_t bytes[64 * 1024];
  } port;
  cb_midi_reset(&m);
  for (int i = 0; i < CB_MIDI_SOUNDING; ++i) /* 16 channels x 16 keys, held */
    cb_midi_note(&m, i % 64, 100000, i / 16, 40 + i % 16, 1.0f);
  port.seq.atom.size = sizeof port - sizeof(LV2_Atom);
  cb_midi_write(&m, 0, 64, &port.seq, 1, 2);
  ck_assert_uint_eq(m.sounding_count, CB_MIDI_SOUNDING);
  for (int i = 0; i < CB_MIDI_ONS; ++i) /* struck again, ended 10 frames later */
    cb_midi_note(&m, 64 + i % 50, 74 + i % 50, i / 16, 40 + i % 16, 0.5f);
  port.seq.atom.size = sizeof port - sizeof(LV2_Atom);
  cb_midi_write(&m, 64, 64, &port.seq, 1, 2);
  int ons = 0, offs = 0;
  int64_t last = -1;
  LV2_ATOM_SEQUENCE_FOREACH(&port.seq, ev) {
    ck_assert_int_ge(ev->time.frames, last);
    last = ev->time.frames;
    uint8_t status = ((const uint8_t *)(ev + 1))[0] & 0xF0;
    ons += status == 0x90;
    offs += status == 0x80;
  }
  ck_assert_int_eq(ons, CB_MIDI_ONS);
  ck_assert_int_eq(offs, CB_MIDI_SOUNDING + CB_MIDI_ONS);
  ck_assert_uint_eq(m.sounding_count, 0);
  ck_assert_uint_eq(m.dropped, 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("midi_out");
  TCase *tc = tcase_create("lilv");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, notes_start_and_end_where_the_pattern_puts_them);
  tcase_add_test(tc, block_size_changes_nothing);
  tcase_add_test(tc, stop_and_locate_end_every_sounding_note);
  tcase_add_test(tc, an_unconnected_port_changes_nothing_else);
  tcase_add_test(tc, a_knob_turned_after_the_look_ahead_plays_its_new_value);
  tcase_add_test(tc, the_fullest_block_loses_no_note_off);
  suite_add_tcase(s, tc);
  return check_run(s);
}
