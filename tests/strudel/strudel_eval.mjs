// What query_js.mjs and query_program.mjs share: their --cycles and --from
// options, Strudel loaded quietly (it logs when it loads; stdout is kept for
// results, written with `log`) with every string read as mini-notation, and
// the evaluation of an expression with @strudel/core's functions in scope.
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
export const cycles = option('--cycles', 4);
export const from = option('--from', 0);

export const log = console.log;
console.log = () => {};
export const core = await import('@strudel/core');
const { miniAllStrings } = await import('@strudel/mini');
miniAllStrings();

const names = Object.keys(core).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));
export const evaluate = (expr) =>
  core.reify(new Function(...names, `return (${expr});`)(...names.map((k) => core[k])));
