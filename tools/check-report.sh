#!/usr/bin/env bash
# tools/check-report.sh: `heaplab report` checked in a real browser. `make test` runs it.
#
#   tools/check-report.sh                          the test (prints "report: N passed, N failed")
#   tools/check-report.sh --screenshot DIR PNG     write a screenshot of DIR/report.html to PNG
#                                                  (docs/report.png is made this way from results/)
#
# The test makes small results quickly in a private directory (bench --size small --reps 1 on two
# programs, a sweep with two heap limits, safety on two faults, and a stack_vs_heap.json written
# here with made-up figures), runs `heaplab claims` and `heaplab report` on them, and checks:
#   - the page references nothing outside itself (every src/href is a data: URI or an #anchor);
#   - headless Chromium loads it with no console message at all (the page has no script, so any
#     message is an error), and a control page with a console error is seen as failing;
#   - every section (the ids of hlb_report_sections) is in the DOM Chromium built, the claims
#     table has a row per claim and the safety cells carry their evidence in <details>;
#   - a screenshot can be taken.
# Chromium is Debian's `chromium`, installed with apt-get when missing and running as root;
# otherwise the browser checks are skipped with a notice (the file checks still run).
set -u
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
heaplab=$B/heaplab
export HEAPLAB_ROOT=$PWD

sections=(provenance bench decomposition rust plots sweep safety claims programs)
nclaims=15

# Chromium's flags for a quiet, isolated, offline run (the profile directory is made fresh).
chrome() {
    local profile
    profile=$(mktemp -d)
    timeout 120 "$browser" --headless --disable-gpu --no-sandbox --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --disable-quic \
        --user-data-dir="$profile" --enable-logging=stderr --v=0 "$@"
    local rc=$?
    rm -rf "$profile"
    return $rc
}

find_browser() {
    browser=$(command -v chromium || command -v chromium-browser || true)
    if [ -z "$browser" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "report: installing chromium (apt-get install chromium) for the browser checks" >&2
        export DEBIAN_FRONTEND=noninteractive
        if ! apt-get install -y -q --no-install-recommends chromium >/tmp/heaplab-apt-chromium.log 2>&1; then
            apt-get update -q >>/tmp/heaplab-apt-chromium.log 2>&1 &&
                apt-get install -y -q --no-install-recommends chromium >>/tmp/heaplab-apt-chromium.log 2>&1
        fi
        browser=$(command -v chromium || true)
    fi
}

if [ "${1:-}" = --screenshot ]; then
    if [ $# -ne 3 ] || [ ! -f "$2/report.html" ]; then
        echo "usage: tools/check-report.sh --screenshot DIR PNG (DIR/report.html must exist)" >&2
        exit 2
    fi
    find_browser
    [ -n "$browser" ] || { echo "report: error: chromium is not installed (apt-get install chromium)" >&2; exit 1; }
    out=$(realpath -m "$3")
    chrome --hide-scrollbars --window-size=1280,1700 --screenshot="$out" "file://$(realpath "$2")/report.html" \
        >/dev/null 2>&1 && [ -s "$out" ] && { echo "report: wrote $3" >&2; exit 0; }
    echo "report: error: chromium could not take the screenshot" >&2
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
failed() { echo "report: FAILED: $*" >&2; fail=$((fail + 1)); }
check() { # check DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@"; then ok; else failed "$what"; fi
}

# ---- results, made quickly ----------------------------------------------------------------------
r=$tmp/results
log=$tmp/heaplab.log
check "heaplab bench --size small on two programs" \
    "$heaplab" bench --programs binary_trees,vec_grow --size small --reps 1 --warmup 0 --out "$r" >/dev/null 2>>"$log"
check "heaplab sweep with two factors" \
    "$heaplab" sweep binary_trees --size small --reps 1 --factors 2,4 --out "$r" >/dev/null 2>>"$log"
check "heaplab safety on two faults" \
    "$heaplab" safety --faults leak,null_deref --out "$r" >/dev/null 2>>"$log"
# stack_vs_heap's figures, made up (claims then runs nothing), with text that must be escaped.
cat >"$r/stack_vs_heap.json" <<'EOF'
{"kind": "stack_vs_heap", "runs": [
  {"runtime": "manual<b>", "rounds": 5, "calls_per_round": 100000,
   "ways": {"c_locals": {"median_s": 0.010, "min_s": 0.009, "max_s": 0.011},
            "api_stack": {"median_s": 0.012, "min_s": 0.011, "max_s": 0.013},
            "api_heap": {"median_s": 0.031, "min_s": 0.030, "max_s": 0.033}},
   "ratio_api_stack_to_c": 1.2, "ratio_api_heap_to_c": 3.1, "stack_limit_bytes": 8388608,
   "frames": [{"local_bytes": 16, "frame_bytes": 64, "max_depth": 130000},
              {"local_bytes": 4096, "frame_bytes": 4160, "max_depth": 2000}],
   "vla": {"requested_bytes": [1024, 65536], "frame_bytes": [1104, 65616]}}]}
EOF
check "heaplab claims --format json" \
    "$heaplab" claims --results "$r" --out "$r" --format json >"$tmp/claims.json" 2>>"$log"
check "claims.json has one verdict per claim" \
    test "$(grep -c '"verdict": "' "$r/claims.json")" = "$nclaims"
check "claims read the stack figures (the stack is very fast: holds)" \
    grep -q '"claim": "The stack is very fast", "source": "[^"]*", "evidence": "[^"]*", "figure": "[^"]*", "verdict": "holds"' "$r/claims.json"
check "heaplab report --out DIR" "$heaplab" report --out "$r" 2>>"$log"
html=$r/report.html
check "report.html written" test -s "$html"

# ---- the file itself ----------------------------------------------------------------------------
external=$(grep -oE '(src|href)="[^"]*"' "$html" | grep -vE '(src|href)="(data:|#)' || true)
check "report.html references nothing outside itself${external:+: $external}" test -z "$external"
check "report.html has no script" bash -c "! grep -qi '<script' '$html'"
check "text from results files is escaped" bash -c "grep -q 'manual&lt;b&gt;' '$html' && ! grep -q 'manual<b>' '$html'"
for s in "${sections[@]}"; do
    check "section #$s in report.html" grep -q "<section id=\"$s\">" "$html"
done

# ---- in the browser -----------------------------------------------------------------------------
find_browser
if [ -z "$browser" ]; then
    echo "report: notice: chromium is not installed and cannot be (not root, or apt-get failed): the browser" \
        "checks are skipped (apt-get install chromium)" >&2
else
    # The control: a console error must be seen.
    printf '<!DOCTYPE html><title>control</title><script>console.error("heaplab-control")</script>\n' >"$tmp/control.html"
    chrome --dump-dom "file://$tmp/control.html" >/dev/null 2>"$tmp/control.err"
    check "the console check sees a console error (control page)" grep -q 'CONSOLE.*heaplab-control' "$tmp/control.err"

    chrome --dump-dom "file://$html" >"$tmp/dom.html" 2>"$tmp/chrome.err"
    check "chromium loads report.html" test -s "$tmp/dom.html"
    console=$(grep 'CONSOLE' "$tmp/chrome.err" || true)
    check "no console message while loading report.html${console:+: $console}" test -z "$console"
    for s in "${sections[@]}"; do
        check "section #$s in the DOM" grep -q "<section id=\"$s\">" "$tmp/dom.html"
    done
    check "the claims table has a row per claim" test "$(grep -o '<td class="verdict ' "$tmp/dom.html" | wc -l)" = "$nclaims"
    check "safety cells carry their evidence in <details>" grep -q '<details><summary>leak reported</summary>' "$tmp/dom.html"
    chrome --hide-scrollbars --window-size=1280,1700 --screenshot="$tmp/report.png" "file://$html" >/dev/null 2>&1
    check "a screenshot is taken" bash -c "[ -s '$tmp/report.png' ] && head -c 8 '$tmp/report.png' | grep -q PNG"
fi

if [ "$fail" -gt 0 ]; then
    echo "report: heaplab's messages:" >&2
    tail -n 20 "$log" >&2
fi
echo "report: $pass passed, $fail failed" >&2
[ "$fail" -eq 0 ]
