#!/usr/bin/env bash
# tools/valgrind-check.sh: the memcheck gate of `make test`: the runtime test suites and every
# program must run under valgrind with no memory error and no definite leak.
#
#   tools/valgrind-check.sh SUITE...      (from the source tree; B=build directory, default build)
#
# - Each SUITE (a Criterion binary) runs under memcheck. Criterion forks and execs a worker per
#   test, so valgrind follows children (--trace-children=yes, as Criterion's documentation says)
#   and logs each process to its own file; a worker's valgrind exit status does not reach the
#   runner, so the logs' ERROR SUMMARY lines are what count. The suite must also pass. Not
#   followed: addr2line, which a HEAPLAB_BACKTRACE test runs (binutils' own leaks are not ours).
# - Every workload program (programs/*.c) on manual and owned, and every plain C peer
#   ($B/peers/c/*), runs at its small size from bench/discover/sizes.txt (else the minimum its
#   --help gives), once, under memcheck; it must exit 0 with no error.
# Leaks: the programs free everything, so a definite leak is an error (--errors-for-leak-kinds=
# definite); tests/valgrind.supp names the few leaks a test makes on purpose. Memcheck runs
# about 30x slower than native code: the suites take most of the gate's time, the programs'
# small sizes a few seconds; everything runs $VALGRIND_JOBS (default: the CPU count) at a time.
# Without valgrind the gate is skipped with a notice (tools/deps.sh optional installs it as
# root). The last line is "valgrind: N passed, N failed".
set -u
B=${B:-build}
if ! command -v valgrind >/dev/null 2>&1; then
    echo "heaplab: notice: valgrind not installed: the memcheck gate is skipped (tools/deps.sh optional installs it as root)" >&2
    echo "valgrind: 0 passed, 0 failed (skipped: valgrind not installed)"
    exit 0
fi
jobs=${VALGRIND_JOBS:-$(nproc 2>/dev/null || echo 2)}
supp=tests/valgrind.supp
vg=(valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite
    --suppressions="$supp")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

# Print a failed check's evidence: the logs that report errors (or all of them), shortened.
show_logs() {
    local f shown=0
    for f in "$@"; do
        [ -f "$f" ] || continue
        if grep -q 'ERROR SUMMARY: [1-9]' "$f"; then
            grep -v -e 'Memcheck, a memory error detector' -e 'Copyright (C)' -e 'Using Valgrind-' "$f" | head -n 80 >&2
            shown=1
        fi
    done
    [ $shown = 1 ] || for f in "$@"; do [ -f "$f" ] && tail -n 20 "$f" >&2; done
}

# ---- the suites -------------------------------------------------------------------------------
for suite in "$@"; do
    name=$(basename "$suite")
    mkdir -p "$work/$name"
    start=$SECONDS
    timeout -k 10 600 "${vg[@]}" --trace-children=yes --trace-children-skip='*/addr2line' --log-file="$work/$name/%p.log" \
        "$suite" --jobs "$jobs" >"$work/$name/out" 2>&1
    rc=$?
    logs=("$work/$name"/*.log)
    bad=$(grep -l 'ERROR SUMMARY: [1-9]' "${logs[@]}" 2>/dev/null | wc -l)
    synthesis=$(grep -a 'Synthesis' "$work/$name/out" | tail -n 1)
    if [ $rc -eq 0 ] && [ "$bad" -eq 0 ] && [ -f "${logs[0]}" ]; then
        passed=$((passed + 1))
        echo "valgrind: ok   $suite: ${#logs[@]} processes clean ($((SECONDS - start)) s) ${synthesis#\[====\] }" >&2
    else
        failed=$((failed + 1))
        echo "valgrind: FAIL $suite: exit status $rc, $bad of ${#logs[@]} processes with memcheck errors" >&2
        grep -av '^\[----\] Warning! Criterion has detected' "$work/$name/out" | tail -n 40 >&2
        show_logs "${logs[@]}"
    fi
done

# ---- the programs -----------------------------------------------------------------------------
# small_size NAME: the small size from sizes.txt, else the minimum of the manual build's --help.
small_size() {
    local s
    s=$(awk -v p="$1" '$1 == p && NF >= 3 { print $2; exit }' bench/discover/sizes.txt 2>/dev/null)
    if [ -z "$s" ]; then
        s=$("$B/manual/$1" --help 2>/dev/null | sed -n 's/.*: \([0-9][0-9]*\)\.\.[0-9].*/\1/p' | head -n 1)
        echo "heaplab: notice: $1 is not in bench/discover/sizes.txt: valgrind runs it at its minimum, ${s:-its default}" >&2
    fi
    echo "$s"
}

checks=()   # "binary size" per run
for src in programs/*.c; do
    p=$(basename "$src" .c)
    size=$(small_size "$p")
    for v in manual owned; do checks+=("$B/$v/$p|$size"); done
    [ -x "$B/peers/c/$p" ] && checks+=("$B/peers/c/$p|$size")
done
for peer in "$B"/peers/c/*; do   # a peer without an API program still runs
    p=$(basename "$peer")
    [ -f "programs/$p.c" ] || { [ -x "$peer" ] && checks+=("$peer|$(small_size "$p")"); }
done

# run_one INDEX BINARY SIZE: writes $work/prog.INDEX.rc and its log.
run_one() {
    local i=$1 bin=$2 size=$3
    if [ ! -x "$bin" ]; then
        echo "not built" >"$work/prog.$i.rc"
        return
    fi
    timeout -k 10 300 "${vg[@]}" --log-file="$work/prog.$i.log" "$bin" ${size:+"$size"} >/dev/null 2>"$work/prog.$i.err"
    echo $? >"$work/prog.$i.rc"
}
for i in "${!checks[@]}"; do
    IFS='|' read -r bin size <<<"${checks[$i]}"
    run_one "$i" "$bin" "$size" &
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
done
wait
prog_passed=$passed
for i in "${!checks[@]}"; do
    IFS='|' read -r bin size <<<"${checks[$i]}"
    rc=$(cat "$work/prog.$i.rc" 2>/dev/null || echo "no status")
    if [ "$rc" = 0 ] && ! grep -q 'ERROR SUMMARY: [1-9]' "$work/prog.$i.log"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        case $rc in
            99) why="memcheck errors" ;;
            124 | 137) why="timed out" ;;
            "not built") why="not built (run make)" ;;
            *) why="exit status $rc" ;;
        esac
        echo "valgrind: FAIL $bin $size: $why" >&2
        [ -f "$work/prog.$i.err" ] && tail -n 5 "$work/prog.$i.err" >&2
        show_logs "$work/prog.$i.log"
    fi
done
echo "valgrind: $((passed - prog_passed)) of ${#checks[@]} program runs clean (manual, owned and the plain C peers at their small sizes)" >&2
echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
