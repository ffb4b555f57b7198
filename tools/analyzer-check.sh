#!/usr/bin/env bash
# tools/analyzer-check.sh: the static-analysis gate of `make test`: GCC's -fanalyzer over the
# runtime sources, compiled exactly as each runtime builds them (its defines, the project's
# warnings and optimisation), with every analyzer warning an error.
#
#   tools/analyzer-check.sh 'NAME|CFLAGS|SOURCES' ...
#
# Each argument is one runtime configuration: its name, the flags its library is compiled with
# (include paths, -DHL_RUNTIME_... and check-level defines, Boehm's pkg-config cflags for gc,
# warnings, optimisation) and its source files; the Makefile passes one per runtime it builds.
# Every source is analysed twice per configuration: with those flags (after inlining, the
# analyzer follows values across calls) and again at -O0 (where nothing it should see has been
# folded away); each is one check. A finding prints the analyzer's report; the last line is
# "analyzer: N passed, N failed". CC picks the compiler (default gcc; the analyzer needs GCC
# 10 or later).
set -u
cc=${CC:-gcc}
# `cc` is often a symlink to gcc; clang has no -fanalyzer, so fall back to gcc when present.
if ! "$cc" -fanalyzer -x c -c /dev/null -o /dev/null 2>/dev/null; then
    if command -v gcc >/dev/null 2>&1 && gcc -fanalyzer -x c -c /dev/null -o /dev/null 2>/dev/null; then
        cc=gcc
    else
        echo "heaplab: notice: $cc has no -fanalyzer (GCC 10 or later needed): analyzer gate skipped" >&2
        echo "analyzer: 0 passed, 0 failed (skipped: no -fanalyzer)"
        exit 0
    fi
fi
passed=0 failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for config in "$@"; do
    IFS='|' read -r name flags sources <<<"$config"
    for src in $sources; do
        for opt in "" -O0; do
            # shellcheck disable=SC2086  # flags is a word list
            if "$cc" $flags $opt -fanalyzer -Werror -c "$src" -o /dev/null >"$log" 2>&1; then
                passed=$((passed + 1))
            else
                failed=$((failed + 1))
                echo "analyzer: FAILED $src ($name: $cc $flags $opt -fanalyzer)" >&2
                cat "$log" >&2
            fi
        done
    done
done
echo "analyzer: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
