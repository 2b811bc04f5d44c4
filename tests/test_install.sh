#!/usr/bin/env bash
# ./waf install as a user who is not root: with --lv2dir DIR, with --lv2-user
# (HOME/.lv2) and with neither (PREFIX/lib/lv2), both bundles (the plugin with
# its UI, and the presets) land complete in that one folder, lilv loads them
# from there without a word, and nothing is written anywhere else. Run as root,
# the install runs as `nobody`. That user builds its own copy of the sources the
# bundles need, as a user installing for themselves does (waf keeps its build
# state per user's Python; the suite's build directory is not theirs to write).
set -uo pipefail
top="$(cd "${CB_TOP:-.}" && pwd)"
work=$(mktemp -d "${TMPDIR:-/tmp}/cb-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
failures=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# The sources of the two bundles; tests, benchmarks and tools are left out to
# keep the build short (wscript finds sources by folder, so none are missed).
# $mine is the user's: its sources, HOME, PREFIX and --lv2dir folder.
mine="$work/user"
src="$mine/src"
mkdir -p "$src/tools" "$mine/home"
cp -r "$top/wscript" "$top/waf" "$top/plugin" "$top/ui" "$top/ttl" "$top/presets" "$src/"
cp -r "$top/tools/host" "$src/tools/"
waf_dir="${WAFDIR:-$top/.waf-debian/usr/lib/python3/dist-packages/xpdeint/waf}"
if [ -d "$waf_dir/waflib" ]; then
  cp -r "$waf_dir" "$work/waflib-copy"
  export WAFDIR="$work/waflib-copy"
fi
unset WAFLOCK
marker="$work/started"
touch "$marker"
sleep 1 # so that anything written from now on is -newer than the marker

if [ "$(id -u)" = 0 ]; then
  user=nobody
  chown -R "$user" "$mine"
  # Root's PATH may lead to a Python that only root can run.
  as_user() {
    setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups \
      env PATH=/usr/local/bin:/usr/bin:/bin "$@"
  }
else
  user=$(id -un)
  as_user() { "$@"; }
fi
echo "  installing as $user ($(id -u "$user"))"

# waf_as_user LOG ARGS...: runs ./waf in the copy as the user; on failure shows the log.
waf_as_user() {
  local log="$work/$1.log"
  shift
  if (cd "$src" && as_user env "HOME=$mine/home" ./waf "$@") > "$log" 2>&1; then
    return 0
  fi
  tail -20 "$log" | sed 's/^/    /'
  return 1
}

if ! waf_as_user configure configure --prefix="$mine/prefix" ||
   ! waf_as_user build build; then
  echo "FAIL: $user could not configure and build the bundles"
  exit 1
fi

# check_bundles DIR HOW: both bundles complete in DIR, identical to the build,
# and lilv finds the plugin, its UI and its presets there without an error.
check_bundles() {
  local dir=$1 how=$2 missing="" file name
  for file in manifest.ttl cyclebus.ttl cyclebus.so cyclebus_ui.ttl cyclebus_ui.so samples-aliases.txt; do
    cmp -s "$src/build/lv2/cyclebus.lv2/$file" "$dir/cyclebus.lv2/$file" ||
      missing="$missing cyclebus.lv2/$file"
  done
  for file in "$top"/presets/cyclebus-presets.lv2/*.ttl; do
    name=cyclebus-presets.lv2/$(basename "$file")
    cmp -s "$file" "$dir/$name" || missing="$missing $name"
  done
  if [ -z "$missing" ]; then
    pass "$how: the plugin, its UI and the presets are all in $dir"
  else
    fail "$how: missing or different in $dir:$missing"
  fi
  local info
  info=$(LV2_PATH="$dir" lv2info urn:cyclebus:cyclebus 2>&1)
  if grep -q 'urn:cyclebus:ui' <<< "$info" && grep -q 'Presets:' <<< "$info" &&
     ! grep -qi 'error' <<< "$info"; then
    pass "$how: lilv loads the plugin with its UI and presets from there, with no error"
  else
    fail "$how: lilv does not load the installed bundles cleanly:"
    head -20 <<< "$info" | sed 's/^/    /'
  fi
}

# nothing_else HOW: the configure-time folder (PREFIX) stays empty, and the
# user wrote no file outside $work since the start.
nothing_else() {
  local how=$1 stray
  if [ -n "$(ls -A "$mine/prefix" 2>/dev/null)" ]; then
    fail "$how: wrote into the configure-time PREFIX: $(cd "$mine/prefix" && find . -type f | head -5 | tr "\n" " ")"
  else
    pass "$how: nothing in the configure-time PREFIX ($mine/prefix)"
  fi
  stray=$(find /tmp /var/tmp /dev/shm "$top" -path "$work" -prune -o -user "$user" \
    -newer "$marker" -print 2>/dev/null | head -5 | tr "\n" " ")
  if [ -z "$stray" ]; then
    pass "$how: no file written by $user outside its temporary folders"
  else
    fail "$how: $user wrote outside its temporary folders: $stray"
  fi
}

if waf_as_user install-lv2dir install --lv2dir="$mine/dest"; then
  check_bundles "$mine/dest" "--lv2dir"
else
  fail "./waf install --lv2dir=$mine/dest failed as $user"
fi
nothing_else "--lv2dir"

if waf_as_user install-user install --lv2-user; then
  check_bundles "$mine/home/.lv2" "--lv2-user"
else
  fail "./waf install --lv2-user (HOME=$mine/home) failed as $user"
fi
nothing_else "--lv2-user"

if waf_as_user install-prefix install; then
  check_bundles "$mine/prefix/lib/lv2" "PREFIX"
else
  fail "./waf install (PREFIX=$mine/prefix) failed as $user"
fi

[ "$failures" -eq 0 ] || { echo "FAIL: $failures check(s) failed"; exit 1; }
exit 0
