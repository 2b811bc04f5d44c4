#!/usr/bin/env bash
# Installs the Debian packages cyclebus builds, tests and renders with, when missing.
set -euo pipefail
packages=(
  build-essential pkg-config python3 clang-format # gcc 12 brings the ASan, UBSan, TSan runtimes
  lv2-dev liblilv-dev libserd-dev libsndfile1-dev libsamplerate0-dev check
  sonic-pi-samples # the samples cyclebus plays out of the box (plugin/samples/samples-aliases.txt)
  lilv-utils sox
  clang libclang-rt-14-dev
  libx11-dev libcairo2-dev libxtst-dev fonts-dejavu-core xvfb valgrind # the UI and its tests
  sordi # sord_validate, which lv2_validate runs
  ardour jalv jackd2 # host tests: ardour7-lua/-export; jalv; jackd, jack_transport, jack_rec
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # jackd2 asks whether to enable realtime scheduling limits; the tests run jackd without.
  echo "jackd2 jackd/tweak_rt_limits boolean false" | $sudo debconf-set-selections
  $sudo apt-get update -qq
  $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
