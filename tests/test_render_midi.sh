#!/usr/bin/env bash
# cyclebus-render --midi writes what the plugin sends on its MIDI out as a
# Standard MIDI File: q.cb for two cycles is 14 events of four-note minor
# seventh chords, each note on at its (7,17) step and off one step later.
set -euo pipefail
top="${CB_TOP:-.}"; build="${CB_BUILD:-build}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$build/cyclebus-render" "$top/examples/q.cb" -o "$tmp/q.wav" --cycles 2 --midi "$tmp/q.mid" \
  > "$tmp/render.log"
# The rhythm as the pattern engine gives it (checked against Strudel elsewhere).
echo 'x(7,17)' | "$build/cyclebus-events" --cycles 2 > "$tmp/events.json"
python3 - "$tmp/q.mid" "$tmp/events.json" <<'PY'
import json
import struct, sys
from fractions import Fraction

data = open(sys.argv[1], 'rb').read()
def fail(why):
    print('FAIL: ' + why); sys.exit(1)
if data[:4] != b'MThd' or struct.unpack('>IHHH', data[4:14]) != (6, 0, 1, 960):
    fail('not a format 0 MIDI file with 960 ticks a quarter')
if data[14:18] != b'MTrk':
    fail('no track chunk')
body = data[22:22 + struct.unpack('>I', data[18:22])[0]]
pos, tick, tempo, notes = 0, 0, None, []
def varlen():
    global pos
    value = 0
    while True:
        byte = body[pos]; pos += 1
        value = value << 7 | byte & 0x7F
        if byte < 0x80:
            return value
while pos < len(body):
    tick += varlen()
    if body[pos] == 0xFF:
        kind = body[pos + 1]; pos += 2
        length = varlen()
        if kind == 0x51:
            tempo = int.from_bytes(body[pos:pos + length], 'big')
        pos += length
    else:
        notes.append((tick, body[pos], body[pos + 1], body[pos + 2])); pos += 3
if tempo != 500000:
    fail(f'tempo {tempo} us a quarter, not 500000 (120 BPM)')
ons = [n for n in notes if n[1] == 0x90]
offs = [n for n in notes if n[1] == 0x80]
# The chord is c4'min7 in the first half of each cycle, f3'min7 in the second.
expected = []
for event in json.load(open(sys.argv[2]))['events']:
    at = Fraction(event['whole'][0])
    chord = [60, 63, 67, 70] if at % 1 < Fraction(1, 2) else [53, 56, 60, 63]
    expected += [(round(at * 3840), key) for key in chord]
got = sorted((t, key) for t, _, key, _ in ons)
if got != sorted(expected):
    fail(f'note-ons {got[:8]}... differ from the pattern {sorted(expected)[:8]}...')
step = Fraction(3840, 17)  # ticks; frames round to ticks, so allow one tick
ends = sorted((k, t) for t, _, k, _ in offs)
starts = sorted((k, t) for t, k in got)
if len(ends) != len(starts) or any(a[0] != b[0] or abs(b[1] - a[1] - step) > 1
                                   for a, b in zip(starts, ends)):
    fail('every note-off is not one step (1/17 cycle) after its note-on')
if any(v != 100 for _, _, _, v in ons):
    fail('velocity is not 100 at gain 1')
print(f'PASS: q.cb as MIDI: {len(ons)} note-ons at the (7,17) steps with their chords, '
      f'each ended one step later')
PY
