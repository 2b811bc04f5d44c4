// Reads pairs "CYCLEBUS == STRUDEL", one per line (blank lines and lines
// starting with "#" skipped): the body of a cyclebus output line playing bus
// ~x, and the same music as a Strudel expression (@strudel/core in scope,
// strings read as mini-notation, the bus written as the sound "x"). Prints one
// JSON line per pair with the triggers Strudel's events make, onsets in
// [from, from + cycles):
//   {"cb": "...", "triggers": [{"onset": "1/4", "end": "1/2", "note": 52, "gain": 1, "pan": 0.5}]}
// `note` is a MIDI number (Strudel's names: "c4" is 60, a bare name octave
// 3), `pan` 0.5 when unset. Sorted by onset, then note, then pan.
// Usage: node query_program.mjs [--cycles N] [--from C] < programs.txt
import { createInterface } from 'node:readline';
import { core, cycles, from, log, evaluate } from './strudel_eval.mjs';

const midi = (note) => (typeof note === 'number' ? note : core.noteToMidi(note));

function triggers(pat) {
  return pat
    .queryArc(from, from + cycles)
    .filter((h) => h.whole && h.whole.begin.equals(h.part.begin))
    .map((h) => ({
      onset: h.whole.begin.toFraction(),
      end: h.whole.end.toFraction(),
      note: midi(h.value.note),
      gain: h.value.gain ?? 1,
      pan: h.value.pan ?? 0.5,
      at: h.whole.begin.valueOf(),
    }))
    .sort((a, b) => a.at - b.at || a.note - b.note || a.pan - b.pan)
    .map(({ at, ...rest }) => rest);
}

const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  if (!line.trim() || line.startsWith('#')) continue;
  const [cb, js] = line.split(' == ').map((part) => part.trim());
  try {
    log(JSON.stringify({ cb, triggers: triggers(evaluate(js)) }));
  } catch (err) {
    log(JSON.stringify({ cb, error: String(err.message).split('\n')[0] }));
  }
}
