#!/usr/bin/env bash
# Regenerates presets/cyclebus-presets.lv2 from presets/src/*.cb with the
# project's own preset writer. Usage: presets/make-presets.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
out="${2:-$here/cyclebus-presets.lv2}"
rm -rf "$out"
preset() { "$build/cyclebus-preset" "$here/src/$1.cb" --label "$2" -o "$out" "${@:3}" >/dev/null; }
preset euclid-bass "Euclid Bass"
preset acid-line "Acid Line" --set cutoff=700 --set res=6
preset minor-sevenths "Minor Sevenths"
preset slow-pads "Slow Pads" --set gain=-3
preset polymeter-blips "Polymeter Blips"
preset dub-stabs "Dub Stabs" --set release=0.2
preset glass-arp "Glass Arp" --set gain=-2
preset noise-rhythm "Noise Rhythm"
preset drum-machine "Drum Machine" --set cutoff=900 --set res=3
