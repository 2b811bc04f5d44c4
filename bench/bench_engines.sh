#!/bin/sh
# bench_engines.sh [RUNS]: the reference workload of issue 15 (saw -> low-pass ->
# envelope voices, every note a different pitch, 8 s at 48 kHz; 1, 10 and 64
# layers; bench/engines_scores.py writes each engine's score from one event list)
# rendered by cyclebus through the real plugin (build/cyclebus-render, one
# render thread: --sync-worker as a DAW's export; cyclebus-thread, the worker
# on its own thread beside the loop that runs the plugin, two threads busy; and
# --live), and, when they are installed, by scsynth (NRT) and Csound.
# Interleaved: each run renders every engine at every size in turn; the
# figures are medians over RUNS (default 3). Prints wall time, peak resident
# memory and CPU time (user + system, from /usr/bin/time: on a shared machine
# the steadier figure) of the whole process, the ratios to cyclebus (and
# scsynth's to cyclebus-thread), and ns per voice-sample from the slope
# between 10 and 64 layers. Run from the source tree after ./waf build.
set -eu
runs=${1:-3}
top=$(cd "$(dirname "$0")/.." && pwd)
render=$top/build/cyclebus-render
[ -x "$render" ] || { echo "bench_engines: build first (./waf build)" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
engines="cyclebus cyclebus-thread cyclebus-live"
command -v scsynth >/dev/null && engines="$engines scsynth"
command -v csound >/dev/null && engines="$engines csound"
sizes="1 10 64"
for n in $sizes; do
  mkdir "$dir/$n"
  python3 "$top/bench/engines_scores.py" "$dir/$n" "$n" >"$dir/$n/voice_samples"
done

# run ENGINE LAYERS: appends "seconds kilobytes" to $dir/ENGINE-LAYERS.
run() {
  d=$dir/$2
  case $1 in
  cyclebus) set -- "$1" "$2" "$render" "$d/ref.cb" -o "$d/cb.wav" --seconds 8 --sync-worker \
    --render-threads 1 ;;
  cyclebus-thread) set -- "$1" "$2" "$render" "$d/ref.cb" -o "$d/cb.wav" --seconds 8 --render-threads 1 ;;
  cyclebus-live) set -- "$1" "$2" "$render" "$d/ref.cb" -o "$d/cb.wav" --seconds 8 --live ;;
  scsynth) set -- "$1" "$2" scsynth -D 0 -N "$d/ref.osc" _ "$d/sc.wav" 48000 WAV float -o 2 ;;
  csound) set -- "$1" "$2" csound "$d/ref.csd" ;;
  esac
  engine=$1 layers=$2
  shift 2
  start=$(date +%s.%N)
  /usr/bin/time -f "%M %U %S" -o "$dir/rss" "$@" >"$dir/log" 2>&1 || {
    echo "bench_engines: $engine failed:" >&2
    tail -5 "$dir/log" >&2
    exit 1
  }
  end=$(date +%s.%N)
  set -- $(tail -1 "$dir/rss")
  echo "$(echo "$end - $start" | bc -l) $1 $(echo "$2 + $3" | bc -l)" >>"$dir/$engine-$layers"
}

i=0
while [ $i -lt "$runs" ]; do
  for n in $sizes; do
    for e in $engines; do run "$e" "$n"; done
  done
  i=$((i + 1))
done

# median FILE COLUMN
median() { cut -d' ' -f"$2" "$1" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

echo "reference workload: saw > lpf 2000 > env 0.005 0.05, 8 notes a cycle a layer at 120 BPM,"
echo "every note unique, 8 s at 48 kHz; medians of $runs interleaved runs (wall s, peak RSS MB)"
printf '%-16s' engine
for n in $sizes; do printf '%18s' "$n layers"; done
printf '%16s%16s\n' "ns/voice-sample" "(CPU time)"
vs10=$(cat "$dir/10/voice_samples") vs64=$(cat "$dir/64/voice_samples")
for e in $engines; do
  printf '%-16s' "$e"
  for n in $sizes; do
    printf '%9.3f s %5.1f MB' "$(median "$dir/$e-$n" 1)" \
      "$(echo "$(median "$dir/$e-$n" 2) / 1024" | bc -l)"
  done
  for c in 1 3; do
    t10=$(median "$dir/$e-10" $c) t64=$(median "$dir/$e-64" $c)
    printf '%16.2f' "$(echo "($t64 - $t10) * 1000000000 / ($vs64 - $vs10)" | bc -l)"
  done
  echo
done
printf '%-16s' "CPU time"
for n in $sizes; do printf '%18s' ""; done
echo
for e in $engines; do
  printf '%-16s' "$e"
  for n in $sizes; do printf '%9.3f s %8s' "$(median "$dir/$e-$n" 3)" ""; done
  echo
done
echo "ratios to cyclebus (wall time, peak memory):"
for e in $engines; do
  [ "$e" = cyclebus ] && continue
  printf '%-16s' "$e"
  for n in $sizes; do
    printf '%9.2fx t %5.2fx m' \
      "$(echo "$(median "$dir/$e-$n" 1) / $(median "$dir/cyclebus-$n" 1)" | bc -l)" \
      "$(echo "$(median "$dir/$e-$n" 2) / $(median "$dir/cyclebus-$n" 2)" | bc -l)"
  done
  echo
done
if [ -s "$dir/scsynth-64" ]; then
  printf '%-16s' "scsynth/thread"
  for n in $sizes; do
    printf '%9.2fx t %12s' \
      "$(echo "$(median "$dir/scsynth-$n" 1) / $(median "$dir/cyclebus-thread-$n" 1)" | bc -l)" ""
  done
  echo
fi
