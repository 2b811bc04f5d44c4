#!/usr/bin/env bash
# A short libFuzzer run of every target in fuzz/ (parse + query of patterns,
# compile + query of programs), seeded with the corpus and the examples:
# no crash, leak or hang. FUZZ_SECONDS sets the time per target (default 20).
set -euo pipefail
top="${CB_TOP:-.}"; build="${CB_BUILD:-build}"
command -v clang >/dev/null || { echo "SKIP: clang missing"; exit 77; }
seconds="${FUZZ_SECONDS:-20}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
core=$(ls "$top"/plugin/{pattern,program,synth}/*.c)
# Seeds: one mini-notation pattern or one example program per file.
mkdir -p "$work/seeds_pattern" "$work/seeds_program"
n=0; while IFS= read -r line; do
  [ -z "$line" ] || [ "${line#\#}" != "$line" ] && continue
  n=$((n + 1)); printf '%s' "$line" > "$work/seeds_pattern/$n"
done < "$top/tests/strudel/features.txt"  # the generated corpus is slow to replay under ASan
for chord in "c'maj'ii e4'min7'o'd2" "<'maj'5 a'min'oo>*2 [g'dom7'i3, 0'sus4'd9]" \
    "c'major'0 e'm9s5'16 f#3'six9'i'o'd1'2" "[c <e 7>]'<maj [min7 ~]>'<i [ii o]>'<5 d1>*2"; do  # Tidal's chords
  n=$((n + 1)); printf '%s' "$chord" > "$work/seeds_pattern/$n"
done
cp "$top"/examples/*.cb "$top"/presets/src/*.cb "$work/seeds_program/"
printf '~x $ saw 55\nd1 $ s "~x*4" # up "c a5 e4" # octave "<4 6>"\nd2 $ s "~x" # n 3 # midinote 69\n' \
  > "$work/seeds_program/pitch.cb"  # Tidal's and SuperDirt's pitch controls
n=0; while IFS= read -r line; do  # output lines with operators, '.', <~ ...
  [ -z "$line" ] || [ "${line#\#}" != "$line" ] && continue
  n=$((n + 1)); printf '~x $ saw # lpf 800\nd1 $ %s\n' "${line%% == *}" > "$work/seeds_program/line$n"
done < <(cat "$top/tests/strudel/programs.txt" "$top/tests/strudel/samplefns.txt")  # and sample functions
while IFS= read -r line; do  # Tidal's functions Strudel lacks, lists, sections
  [ -z "$line" ] || [ "${line#\#}" != "$line" ] && continue
  n=$((n + 1)); printf '~x $ saw # lpf 800\n~y $ square\nd1 $ %s\n' "$line" > "$work/seeds_program/line$n"
done < "$top/fuzz/seeds_program.txt"
# The program fuzzer's dictionary: every name of the language and its syntax.
bash "$top/fuzz/program_dict.sh" "$top" > "$work/program.dict"
: > "$work/pattern.dict"
for target in pattern program; do
  bin="$work/fuzz_$target"
  clang -std=c11 -D_XOPEN_SOURCE=700 -g -O1 -fsanitize=fuzzer,address,undefined \
    -I"$top/plugin" -I"$build" "$top/fuzz/fuzz_$target.c" $core -lm -o "$bin"
  mkdir -p "$work/corpus_$target"
  dict=(); [ -s "$work/$target.dict" ] && dict=(-dict="$work/$target.dict")
  if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      "${dict[@]}" "$work/corpus_$target" "$work/seeds_$target" > "$work/$target.log" 2>&1; then
    tail -40 "$work/$target.log"; echo "FAIL: fuzz_$target found a problem"; exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/$target.log" | grep -o '[0-9]*$')
  echo "PASS: fuzz_$target ran ${seconds}s clean (${runs:-?} inputs)"
done
