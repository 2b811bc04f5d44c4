/* The URIDs cyclebus uses, mapped once at instantiate. */
#ifndef CYCLEBUS_URIS_H
#define CYCLEBUS_URIS_H

#include <lv2/atom/atom.h>
#include <lv2/midi/midi.h>
#include <lv2/patch/patch.h>
#include <lv2/time/time.h>
#include <lv2/urid/urid.h>

#include "ui_protocol.h"

#define CB_URI "urn:cyclebus:cyclebus"
#define CB_STEMS_URI "urn:cyclebus:stems" /* the same with a stereo output per orbit */
#define CB__program "urn:cyclebus:program"
#define CB__programFile "urn:cyclebus:programFile"
/* notify: "LINE:COL: message", "" when the last program compiled */
#define CB__error "urn:cyclebus:error"
/* the sample folders (atom:Path, colon-separated), a patch parameter saved in state */
#define CB__samples "urn:cyclebus:samples"
#define CB__stats "urn:cyclebus:stats" /* extension data for host tools: cb_stats_interface */

typedef struct {
  LV2_URID atom_Blank, atom_Object, atom_Float, atom_Double, atom_Int, atom_Long, atom_String,
      atom_Path, atom_Sequence, atom_URID, atom_eventTransfer;
  LV2_URID midi_MidiEvent;
  LV2_URID patch_Get, patch_Set, patch_property, patch_value;
  LV2_URID time_Position, time_bar, time_barBeat, time_beatsPerBar, time_beatsPerMinute, time_speed;
  LV2_URID cb_program, cb_programFile, cb_error, cb_samples, cb_warnings, cb_samplesInUse;
  LV2_URID atom_Bool, cb_Playhead, cb_Triggered, cb_cycle, cb_rolling, cb_output, cb_onset, cb_end;
} cb_uris;

static inline void cb_map_uris(LV2_URID_Map *map, cb_uris *u) {
  LV2_URID_Map_Handle h = map->handle;
  u->atom_Blank = map->map(h, LV2_ATOM__Blank);
  u->atom_Object = map->map(h, LV2_ATOM__Object);
  u->atom_Float = map->map(h, LV2_ATOM__Float);
  u->atom_Double = map->map(h, LV2_ATOM__Double);
  u->atom_Int = map->map(h, LV2_ATOM__Int);
  u->atom_Long = map->map(h, LV2_ATOM__Long);
  u->atom_String = map->map(h, LV2_ATOM__String);
  u->atom_Path = map->map(h, LV2_ATOM__Path);
  u->atom_Sequence = map->map(h, LV2_ATOM__Sequence);
  u->atom_URID = map->map(h, LV2_ATOM__URID);
  u->atom_eventTransfer = map->map(h, LV2_ATOM__eventTransfer);
  u->midi_MidiEvent = map->map(h, LV2_MIDI__MidiEvent);
  u->patch_Get = map->map(h, LV2_PATCH__Get);
  u->patch_Set = map->map(h, LV2_PATCH__Set);
  u->patch_property = map->map(h, LV2_PATCH__property);
  u->patch_value = map->map(h, LV2_PATCH__value);
  u->time_Position = map->map(h, LV2_TIME__Position);
  u->time_bar = map->map(h, LV2_TIME__bar);
  u->time_barBeat = map->map(h, LV2_TIME__barBeat);
  u->time_beatsPerBar = map->map(h, LV2_TIME__beatsPerBar);
  u->time_beatsPerMinute = map->map(h, LV2_TIME__beatsPerMinute);
  u->time_speed = map->map(h, LV2_TIME__speed);
  u->cb_program = map->map(h, CB__program);
  u->cb_programFile = map->map(h, CB__programFile);
  u->cb_error = map->map(h, CB__error);
  u->cb_samples = map->map(h, CB__samples);
  u->cb_warnings = map->map(h, CB__warnings);
  u->cb_samplesInUse = map->map(h, CB__samplesInUse);
  u->atom_Bool = map->map(h, LV2_ATOM__Bool);
  u->cb_Playhead = map->map(h, CB__Playhead);
  u->cb_Triggered = map->map(h, CB__Triggered);
  u->cb_cycle = map->map(h, CB__cycle);
  u->cb_rolling = map->map(h, CB__rolling);
  u->cb_output = map->map(h, CB__output);
  u->cb_onset = map->map(h, CB__onset);
  u->cb_end = map->map(h, CB__end);
}

#endif
