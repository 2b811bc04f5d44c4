/* MIDI out: note-ons as triggers start, note-offs kept until their frame. */
#include "midi_out.h"

#include <math.h>
#include <string.h>

#include <lv2/atom/util.h>

void cb_midi_reset(cb_midi_out *m) { memset(m, 0, sizeof *m); }

static void add_to_block(cb_midi_out *m, int64_t frame, const uint8_t bytes[3]) {
  if (m->block_count == sizeof m->block / sizeof m->block[0]) { /* cannot happen (midi_out.h) */
    m->dropped++;
    return;
  }
  cb_midi_message *msg = &m->block[m->block_count++];
  msg->frame = frame;
  memcpy(msg->bytes, bytes, 3);
}

/* Moves sounding note i's note-off into this block at `frame`. */
static void end_sounding(cb_midi_out *m, uint32_t i, int64_t frame) {
  add_to_block(m, frame, m->sounding[i].bytes);
  m->sounding[i] = m->sounding[--m->sounding_count];
}

void cb_midi_note(cb_midi_out *m, int64_t frame, int64_t off_frame, int channel, double note,
                  float gain) {
  if (m->ons == CB_MIDI_ONS || !isfinite(note)) {
    m->dropped++;
    return;
  }
  uint8_t status = (uint8_t)(channel & 15);
  uint8_t key = (uint8_t)fmin(fmax(round(note), 0.0), 127.0);
  uint8_t velocity = (uint8_t)fmin(fmax(roundf(gain * 100.0f), 1.0f), 127.0f);
  /* The same key still sounding on this channel ends first, or its
     note-off would cut the new note short. */
  for (uint32_t i = 0; i < m->sounding_count; ++i)
    if (m->sounding[i].bytes[0] == (0x80 | status) && m->sounding[i].bytes[1] == key) {
      end_sounding(m, i, frame);
      break;
    }
  if (m->sounding_count == CB_MIDI_SOUNDING) {
    m->dropped++;
    return;
  }
  add_to_block(m, frame, (uint8_t[3]){0x90 | status, key, velocity});
  m->ons++;
  cb_midi_message *off = &m->sounding[m->sounding_count++];
  off->frame = off_frame > frame ? off_frame : frame + 1;
  memcpy(off->bytes, (uint8_t[3]){0x80 | status, key, 0}, 3);
}

void cb_midi_all_off(cb_midi_out *m, int64_t frame) {
  while (m->sounding_count > 0)
    end_sounding(m, m->sounding_count - 1, frame);
}

/* Earlier first; at the same frame note-offs before note-ons, so a key
   struck again right as it ends sounds again. */
static bool before(const cb_midi_message *a, const cb_midi_message *b) {
  if (a->frame != b->frame)
    return a->frame < b->frame;
  return (a->bytes[0] & 0xF0) == 0x80 && (b->bytes[0] & 0xF0) == 0x90;
}

void cb_midi_write(cb_midi_out *m, int64_t block_frame, uint32_t frames, LV2_Atom_Sequence *port,
                   LV2_URID midi_event, LV2_URID sequence) {
  if (frames == 0) { /* nothing can be placed in an empty block: wait for the next */
    lv2_atom_sequence_clear(port);
    port->atom.type = sequence;
    return;
  }
  int64_t end = block_frame + frames;
  for (uint32_t i = 0; i < m->sounding_count;) {
    if (m->sounding[i].frame < end)
      end_sounding(m, i, m->sounding[i].frame);
    else
      ++i;
  }
  for (uint32_t i = 1; i < m->block_count; ++i) { /* insertion sort: bounded, stable */
    cb_midi_message x = m->block[i];
    uint32_t j = i;
    for (; j > 0 && before(&x, &m->block[j - 1]); --j)
      m->block[j] = m->block[j - 1];
    m->block[j] = x;
  }
  uint32_t capacity = port->atom.size;
  lv2_atom_sequence_clear(port);
  port->atom.type = sequence;
  port->body.unit = 0;
  port->body.pad = 0;
  for (uint32_t i = 0; i < m->block_count; ++i) {
    struct {
      LV2_Atom_Event event;
      uint8_t bytes[3];
    } e;
    int64_t at = m->block[i].frame - block_frame;
    e.event.time.frames = at < 0 ? 0 : at; /* all-offs of a jump may lie before the block */
    e.event.body.type = midi_event;
    e.event.body.size = 3;
    memcpy(e.bytes, m->block[i].bytes, 3);
    if (!lv2_atom_sequence_append_event(port, capacity, &e.event))
      m->dropped++;
  }
  m->block_count = 0;
  m->ons = 0;
}
