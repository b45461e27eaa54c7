#!/bin/sh
# The manual pages: `mandoc -T lint` reports nothing (style included), each
# page's .Dt matches its file name, every cross-reference to one of our own
# pages names a page that exists, and the rendered text has no macro that
# swallowed a word (a line starting with "In", "Ar", ... renders as
# "<word>"). References to other projects' pages (bhyve(8), wpa_cli(8))
# cannot resolve on this machine: only that lint message is set aside.
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top" || exit 1
command -v mandoc >/dev/null || { echo "mandoc is missing: run 'make deps'"; exit 1; }

PAGES=${MANPAGES:-"guest/wifibox-guest.5 init/init.8 netd/netd.8 uds-passthru/uds-passthru.8"}
ours="wifibox-guest(5) init(8) reboot(8) poweroff(8) halt(8) netd(8) uds-passthru(8)"
bad=0
for p in $PAGES; do
    [ -f "$p" ] || { echo "$p: missing"; bad=1; continue; }
    out=$(mandoc -T lint -W style "$p" 2>&1 | grep -v -e ': STYLE: referenced manual not found: ' -e 'mandoc.db')
    if [ -n "$out" ]; then echo "$out"; bad=1; fi

    base=$(basename "$p"); name=${base%.*}; sec=${base##*.}
    dt=$(sed -n 's/^\.Dt \([^ ]*\) \([0-9]\).*/\1 \2/p' "$p")
    want="$(echo "$name" | tr '[:lower:]' '[:upper:]') $sec"
    [ "$dt" = "$want" ] || { echo "$p: .Dt is '$dt', expected '$want'"; bad=1; }

    # .Xr NAME SEC to one of ours must name a page we ship.
    sed -n 's/^\.Xr \([^ ]*\) \([0-9]\).*/\1(\2)/p' "$p" | sort -u | while read -r ref; do
        case " $ours " in *" $ref "*) ;; *)
            case $ref in wifibox-guest*|netd*|uds-passthru*|init*) echo "$p: refers to $ref, which we do not ship"; exit 1 ;; esac ;;
        esac
    done || bad=1

    text=$(mandoc -T utf8 "$p" 2>/dev/null | col -b)
    [ -n "$text" ] || { echo "$p: renders to nothing"; bad=1; }
    swallowed=$(printf '%s\n' "$text" | grep -nE '<[a-z]+>|#include' || true)
    [ -z "$swallowed" ] || { echo "$p: a macro swallowed a word:"; echo "$swallowed"; bad=1; }
done
[ $bad = 0 ] && echo "$(echo "$PAGES" | wc -w) pages clean"
exit $bad
