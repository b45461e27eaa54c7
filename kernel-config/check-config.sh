#!/bin/sh
# Fails when an option asked for by a fragment did not end up as asked in the
# final .config (olddefconfig silently drops options whose dependencies are
# missing). Usage: check-config.sh .config fragment...
set -eu
[ $# -ge 2 ] || { echo "usage: $0 CONFIG FRAGMENT..." >&2; exit 100; }
config=$1; shift
[ -r "$config" ] || { echo "check-config: cannot read $config" >&2; exit 111; }
awk '
FNR == 1 { file = FILENAME }
NR == FNR { cfg[$0] = 1; if (match($0, /^CONFIG_[A-Za-z0-9_]+=/)) set[substr($0, 1, RLENGTH - 1)] = $0; next }
/^CONFIG_[A-Za-z0-9_]+=/ {
    name = substr($0, 1, index($0, "=") - 1)
    if (!($0 in cfg)) {
        got = (name in set) ? set[name] : "not set"
        printf "%s:%d: asked for %s, got %s\n", file, FNR, $0, got; bad++
    }
    next
}
/^# CONFIG_[A-Za-z0-9_]+ is not set$/ {
    name = $2
    if (name in set) { printf "%s:%d: asked for %s off, got %s\n", file, FNR, name, set[name]; bad++ }
    next
}
/^#/ || /^[ \t]*$/ { next }
{ printf "%s:%d: not a config line: %s\n", file, FNR, $0; bad++ }
END { exit bad ? 1 : 0 }
' "$config" "$@"
