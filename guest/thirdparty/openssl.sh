#!/bin/sh
# OpenSSL: libcrypto and libssl, static, musl. The TLS of the test world's
# RADIUS-backed authenticator (wpa-world.sh): an EAP server built on
# another TLS library than the image's client, as RADIUS servers are.
set -eu
cd "$SRC"
# no-module builds the legacy provider into libcrypto (STATIC_LEGACY):
# MSCHAPv2 needs its MD4 and DES, and a static program cannot load
# ossl-modules/legacy.so. musl has no makecontext: no-async. The rest
# are protocols and algorithms 802.1X never uses.
CC=musl-gcc ./Configure linux-x86_64 --prefix=/ --libdir=lib --openssldir=/etc/ssl \
    no-shared no-module no-async no-engine no-dso no-afalgeng no-comp no-tests \
    no-dtls no-srtp no-ct no-ts no-cms no-srp no-ec2m no-sm2 no-sm3 no-sm4 \
    no-gost no-idea no-mdc2 no-rc5 no-seed no-whirlpool no-camellia no-aria \
    no-ocb no-siv no-bf no-cast no-ui-console no-filenames \
    -Os -ffunction-sections -fdata-sections -ffile-prefix-map="$SRC"=openssl \
    -I"$KHDR/include" >/dev/null
make -j"$JOBS" build_libs >/dev/null
make install_dev DESTDIR="$PREFIX" >/dev/null
