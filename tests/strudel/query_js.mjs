// Evaluates Strudel expressions, one per line (blank lines and lines starting
// with "#" are skipped), with @strudel/core's functions in scope and strings
// read as mini-notation, and prints one JSON line per expression with the
// events whose onset lies in [from, from + cycles):
//   {"expr": "fast(2, \"a b\")", "events": [{"whole": [...], "part": [...], "value": "a"}]}
// Object values are flattened: {value: "a", gain: 0.8} (or {s: "a", ...}) gives
// "value": "a", "gain": 0.8 (1 when unset) and "pan" (null when unset).
// Sorted as query.mjs sorts, then by gain and pan.
// Usage: node query_js.mjs [--cycles N] [--from C] < transforms.txt
import { createInterface } from 'node:readline';
import { cycles, from, log, evaluate } from './strudel_eval.mjs';

const frac = (f) => f.toFraction();
const num = (s) => { const [n, d = '1'] = s.split('/'); return Number(n) / Number(d); };

function flatten(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { value, gain: 1, pan: null };
  }
  const out = {};
  if ('value' in value) out.value = value.value;
  else if ('s' in value) out.value = value.s;
  else {
    let chars = '';
    for (let i = 0; String(i) in value; i++) chars += value[i];
    if (chars) out.value = chars;
  }
  out.gain = 'gain' in value ? value.gain : 1;
  out.pan = 'pan' in value ? value.pan : null;
  return out;
}

function query(pat) {
  const haps = pat.queryArc(from, from + cycles);
  const events = haps
    .filter((h) => h.whole && h.whole.begin.equals(h.part.begin))
    .map((h) => ({
      whole: [frac(h.whole.begin), frac(h.whole.end)],
      part: [frac(h.part.begin), frac(h.part.end)],
      ...flatten(h.value),
    }));
  const key = (e) => [e.whole[0], e.whole[1], JSON.stringify(e.value), e.gain, e.pan ?? -1];
  events.sort((a, b) => {
    const ka = key(a), kb = key(b);
    return num(ka[0]) - num(kb[0]) || num(ka[1]) - num(kb[1]) ||
      (ka[2] < kb[2] ? -1 : ka[2] > kb[2] ? 1 : 0) || ka[3] - kb[3] || ka[4] - kb[4];
  });
  return events;
}

const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  const expr = line.trim();
  if (!expr || expr.startsWith('#')) continue;
  try {
    log(JSON.stringify({ expr, events: query(evaluate(expr)) }));
  } catch (err) {
    log(JSON.stringify({ expr, error: String(err.message).split('\n')[0] }));
  }
}
