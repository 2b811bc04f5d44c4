// Reads pairs "CYCLEBUS == STRUDEL", one per line (blank lines and lines
// starting with "#" skipped): the body of a cyclebus output line using
// Tidal's sample functions (chop, striate, slice, ...), and the same events
// as a Strudel expression (@strudel/core in scope, strings read as
// mini-notation). Prints one JSON line per pair with Strudel's events whose
// onset lies in [from, from + cycles), their spans and the controls a sample
// plays by (the others, and Strudel's own "_slices", are left out):
//   {"cb": "...", "events": [{"whole": ["0", "1/2"], "part": ["0", "1/2"],
//                             "s": "bd", "begin": 0, "end": 0.5}]}
// Sorted by onset, then end, then the controls' JSON.
// Usage: node query_samplefns.mjs [--cycles N] [--from C] < samplefns.txt
import { createInterface } from 'node:readline';
import { cycles, from, log, evaluate } from './strudel_eval.mjs';

const KEYS = ['s', 'n', 'bank', 'begin', 'end', 'speed', 'unit', 'legato', 'gain'];

function events(pat) {
  return pat
    .queryArc(from, from + cycles)
    .filter((h) => h.whole && h.whole.begin.equals(h.part.begin))
    .map((h) => {
      const e = {
        whole: [h.whole.begin.toFraction(), h.whole.end.toFraction()],
        part: [h.part.begin.toFraction(), h.part.end.toFraction()],
      };
      for (const k of KEYS) if (h.value[k] !== undefined) e[k] = h.value[k];
      return { e, at: h.whole.begin.valueOf(), to: h.whole.end.valueOf() };
    })
    .sort((a, b) => {
      if (a.at !== b.at) return a.at - b.at;
      if (a.to !== b.to) return a.to - b.to;
      const ka = JSON.stringify(a.e), kb = JSON.stringify(b.e);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    })
    .map(({ e }) => e);
}

const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  if (!line.trim() || line.startsWith('#')) continue;
  const [cb, js] = line.split(' == ').map((part) => part.trim());
  try {
    log(JSON.stringify({ cb, events: events(evaluate(js)) }));
  } catch (err) {
    log(JSON.stringify({ cb, error: String(err.message).split('\n')[0] }));
  }
}
