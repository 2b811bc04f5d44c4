#!/usr/bin/env bash
# jalv on a private JACK server (dummy driver): cyclebus loaded with a preset,
# the JACK transport rolling at 150 BPM (jack_transport as timebase master),
# the output recorded with jack_rec three times while controls are set from
# jalv's console: cutoff 200 Hz, cutoff 8000 Hz, then gain -20 dB. The notes
# must follow the transport's tempo and each control must change the sound.
# The plugin's MIDI out, recorded with jack_midi_dump across a transport stop,
# must carry the same notes on the same grid and leave none hanging.
set -uo pipefail
source "${CB_TOP:-.}/tests/hosts/common.sh"
require_programs jackd jalv jack_transport jack_rec jack_lsp jack_midi_dump jack_connect
require_build "$CB_BUILD/cyclebus-preset"

# jack_transport's BBT is 4/4; at 150 BPM a cycle (one bar) is 1.6 s, and the
# test program's 4 notes per cycle are 0.4 s = 19200 frames apart. (The program
# says `bpm: 120`, which would space them 0.5 s.)
BPM=150 RATE=48000 BLOCK=1024
PERIOD=$((RATE * 60 * 4 / BPM / 4))
SECONDS_PER_TAKE=2.4 # six note steps: a take's RMS does not depend on where it starts
GATE=$(awk -v p="$PERIOD" -v r="$RATE" 'BEGIN { print 0.5 * p / r }') # legato 0.5
# jalv runs the plugin block after block from one transport anchor, so the spacing
# should be exact; the detector's dating varies by a frame or two with the cutoff.
TOLERANCE_FRAMES=12
PRESET_LABEL="cyclebus host test"

work=$(mktemp -d "${TMPDIR:-/tmp}/cb-jalv.XXXXXX")
pids=()
# Clients first, newest first, then the JACK server; then the scratch files.
cleanup() {
  exec 3>&- 4>&- 2>/dev/null
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null
    # A JACK client can hang on a server that lost its graph (seen on an
    # overloaded machine): 5 s, then it is killed outright.
    for _ in $(seq 50); do kill -0 "${pids[i]}" 2>/dev/null || break; sleep 0.1; done
    kill -9 "${pids[i]}" 2>/dev/null
    wait "${pids[i]}" 2>/dev/null
  done
  [ -n "${CB_KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
cd "$work" || exit 1
t_start=$(now)

mkdir -p lv2
if ! "$CB_BUILD/cyclebus-preset" "$CB_TOP/tests/hosts/hosttest.cb" --label "$PRESET_LABEL" \
     -o "$work/lv2/cyclebus-hosttest.lv2" > preset.log 2>&1; then
  cat preset.log; echo "FAIL: cyclebus-preset could not write the test preset"; exit 1
fi
preset_file=$(ls "$work"/lv2/cyclebus-hosttest.lv2/*.ttl | grep -v manifest.ttl | head -1)

export LV2_PATH="$CB_BUILD/lv2:$work/lv2"
export JACK_DEFAULT_SERVER="cyclebus-test-$$" # private: no clash with other servers or runs
export JACK_NO_START_SERVER=1                 # clients never start a (hardware) server
jackd --no-realtime -d dummy -r "$RATE" -p "$BLOCK" -C 0 -P 2 > jackd.log 2>&1 &
pids+=($!)
for _ in $(seq 100); do jack_lsp > /dev/null 2>&1 && break; sleep 0.1; done
jack_lsp > /dev/null 2>&1 || { cat jackd.log; echo "FAIL: jackd (dummy driver) did not start"; exit 1; }

# jalv reads console commands from a FIFO held open by fd 3 for the whole test;
# -l loads the preset (port values and the program) before the plugin runs.
mkfifo jalv.in transport.in
jalv -n cyclebus -x -l "$preset_file" urn:cyclebus:cyclebus < jalv.in > jalv.out 2>&1 &
pids+=($!)
jalv_pid=$!
exec 3> jalv.in
for _ in $(seq 100); do jack_lsp 2>/dev/null | grep -q '^cyclebus:out_right' && break; sleep 0.1; done
if ! kill -0 "$jalv_pid" 2>/dev/null || ! jack_lsp 2>/dev/null | grep -q '^cyclebus:out_right'; then
  cat jalv.out; echo "FAIL: jalv did not load cyclebus"; exit 1
fi
pass "jalv loaded cyclebus with the preset on a private JACK server ($(elapsed "$t_start") s)"

# The transport: jack_transport becomes timebase master (BBT from its tempo), rolls.
jack_transport < transport.in > transport.log 2>&1 3>&- & # (no copy of jalv's FIFO: EOF must reach it)
pids+=($!)
exec 4> transport.in
printf 'master\ntempo %s\nplay\n' "$BPM" >&4

# take NAME COMMAND: sends a console command, lets a note start with the new
# value (controls are read at each note's onset), records SECONDS_PER_TAKE.
take() {
  echo "$2" >&3
  sleep 0.6
  jack_rec -f "$work/$1.wav" -d "$SECONDS_PER_TAKE" -b 32 cyclebus:out_left cyclebus:out_right \
    > "rec-$1.log" 2>&1 3>&- 4>&- || { cat "rec-$1.log"; fail "jack_rec could not record $1"; }
}
take dark "set cutoff 200"
take bright "set cutoff 8000"
take quiet "set gain -20"
# MIDI out: 2 s of notes, then the transport stops while jack_midi_dump listens.
jack_midi_dump -a midi_dump > midi.txt 2> midi.log 3>&- 4>&- &
pids+=($!)
midi_pid=$!
for _ in $(seq 50); do jack_lsp 2>/dev/null | grep -q '^midi_dump:input' && break; sleep 0.1; done
jack_connect cyclebus:midi_out midi_dump:input || fail "could not connect cyclebus:midi_out"
sleep 2
printf 'stop\n' >&4
sleep 0.5
kill "$midi_pid" 2>/dev/null
# EOF on its console makes jalv quit, which flushes what it printed.
exec 3>&-
for _ in $(seq 50); do kill -0 "$jalv_pid" 2>/dev/null || break; sleep 0.1; done
for name in dark bright quiet; do
  [ -s "$work/$name.wav" ] || { echo "FAIL: no recording $name.wav"; exit 1; }
done
grep -q 'cutoff = 200\.0' jalv.out && grep -q 'cutoff = 8000\.0' jalv.out &&
  grep -q 'gain = -20\.0' jalv.out &&
  pass "jalv's console confirmed cutoff 200, cutoff 8000 and gain -20" ||
  { tail -5 jalv.out; fail "jalv did not confirm the console's set commands"; }

# --- The notes follow the JACK transport's tempo.
for name in dark bright; do
  rms=$(stats_field "$name.wav" 5)
  check "$name take is not silent (RMS $rms, > 0.001 = -60 dBFS)" "$rms > 0.001"
  "$ANALYZE" "$name.wav" --onsets > "onsets-$name.txt"
  read -r count first max_error missing doubled shortest longest < <(onset_grid "onsets-$name.txt" "$PERIOD")
  echo "  $name: $count onsets from frame $first, max deviation from the $PERIOD-frame grid" \
       "$max_error frames, notes $shortest .. $longest s"
  check "$name: notes every 0.4 s, as $BPM BPM with 4 per bar says ($count notes, worst $max_error frames, $missing missing, $doubled doubled)" \
    "$count >= 5 && $max_error <= $TOLERANCE_FRAMES && $missing == 0 && $doubled == 0"
  check "$name: every note lasts its gate of $GATE s plus at most its 50 ms release ($shortest .. $longest s)" \
    "$shortest >= $GATE && $longest <= $GATE + 0.06"
done

# --- MIDI out: note-ons of c4 (MIDI 48) on channel 1 a step apart, each note-off half a
# step later (legato 0.5) or at the stop, and after the stop no note still on.
read -r ons max_error unmatched gate_error < <(awk -v p="$PERIOD" '
  # "  11008: 90 30 64 note on  (channel  0): pitch  48, velocity 100"
  $5 == "note" && $6 == "on" && $8 == "0):" && $10 == "48," { on[++n] = $1 + 0; sounding++ }
  $5 == "note" && $6 == "off" && $8 == "0):" && $10 == "48," { if (sounding > 0) { off[n] = $1 + 0; sounding-- } }
  END {
    worst = 0; gate = 0
    for (i = 2; i <= n; i++) { d = on[i] - on[i - 1] - p; if (d < 0) d = -d; if (d > worst) worst = d }
    for (i = 1; i < n; i++) { g = off[i] - on[i] - p / 2; if (g < 0) g = -g; if (g > gate) gate = g }
    print n + 0, worst, sounding + 0, gate
  }' midi.txt)
check "MIDI out: c4 (48) on channel 1 every 0.4 s ($ons note-ons, worst $max_error frames off the grid)" \
  "$ons >= 4 && $max_error <= $TOLERANCE_FRAMES"
check "MIDI out: each note-off half a step after its note-on (worst $gate_error frames), none left on after the stop ($unmatched)" \
  "$gate_error <= $TOLERANCE_FRAMES && $unmatched == 0"

# --- Cutoff 200 vs 8000: one centroid window per note step.
window=$(awk -v p="$PERIOD" -v r="$RATE" 'BEGIN { print p / r }')
dark=$("$ANALYZE" dark.wav --centroid "$window" > centroid-dark.txt && centroid_means centroid-dark.txt 1)
bright=$("$ANALYZE" bright.wav --centroid "$window" > centroid-bright.txt && centroid_means centroid-bright.txt 1)
check "set cutoff 8000 makes it brighter than set cutoff 200 (centroid $dark -> $bright Hz, x$(ratio "$bright" "$dark"))" \
  "$dark > 0 && $bright > 2 * $dark"

# --- Gain -20 dB: the RMS falls by 20 dB (the notes are the same).
rms_bright=$(stats_field bright.wav 5) rms_quiet=$(stats_field quiet.wav 5)
drop=$(awk -v a="$rms_quiet" -v b="$rms_bright" 'BEGIN { printf "%.2f", (a > 0 && b > 0 ? 20 * log(a / b) / log(10) : 0) }')
check "set gain -20 lowers the level by 20 dB (measured $drop dB, within 1 dB)" \
  "$drop <= -19 && $drop >= -21"

echo "total $(elapsed "$t_start") s"
[ "$failures" -eq 0 ] || { echo "FAIL: $failures check(s) failed (CB_KEEP=1 keeps $work)"; exit 1; }
exit 0
