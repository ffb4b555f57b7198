#!/usr/bin/env bash
# tools/run-tests.sh SUITE...: run every Criterion suite, even after a failure, and fail if
# any failed. Each suite prints its own "Synthesis" line (on stderr); this adds a summary.
set -u
failed=()
for t in "$@"; do
    echo "== $t" >&2
    "$t" --jobs 2 || failed+=("$t")
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "heaplab: FAILED suites: ${failed[*]}" >&2
    exit 1
fi
echo "heaplab: all ${#} suites passed" >&2
