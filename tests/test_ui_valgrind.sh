#!/usr/bin/env bash
# 50 open/close cycles of the UI (instantiate in a parent window, program,
# error, playhead, triggered events, typing, copy, send, cleanup) under
# valgrind: no memory errors and nothing definitely lost. The only
# suppression (tests/test_ui.supp) covers fontconfig's once-per-process
# patterns; this checks they stay few, i.e. do not grow with the cycles.
set -euo pipefail
top="${CB_TOP:-.}"
build="${CB_BUILD:-build}"
cycles="${CB_UI_CYCLES:-50}"
command -v valgrind >/dev/null || { echo "SKIP: valgrind is not installed"; exit 77; }
command -v Xvfb >/dev/null || { echo "SKIP: Xvfb is not installed"; exit 77; }
log="$build/test_ui_valgrind.log"
status=0
CK_FORK=no CK_RUN_CASE=cycles CB_UI_CYCLES="$cycles" \
  valgrind --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
  --keep-debuginfo=yes --num-callers=30 --error-exitcode=99 \
  --suppressions="$top/tests/test_ui.supp" --log-file="$log" \
  "$build/tests/test_ui" || status=$?
grep -E 'definitely lost|ERROR SUMMARY|suppressed:' "$log" | sed 's/^==[0-9]*== */  /'
if [ "$status" -ne 0 ]; then
  tail -60 "$log"
  echo "FAIL: $cycles UI open/close cycles under valgrind (exit $status, log $log)"
  exit 1
fi
blocks=$(sed -n 's/.*suppressed: [0-9,]* bytes in \([0-9,]*\) blocks.*/\1/p' "$log" | tr -d , | head -1)
if [ "${blocks:-0}" -gt 16 ]; then
  echo "FAIL: $blocks suppressed blocks: the fontconfig suppression hides something growing"
  exit 1
fi
echo "PASS: $cycles UI open/close cycles under valgrind: no errors, nothing definitely lost"
