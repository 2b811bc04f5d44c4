#!/usr/bin/env bash
# Every C file in the repository is formatted with the repository's
# .clang-format (STYLE.md); `git ls-files '*.c' '*.h' | xargs clang-format -i`
# fixes what this reports.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null; then echo "SKIP: clang-format missing"; exit 77; fi
mapfile -t files < <(git ls-files '*.c' '*.h' 2>/dev/null || find plugin ui tools tests bench fuzz -name '*.[ch]')
if ! clang-format --dry-run -Werror "${files[@]}"; then
  echo "FAIL: files above are not clang-formatted"; exit 1
fi
echo "PASS: ${#files[@]} C files match .clang-format"
