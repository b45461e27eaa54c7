#!/bin/bash
# How long netd's firewall takes to apply, through libiptc (fw_apply in
# netd's process) against the same rules through iptables-restore (a new
# process per change, as a shell-script guest would do it), in the same
# run, in a throw-away network namespace. Prints figures; timing is not
# judged.
#   tests/bench/firewall.sh [ROUNDS]      (default 20 per figure, median)
# shellcheck source=tests/integration/firewall/lib.bash
. "$(dirname "$0")/../integration/firewall/lib.bash"

ROUNDS=${1:-20}
. build/thirdparty.env
IMAGE_RESTORE=$IPTABLES/sbin/iptables-restore	# the image's static musl build
DEBIAN_RESTORE=$(command -v iptables-legacy-restore)

forwards_file() {   # forwards_file N > file
    local i
    for ((i = 0; i < $1; i++)); do
        echo "tcp $((10000 + i)) -> 10.0.0.$((2 + i % 250)):22"
    done
}

# Runs inside the namespace, so that entering it (ip netns exec: a few ms)
# is not counted. Between rounds the tables are emptied, untimed.
cat > "$TMP/inner.bash" <<'INNER'
set -eu
rounds=$1 rules=$2 image_restore=$3 debian_restore=$4; shift 4
empty=$'*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n'
reset() { iptables-legacy-restore <<< "$empty"; }
us() { local t=${EPOCHREALTIME/./}; echo "${t#0}"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
fn_time() { "$@" --time 2>/dev/null | awk '/^fw_apply/{ print $2 }'; }
wall() { local t0; t0=$(us); "$@" > /dev/null 2>&1; echo $(( $(us) - t0 )); }
restore() { "$1" < "$rules"; }

fresh_fn() { reset; fn_time "$@"; }
fresh_proc() { reset; wall "$@"; }
fresh_restore() { reset; wall restore "$1"; }
noop_fn() { fn_time "$@"; }
change_fn() { fn_time "$@" --uplink wlan1; "$@" 2>/dev/null; }
measure() { local i; for ((i = 0; i < rounds; i++)); do "$@"; done | median; }

a=$(measure fresh_fn "$@")
b=$(measure fresh_proc "$@")
reset; "$@" 2>/dev/null
c=$(measure noop_fn "$@")
d=$(measure change_fn "$@")
e=$(measure fresh_restore "$image_restore")
f=$(measure fresh_restore "$debian_restore")
echo "$a $b $c $d $e $f"
INNER

guest_only
printf '%-8s %5s | %12s %12s %10s %10s | %15s %16s\n' forwards rules \
    "libiptc fn" "libiptc proc" "no change" "new uplink" "restore image" "restore debian"
for n in 0 10 50 128; do
    forwards_file "$n" > "$TMP/forwards"
    ARGS=(--mode station --uplink wlan0 --inside eth0 --net 10.0.0.0/24 --self 10.0.0.1
          --bridge 1200 --bridge 1201 --forwards "$TMP/forwards")
    "$FW_APPLY" "${ARGS[@]}" --print > "$TMP/rules" 2>/dev/null
    rules=$(grep -c '^-A ' "$TMP/rules")
    # Both ways must make the same tables, or the figures mean nothing.
    fw "${ARGS[@]}" 2>/dev/null; save > "$TMP/a"
    in_ns "$GUEST" iptables-legacy -F; in_ns "$GUEST" iptables-legacy -X
    in_ns "$GUEST" iptables-legacy -t nat -F; in_ns "$GUEST" iptables-legacy -t nat -X
    in_ns "$GUEST" "$IMAGE_RESTORE" < "$TMP/rules"; save > "$TMP/b"
    diff -u "$TMP/a" "$TMP/b" || fail "libiptc and iptables-restore made different tables"
    read -r a b c d e f < <(in_ns "$GUEST" bash "$TMP/inner.bash" "$ROUNDS" "$TMP/rules" \
        "$IMAGE_RESTORE" "$DEBIAN_RESTORE" "$FW_APPLY" "${ARGS[@]}")
    printf '%-8s %5s | %9s us %9s us %7s us %7s us | %12s us %13s us\n' "$n" "$rules" "$a" "$b" "$c" "$d" "$e" "$f"
done
cat <<NOTE
Medians of $ROUNDS runs, in microseconds, from empty tables except 'no change' and 'new uplink'.
  libiptc fn    fw_apply() alone: what netd pays, in its own process
  libiptc proc  the fw-apply driver as a whole process (exec, parse, apply)
  no change     fw_apply() again with the same rules: one read, no commit
  new uplink    fw_apply() after the uplink's name changed: every chain rewritten
  restore       the same rules through iptables-restore, process included:
                the image's static musl build, and Debian's glibc build
Machine: $(nproc) cores, kernel $(uname -r).
NOTE
