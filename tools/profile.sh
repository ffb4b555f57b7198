#!/usr/bin/env bash
# tools/profile.sh [OUTDIR]: callgrind profiles of every workload program on every runtime
# variant, the raw material of docs/performance.md. Instruction counts under callgrind repeat
# exactly from run to run whatever else the machine is doing, so every figure on that page can
# be reproduced with this script (they are not wall time: see the page).
#
# Runs `valgrind --tool=callgrind build/<variant>/<program> <small size>` (sizes from the
# "small" column of the driver's sizes.txt) in an empty environment (PATH only: no
# HEAPLAB_STATS, as in a timed bench run; the same environment size every time, so the counts
# repeat exactly), and
# writes into OUTDIR (default /tmp/heaplab-profile):
#   totals.tsv          program, variant, instructions (callgrind's "totals"), checksum line
#   ratios.md           instructions as ratios to plain C (c), plus gc against c+gc, geomeans
#   top.md              per run, the TOP functions by self instructions, inlined code merged
#                       into the function it was inlined into, recursion levels ('2) merged
#   cg/P.V.out          the callgrind files (open with callgrind_annotate or kcachegrind)
#   annotate/P.V.txt    callgrind_annotate, self cost, every line (file:function, so code
#                       inlined from a header shows under the header's name)
#   annotate/P.V.incl.txt  the same with --inclusive=yes
#   split.md, split.tsv per run, instructions by origin: the workload, the API's inline fast
#                       paths, the runtime, glibc malloc, Boehm, Rust's allocator shims, other
#   meta.txt            date, commit, tool versions, sizes
# Boehm's internal functions (GC_mark_from, ...) are named from tools/libgc-8.2.2-3-amd64.sym
# when the installed libgc is that build; otherwise they keep callgrind's bare addresses.
# Environment: PROGRAMS, VARIANTS (space-separated subsets), JOBS (parallel runs, default 1;
# counts do not depend on it), TOP (functions per run, default 12).
# Needs a build (`make -j2 all`) and valgrind.
set -u
cd "$(dirname "$0")/.." || exit 2
out=${1:-/tmp/heaplab-profile}
all_programs="binary_trees fifo_queue word_freq lru_cache ast_fold vec_grow graph_arena alloc_mix"
all_variants="c manual c+gc gc owned-off owned-fast owned rust"
programs=${PROGRAMS:-$all_programs}
variants=${VARIANTS:-$all_variants}
jobs=${JOBS:-1}
top=${TOP:-12}

die() { echo "profile.sh: error: $*" >&2; exit 2; }
[ $# -le 1 ] || die "at most one argument, the output directory (got $#)"
if ! command -v valgrind >/dev/null || ! command -v callgrind_annotate >/dev/null; then
    die "valgrind (with callgrind_annotate) is not installed"
fi
case $jobs in '' | *[!0-9]* | 0) die "JOBS must be a positive integer (got '$jobs')" ;; esac
case $top in '' | *[!0-9]* | 0) die "TOP must be a positive integer (got '$top')" ;; esac

# A variant's binary directory under build/.
variant_dir() {
    case $1 in
        c | c+gc | rust) echo "peers/$1" ;;
        manual | gc | owned-off | owned-fast | owned) echo "$1" ;;
        *) return 1 ;;
    esac
}
# The driver's size table (bench/discover/sizes.txt; bench/sizes.txt in older trees).
sizes=bench/discover/sizes.txt
[ -f "$sizes" ] || sizes=bench/sizes.txt
small_size() { awk -v p="$1" '$1 == p { print $2; exit }' "$sizes"; }

for v in $variants; do variant_dir "$v" >/dev/null || die "unknown variant '$v' (known: $all_variants)"; done
for p in $programs; do
    case " $all_programs " in *" $p "*) ;; *) die "unknown program '$p' (known: $all_programs)" ;; esac
    [ -n "$(small_size "$p")" ] || die "no size for $p in $sizes"
    for v in $variants; do
        [ -x "build/$(variant_dir "$v")/$p" ] || die "build/$(variant_dir "$v")/$p is not built (run make -j2 all)"
    done
done
# Figures belong to a commit only if the profiled binaries were built from it.
targets=$(for p in $programs; do for v in $variants; do printf 'build/%s/%s ' "$(variant_dir "$v")" "$p"; done; done)
build_state="up to date with the work tree"
# shellcheck disable=SC2086  # one word per target
if ! make -q $targets >/dev/null 2>&1; then
    build_state="OLDER than the sources (run make -j2 all): these figures are not the work tree's"
    echo "profile.sh: notice: some profiled binaries are older than their sources; run make -j2 all first" >&2
fi
mkdir -p "$out/cg" "$out/annotate" "$out/runs" || die "cannot create $out"
[ -w "$out" ] || die "$out is not writable"

# Boehm's library exports only its public symbols. When the installed library is the one that
# tools/libgc-8.2.2-3-amd64.sym describes (every exported symbol at the same address), its
# internal functions, which callgrind names by address, are renamed from that list.
gcmap=tools/libgc-8.2.2-3-amd64.sym gclib=
if [ -f "$gcmap" ] && [ -x "build/gc/binary_trees" ]; then
    gclib=$(ldd build/gc/binary_trees 2>/dev/null | awk '/libgc\.so/ { print $3; exit }')
    [ -n "$gclib" ] && gclib=$(readlink -f "$gclib")
    if [ -z "$gclib" ] || [ -n "$(join -1 2 -2 4 -a 1 -e none -o 1.1,2.1 \
        <(nm -D --defined-only "$gclib" 2>/dev/null | awk '$2 ~ /^[TWi]$/ { print $1, $3 }' | sort -k 2,2) \
        <(grep -v '^#' "$gcmap" | sort -k 4,4) | awk '$1 != $2')" ]; then
        echo "profile.sh: notice: ${gclib:-libgc} is not the library $gcmap describes; its internal functions keep their addresses" >&2
        gclib=
    fi
fi

# Rename the bare addresses of gclib's functions in callgrind file $1 (fn= lines in gclib's
# ob= context, cfn= lines after a cob= naming it) to the function holding that address.
name_libgc() {
    [ -n "$gclib" ] || return 0
    awk -v lib="$gclib" '
        function hex(s,   i, n) { n = 0; s = tolower(s); for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return n }
        FILENAME != ARGV[2] { if ($0 !~ /^#/) { k++; lo[k] = hex($1); hi[k] = lo[k] + hex($2); nm[k] = $4 }; next }
        function lookup(a,   l, h, m) {
            l = 1; h = k
            while (l < h) { m = int((l + h + 1) / 2); if (lo[m] <= a) l = m; else h = m - 1 }
            if (lo[l] <= a && a < hi[l]) return a == lo[l] ? nm[l] : sprintf("%s+0x%x", nm[l], a - lo[l])
            return ""
        }
        function rename(line, key, inlib,   rest, a, suffix, n) {
            if (!inlib || !match(line, /\) 0x[0-9a-f]+/)) return line
            rest = substr(line, RSTART + 2); a = substr(rest, 3, RLENGTH - 4)
            suffix = substr(rest, RLENGTH - 1)
            n = lookup(hex(a))
            return n == "" ? line : substr(line, 1, RSTART + 1) n suffix
        }
        /^ob=/  { split($0, o, /[()]/); if ($0 ~ /\) /) obj[o[2]] = substr($0, index($0, ") ") + 2); cur = obj[o[2]]; print; next }
        /^cob=/ { split($0, o, /[()]/); if ($0 ~ /\) /) obj[o[2]] = substr($0, index($0, ") ") + 2); callee = obj[o[2]]; print; next }
        /^fn=/  { print rename($0, "fn", cur == lib); next }
        /^cfn=/ { print rename($0, "cfn", (callee != "" ? callee : cur) == lib); callee = ""; next }
        { print }' "$gcmap" "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}

# One run: the callgrind file, both annotations, the checksum line.
profile_one() {
    local p=$1 v=$2 base="$out/cg/$1.$2.out" size
    size=$(small_size "$p")
    if ! env -i PATH=/usr/bin:/bin valgrind --tool=callgrind --callgrind-out-file="$base" \
        "build/$(variant_dir "$v")/$p" "$size" >"$out/runs/$p.$v.stdout" 2>"$out/runs/$p.$v.stderr"; then
        echo "profile.sh: $p on $v failed (see $out/runs/$p.$v.stderr)" >&2
        return 1
    fi
    name_libgc "$base" || return 1
    callgrind_annotate --auto=no --threshold=100 "$base" >"$out/annotate/$p.$v.txt" &&
        callgrind_annotate --auto=no --threshold=100 --inclusive=yes "$base" >"$out/annotate/$p.$v.incl.txt"
}
export -f profile_one name_libgc variant_dir small_size
export out gclib gcmap sizes

echo "profile.sh: $(echo "$programs" | wc -w) programs x $(echo "$variants" | wc -w) variants into $out" >&2
# shellcheck disable=SC2016  # $0 and $1 are expanded by the inner bash
for p in $programs; do for v in $variants; do printf '%s %s\n' "$p" "$v"; done; done |
    xargs -P "$jobs" -L 1 bash -c 'profile_one "$0" "$1" && echo "  $0 $1" >&2' || die "some runs failed"

# totals.tsv: callgrind's totals line; the checksum line is the program's last stdout line.
{
    printf 'program\tvariant\tinstructions\tchecksum\n'
    for p in $programs; do for v in $variants; do
        printf '%s\t%s\t%s\t%s\n' "$p" "$v" "$(awk '/^totals:/ { print $2 }' "$out/cg/$p.$v.out")" \
            "$(tail -n 1 "$out/runs/$p.$v.stdout")"
    done; done
} >"$out/totals.tsv"
# Every variant must have computed the same thing as the first one.
awk -F'\t' 'NR > 1 { if (!($1 in ref)) ref[$1] = $4; else if ($4 != ref[$1]) { print "profile.sh: warning: " $1 " on " $2 " printed a different checksum line" > "/dev/stderr" } }' "$out/totals.tsv"

# ratios.md: each variant against c (and gc against c+gc), geomean over programs.
awk -F'\t' -v vars="$variants" '
    NR == 1 { next }
    { ir[$1, $2] = $3; if (!seen[$1]++) progs[++np] = $1 }
    END {
        nv = split(vars, v, " ")
        hdr = "| program | c (instructions) |"; sep = "| --- | ---: |"
        for (j = 1; j <= nv; j++) if (v[j] != "c") { hdr = hdr " " v[j] " |"; sep = sep " ---: |" }
        gcpair = index(" " vars " ", " gc ") && index(" " vars " ", " c+gc ")
        if (gcpair) { hdr = hdr " gc / c+gc |"; sep = sep " ---: |" }
        print hdr; print sep
        for (i = 1; i <= np; i++) {
            p = progs[i]; c = ir[p, "c"]; line = "| " p " | " (c ? sprintf("%.1fM", c / 1e6) : "-") " |"
            for (j = 1; j <= nv; j++) if (v[j] != "c") {
                r = c ? ir[p, v[j]] / c : 0
                line = line (c ? sprintf(" %.2fx |", r) : " - |")
                if (c) { lg[v[j]] += log(r); n[v[j]]++ }
            }
            if (gcpair) { r = ir[p, "gc"] / ir[p, "c+gc"]; line = line sprintf(" %.2fx |", r); lg["gc/c+gc"] += log(r); n["gc/c+gc"]++ }
            print line
        }
        line = "| **geomean** | |"
        for (j = 1; j <= nv; j++) if (v[j] != "c") line = line (n[v[j]] ? sprintf(" %.2fx |", exp(lg[v[j]] / n[v[j]])) : " - |")
        if (gcpair) line = line sprintf(" %.2fx |", exp(lg["gc/c+gc"] / n["gc/c+gc"]))
        print line
    }' "$out/totals.tsv" >"$out/ratios.md"

# top.md: self cost per function, with inlined header code and recursion levels merged.
{
    echo "# Top $top functions by self instructions, per program and variant"
    echo
    echo "Inlined code is counted in the function it was inlined into; recursion levels merged."
    for p in $programs; do for v in $variants; do
        echo
        echo "## $p on $v ($(awk '/^totals:/ { printf "%.1fM", $2 / 1e6 }' "$out/cg/$p.$v.out") instructions)"
        echo
        echo '| instructions | % | function |'
        echo '| ---: | ---: | --- |'
        awk '
            /PROGRAM TOTALS/ { gsub(",", "", $1); print "TOTAL\t" $1; next }
            /^ *[0-9,]+ \( *[0-9.]+%\)  / {
                n = $1; gsub(",", "", n)
                f = $0; sub(/^ *[0-9,]+ \( *[0-9.]+%\)  /, "", f)
                sub(/ \[[^]]*\]$/, "", f)         # the object file
                sub(/^[^:]*:/, "", f)             # the source file (Rust names hold "::")
                sub(/\047[0-9]+$/, "", f)          # the recursion level
                sub(/\+0x[0-9a-f]+$/, "", f)      # an offset into a libgc function
                cost[f] += n
            }
            END { for (f in cost) print f "\t" cost[f] }' "$out/annotate/$p.$v.txt" |
            sort -t "$(printf '\t')" -k2,2nr -k1,1 |
            awk -F'\t' -v top="$top" '
                function commas(x,   s) { s = sprintf("%d", x); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); return s }
                $1 == "TOTAL" { total = $2; next }
                k++ < top { printf "| %s | %.1f%% | `%s` |\n", commas($2), 100 * $2 / total, $1 }'
    done; done
} >"$out/top.md"

# split.md: each run's instructions by where the code comes from (self cost of every
# file:function line of the annotation, classified by its source file and function name):
#   program  the workload's own code (programs/, bench/peers/; in the Rust peer every function
#            of its binary but the allocator shims, so std code inlined into it counts here)
#   API      the API's inline fast paths compiled into the program (include/heaplab*): on owned
#            the handle checks, borrows and releases
#   runtime  the runtime's out-of-line code (runtimes/): drop glue, the owned handle table
#   malloc   glibc's allocator (malloc/malloc.c, arena.c)
#   Boehm    libgc, with the __tls_get_addr call its shared library makes on every allocation
#   Rust alloc  the Rust allocator shims (__rustc::__rdl_alloc, ...) between Box/Vec and malloc
#   other    libc string and stdio functions (memset, memcpy, printf), the dynamic loader
{
    printf 'program\tvariant\tprogram\tAPI\truntime\tmalloc\tBoehm\tRust alloc\tother\n'
    for p in $programs; do for v in $variants; do
        awk -v prog="$p" -v var="$v" '
            /^ *[0-9,]+ \( *[0-9.]+%\)  / && !/PROGRAM TOTALS/ {
                n = $1; gsub(",", "", n)
                f = $0; sub(/^ *[0-9,]+ \( *[0-9.]+%\)  /, "", f); sub(/ \[[^]]*\]$/, "", f)
                file = f; sub(/:.*$/, "", file); fn = substr(f, length(file) + 2)
                if (fn ~ /^__rustc::/) c = 6
                else if (file ~ /(^|\/)(programs|bench\/peers)\//) c = 1
                else if (var == "rust" && file !~ /^\.\//) c = 1
                else if (file ~ /(^|\/)include\/heaplab/) c = 2
                else if (file ~ /(^|\/)runtimes\//) c = 3
                else if (file ~ /^\.\/malloc\//) c = 4
                else if (fn ~ /^(GC_|0x)/ || (fn == "__tls_get_addr" && var ~ /gc$/)) c = 5
                else c = 7
                sum[c] += n
            }
            END { printf "%s\t%s", prog, var; for (c = 1; c <= 7; c++) printf "\t%d", sum[c]; printf "\n" }' \
            "$out/annotate/$p.$v.txt"
    done; done
} >"$out/split.tsv"
awk -F'\t' '
    NR == 1 { printf "| program | variant | total |"; for (c = 3; c <= NF; c++) printf " %s |", $c; printf "\n| --- | --- | ---: |"; for (c = 3; c <= NF; c++) printf " ---: |"; printf "\n"; next }
    { t = 0; for (c = 3; c <= NF; c++) t += $c
      printf "| %s | %s | %.1fM |", $1, $2, t / 1e6
      for (c = 3; c <= NF; c++) printf ($c >= 5e4 ? " %.1fM |" : " |"), $c / 1e6
      printf "\n" }' "$out/split.tsv" >"$out/split.md"

{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "commit: $(git describe --always --dirty 2>/dev/null || echo unknown)"
    echo "build: $build_state"
    echo "valgrind: $(valgrind --version)"
    echo "gcc: $(gcc --version | head -n 1)"
    echo "glibc: $(ldd --version 2>&1 | head -n 1)"
    echo "libgc: $(pkg-config --modversion bdw-gc 2>/dev/null || echo unknown)"
    echo "rustc: $(rustc --version 2>/dev/null || echo 'not installed')"
    echo "kernel: $(uname -sr)"
    if [ -n "$gclib" ]; then echo "libgc internal names: from $gcmap for $gclib"
    else echo "libgc internal names: not available (bare addresses)"; fi
    echo "sizes (small column of $sizes):"
    for p in $programs; do echo "  $p $(small_size "$p")"; done
} >"$out/meta.txt"

echo "profile.sh: wrote $out/ratios.md, $out/split.md, $out/top.md, $out/totals.tsv" >&2
