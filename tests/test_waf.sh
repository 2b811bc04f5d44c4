#!/usr/bin/env bash
# ./waf as a new user meets it: `--help` lists waf's commands and `test`, not
# wscript's helpers; a helper's name is no command (an error, no traceback);
# no call prints a Python warning. ./waf test: a CB_TESTS that matches no test
# is an error, a test that passes on a later attempt (tests/hosts/common.sh's
# retry) shows what the failed attempts printed, and LV2_PATH holds only
# folders of bundles.
set -uo pipefail
top="$(cd "${CB_TOP:-.}" && pwd)"
work=$(mktemp -d "${TMPDIR:-/tmp}/cb-waf.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
cd "$top" || exit 1

# The commands of waf 2.0 itself, and ours.
expected="build clean configure dist distcheck distclean install list step test uninstall"
./waf --help > "$work/help.out" 2> "$work/help.err"
listed=$(awk '/^Main commands/ { on = 1; next } on && /^$/ { exit }
              on && /^  [a-z_]+ *:/ { sub(/^ +/, ""); sub(/ *:.*/, ""); print }' "$work/help.out" |
  sort | tr '\n' ' ')
if [ "$listed" = "$expected " ]; then
  pass "./waf --help lists waf's commands and test, nothing else"
else
  fail "./waf --help lists: $listed(expected: $expected)"
fi
if [ -s "$work/help.err" ]; then
  fail "./waf --help prints on stderr: $(head -3 "$work/help.err")"
else
  pass "./waf --help prints no warning"
fi

# Every top-level function of wscript that waf does not call itself is a helper.
helpers=$(awk '/^def [a-z]/ { sub(/^def /, ""); sub(/\(.*/, ""); print }' wscript |
  grep -vxE 'options|configure|build|init|shutdown|dist|distcheck')
if [ -z "$helpers" ]; then
  pass "every helper in wscript starts with '_', so waf takes none for a command"
else
  fail "wscript helpers waf takes for commands: $(tr '\n' ' ' <<< "$helpers")"
fi
./waf build_ui > "$work/unknown.out" 2>&1
rc=$?
if [ "$rc" -ne 0 ] && ! grep -q Traceback "$work/unknown.out" &&
   grep -q "No function 'build_ui'" "$work/unknown.out"; then
  pass "./waf build_ui is an unknown command: exit $rc, '$(tail -1 "$work/unknown.out")'"
else
  fail "./waf build_ui: exit $rc, $(grep -c Traceback "$work/unknown.out") traceback(s): $(tail -3 "$work/unknown.out")"
fi

CB_TESTS='no_such_test_zzz' ./waf test > "$work/nomatch.out" 2>&1
rc=$?
if [ "$rc" -ne 0 ] && grep -q "CB_TESTS='no_such_test_zzz' matches no test" "$work/nomatch.out" &&
   ! grep -q '^0 passed' "$work/nomatch.out"; then
  pass "CB_TESTS matching no test: exit $rc, '$(grep -o "CB_TESTS=.*matches no test" "$work/nomatch.out")'"
else
  fail "CB_TESTS matching no test: exit $rc, $(tail -2 "$work/nomatch.out" | tr '\n' ' ')"
fi

# A test that fails once, then passes, in a copy of the sources the bundle
# needs (wscript finds tests by folder; the copy has just this one).
src="$work/src"
mkdir -p "$src/tests/hosts"
cp -r wscript waf plugin ui ttl presets "$src/"
cp tests/hosts/common.sh "$src/tests/hosts/"
cat > "$src/tests/test_flaky.sh" <<'SH'
source "$CB_TOP/tests/hosts/common.sh"
attempt() {
  local n=$(($(cat "$CB_TOP/count" 2> /dev/null || echo 0) + 1))
  echo "$n" > "$CB_TOP/count"
  echo "this attempt is number $n"
  [ "$n" -ge 2 ]
}
show() { echo "what attempt $try left in its log"; }
retry 3 show attempt || { echo "FAIL: no attempt passed"; exit 1; }
pass "attempt $try passed"
SH
# And one that checks what ./waf test puts on LV2_PATH: folders of bundles only
# (lilv reports anything else in them as a broken bundle, in every test).
cat > "$src/tests/test_lv2_path.sh" <<'SH'
for dir in ${LV2_PATH//:/ }; do
  for entry in "$dir"/*; do
    [ -e "$entry/manifest.ttl" ] || { echo "FAIL: $entry, in $dir on LV2_PATH, is no bundle"; exit 1; }
  done
done
echo "PASS: every entry of the folders on LV2_PATH is a bundle"
SH
waf_dir="${WAFDIR:-$top/.waf-debian/usr/lib/python3/dist-packages/xpdeint/waf}"
[ -d "$waf_dir/waflib" ] && export WAFDIR="$waf_dir"
(cd "$src" && unset WAFLOCK CB_TESTS && ./waf configure && ./waf test) > "$work/retry.out" 2>&1
rc=$?
shown=$(sed -n '/^--- test_flaky/,/^--- test_lv2_path/p' "$work/retry.out")
if grep -q '^test_flaky: an attempt failed before one passed' <<< "$shown" &&
   grep -q '^RETRY 1/3| this attempt is number 1$' <<< "$shown" &&
   grep -q '^RETRY 1/3| what attempt 1 left in its log$' <<< "$shown" &&
   grep -q '^PASS: attempt 2 passed$' <<< "$shown" && ! grep -q '^RETRY 2/3' <<< "$shown"; then
  pass "a test that passes on its second attempt: ./waf test shows the first attempt's output, labelled RETRY 1/3"
else
  fail "a test that passes on its second attempt: exit $rc; ./waf test showed: $(tail -8 <<< "$shown")"
fi

if grep -q '^PASS: every entry of the folders on LV2_PATH is a bundle' "$work/retry.out"; then
  pass "./waf test puts only folders of bundles on LV2_PATH"
else
  fail "./waf test's LV2_PATH: $(grep -A1 '^--- test_lv2_path' "$work/retry.out" | tail -1)"
fi

[ "$failures" -eq 0 ] || { echo "FAIL: $failures check(s) failed"; exit 1; }
exit 0
