# Where each file of the root comes from. guest/mkrootfs.sh and
# guest/firmware.sh put files into the root only through these functions,
# which record "PATH<TAB>SOURCE" in $ORIGINS; guest/check-origins.sh then
# refuses a root with a file of no recorded origin, or one taken from the
# machine rather than from the tree, a build or a pinned package.
# Sourced after lib.sh, not run. The root is the current directory.

put_file() {   # put_file MODE SOURCE PATH
    mkdir -p ".$(dirname "$3")"
    install -m "$1" "$2" ".$3"
    printf '%s\t%s\n' "$3" "$2" >> "$ORIGINS"
}

put_link() {   # put_link TARGET PATH
    mkdir -p ".$(dirname "$2")"
    ln -s "$1" ".$2"
    printf '%s\tlink\n' "$2" >> "$ORIGINS"
}

# put_tree SOURCE_DIR PATH: SOURCE_DIR's contents, modes kept, under PATH.
put_tree() {
    mkdir -p ".$2"
    cp -a "$1/." ".$2/"
    (cd "$1" && find . -mindepth 1 ! -type d | LC_ALL=C sort) | while read -r f; do
        printf '%s\t%s\n' "${2%/}/${f#./}" "$1/${f#./}" >> "$ORIGINS"
    done
}
