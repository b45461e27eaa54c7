#!/bin/bash
# The one owner of the integration tests' throw-away network namespaces:
# it makes them, runs commands in them, links them, and at the end kills
# every process inside each and deletes it. Sourced by the bash tests'
# libraries, run as a command by the Python ones, so that both use this
# code.
#
# Sourced (tests/integration/*/lib.bash):
#   netns_add NAME...            new named namespaces, lo up
#   netns_hold NAME [FLAGS...]   a process (pid in NETNS_HELD_PID) holding a
#                                new network namespace, named NAME, and what
#                                unshare FLAGS add (--mount ...); lo as the
#                                kernel makes it (down)
#   in_ns NAME CMD...            CMD in the namespace NAME
#   veth NS1 IF1 NS2 IF2         a veth pair: IF1 in NS1, IF2 in NS2, both down
#                                (NS: a name, or the pid of a process in it)
#   netns_addr NAME IF [ADDR...] IF up, with ADDRs (IPv6 ones without duplicate
#                                address detection: usable at once)
#   netns_del NAME...            kills every process in each, then deletes it
#   wait_for SECONDS CMD...      until CMD succeeds (polled, output dropped)
#   on_exit CMD                  at exit, once the namespaces are gone (the
#                                last one given runs first): temp dirs...
# Sourcing installs the EXIT trap (it runs on failure and on SIGTERM, the
# runner's time-out, too): every namespace made here, whatever the test got
# to, is emptied and deleted, then the on_exit commands run. A library that
# sources this sets no EXIT trap of its own.
#
# Run (tests/integration/uds-passthru/udsp.py): the caller keeps the names.
#   netns.bash add NAME...   |  del NAME...  |  veth NS1 IF1 NS2 IF2
#   netns.bash addr NAME IF [ADDR...]  |  exec NAME CMD...

NETNS_CREATED=()   # names, in creation order
NETNS_HOLDERS=()   # netns_hold's processes (before their name exists, too)
NETNS_ON_EXIT=()
NETNS_HELD_PID=

netns_err() { echo "netns: $*" >&2; }

# A name that is not taken: another test's namespace is not ours to delete.
netns_fresh() {
    if [ -e "/var/run/netns/$1" ]; then
        netns_err "namespace $1 exists already"
        return 1
    fi
}

netns_add() {
    local ns
    for ns; do
        netns_fresh "$ns" || return 1
        # Registered first: a signal right after the add still deletes it.
        NETNS_CREATED+=("$ns")
        ip netns add "$ns" || return 1
        ip -n "$ns" link set lo up || return 1
        netns_like_guest "$ns" || return 1
    done
}

# What the guest's init sets for its network namespace (init/main.c), in
# every namespace the tests make, since any may stand in for the guest: a
# reader's UNIX datagram queue holds 512, not the kernel's default 10.
netns_like_guest() {
    ip netns exec "$1" sh -c 'echo 512 > /proc/sys/net/unix/max_dgram_qlen'
}

netns_hold() {
    local name=$1 pid
    shift
    netns_fresh "$name" || return 1
    unshare --net "$@" sleep infinity &
    pid=$!
    NETNS_HOLDERS+=("$pid")
    # unshare execs sleep once its namespaces are set up.
    wait_for 5 netns_held "$pid" || { netns_err "unshare --net $* did not start"; return 1; }
    NETNS_CREATED+=("$name")
    ip netns attach "$name" "$pid" || return 1
    netns_like_guest "$name" || return 1
    # shellcheck disable=SC2034  # for the sourcing script
    NETNS_HELD_PID=$pid
}
netns_held() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = sleep ]; }

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

veth() { ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"; }

netns_addr() {
    local ns=$1 dev=$2 a
    shift 2
    for a; do
        case $a in
        *:*) ip -n "$ns" addr add "$a" dev "$dev" nodad || return 1 ;;
        *) ip -n "$ns" addr add "$a" dev "$dev" || return 1 ;;
        esac
    done
    ip -n "$ns" link set "$dev" up
}

# SIGKILL to every process in the namespace until none is left (they may
# fork meanwhile: socat, netd's helpers); a missing namespace has none.
netns_kill() {
    local ns=$1 pids i
    for i in $(seq 100); do
        pids=$(ip netns pids "$ns" 2>/dev/null) || return 0
        [ -n "$pids" ] || return 0
        # shellcheck disable=SC2086  # one pid a word
        kill -9 $pids 2>/dev/null
        sleep 0.05
    done
    netns_err "processes left in $ns: $(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')"
    return 1
}

netns_del() {
    local ns rc=0
    for ns; do
        netns_kill "$ns" || rc=1
        if [ -e "/var/run/netns/$ns" ]; then
            ip netns del "$ns" || rc=1
        fi
    done
    return $rc
}

# wait_for SECONDS CMD...: polls a condition (the test polls, not the
# program under test), every 0.1 s for SECONDS at least.
wait_for() {
    local limit=$1 end now
    shift
    now=${EPOCHREALTIME//[!0-9]/}
    end=$((now + limit * 1000000))
    while :; do
        "$@" >/dev/null 2>&1 && return 0
        now=${EPOCHREALTIME//[!0-9]/}
        [ "$now" -lt "$end" ] || return 1
        sleep 0.1
    done
}

on_exit() { NETNS_ON_EXIT+=("$1"); }

# The EXIT trap: each namespace emptied and deleted, the last made first;
# the holders killed once more, for one whose name never came; then the
# on_exit commands. The test's exit status stays what it was. Deaf to
# SIGTERM, and so are the commands it runs (an ignored signal stays
# ignored across exec): the runner's time-out sends SIGTERM to the test,
# then to its whole process group, and the second one may come when the
# clean-up has begun.
netns_exit() {
    local i
    set +e
    trap '' TERM INT HUP
    disown -a   # no "Killed" notices for the test's background jobs
    for ((i = ${#NETNS_CREATED[@]} - 1; i >= 0; i--)); do
        netns_del "${NETNS_CREATED[i]}"
    done
    for i in "${NETNS_HOLDERS[@]}"; do
        kill -9 "$i" 2>/dev/null
    done
    NETNS_CREATED=() NETNS_HOLDERS=()
    for ((i = ${#NETNS_ON_EXIT[@]} - 1; i >= 0; i--)); do
        eval "${NETNS_ON_EXIT[i]}" >/dev/null 2>&1
    done
    NETNS_ON_EXIT=()
}

# A signal's trap: exit, so that the EXIT trap runs, deaf to the signal
# from then on. Without it, bash dies of a second SIGTERM that comes
# before it handled the first, without its EXIT trap. A trap runs once
# the command in the foreground ended: one that leaves the test's process
# group (timeout without --foreground, setsid) and so is not signalled
# holds the clean-up up.
netns_signal() {
    trap '' TERM INT HUP
    exit "$1"
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
    trap netns_exit EXIT
    trap 'netns_signal 143' TERM
    trap 'netns_signal 130' INT
    trap 'netns_signal 129' HUP
    return 0
fi

# ---- run as a command ----
set -u
usage() { echo "usage: netns.bash add|del NAME... | veth NS1 IF1 NS2 IF2 | addr NAME IF [ADDR...] | exec NAME CMD..." >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd=$1
shift
case $cmd in
add)
    # All of them or none: what this call made goes again on a failure.
    netns_add "$@" || { netns_del "${NETNS_CREATED[@]}"; exit 1; } ;;
del) netns_del "$@" ;;
veth) [ $# = 4 ] || usage; veth "$@" ;;
addr) netns_addr "$@" ;;
exec) exec ip netns exec "$@" ;;
*) usage ;;
esac
