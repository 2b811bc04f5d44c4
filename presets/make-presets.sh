#!/usr/bin/env bash
# Regenerates presets/cyclebus-presets.lv2 from presets/src/*.cb with the
# project's own preset writer. Each preset's gain (dB) brings it to -18 LUFS
# (tests/test_loudness.c measures them). Usage: presets/make-presets.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
out="${2:-$here/cyclebus-presets.lv2}"
rm -rf "$out"
preset() { "$build/cyclebus-preset" "$here/src/$1.cb" --label "$2" -o "$out" "${@:3}" >/dev/null; }
preset euclid-bass "Euclid Bass" --set gain=4.0
preset acid-line "Acid Line" --set cutoff=700 --set res=6 --set gain=0.2
preset minor-sevenths "Minor Sevenths" --set gain=-1.8
preset slow-pads "Slow Pads" --set gain=1.6
preset polymeter-blips "Polymeter Blips" --set gain=-5.9
preset dub-stabs "Dub Stabs" --set release=0.2 --set gain=1.1
preset glass-arp "Glass Arp" --set gain=-4.9
preset noise-rhythm "Noise Rhythm" --set gain=2.6
preset drum-machine "Drum Machine" --set cutoff=900 --set res=3 --set gain=1.8
