#!/usr/bin/env bash
# tools/check-pkgconfig.sh: build an outside program against each runtime with nothing but
# pkg-config (in-tree .pc files, then an installed copy) and check its output.
# Prints "pkgconfig: N passed, N failed" and fails if any failed.
set -u
cd "$(dirname "$0")/.."
src=tests/outside/list_sum.c
want="sum=500500 null=1 leaks=0"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
pass=0 fail=0
check() {   # check LABEL PKG_CONFIG_PATH RUNTIME
    local exe="$out/$1-$3" got
    # shellcheck disable=SC2046
    if cc -std=c11 -Wall -Wextra -Werror "$src" -o "$exe" $(PKG_CONFIG_PATH=$2 pkg-config --cflags --libs "heaplab-$3") &&
        got=$("$exe") && [ "$got" = "$want" ]; then
        pass=$((pass + 1))
    else
        echo "pkgconfig: FAILED: $1 heaplab-$3 (got '${got:-}', want '$want')" >&2
        fail=$((fail + 1))
    fi
}
for rt in manual gc owned; do check in-tree build/pkgconfig "$rt"; done
if make -s install PREFIX="$out/prefix" >/dev/null; then
    for rt in manual gc owned; do check installed "$out/prefix/lib/pkgconfig" "$rt"; done
else
    echo "pkgconfig: FAILED: make install" >&2
    fail=$((fail + 1))
fi
echo "pkgconfig: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
