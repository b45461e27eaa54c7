#!/bin/sh
# pki.sh DIR: the enterprise world's certificates, made at test time with
# the machine's openssl (never shipped, never in the tree):
#   ca.pem                   the world's CA ("ca_cert" of the guest)
#   server.pem server.key    the RADIUS server, radius.world.test
#   elsewhere.pem elsewhere.key
#                            signed by the same CA for radius.elsewhere.test:
#                            what fails domain_suffix_match=world.test
#   client.pem client.key    user@world.test for EAP-TLS; the key is
#                            encrypted (PKCS#8, AES-256) with CLIENT_KEY_PASS
# Valid from now for 30 days: the guest's clock is the host's (bhyve's RTC
# and QEMU's both give the host's time).
# Does nothing when DIR already holds a complete, still valid set.
set -eu
dir=$1
CLIENT_KEY_PASS=${CLIENT_KEY_PASS:-client key passphrase}
if [ -f "$dir/.complete" ] && openssl x509 -checkend 86400 -noout -in "$dir/ca.pem" >/dev/null 2>&1; then
    exit 0
fi
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }

# sign NAME SUBJECT EXTENSIONS: NAME.pem from NAME.key, signed by the CA
sign() {
    openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
    printf '%s\n' "$3" > "$1.ext"
    openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" \
        -days 30 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
    rm -f "$1.csr" "$1.ext"
}

key ca.key
openssl req -x509 -new -key ca.key -subj "/O=Wifibox test world/CN=Wifibox Test World CA" \
    -days 30 -out ca.pem \
    -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign"

server_ext() {
    printf 'basicConstraints=CA:false\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:%s\n' "$1"
}
key server.key
sign server "/O=Wifibox test world/CN=radius.world.test" "$(server_ext radius.world.test)"
key elsewhere.key
sign elsewhere "/O=Wifibox test world/CN=radius.elsewhere.test" "$(server_ext radius.elsewhere.test)"

key client.key
sign client "/O=Wifibox test world/CN=user@world.test" \
    "$(printf 'basicConstraints=CA:false\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\nsubjectAltName=email:user@world.test\n')"
# Encrypted as openssl does by default: PKCS#8, PBES2, AES-256-CBC.
openssl pkey -in client.key -aes-256-cbc -passout "pass:$CLIENT_KEY_PASS" -out client.key.enc
mv client.key.enc client.key
chmod 644 ./*.pem ./*.key
touch .complete
