/* The MIDI file writer: events collected as ticks, written with delta times. */
#include "midi_file.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lv2/atom/util.h>

#define TICKS_PER_QUARTER 960

typedef struct {
  uint64_t tick;
  uint8_t bytes[3];
} timed_message;

struct cb_midi_file {
  double ticks_per_frame, bpm;
  timed_message *messages;
  size_t count, capacity;
  uint16_t sounding[16][128]; /* note-ons not yet ended, per channel and key */
};

cb_midi_file *cb_midi_file_new(double bpm, double rate) {
  cb_midi_file *file = calloc(1, sizeof *file);
  if (file) {
    file->bpm = bpm;
    file->ticks_per_frame = bpm / 60.0 * TICKS_PER_QUARTER / rate;
  }
  return file;
}

void cb_midi_file_free(cb_midi_file *file) {
  if (file)
    free(file->messages);
  free(file);
}

static bool push(cb_midi_file *file, uint64_t frame, const uint8_t bytes[3]) {
  if (file->count == file->capacity) {
    size_t grown = file->capacity ? 2 * file->capacity : 1024;
    timed_message *more = realloc(file->messages, grown * sizeof *more);
    if (!more)
      return false;
    file->messages = more;
    file->capacity = grown;
  }
  timed_message *m = &file->messages[file->count++];
  m->tick = (uint64_t)llround((double)frame * file->ticks_per_frame);
  memcpy(m->bytes, bytes, 3);
  uint8_t type = bytes[0] & 0xF0, channel = bytes[0] & 15, key = bytes[1] & 127;
  if (type == 0x90 && bytes[2] > 0)
    file->sounding[channel][key]++;
  else if ((type == 0x80 || type == 0x90) && file->sounding[channel][key] > 0)
    file->sounding[channel][key]--;
  return true;
}

bool cb_midi_file_add(cb_midi_file *file, const LV2_Atom_Sequence *seq, uint64_t block_frame,
                      uint32_t midi_event) {
  LV2_ATOM_SEQUENCE_FOREACH(seq, ev) {
    if (ev->body.type != midi_event || ev->body.size != 3)
      continue; /* the plugin sends notes only */
    if (!push(file, block_frame + (uint64_t)ev->time.frames, (const uint8_t *)(ev + 1)))
      return false;
  }
  return true;
}

/* MIDI's variable-length quantity: 7 bits a byte, the high bit on all but the last. */
static size_t put_varlen(uint8_t *out, uint64_t value) {
  uint8_t reversed[10];
  size_t n = 0;
  do
    reversed[n++] = (uint8_t)(value & 0x7F);
  while ((value >>= 7) > 0 && n < 10);
  for (size_t i = 0; i < n; ++i)
    out[i] = reversed[n - 1 - i] | (i + 1 < n ? 0x80 : 0);
  return n;
}

static void put_u32(uint8_t *out, uint32_t v) {
  out[0] = (uint8_t)(v >> 24), out[1] = (uint8_t)(v >> 16), out[2] = (uint8_t)(v >> 8);
  out[3] = (uint8_t)v;
}

bool cb_midi_file_write(cb_midi_file *file, const char *path, uint64_t end_frame) {
  for (int channel = 0; channel < 16; ++channel)
    for (int key = 0; key < 128; ++key)
      while (file->sounding[channel][key] > 0)
        if (!push(file, end_frame, (uint8_t[3]){(uint8_t)(0x80 | channel), (uint8_t)key, 0}))
          return false;
  /* Each event takes at most 10 bytes of delta and 3 of message; plus the
     tempo, meter and end-of-track meta events. */
  uint8_t *track = malloc(file->count * 13 + 64);
  if (!track)
    return false;
  size_t n = 0;
  uint32_t tempo = (uint32_t)llround(60e6 / file->bpm); /* microseconds a quarter note */
  const uint8_t head[] = {0x00,
                          0xFF,
                          0x51,
                          0x03,
                          (uint8_t)(tempo >> 16),
                          (uint8_t)(tempo >> 8),
                          (uint8_t)tempo,
                          0x00,
                          0xFF,
                          0x58,
                          0x04,
                          4,
                          2,
                          24,
                          8};
  memcpy(track, head, sizeof head);
  n += sizeof head;
  uint64_t tick = 0;
  for (size_t i = 0; i < file->count; ++i) {
    n += put_varlen(track + n, file->messages[i].tick - tick);
    tick = file->messages[i].tick;
    memcpy(track + n, file->messages[i].bytes, 3);
    n += 3;
  }
  const uint8_t end[] = {0x00, 0xFF, 0x2F, 0x00};
  memcpy(track + n, end, sizeof end);
  n += sizeof end;

  uint8_t header[22] = {
      'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, TICKS_PER_QUARTER >> 8, TICKS_PER_QUARTER & 0xFF,
      'M', 'T', 'r', 'k'};
  put_u32(header + 18, (uint32_t)n);
  FILE *f = fopen(path, "wb");
  bool ok =
      f && fwrite(header, 1, sizeof header, f) == sizeof header && fwrite(track, 1, n, f) == n;
  if (f && fclose(f) != 0)
    ok = false;
  free(track);
  return ok;
}
