#!/usr/bin/env bash
# tools/check-pkgconfig.sh RUNTIME...: build an outside program against each runtime with nothing
# but pkg-config (in-tree .pc files, then an installed copy) and check its output; check that
# `make install` writes everything it promises and that `make uninstall` takes it all back.
# `make test` passes the Makefile's RUNTIMES.
#
# The installed driver must find its programs under PREFIX/lib/heaplab by itself: `heaplab list`
# run from elsewhere is checked when HEAPLAB_CHECK_INSTALLED_LIST=1, or when the driver's
# `list --help` offers --build (set HEAPLAB_CHECK_INSTALLED_LIST=0 to skip it).
# Prints "pkgconfig: N passed, N failed" and fails if any failed.
set -u
if [ $# -eq 0 ]; then
    echo "usage: tools/check-pkgconfig.sh RUNTIME... (make test passes the Makefile's RUNTIMES)" >&2
    exit 2
fi
cd "$(dirname "$0")/.." || exit 2
src=tests/outside/list_sum.c
want="sum=500500 null=1 leaks=0"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
prefix=$out/prefix
pass=0 fail=0
failed() { echo "pkgconfig: FAILED: $*" >&2; fail=$((fail + 1)); }
# make, as a child of `make test`: the parent's jobserver descriptors are not passed to this
# script, so its reference to them is dropped (the nested make then keeps its own -j).
submake() {
    MAKEFLAGS=$(printf '%s' "${MAKEFLAGS:-}" | sed 's/--jobserver-[a-z]*=[^ ]*//g') make -s "$@"
}

check() {   # check LABEL PKG_CONFIG_PATH RUNTIME
    local exe="$out/$1-$3" got
    # shellcheck disable=SC2046
    if cc -std=c11 -Wall -Wextra -Werror "$src" -o "$exe" $(PKG_CONFIG_PATH=$2 pkg-config --cflags --libs "heaplab-$3") &&
        got=$("$exe") && [ "$got" = "$want" ]; then
        pass=$((pass + 1))
    else
        failed "$1 heaplab-$3 (got '${got:-}', want '$want')"
    fi
}

# Every file `make install` must write, relative to the prefix (tools/install.sh says why).
expected_files() {
    local rt p f v
    echo include/heaplab.h
    for f in include/heaplab/*.h; do echo "$f"; done
    echo bin/heaplab
    for rt in "$@"; do
        echo "lib/libheaplab-$rt.a"
        echo "lib/pkgconfig/heaplab-$rt.pc"
        for p in programs/*.c; do p=${p##*/}; echo "lib/heaplab/$rt/${p%.c}"; done
        for f in programs/faults/*.c; do f=${f##*/}; echo "lib/heaplab/$rt/faults/${f%.c}"; done
    done
    for f in build/asan/faults/*; do [ -f "$f" ] && echo "lib/heaplab/asan/faults/${f##*/}"; done
    for v in build/peers/*/; do
        [ -d "$v" ] || continue
        for p in programs/*.c; do
            p=${p##*/} && p=${p%.c}
            [ -x "$v$p" ] && echo "lib/heaplab/peers/$(basename "$v")/$p"
        done
    done
    echo lib/heaplab/sizes.txt
    echo share/doc/heaplab/README.md
    for f in docs/*.md; do echo "share/doc/heaplab/$f"; done
}

for rt in "$@"; do check in-tree build/pkgconfig "$rt"; done
if submake install PREFIX="$prefix" >/dev/null; then
    for rt in "$@"; do check installed "$prefix/lib/pkgconfig" "$rt"; done

    missing=0
    while IFS= read -r f; do
        if [ ! -f "$prefix/$f" ]; then
            failed "make install did not write $f"
            missing=1
        fi
    done < <(expected_files "$@")
    [ "$missing" -eq 0 ] && pass=$((pass + 1))
    for rt in "$@"; do
        if [ -x "$prefix/lib/heaplab/$rt/binary_trees" ] && "$prefix/lib/heaplab/$rt/binary_trees" 4 >/dev/null; then
            pass=$((pass + 1))
        else
            failed "installed lib/heaplab/$rt/binary_trees does not run"
        fi
    done

    # The installed driver, run from outside the tree with nothing telling it where it is.
    if (cd "$out" && env -u HEAPLAB_ROOT "$prefix/bin/heaplab" --help >/dev/null); then
        pass=$((pass + 1))
    else
        failed "installed heaplab --help"
    fi
    check_list=${HEAPLAB_CHECK_INSTALLED_LIST:-}
    if [ -z "$check_list" ]; then
        check_list=0
        (cd "$out" && env -u HEAPLAB_ROOT "$prefix/bin/heaplab" list --help 2>&1) | grep -q -- --build && check_list=1
    fi
    if [ "$check_list" = 1 ]; then
        if listing=$(cd "$out" && env -u HEAPLAB_ROOT "$prefix/bin/heaplab" list 2>&1) &&
            printf '%s\n' "$listing" | grep -q binary_trees; then
            pass=$((pass + 1))
        else
            failed "installed heaplab list (from $out) does not list binary_trees: $listing"
        fi
    else
        echo "pkgconfig: notice: installed 'heaplab list' not checked (HEAPLAB_CHECK_INSTALLED_LIST=1 checks it)" >&2
    fi

    if submake uninstall PREFIX="$prefix" >/dev/null; then
        if [ -e "$prefix" ]; then
            failed "make uninstall left: $(find "$prefix" | head -5 | tr '\n' ' ')"
        else
            pass=$((pass + 1))
        fi
    else
        failed "make uninstall"
    fi
else
    failed "make install"
fi
echo "pkgconfig: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
