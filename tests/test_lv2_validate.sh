#!/usr/bin/env bash
# The built bundle's Turtle passes lv2_validate (lv2-dev's sord_validate
# against the LV2 schemas) with no errors or warnings.
set -euo pipefail
bundle="${CB_BUILD:-build}/lv2/cyclebus.lv2"
if ! command -v lv2_validate >/dev/null; then echo "SKIP: lv2_validate missing"; exit 77; fi
out=$(lv2_validate "$bundle"/*.ttl 2>&1) || { echo "$out"; echo "FAIL: lv2_validate"; exit 1; }
# Problems are reported one per line (error: / warning:), then a summary.
if grep -Ei '^(error|warning)|: (error|warning)' <<<"$out" || ! grep -q '^Found 0 errors' <<<"$out"; then
  echo "$out" | grep -v '^Skipping'; echo "FAIL: lv2_validate reported problems"; exit 1
fi
echo "PASS: lv2_validate clean on $bundle"
