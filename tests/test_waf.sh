#!/usr/bin/env bash
# ./waf as a new user meets it: `--help` lists waf's commands and `test`, not
# wscript's helpers; a helper's name is no command (an error, no traceback);
# no call prints a Python warning.
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

[ "$failures" -eq 0 ] || { echo "FAIL: $failures check(s) failed"; exit 1; }
exit 0
