#!/usr/bin/env bash
# The command-line tools as a new user meets them: each answers --help (the
# usage on stdout, exit 0); a number that does not parse or is out of range is
# an error naming the option and what it accepts (exit 2, nothing rendered),
# never a silent default; a missing file says why; good values still work.
set -uo pipefail
top="$(cd "${CB_TOP:-.}" && pwd)"
build="$(cd "${CB_BUILD:-$top/build}" && pwd)"
work=$(mktemp -d "${TMPDIR:-/tmp}/cb-tools.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
cd "$work" || exit 1
q="$top/examples/q.cb"
echo 'a b' > patterns.txt
"$build/cyclebus-render" "$q" -o good.wav --seconds 0.2 > /dev/null 2>&1

# run NAME ARGS...: runs a tool (build/NAME) with stdin from patterns.txt;
# sets $rc, $out (stdout) and $err (stderr). A tool that takes a bad value for
# a default (or --help for a file) may run for long: 30 s is a failure.
run() {
  local tool=$1
  shift
  timeout 30 "$build/$tool" "$@" < patterns.txt > out.txt 2> err.txt
  rc=$?
  out=$(cat out.txt)
  err=$(cat err.txt)
}

for tool in cyclebus-render cyclebus-events cyclebus-preset cyclebus-analyze \
            bench/bench_rtbudget bench/bench_run; do
  run "$tool" --help
  if [ "$rc" -eq 0 ] && [[ "$out" == usage:* ]] && [ -z "$err" ]; then
    pass "$tool --help: the usage on stdout, exit 0"
  else
    fail "$tool --help: exit $rc, stdout '${out:0:80}', stderr '${err:0:80}'"
  fi
done

# bad TOOL OPTION VALUE [ARGS...]: exit 2, an error naming OPTION and its range
# (the word 'takes' or 'needs'), no output, no file written.
bad() {
  local tool=$1 option=$2 value=$3
  shift 3
  rm -f out.wav
  run "$tool" "$@" "$option" "$value"
  local first=${err%%$'\n'*}
  if [ "$rc" -eq 2 ] && [[ "$first" == *"$option"*" takes "* ]] && [ -z "$out" ] &&
     [ ! -e out.wav ]; then
    pass "$tool $option '$value': exit 2, '$first'"
  else
    fail "$tool $option '$value': exit $rc, stderr '${err:0:120}', stdout '${out:0:60}'"
  fi
}
render=(cyclebus-render "$q" -o out.wav --seconds 0.1)
for value in abc 0 -1 1e400 nan 5x ''; do bad cyclebus-render --cycles "$value" "$q" -o out.wav; done
bad cyclebus-render --seconds 0 "$q" -o out.wav
bad cyclebus-render --seconds inf "$q" -o out.wav
bad cyclebus-render --bpm 0 "${render[@]:1}"
bad cyclebus-render --bpm 1 "${render[@]:1}"
bad cyclebus-render --bpm 20000 "${render[@]:1}"
bad cyclebus-render --rate -1 "${render[@]:1}"
bad cyclebus-render --rate 48k "${render[@]:1}"
bad cyclebus-render --block 0 "${render[@]:1}"
bad cyclebus-render --block 2.5 "${render[@]:1}"
bad cyclebus-render --block 100000 "${render[@]:1}"
bad cyclebus-render --render-threads -1 "${render[@]:1}"
bad cyclebus-render --sample-memory 0 "${render[@]:1}"
bad cyclebus-render --sample-memory 1.5 "${render[@]:1}"
bad cyclebus-render --set cutoff=5x "${render[@]:1}"
bad cyclebus-render --set gain=100 "${render[@]:1}"
bad cyclebus-events --cycles abc
bad cyclebus-events --cycles 0
bad cyclebus-events --cycles 1.5
bad cyclebus-events --from x
bad cyclebus-preset --set res=0 "$q" --label x -o preset.lv2
bad cyclebus-analyze --gap -1 good.wav
bad cyclebus-analyze --centroid abc good.wav
bad cyclebus-analyze --threshold 3 good.wav
bad cyclebus-analyze --end 0 good.wav
run bench/bench_rtbudget --seconds 0
if [ "$rc" -eq 2 ] && [[ "$err" == *"--seconds takes "* ]] && [ -z "$out" ]; then
  pass "bench_rtbudget --seconds 0: exit 2, '${err%%$'\n'*}'"
else
  fail "bench_rtbudget --seconds 0: exit $rc, '${err:0:120}'"
fi
[ ! -e preset.lv2 ] || fail "cyclebus-preset wrote preset.lv2 despite a bad --set"

# A value missing at the end of the line is an error too.
run cyclebus-render "$q" -o out.wav --cycles
if [ "$rc" -eq 2 ] && [[ "$err" == *"--cycles needs a value"* ]]; then
  pass "cyclebus-render --cycles without a value: exit 2, says it needs one"
else
  fail "cyclebus-render --cycles without a value: exit $rc, '${err:0:120}'"
fi
run cyclebus-render "$q" -o out.wav --set nosuch=1
if [ "$rc" -eq 2 ] && [[ "$err" == *"nosuch=1"*"cutoff"* ]]; then
  pass "cyclebus-render --set of an unknown port: exit 2, lists the ports"
else
  fail "cyclebus-render --set nosuch=1: exit $rc, '${err:0:120}'"
fi

# missing TOOL ARGS...: exit non-zero, the missing path and strerror's words.
missing() {
  run "$@"
  if [ "$rc" -ne 0 ] && [[ "$err" == *"$work/nope"*": No such file or directory"* ]]; then
    pass "$1 with a missing file: exit $rc, '${err%%$'\n'*}'"
  else
    fail "$1 with a missing file: exit $rc, '${err:0:120}'"
  fi
}
missing cyclebus-render "$work/nope.cb" -o out.wav
missing cyclebus-preset "$work/nope.cb" --label x -o preset.lv2
missing cyclebus-analyze "$work/nope.wav"
missing bench/bench_rtbudget --seconds 1 "$work/nope"
run cyclebus-render "$work" -o out.wav
if [ "$rc" -ne 0 ] && [[ "$err" == *"Is a directory"* ]]; then
  pass "cyclebus-render with a directory as program: '${err%%$'\n'*}'"
else
  fail "cyclebus-render with a directory as program: exit $rc, '${err:0:120}'"
fi

# Good values, at the edges of their ranges, still work.
run cyclebus-render "$q" -o out.wav --seconds 0.1 --bpm 140 --rate 44100 --block 1 \
  --render-threads 0 --set attack=0.0005 --set gain=12
if [ "$rc" -eq 0 ] && [ -s out.wav ]; then
  pass "cyclebus-render accepts --bpm 140 --rate 44100 --block 1 --set attack=0.0005 gain=12"
else
  fail "cyclebus-render with good values: exit $rc, '${err:0:120}'"
fi
# A threaded worker, offline: the render paces itself on it, so the look-ahead's
# buffers play (64 notes, every one a different pitch: only the first, at frame
# 0, can be live; the loop used to outrun the worker and play most of them live).
notes=$(seq -s ' ' 0 63 | sed 's/\([0-9]*\)/\1.5/g')
printf 'bpm: 120\n~x $ saw # lpf 2000 # env 0.005 0.05\nd1 $ s "~x*16" # note "<%s>"\n' \
  "$(echo "$notes" | awk '{for (c = 0; c < 4; c++) { printf "["; for (i = 1; i <= 16; i++) printf "%s%s", $(c * 16 + i), i < 16 ? " " : ""; printf "] " }}')" > unique.cb
run cyclebus-render unique.cb -o unique.wav --cycles 4 --render-threads 2 --stats
live=$(echo "$out" | sed -n 's/.* live \([0-9]*\) .*/\1/p')
if [ "$rc" -eq 0 ] && [[ "$out" == *"triggers 64 "* ]] && [ "${live:-99}" -le 1 ]; then
  pass "cyclebus-render with a threaded worker plays its renders (live voices: $live of 64)"
else
  fail "cyclebus-render, threaded worker: exit $rc, live '$live', '${out:0:300}' '${err:0:200}'"
fi
# --samples: a folder the test writes; an unknown name is a warning with its
# place, the rest renders; --stats counts the sample loads.
mkdir -p kit/zzkick && sox -n -r 44100 -c 1 kit/zzkick/0.wav synth 0.1 sine 440 2> /dev/null
printf 'bpm: 120\nd1 $ s "zzkick*4 zzbad"\n' > kit.cb
run cyclebus-render kit.cb -o kit.wav --cycles 1 --samples "$work/kit" --stats
if [ "$rc" -eq 0 ] && [[ "$err" == *"kit.cb:2:18: unknown sound 'zzbad'"* ]] &&
  [[ "$out" == *"stats: samples: files loaded 1 failed 0"* ]] &&
  [[ "$out" == *"sample folders: $work/kit"* ]] && [[ "$out" != *"peak -240.0"* ]]; then
  pass "cyclebus-render --samples DIR --stats: it sounds, zzbad is a warning, 1 file loaded"
else
  fail "cyclebus-render --samples: exit $rc, '${out:0:300}' '${err:0:200}'"
fi
# --sample-memory MB: the cap the plugin gets (host option urn:cyclebus:sampleMemory);
# a file bigger than it is refused with a message, the rest plays.
sox -n -r 48000 -c 1 kit/zzlong.wav synth 6 sine 220 2> /dev/null
printf 'bpm: 120\nd1 $ s "zzkick*4 zzlong"\n' > cap.cb
run cyclebus-render cap.cb -o cap.wav --cycles 1 --samples "$work/kit" --sample-memory 1 --stats
cap_message="zzlong.wav: 1.1 MB at the session rate does not fit under the sample memory cap"
if [ "$rc" -eq 0 ] && [[ "$err" == *"$cap_message"* ]] &&
  [[ "$out" == *"stats: samples: files loaded 1 failed 1"* ]] && [[ "$out" == *" MB of 1 MB,"* ]] &&
  [[ "$out" != *"peak -240.0"* ]]; then
  pass "cyclebus-render --sample-memory 1: the cap is 1 MB, a 1.1 MB file is refused, the kick plays"
else
  fail "cyclebus-render --sample-memory: exit $rc, '${out:0:400}' '${err:0:300}'"
fi
run cyclebus-render --help
if [[ "$out" == *"--sample-memory MB"* ]]; then
  pass "cyclebus-render --help names --sample-memory"
else
  fail "cyclebus-render --help: '${out:0:300}'"
fi
run cyclebus-events --cycles 1 --from -1
if [ "$rc" -eq 0 ] && [[ "$out" == *'"whole":["-1","-1/2"]'* ]]; then
  pass "cyclebus-events --cycles 1 --from -1 queries cycle -1"
else
  fail "cyclebus-events --cycles 1 --from -1: exit $rc, '${out:0:120}' '${err:0:80}'"
fi
run cyclebus-analyze out.wav --onsets --gap 0.01 --threshold -50 --start 0 --end 0.1
if [ "$rc" -eq 0 ]; then
  pass "cyclebus-analyze accepts --gap 0.01 --threshold -50 --start 0 --end 0.1"
else
  fail "cyclebus-analyze with good values: exit $rc, '${err:0:120}'"
fi

# --stems: the multi-out plugin, each orbit into OUT-orbitN.wav beside the
# mix; examples/orbits.cb plays orbits 0, 1 and 2 only.
run cyclebus-render "$top/examples/orbits.cb" -o stems.wav --cycles 1 --stems
for o in 0 1 2 3 4 5 6 7; do
  peak=$("$build/cyclebus-analyze" "stems-orbit$o.wav" 2> /dev/null | awk '/^stats/ { print $5 }')
  want_sound=$([ "$o" -le 2 ] && echo yes || echo no)
  has_sound=$([ "$peak" != 0 ] && echo yes || echo no)
  if [ "$rc" -eq 0 ] && [ -n "$peak" ] && [ "$want_sound" = "$has_sound" ]; then
    pass "cyclebus-render --stems: orbit $o's stem (peak $peak)"
  else
    fail "cyclebus-render --stems: orbit $o's stem: exit $rc, peak '$peak', '${err:0:120}'"
  fi
done

[ "$failures" -eq 0 ] || { echo "FAIL: $failures check(s) failed"; exit 1; }
exit 0
