# Shared by tests/test_host_*.sh (sourced): PASS/FAIL bookkeeping, paths, and
# the figures computed from cyclebus-analyze's output. Bash only.

CB_TOP="$(cd "${CB_TOP:-.}" && pwd)"
CB_BUILD="$(cd "${CB_BUILD:-$CB_TOP/build}" 2>/dev/null && pwd || echo "${CB_BUILD:-$CB_TOP/build}")"
ANALYZE="$CB_BUILD/cyclebus-analyze"
failures=0

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# check "description" AWK_CONDITION: passes when the awk expression is true.
check() {
  if awk "BEGIN { exit !($2) }"; then pass "$1"; else fail "$1"; fi
}
now() { date +%s.%N; }

# retry TRIES SHOW FUNCTION: runs FUNCTION until it succeeds, at most TRIES
# times, and sets $try to the attempt that did. A failed attempt's output,
# then SHOW's (what the attempt left in its logs), is printed with every line
# labelled 'RETRY try/TRIES| ': ./waf test shows those lines even when a later
# attempt passes. The attempt that passes prints as it is.
retry() {
  local tries=$1 show=$2 function=$3 out
  out=$(mktemp)
  for try in $(seq 1 "$tries"); do
    if "$function" > "$out" 2>&1; then
      echo "attempt $try/$tries"
      cat "$out"
      rm -f "$out"
      return 0
    fi
    { echo "attempt $try/$tries failed; it printed:"; cat "$out"; "$show"; } |
      sed "s|^|RETRY $try/$tries\| |"
  done
  rm -f "$out"
  return 1
}
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# Exits 77 (skipped) when a host program is genuinely not installed.
require_programs() {
  local p
  for p in "$@"; do
    if ! command -v "$p" >/dev/null 2>&1; then
      echo "SKIP: $p is not installed (scripts/install-deps.sh installs it)"
      exit 77
    fi
  done
}

# A missing build output is a failure, not a skip: the suite builds them.
require_build() {
  local f
  for f in "$CB_BUILD/lv2/cyclebus.lv2/cyclebus.so" "$ANALYZE" "$@"; do
    [ -e "$f" ] || { echo "FAIL: $f not built"; exit 1; }
  done
}

# stats_field WAV N: field N of 'stats FRAMES RATE CHANNELS PEAK RMS'.
stats_field() { "$ANALYZE" "$1" --stats | awk -v n="$2" '$1 == "stats" { print $(n + 1) }'; }

# onset_grid ONSETS_FILE PERIOD_FRAMES: fits the onsets ('onset FRAME SECONDS
# DURATION') to a grid of PERIOD_FRAMES starting at the first onset. Prints
#   COUNT FIRST_FRAME MAX_ABS_ERROR_FRAMES MISSING DOUBLED MIN_DURATION MAX_DURATION
# MISSING counts grid steps without an onset, DOUBLED onsets on a taken step;
# durations (seconds) leave out the last note, which the file's end may cut.
onset_grid() {
  awk -v period="$2" '
    $1 == "onset" {
      frame = $2
      if (count == 0) first = frame
      step = int((frame - first) / period + 0.5)
      error = frame - first - step * period
      if (error < 0) error = -error
      if (error > max_error) max_error = error
      if (step in seen) doubled++
      seen[step] = 1
      if (step > last_step) last_step = step
      if (count > 0) {
        if (count == 1 || previous < min_duration) min_duration = previous
        if (previous > max_duration) max_duration = previous
      }
      previous = $4
      count++
    }
    END {
      for (s = 0; s <= last_step; s++) if (!(s in seen)) missing++
      printf "%d %d %d %d %d %.4f %.4f\n", count, first, max_error, missing + 0, doubled + 0,
             min_duration, max_duration
    }' "$1"
}

# ratio A B: A / B with two decimals (0 when B is 0).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# centroid_means CENTROIDS_FILE PARTS: mean centroid (Hz) of the non-silent
# windows in each of PARTS equal parts of the windows, on one line.
centroid_means() {
  awk -v parts="$2" '
    $1 == "centroid" { hz[n] = $3; n++ }
    END {
      for (p = 0; p < parts; p++) {
        sum = 0; used = 0
        for (i = int(p * n / parts); i < int((p + 1) * n / parts); i++)
          if (hz[i] !~ /nan/) { sum += hz[i]; used++ }
        printf "%s%.1f", (p ? " " : ""), used ? sum / used : 0
      }
      printf "\n"
    }' "$1"
}
