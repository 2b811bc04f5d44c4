/* The UI's side of plugin/lv2/ui_protocol.h: the atoms it sends on the
   control port (patch:Set of the program, patch:Get) and what it reads from
   the notify port (program, error, playhead, triggered events). UI thread. */
#ifndef CYCLEBUS_UI_ATOMS_H
#define CYCLEBUS_UI_ATOMS_H

#include <stdbool.h>
#include <stdint.h>

#include <lv2/atom/atom.h>
#include <lv2/urid/urid.h>

typedef struct {
  LV2_URID atom_Object, atom_Blank, atom_String, atom_Double, atom_Float, atom_Int, atom_Long,
      atom_Bool, atom_URID, atom_eventTransfer;
  LV2_URID patch_Set, patch_Get, patch_property, patch_value;
  LV2_URID cb_program, cb_error, cb_warnings, cb_samplesInUse, cb_Playhead, cb_Triggered, cb_cycle,
      cb_rolling, cb_output, cb_onset, cb_end;
} uip_uris;

void uip_map_uris(LV2_URID_Map *map, uip_uris *uris);

typedef enum {
  UIP_NONE,     /* not a message the UI knows */
  UIP_PROGRAM,  /* patch:Set urn:cyclebus:program */
  UIP_ERROR,    /* patch:Set urn:cyclebus:error: "LINE:COL: message", "" = compiled */
  UIP_WARNINGS, /* patch:Set urn:cyclebus:warnings: a line each, "" = none */
  UIP_SAMPLES,  /* patch:Set urn:cyclebus:samplesInUse: folders, ':' between */
  UIP_PLAYHEAD, /* cb:Playhead */
  UIP_TRIGGERED /* cb:Triggered */
} uip_kind;

typedef struct {
  uip_kind kind;
  const char *text; /* PROGRAM ... SAMPLES: points into the atom (not NUL-terminated) */
  uint32_t length;
  double cycle; /* PLAYHEAD */
  bool rolling;
  int output; /* TRIGGERED */
  double onset, end;
} uip_message;

/* Reads one atom the host delivered for the notify port. */
uip_message uip_parse(const uip_uris *uris, const LV2_Atom *atom, uint32_t size);

/* Writes a patch:Set of urn:cyclebus:program (or a patch:Get of it) into
   `buffer`; returns the atom's total size, 0 when it does not fit. */
uint32_t uip_forge_program(const uip_uris *uris, LV2_URID_Map *map, const char *text,
                           uint32_t length, void *buffer, uint32_t capacity);
uint32_t uip_forge_get(const uip_uris *uris, LV2_URID_Map *map, void *buffer, uint32_t capacity);

/* An error report "LINE:COL: message" split up; line and column are 0 when
   the report names no place. false for "" (no error). */
bool uip_split_error(const char *text, uint32_t length, int *line, int *column,
                     const char **message, uint32_t *message_length);

#endif
