#!/usr/bin/env bash
# The committed preset bundle is exactly what cyclebus-preset writes from
# presets/src (so the two never drift), and it does not depend on where it
# lies: no absolute paths inside.
set -euo pipefail
top="${CB_TOP:-.}"; build="${CB_BUILD:-build}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bash "$top/presets/make-presets.sh" "$build" "$tmp/cyclebus-presets.lv2"
if ! diff -r "$top/presets/cyclebus-presets.lv2" "$tmp/cyclebus-presets.lv2"; then
  echo "FAIL: presets/cyclebus-presets.lv2 is stale: run presets/make-presets.sh"; exit 1
fi
if grep -l 'file:/' "$top"/presets/cyclebus-presets.lv2/*.ttl; then
  echo "FAIL: absolute paths in the preset bundle"; exit 1
fi
echo "PASS: preset bundle current and relocatable"
