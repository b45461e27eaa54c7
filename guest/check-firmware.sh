#!/bin/sh
# check-firmware.sh ROOT: the firmware in ROOT/lib/firmware against what the
# image's drivers accept (guest/cards.table, and for iwlwifi the API ranges
# of $KERNEL/firmware-facts). For each family FIRMWARE= selects, prints how
# many of its cards will find their firmware and what it weighs, and fails
# when a selected family covers no card. Fails on any link under
# /lib/firmware that points nowhere.
set -eu
. "$(dirname "$0")/lib.sh"
. "$BUILD/kernel.env"
root=$1
fw=$root/lib/firmware
RANGES=$KERNEL/firmware-facts/iwlwifi-api-ranges

dangling=$(cd "$fw" && find . -type l ! -exec test -e {} \; -print | sed 's|^\./||')
[ -z "$dangling" ] || die "firmware links that point nowhere: $(echo $dangling)"

# in_range FILE: an iwlwifi-NAME-N.ucode whose N the driver accepts for
# NAME (or, for a name it builds at run time, for names of the same first
# part); a file of no name iwlwifi knows (iwlegacy's), or of any other
# kind, is in range.
in_range() {
    [ -n "$(echo "$1" | awk -v mode=check -v ranges="$RANGES" -f "$TOP/guest/iwlwifi-api.awk")" ]
}

# covered GLOBS: every glob matches a file (links followed) in range.
covered() {
    for g in $1; do
        [ "$g" = - ] && continue
        hit=$(cd "$fw" && find -L . -type f -path "./$g" | sed 's|^\./||' | while read -r f; do
            in_range "$f" && echo "$f"; done | head -n 1)
        [ -n "$hit" ] || return 1
    done
}

selected=${FIRMWARE:-}
[ "$selected" = all ] && selected=$(awk '!/^#/ && NF >= 3 && $2 != "-" { print $1 }' "$TOP/guest/firmware.families" | paste -sd, -)
bad=0
for fam in $(echo "$selected" | tr , ' '); do
    n=0 ok=0 missing=
    while IFS='|' read -r f card _ files _; do
        [ "$(echo "$f" | tr -d ' ')" = "$fam" ] || continue
        n=$((n + 1))
        card=$(echo "$card" | sed 's/^ *//; s/ *$//')
        if covered "$files"; then ok=$((ok + 1)); else missing="$missing; $card"; fi
    done < "$TOP/guest/cards.table"
    bytes=$(awk -F '\t' '{ print $1 }' "$BUILD/firmware/$fam.plan" 2>/dev/null |
        while read -r rel; do stat -c %s "$fw/$rel"; done | awk '{ s += $1 } END { print s + 0 }')
    printf 'firmware %-9s %d of %d cards covered, %d files, %.1f MiB%s\n' "$fam" "$ok" "$n" \
        "$(wc -l < "$BUILD/firmware/$fam.plan")" "$(echo "$bytes" | awk '{ print $1 / 1048576 }')" \
        "${missing:+ (not covered: ${missing#; })}"
    if [ "$ok" = 0 ]; then
        echo "error: FIRMWARE=$fam covers none of its cards in guest/cards.table" >&2
        bad=1
    fi
done
exit $bad
