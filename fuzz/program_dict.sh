#!/usr/bin/env bash
# Prints the program fuzzer's libFuzzer dictionary: every name the language
# knows, read from the compiler's own tables (transforms, output and bus
# functions, controls), then the syntax in fuzz/program_syntax.dict
# (operators, sections, lists, mini-notation). Usage: program_dict.sh [TOP]
set -euo pipefail
top="${1:-.}"
block() {  # the quoted strings of the C array `$2 = {...};` in file $1
  sed -n "/$2\[\] = {/,/};/p" "$1" | grep -o '"[^"]*"'
}
{
  grep -o '\[T_[A-Z_]*\] = {"[^"]*"' "$top/plugin/program/program_transform.c" | grep -o '"[^"]*"$'
  block "$top/plugin/program/program_output.c" prog_output_function_names
  block "$top/plugin/program/program_bus.c" prog_bus_function_names
  grep -o '{"[A-Za-z0-9_]*", PAT_CONTROL' "$top/plugin/pattern/controls.c" | grep -o '"[^"]*"'
} | sort -u
grep -v '^#' "$top/fuzz/program_syntax.dict" | grep -v '^$'
