#!/usr/bin/env bash
# tools/check-readme.sh RUNTIME...: keep the README's API example true. `make test` runs it with
# the Makefile's RUNTIMES.
#
# README.md marks three fenced blocks with HTML comments (`<!-- check-readme: NAME -->` before
# the fence, `<!-- check-readme: end -->` after it):
#   example.c      the example program; one line carries the comment `/* BUG: ...`
#   owned-stderr   what owned prints on stderr when that line runs
#   stdout         what the program prints without that line
# For each runtime the example is compiled through pkg-config (build/pkgconfig), as an outside
# program would be, in two variants:
#   correct (the BUG line removed)  every runtime: exit 0, stdout as shown, nothing on stderr;
#   as shown                        owned: exit 101 and exactly the stderr shown (file:line
#                                   included); owned-fast: exit 101 and only the first two lines
#                                   of it (that level records no allocation or move sites); on
#                                   the other runtimes the misuse is undefined behaviour, so that
#                                   variant is only compiled (and counts as passed if it does).
# A fourth block, safety, is the safety matrix: it must be what `build/heaplab safety` finds on
# this machine, in the columns both have (a column needs its tool: ASan, Valgrind).
# Prints "readme: N passed, N failed" and fails if any check failed.
set -u
if [ $# -eq 0 ]; then
    echo "usage: tools/check-readme.sh RUNTIME... (make test passes the Makefile's RUNTIMES)" >&2
    exit 2
fi
cd "$(dirname "$0")/.." || exit 2
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
failed() { echo "readme: FAILED: $*" >&2; fail=$((fail + 1)); }

# The lines of the fenced block marked NAME in README.md, without the fences.
block() {
    awk -v start="<!-- check-readme: $1 -->" '
        $0 == start { on = 1; next }
        on && $0 == "<!-- check-readme: end -->" { exit }
        on && !/^```/ { print }' README.md
}

example=$(block example.c)
want_err=$(block owned-stderr)
want_out=$(block stdout)
for b in example.c owned-stderr stdout; do
    if ! grep -qx "<!-- check-readme: $b -->" README.md; then
        failed "README.md has no block marked '<!-- check-readme: $b -->'"
    fi
done
if [ "$(printf '%s\n' "$example" | grep -c '/\* BUG:')" != 1 ]; then
    failed "the README example must have exactly one line marked '/* BUG:'"
fi
if [ "$fail" -ne 0 ]; then
    echo "readme: $pass passed, $fail failed"
    exit 1
fi
mkdir -p "$tmp/shown" "$tmp/correct"
printf '%s\n' "$example" >"$tmp/shown/example.c"
printf '%s\n' "$example" | grep -v '/\* BUG:' >"$tmp/correct/example.c"

# build VARIANT RUNTIME: compile VARIANT/example.c in its own directory (so that diagnostics name
# `example.c`, as the README shows) into VARIANT/example-RUNTIME.
build() {
    local flags
    if ! flags=$(PKG_CONFIG_PATH="$root/build/pkgconfig" pkg-config --cflags --libs "heaplab-$2" 2>&1); then
        failed "$2: pkg-config heaplab-$2: $flags"
        return 1
    fi
    # shellcheck disable=SC2086
    if ! (cd "$tmp/$1" && ${CC:-cc} -std=c11 -Wall -Wextra -Werror example.c -o "example-$2" $flags); then
        failed "$2: the $1 example does not compile"
        return 1
    fi
}

# run VARIANT RUNTIME: sets status, out, err.
run() {
    (cd "$tmp/$1" && timeout 60 "./example-$2" >"$tmp/out" 2>"$tmp/err")
    status=$?
    out=$(cat "$tmp/out")
    err=$(cat "$tmp/err")
}

for rt in "$@"; do
    if build correct "$rt"; then
        run correct "$rt"
        if [ "$status" -ne 0 ] || [ "$out" != "$want_out" ] || [ -n "$err" ]; then
            failed "$rt: correct example: exit $status, stdout '$out' (want '$want_out'), stderr '$err' (want none)"
        else
            pass=$((pass + 1))
        fi
    fi
    case $rt in
        owned) expect=$want_err ;;
        owned-fast) expect=$(printf '%s\n' "$want_err" | head -n 2) ;;
        *) expect= ;;
    esac
    if ! build shown "$rt"; then
        :
    elif [ -z "$expect" ]; then
        pass=$((pass + 1))   # compiled; running it would be undefined behaviour
    else
        run shown "$rt"
        if [ "$status" -ne 101 ] || [ "$err" != "$expect" ]; then
            failed "$rt: use-after-move example: exit $status (want 101), stderr:
$err
want:
$expect"
        else
            pass=$((pass + 1))
        fi
    fi
done
# The rows of a Markdown table on stdin, cut to the columns named in $1 ("a|b|...|"), each
# row as "cell|cell|...|"; the separator row is skipped.
cut_to() {
    awk -F'|' -v cols="$1" '
        BEGIN { n = split(cols, c, "|") }
        !/^\|/ { next }
        /^\| *---/ { next }
        !seen++ { for (i = 2; i < NF; i++) { h = $i; gsub(/^ +| +$/, "", h); at[h] = i } }
        { line = ""; for (j = 1; j < n; j++) { v = $(at[c[j]]); gsub(/^ +| +$/, "", v); line = line v "|" } print line }'
}
want_safety=$(block safety)
if [ -z "$want_safety" ]; then
    failed "README.md has no block marked '<!-- check-readme: safety -->'"
elif ! got_safety=$(build/heaplab safety 2>/dev/null) || [ -z "$got_safety" ]; then
    failed "safety: build/heaplab safety failed (run make first)"
else
    header() { printf '%s\n' "$1" | grep -m1 '^| fault |' | tr -d ' ' | cut -d'|' -f2- ; }
    common=
    for col in $(header "$want_safety" | tr '|' ' '); do
        case "|$(header "$got_safety")" in *"|$col|"*) common="$common$col|" ;; esac
    done
    if diff <(printf '%s\n' "$want_safety" | cut_to "$common") <(printf '%s\n' "$got_safety" | cut_to "$common") >"$tmp/safety.diff"; then
        pass=$((pass + 1))
    else
        failed "safety: the README's matrix differs from build/heaplab safety (README <, measured >):
$(cat "$tmp/safety.diff")"
    fi
fi

echo "readme: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
