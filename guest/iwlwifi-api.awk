# iwlwifi-api.awk: the one reader of $KERNEL/firmware-facts/iwlwifi-api-ranges
# (kernel-config/firmware-facts.sh). Input: firmware file names, one per
# line. Variables: ranges (the file), mode:
#   pick   the newest iwlwifi-NAME-N.ucode inside NAME's accepted range,
#          per NAME, and NAME.pnvm (guest/firmware.sh)
#   check  the names the driver would accept: an iwlwifi .ucode inside its
#          range, or any name iwlwifi does not know (guest/check-firmware.sh)
# A NAME the driver builds at run time (iwlwifi-bz-b0-gf-a0, from the MAC
# step) takes the range of the names that share its first part (bz).
function first_part(base,   t) { t = base; sub(/^iwlwifi-/, "", t); sub(/-.*/, "", t); return t }
BEGIN {
    while ((getline line < ranges) > 0) {
        split(line, w, " "); lo[w[1]] = w[2]; hi[w[1]] = w[3]
        t = first_part(w[1])
        if (!(t in tlo) || w[2] < tlo[t]) tlo[t] = w[2]
        if (!(t in thi) || w[3] > thi[t]) thi[t] = w[3]
    }
    if (!(mode == "pick" || mode == "check")) { print "iwlwifi-api.awk: mode is pick or check" > "/dev/stderr"; exit 2 }
}
{
    name = $0; sub(/.*\//, "", name)
    if (!match(name, /^iwlwifi-.*-[0-9]+\.ucode$/)) { if (mode == "check") print; next }
    match(name, /-[0-9]+\.ucode$/)
    base = substr(name, 1, RSTART - 1); n = substr(name, RSTART + 1) + 0; t = first_part(base)
    if (base in lo) { a = lo[base]; b = hi[base] }
    else if (t in tlo) { a = tlo[t]; b = thi[t] }
    else { if (mode == "check") print; next }   # not iwlwifi's: iwlegacy's iwlwifi-4965-2.ucode
    if (n < a || n > b) next
    if (mode == "check") print
    else if (!(base in best) || n > best[base]) best[base] = n
}
END { if (mode == "pick") for (b in best) { print b "-" best[b] ".ucode"; print b ".pnvm" } }
