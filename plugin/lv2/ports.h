/* Port indices: ttl/cyclebus.ttl.in is the one description of the ports;
   tests/test_ttl.c checks these against the built bundle through lilv. */
#ifndef CYCLEBUS_PORTS_H
#define CYCLEBUS_PORTS_H

typedef enum {
  CB_PORT_CONTROL = 0,
  CB_PORT_NOTIFY = 1,
  CB_PORT_OUT_LEFT = 2,
  CB_PORT_OUT_RIGHT = 3,
  CB_PORT_CUTOFF = 4,
  CB_PORT_RES = 5,
  CB_PORT_ATTACK = 6,
  CB_PORT_RELEASE = 7,
  CB_PORT_GAIN = 8,
  CB_PORT_M1 = 9, /* .. m8 = 16 */
  CB_PORT_TRANSPOSE = 17,
  CB_PORT_CYCLE_LENGTH = 18,
  CB_PORT_CYCLE_UNIT = 19,
  CB_PORT_SWAP_AT_CYCLE = 20,
  CB_PORT_MIDI_OUT = 21,  /* optional */
  CB_PORT_FREEWHEEL = 22, /* lv2:freeWheeling, set by the host (not in cb_control_ports) */
  CB_PORT_COUNT,
  /* The multi-out plugin (urn:cyclebus:stems) has these ports too: orbit o's
     left and right at CB_PORT_STEM_FIRST + 2 * o (+ 1). */
  CB_PORT_STEM_FIRST = CB_PORT_COUNT,
  CB_STEMS_PORT_COUNT = CB_PORT_STEM_FIRST + 2 * 8
} cb_port_index;

/* What the C side assumes of each control port; the test compares it with
   the TTL. */
typedef struct {
  cb_port_index index;
  const char *symbol;
  float minimum, maximum, fallback; /* fallback: the TTL default */
} cb_control_port;

static const cb_control_port cb_control_ports[] = {
    {CB_PORT_CUTOFF, "cutoff", 20.0f, 20000.0f, 2000.0f},
    {CB_PORT_RES, "res", 0.1f, 20.0f, 0.707f},
    {CB_PORT_ATTACK, "attack", 0.0005f, 5.0f, 0.005f},
    {CB_PORT_RELEASE, "release", 0.001f, 10.0f, 0.05f},
    {CB_PORT_GAIN, "gain", -60.0f, 12.0f, 0.0f},
    {CB_PORT_M1 + 0, "m1", 0.0f, 1.0f, 0.5f},
    {CB_PORT_M1 + 1, "m2", 0.0f, 1.0f, 0.5f},
    {CB_PORT_M1 + 2, "m3", 0.0f, 1.0f, 0.5f},
    {CB_PORT_M1 + 3, "m4", 0.0f, 1.0f, 0.5f},
    {CB_PORT_M1 + 4, "m5", 0.0f, 1.0f, 0.5f},
    {CB_PORT_M1 + 5, "m6", 0.0f, 1.0f, 0.5f},
    {CB_PORT_M1 + 6, "m7", 0.0f, 1.0f, 0.5f},
    {CB_PORT_M1 + 7, "m8", 0.0f, 1.0f, 0.5f},
    {CB_PORT_TRANSPOSE, "transpose", -24.0f, 24.0f, 0.0f},
    {CB_PORT_CYCLE_LENGTH, "cycle_length", 0.25f, 16.0f, 1.0f},
    {CB_PORT_CYCLE_UNIT, "cycle_unit", 0.0f, 1.0f, 0.0f},
    {CB_PORT_SWAP_AT_CYCLE, "swap_at_cycle", 0.0f, 1.0f, 1.0f},
};

#define CB_CONTROL_PORT_COUNT (sizeof cb_control_ports / sizeof cb_control_ports[0])

#endif
