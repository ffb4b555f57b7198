#!/usr/bin/env bash
# tools/deps.sh: make sure the Debian packages heaplab builds with are installed.
#
#   tools/deps.sh core       pkg-config, gcc, libgc-dev (bdw-gc), libcriterion-dev (criterion)
#   tools/deps.sh optional   jemalloc, mimalloc, gnuplot, valgrind (installed if possible, never fatal)
#
# Packages are found with pkg-config (libraries) or command -v (tools). Missing ones are
# installed with apt-get when running as root (running `apt-get update` first when the
# install fails on a stale package list); otherwise the exact command to run is printed and,
# for core packages, the script fails.
set -u
what=${1:-core}

missing=()
need_lib() { pkg-config --exists "$1" 2>/dev/null || missing+=("$2"); }
# For libraries without a .pc file (Debian's libmimalloc-dev ships none): ask dpkg.
need_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" || missing+=("$1"); }
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }

if [ "$what" = core ]; then
    need_cmd pkg-config pkg-config
    need_cmd cc gcc
    if command -v pkg-config >/dev/null 2>&1; then
        need_lib bdw-gc libgc-dev
        need_lib criterion libcriterion-dev
    else
        missing+=(libgc-dev libcriterion-dev)
    fi
else
    need_pkg libjemalloc-dev
    need_pkg libmimalloc-dev
    need_cmd gnuplot gnuplot-nox
    need_cmd valgrind valgrind
fi
[ ${#missing[@]} -eq 0 ] && exit 0

install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/tmp/heaplab-apt.log 2>&1
}
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "heaplab: installing missing packages: ${missing[*]}" >&2
    if install "${missing[@]}" || { apt-get update -q >/tmp/heaplab-apt.log 2>&1 && install "${missing[@]}"; }; then
        exit 0
    fi
    echo "heaplab: apt-get install ${missing[*]} failed (log: /tmp/heaplab-apt.log)" >&2
else
    echo "heaplab: missing packages; run: sudo apt-get install ${missing[*]}" >&2
fi
if [ "$what" = core ]; then exit 1; fi
echo "heaplab: notice: optional packages unavailable (${missing[*]}); those comparisons are skipped" >&2
exit 0
