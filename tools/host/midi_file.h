/* A Standard MIDI File (format 0, 960 ticks a quarter note) of what the
   plugin sends on its midi_out port, for cyclebus-render --midi. */
#ifndef CYCLEBUS_MIDI_FILE_H
#define CYCLEBUS_MIDI_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include <lv2/atom/atom.h>

typedef struct cb_midi_file cb_midi_file;

/* `bpm` and `rate` turn frames into ticks; the file's tempo is `bpm`, 4/4. */
cb_midi_file *cb_midi_file_new(double bpm, double rate);
void cb_midi_file_free(cb_midi_file *file);
/* Adds the MIDI events of one block that started at `block_frame`. */
bool cb_midi_file_add(cb_midi_file *file, const LV2_Atom_Sequence *seq, uint64_t block_frame,
                      uint32_t midi_event);
/* Writes the file; notes still sounding end at `end_frame`. */
bool cb_midi_file_write(cb_midi_file *file, const char *path, uint64_t end_frame);

#endif
