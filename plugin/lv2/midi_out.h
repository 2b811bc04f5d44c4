/* MIDI out of the pattern's events, on the optional midi_out port, so the
   pattern can also play other instruments: a note-on at each trigger's frame
   (channel = output line, d1 on channel 1; velocity from gain), its note-off
   when the gate ends, and note-offs for every sounding note at stop, locate
   or an all-notes-off from the host. Audio thread only; fixed tables. */
#ifndef CYCLEBUS_MIDI_OUT_H
#define CYCLEBUS_MIDI_OUT_H

#include <stdint.h>

#include <lv2/atom/atom.h>
#include <lv2/urid/urid.h>

#define CB_MIDI_SOUNDING 256 /* notes on at once; more note-ons are dropped */
#define CB_MIDI_ONS 256      /* note-ons per block; more are dropped */

typedef struct {
  int64_t frame; /* absolute */
  uint8_t bytes[3];
} cb_midi_message;

typedef struct {
  cb_midi_message sounding[CB_MIDI_SOUNDING]; /* the note-offs to come */
  uint32_t sounding_count;
  /* This block's messages: its note-ons, and note-offs of the notes sounding
     at its start or started in it; so at most SOUNDING + 2 * ONS, and no
     note-off is ever lost (a lost one would leave a note hanging). */
  cb_midi_message block[CB_MIDI_SOUNDING + 2 * CB_MIDI_ONS];
  uint32_t block_count, ons;
  uint64_t dropped; /* note-ons without room, messages the port could not take */
} cb_midi_out;

void cb_midi_reset(cb_midi_out *m);
/* A note from `frame` to `off_frame` (absolute frames); `note` in MIDI
   numbers (rounded, clamped to 0..127), `gain` 1 gives velocity 100. */
void cb_midi_note(cb_midi_out *m, int64_t frame, int64_t off_frame, int channel, double note,
                  float gain);
/* Every sounding note ends at `frame`. */
void cb_midi_all_off(cb_midi_out *m, int64_t frame);
/* Writes the block's messages, in time order, into `port` (a sequence whose
   atom.size is its capacity, as the host hands it); note-offs due later
   wait for their block. */
void cb_midi_write(cb_midi_out *m, int64_t block_frame, uint32_t frames, LV2_Atom_Sequence *port,
                   LV2_URID midi_event, LV2_URID sequence);

#endif
