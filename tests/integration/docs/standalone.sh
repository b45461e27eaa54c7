#!/bin/sh
# The docs stand alone: the README, the design notes, docs/ and the manuals
# refer to nothing outside the repository (no "../shared/..."), every
# relative Markdown link resolves to a file of the repository, and the
# commands the README's demo asks for are installed by `make deps`.
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top" || exit 1

DOCS=${DOCS:-"README.md netd/README.md uds-passthru/README.md sim/README.md samples/README.md
 APKBUILDs/README.md docs/contract.md guest/wifibox-guest.5 init/init.8 netd/netd.8
 uds-passthru/uds-passthru.8"}
bad=0
for d in $DOCS; do
    [ -f "$d" ] || { echo "$d: missing"; bad=1; continue; }
    out=$(grep -n -e '\.\./shared' -e '/work/shared' -e 'CONTRACT\.md' "$d")
    [ -z "$out" ] || { echo "$d: refers outside the repository:"; echo "$out"; bad=1; }
    case $d in *.md) ;; *) continue ;; esac
    dir=$(dirname "$d")
    # [text](target) with a relative target: the file must be there.
    grep -o '\]([^)#]*' "$d" | sed 's/^](//' | while read -r target; do
        case $target in ''|http://*|https://*|mailto:*) continue ;; esac
        [ -e "$dir/$target" ] || { echo "$d: link to $target, which does not exist"; exit 1; }
    done || bad=1
done

# The demo's commands: each must come with a package scripts/deps.sh installs.
pkgs=$(sed -n '/^PKGS="/,/"$/p' scripts/deps.sh)
for cmd in "busybox nc:busybox" "ip netns:iproute2"; do
    text=${cmd%%:*} pkg=${cmd##*:}
    grep -q "\`$text " README.md || continue
    case " $(echo $pkgs) " in *" $pkg "*) ;; *) echo "README.md uses '$text' but deps.sh does not install $pkg"; bad=1 ;; esac
done
if grep -nE '(^|[`(] *)nc [0-9]' README.md; then
    echo "README.md: plain 'nc' is not installed by 'make deps': use 'busybox nc'"; bad=1
fi
[ $bad = 0 ] && echo "$(echo "$DOCS" | wc -w) documents stand alone"
exit $bad
