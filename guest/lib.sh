# Shared by the build scripts: errors, stage timing, cache keys.
# Sourced, not run.

CACHE=${CACHE:-/var/cache/wifibox-guest}
# The tree is the one holding the running script, whatever the caller
# exported (a test building a clone runs inside another tree's test run).
TOP=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$TOP/guest/lib.sh" ] && [ "$TOP" != / ]; do TOP=$(dirname "$TOP"); done
# make exports relative BUILD/OUT: they are relative to the tree.
case ${BUILD:=build} in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
case ${OUT:=out} in /*) ;; *) OUT=$TOP/$OUT ;; esac
export BUILD OUT
JOBS=${JOBS:-$(nproc)}
# Fixed time for every file and build stamp: reproducible outputs.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1767225600}   # 2026-01-01 00:00:00 UTC
export SOURCE_DATE_EPOCH CACHE TOP

die() { echo "error: $*" >&2; exit 1; }
note() { echo "  $*" >&2; }

need_tool() {   # need_tool CMD PACKAGE
    command -v "$1" >/dev/null 2>&1 || die "'$1' is missing: run 'make deps' (it installs Debian package $2)"
}

# Key of a build: the hash of everything that goes into it, so that a change
# to any input rebuilds that one thing and what depends on it.
# Usage: cache_key FILE... -- STRING...
cache_key() {
    {
        while [ $# -gt 0 ] && [ "$1" != -- ]; do
            printf 'file %s\n' "${1#"$TOP"/}"; cat "$1"; shift
        done
        [ $# -gt 0 ] && shift
        for s in "$@"; do printf 'str %s\n' "$s"; done
    } | sha256sum | cut -c1-16
}

compiler_id() { "$1" --version 2>/dev/null | head -n 1; }

# Runs "$@" and prints how long it took, for the per-stage timing report.
timed() {
    _timed_what=$1; shift
    _timed_t0=$(date +%s.%N)
    _timed_rc=0
    "$@" || _timed_rc=$?
    printf '[time] %-12s %6.1f s\n' "$_timed_what" "$(echo "$(date +%s.%N) - $_timed_t0" | bc)" >&2
    return $_timed_rc
}
