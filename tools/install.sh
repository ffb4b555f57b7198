#!/usr/bin/env bash
# tools/install.sh install|uninstall: what `make install` and `make uninstall` do.
#
# The Makefile passes, in the environment: PREFIX (absolute), DESTDIR (may be empty), B (the
# build directory), RUNTIMES, PROGRAMS and FAULTS (its lists). Under $DESTDIR$PREFIX, install
# writes:
#   include/heaplab.h, include/heaplab/*.h        the API
#   lib/libheaplab-<rt>.a, lib/pkgconfig/heaplab-<rt>.pc
#   bin/heaplab                                   the driver; it finds lib/heaplab beside its bin/
#   lib/heaplab/<rt>/<program>, <rt>/faults/<fault>, asan/faults/<fault>,
#   lib/heaplab/peers/<variant>/<program>         (the peers that are built)
#   lib/heaplab/sizes.txt                         $B/sizes.txt, else bench/sizes.txt
#   share/doc/heaplab/README.md, share/doc/heaplab/docs/*.md   (README's links keep working)
#   lib/heaplab/install-manifest.txt              every file written and every directory created
# Uninstall reads the manifest and removes exactly those files, then those directories that
# are empty. A reinstall keeps the entries of the previous manifest, so that nothing an earlier
# install wrote is forgotten.
set -u
what=${1:-}
me="heaplab ${what:-install}"
die() { echo "$me: $*" >&2; exit 1; }

case $what in install | uninstall) ;; *) echo "usage: tools/install.sh install|uninstall" >&2; exit 2 ;; esac
[ -n "${PREFIX:-}" ] || die "PREFIX is empty"
case $PREFIX in /*) ;; *) die "PREFIX must be an absolute path (got '$PREFIX')" ;; esac
dest=${DESTDIR:-}$PREFIX
manifest=lib/heaplab/install-manifest.txt

# Manifest entries ("f PATH" or "d PATH", relative to the prefix; "d ." is the prefix itself).
entries=()
declare -A seen=()
record() {
    [ -n "${seen["$1 $2"]:-}" ] && return
    seen["$1 $2"]=1
    entries+=("$1 $2")
}

# Read an existing manifest into entries, refusing anything that could point outside the prefix.
read_manifest() {
    local kind rel
    while IFS= read -r line; do
        kind=${line%% *} rel=${line#* }
        case $kind in f | d) ;; *) die "$dest/$manifest: unreadable line '$line'" ;; esac
        case /$rel/ in */../* | //*) die "$dest/$manifest: refusing path '$rel'" ;; esac
        if [ -z "$rel" ] || [ "$rel" = "$line" ]; then die "$dest/$manifest: unreadable line '$line'"; fi
        record "$kind" "$rel"
    done <"$dest/$manifest"
}

if [ "$what" = uninstall ]; then
    [ -f "$dest/$manifest" ] || die "nothing to remove: no $dest/$manifest (installed with another PREFIX?)"
    read_manifest
    files=0 dirs=0
    for e in "${entries[@]}"; do
        [ "${e%% *}" = f ] || continue
        rel=${e#* }
        [ "$rel" = "$manifest" ] && continue
        if [ -e "$dest/$rel" ] || [ -L "$dest/$rel" ]; then
            rm -f "$dest/$rel" || die "cannot remove $dest/$rel"
            files=$((files + 1))
        fi
    done
    rm -f "$dest/$manifest" || die "cannot remove $dest/$manifest"
    files=$((files + 1))
    # Deepest directories first; one still holding something else stays.
    while IFS= read -r rel; do
        [ "$rel" = . ] && path=$dest || path=$dest/$rel
        [ -d "$path" ] || continue
        if rmdir "$path" 2>/dev/null; then
            dirs=$((dirs + 1))
        else
            echo "$me: kept $path: not empty" >&2
        fi
    done < <(for e in "${entries[@]}"; do
        [ "${e%% *}" = d ] || continue
        rel=${e#* } slashes=${e//[!\/]/}
        printf '%d\t%s\n' "$([ "$rel" = . ] && echo 0 || echo $((${#slashes} + 1)))" "$rel"
    done | sort -rn | cut -f2-)
    echo "$me: removed $files files and $dirs directories from $dest"
    exit 0
fi

# ---- install ---------------------------------------------------------------------------------
: "${B:?}" "${RUNTIMES:?}" "${PROGRAMS:?}" "${FAULTS:?}"
[ -f "$dest/$manifest" ] && read_manifest

# Create directory REL (relative to the prefix) and its missing parents, recording each one
# created.
mkdir_rec() {
    local path='' part
    if [ ! -d "$dest" ]; then
        mkdir -p "$dest" || die "cannot create $dest"
        record d .
    fi
    local IFS=/
    for part in $1; do
        path=${path:+$path/}$part
        if [ ! -d "$dest/$path" ]; then
            mkdir "$dest/$path" || die "cannot create $dest/$path"
            record d "$path"
        fi
    done
}

write_manifest() {
    [ -d "$dest/lib/heaplab" ] || return
    record f "$manifest"
    local tmp="$dest/$manifest.tmp.$$"
    if ! { printf '%s\n' "${entries[@]}" >"$tmp" && mv -f "$tmp" "$dest/$manifest"; }; then
        rm -f "$tmp"
        echo "$me: cannot write $dest/$manifest" >&2
        exit 1
    fi
}

count=0
# put MODE SOURCE REL: install SOURCE as $dest/REL.
put() {
    mkdir_rec "$(dirname "$3")"
    install -m "$1" "$2" "$dest/$3" || die "cannot install $2 as $dest/$3"
    record f "$3"
    count=$((count + 1))
}

mkdir_rec lib/heaplab
trap write_manifest EXIT   # also after a failure: uninstall then removes what was written

put 644 include/heaplab.h include/heaplab.h
for h in include/heaplab/*.h; do put 644 "$h" "$h"; done
for rt in $RUNTIMES; do
    put 644 "$B/lib/libheaplab-$rt.a" "lib/libheaplab-$rt.a"
    put 644 "$B/heaplab-$rt.pc.install" "lib/pkgconfig/heaplab-$rt.pc"
done
put 755 "$B/heaplab" bin/heaplab
for rt in $RUNTIMES; do
    for p in $PROGRAMS; do put 755 "$B/$rt/$p" "lib/heaplab/$rt/$p"; done
    for f in $FAULTS; do put 755 "$B/$rt/faults/$f" "lib/heaplab/$rt/faults/$f"; done
done
for f in $FAULTS; do
    [ -f "$B/asan/faults/$f" ] && put 755 "$B/asan/faults/$f" "lib/heaplab/asan/faults/$f"
done
for vdir in "$B"/peers/*/; do
    [ -d "$vdir" ] || continue
    v=$(basename "$vdir")
    for p in $PROGRAMS; do
        [ -f "$vdir$p" ] && [ -x "$vdir$p" ] && put 755 "$vdir$p" "lib/heaplab/peers/$v/$p"
    done
done
if [ -f "$B/sizes.txt" ]; then
    put 644 "$B/sizes.txt" lib/heaplab/sizes.txt
elif [ -f bench/sizes.txt ]; then
    put 644 bench/sizes.txt lib/heaplab/sizes.txt
else
    die "no sizes.txt in $B/ or bench/"
fi
put 644 README.md share/doc/heaplab/README.md
for d in docs/*.md; do put 644 "$d" "share/doc/heaplab/$d"; done
echo "$me: installed $count files under $dest (list: $dest/$manifest)"
