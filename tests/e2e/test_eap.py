"""Enterprise Wi-Fi on the real image (issue 20): the image's wpa_supplicant
(wolfSSL) against the world's 802.1X access point, RADIUS-backed: its
RADIUS server is hostapd's integrated RADIUS and EAP servers on OpenSSL
(sim/world, test share only), with certificates made at test time
(sim/world/pki.sh) and the guest's ca_cert, client certificate and
encrypted key on the app share, next to wpa_supplicant.conf.

Booting is the slow part under TCG, so each test boots once and walks
its scenarios: the guest's networks are selected one at a time with
wpa_cli (netd follows wpa_supplicant's events whoever selects), and the
world's RADIUS server is restarted with another config (ctl.sh
radius-start NAME) for each server behaviour:
  tls12            TLS 1.2 at most: today's common RADIUS server
  tls13            TLS 1.3 offered too
  elsewhere-tls12  a certificate from the trusted CA, for another domain

Without patches/wpa/0002-wolfssl-tls13.patch the tls13 scenarios fail:
wolfSSL ignores tls_disable_tlsv1_3 (which wpa_supplicant 2.10 sets by
default for every TLS-based method), negotiates TLS 1.3 and then cannot
export the keys."""
import os
import re
import time

import vm
from netd_lib import wait_status

CERTS = "/etc/wpa_supplicant/"

# The guest's networks, in wpa_supplicant.conf's order (their ids).
TUNNEL = ['identity="%s"' % vm.EAP_USER, 'anonymous_identity="anonymous@%s"' % vm.EAP_DOMAIN,
          'ca_cert="%sca.pem"' % CERTS, 'domain_suffix_match="%s"' % vm.EAP_DOMAIN]
NETWORKS = [
    ("peap", ["eap=PEAP", 'password="%s"' % vm.EAP_PASSWORD, 'phase2="auth=MSCHAPV2"'] + TUNNEL),
    ("ttls-pap", ["eap=TTLS", 'password="%s"' % vm.EAP_PASSWORD, 'phase2="auth=PAP"'] + TUNNEL),
    ("ttls-mschapv2", ["eap=TTLS", 'password="%s"' % vm.EAP_PASSWORD,
                       'phase2="auth=MSCHAPV2"'] + TUNNEL),
    ("tls", ["eap=TLS", 'identity="user@%s"' % vm.EAP_DOMAIN, 'ca_cert="%sca.pem"' % CERTS,
             'domain_suffix_match="%s"' % vm.EAP_DOMAIN, 'client_cert="%sclient.pem"' % CERTS,
             'private_key="%sclient.key"' % CERTS,
             'private_key_passwd="%s"' % vm.EAP_CLIENT_KEY_PASS]),
    ("peap-wrong-password", ["eap=PEAP", 'password="not %s"' % vm.EAP_PASSWORD,
                             'phase2="auth=MSCHAPV2"'] + TUNNEL),
    # EAP-TLS over TLS 1.3 where the server offers it: wpa_supplicant 2.10
    # disables TLS 1.3 by default; phase1 turns it back on.
    ("tls-tls13", ["eap=TLS", 'identity="user@%s"' % vm.EAP_DOMAIN,
                   'ca_cert="%sca.pem"' % CERTS, 'domain_suffix_match="%s"' % vm.EAP_DOMAIN,
                   'client_cert="%sclient.pem"' % CERTS, 'private_key="%sclient.key"' % CERTS,
                   'private_key_passwd="%s"' % vm.EAP_CLIENT_KEY_PASS,
                   'phase1="tls_disable_tlsv1_3=0"']),
    # TLS 1.2 turned off: against a TLS 1.2 server this cannot succeed,
    # which shows that the phase1 flag reaches wolfSSL.
    ("peap-no-tls12", ["eap=PEAP", 'password="%s"' % vm.EAP_PASSWORD,
                       'phase2="auth=MSCHAPV2"', 'phase1="tls_disable_tlsv1_2=1"'] + TUNNEL),
    # The image's system CA bundle: the public CAs, which did not sign the
    # world's server.
    ("peap-system-cas", ["eap=PEAP", 'password="%s"' % vm.EAP_PASSWORD, 'phase2="auth=MSCHAPV2"',
                         'identity="%s"' % vm.EAP_USER,
                         'ca_cert="/etc/ssl/certs/ca-certificates.crt"',
                         'domain_suffix_match="%s"' % vm.EAP_DOMAIN]),
]
NET_ID = {name: k for k, (name, _) in enumerate(NETWORKS)}


def eap_app_config(key_mgmt="WPA-EAP"):
    """wpa_supplicant.conf with every network (the first enabled, the
    others selected by the test), and the certificates beside it."""
    pki = vm.world_pki()
    lines = ["ctrl_interface=/var/run/wpa_supplicant", "update_config=0"]
    for k, (name, body) in enumerate(NETWORKS):
        lines += ["# %s" % name, "network={", '  ssid="%s"' % vm.EAP_SSID,
                  "  key_mgmt=%s" % key_mgmt, "  scan_freq=2412",
                  "  ieee80211w=%d" % (2 if key_mgmt == "WPA-EAP-SHA256" else 1)]
        lines += ["  " + b for b in body]
        if k:
            lines.append("  disabled=1")
        lines.append("}")
    return {"wpa_supplicant.conf": "\n".join(lines) + "\n", "ca.pem": pki["ca.pem"],
            "client.pem": pki["client.pem"], "client.key": pki["client.key"]}


def boot(v):
    """Logs in and waits for the first network (enabled in the config) to
    complete: wpa_supplicant and the world's access point are both up."""
    v.login()
    v.sh("n=0; until [ -S /var/run/wpa_supplicant/wlan0 ] || [ $n -ge 60 ]; do "
         "sleep 1; n=$((n+1)); done; [ -S /var/run/wpa_supplicant/wlan0 ]", timeout=90)
    wait_wpa(v, NETWORKS[0][0])


def wpa_status(v):
    """wpa_cli status as a dict; {} while the daemon does not answer (it
    may still be setting up its control socket)."""
    out = v.sh("wpa_cli -i wlan0 status", check=False)
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def wait_wpa(v, name, timeout=120):
    """wpa_supplicant's status once network `name` is COMPLETED (the
    status file may still show the previous network for a moment)."""
    deadline = time.monotonic() + timeout
    while True:
        st = wpa_status(v)
        if st.get("id") == str(NET_ID[name]) and st.get("wpa_state") == "COMPLETED":
            return st
        if time.monotonic() > deadline:
            raise AssertionError("%s never completed: %s" % (name, st))
        time.sleep(1)


def select(v, name):
    """Network `name`, with a full EAP exchange (no cached PMK)."""
    out = v.sh("wpa_cli -i wlan0 pmksa_flush && wpa_cli -i wlan0 select_network %d" % NET_ID[name])
    assert out.strip().endswith("OK"), out


def server(v, name):
    """Restarts the world's RADIUS server with radius-NAME.conf."""
    v.sh("/mnt/ctl.sh radius-start %s" % name, timeout=30)


def succeeds(v, name, tls_version="TLSv1.2", key_mgmt="WPA2/IEEE 802.1X/EAP"):
    """Network `name` authenticates, gets its lease, and used tls_version."""
    t0 = time.monotonic()
    select(v, name)
    st = wait_wpa(v, name)
    wait_status(v, timeout=60, wifi_state="COMPLETED", wifi_connected="1", lease="bound",
                ssid=vm.EAP_SSID, key_mgmt=re.escape(key_mgmt), wifi_problem="")
    st = wpa_status(v)
    assert st.get("id") == str(NET_ID[name]), (name, st)
    assert st.get("EAP state") == "SUCCESS", (name, st)
    assert st.get("eap_tls_version") == tls_version, (name, st)
    print("%s: %s in %.1fs (%s)" % (name, tls_version, time.monotonic() - t0,
                                    st.get("selectedMethod")))
    return st


def fails(v, name, reason_rx):
    """Network `name` fails and netd's status says why (wifi_problem)."""
    select(v, name)
    st = wait_status(v, timeout=120, wifi_problem=".*" + reason_rx + ".*")
    assert st.get("wifi_connected") != "1", (name, st)
    out = v.sh("netd status")
    assert re.search(reason_rx, out), out
    print("%s: %s" % (name, st["wifi_problem"]))
    return st


def walk(v, tls13):
    """Every scenario against the world's server, TLS 1.3 offered or not.
    A failure follows a success, so that the problem in the status is
    this failure's (a success clears it)."""
    server(v, "tls13" if tls13 else "tls12")
    for name in ("peap", "ttls-pap", "ttls-mschapv2", "tls"):
        succeeds(v, name)
    succeeds(v, "tls-tls13", "TLSv1.3" if tls13 else "TLSv1.2")
    fails(v, "peap-wrong-password",
          r"EAP authentication failed \(PEAP\): the server refused the identity or password "
          r"\(MSCHAPv2 error 691\)")
    if not tls13:
        succeeds(v, "peap")
        # no TLS version left: wolfSSL fails before any alert
        fails(v, "peap-no-tls12", r"EAP authentication failed \(PEAP\): no reason given")
        succeeds(v, "peap")
        assert v.sh("grep -c 'BEGIN CERTIFICATE' /etc/ssl/certs/ca-certificates.crt") == "148"
        fails(v, "peap-system-cas", r"EAP authentication failed \(PEAP\): server certificate "
              # wolfSSL's wording; OpenSSL's (WPA_TLS=openssl) is the other
              r"rejected: (unable to get local issuer certificate|"
              r"self-signed certificate in certificate chain)")
    succeeds(v, "peap")
    server(v, "elsewhere-tls13" if tls13 else "elsewhere-tls12")
    fails(v, "peap", r"EAP authentication failed \(PEAP\): server certificate rejected: "
          r"Domain suffix mismatch")


def test_eap_methods_with_tls12_server():
    with vm.VM("eap-tls12", config=vm.test_config(), app=eap_app_config(),
               world={"mode": "ap", "ssid": vm.EAP_SSID, "ipv6": False, "eap": {}},
               time_limit=900) as v:
        boot(v)
        walk(v, tls13=False)


def test_eap_methods_with_tls13_server():
    with vm.VM("eap-tls13", config=vm.test_config(), app=eap_app_config(),
               world={"mode": "ap", "ssid": vm.EAP_SSID, "ipv6": False,
                      "eap": {"start": "tls13"}},
               time_limit=900) as v:
        boot(v)
        walk(v, tls13=True)


def test_wpa3_enterprise():
    # WPA-EAP-SHA256 with management frame protection required, both sides
    with vm.VM("eap-wpa3", config=vm.test_config(), app=eap_app_config("WPA-EAP-SHA256"),
               world={"mode": "ap", "ssid": vm.EAP_SSID, "ipv6": False,
                      "eap": {"key_mgmt": "WPA-EAP-SHA256", "start": "tls13"}},
               time_limit=600) as v:
        boot(v)
        # the world's hostapd requires PMF (ieee80211w=2): associating
        # with WPA-EAP-SHA256 is the proof
        succeeds(v, "peap", key_mgmt="WPA2-EAP-SHA256")
        succeeds(v, "tls", key_mgmt="WPA2-EAP-SHA256")
        # the RTC gives the host's time: the clock is right
        wait_status(v, clock="ok", built_utc=r"20\d\d-\d\d-\d\dT.*Z")


def test_clock_before_the_build_date_is_in_the_status():
    # A host whose clock is wrong: the world's certificates (valid from
    # today) are not yet valid for the guest, PEAP fails with that reason,
    # and the status says why the clock is to blame.
    with vm.VM("eap-clock", config=vm.test_config(), app=eap_app_config(), rtc="2025-06-01",
               world={"mode": "ap", "ssid": vm.EAP_SSID, "ipv6": False, "eap": {}},
               time_limit=300) as v:
        v.login()
        st = wait_status(v, clock="before-build-date", clock_utc=r"2025-06-01T.*",
                         built_utc=r"20\d\d-.*Z",
                         # wolfSSL's text for "not yet valid" is "unknown error
                         # number": the clock line is what explains it
                         wifi_problem=r"EAP authentication failed \(PEAP\): server certificate "
                                      r"rejected: .*")
        assert st["built_utc"] > st["clock_utc"], st
        out = v.sh("netd status")
        assert re.search(r"clock +before-build-date, now 2025-06-01T.*, image built 20", out), out
        assert v.console.seen(r"netd: the clock is before this image's build date"), \
            v.console.text()[-2000:]


def test_the_samples_peap_block_joins_the_enterprise_world():
    # samples/app_config/wpa_supplicant.conf's PEAP example, uncommented,
    # with the world's names put in, and its CA file next to it on the
    # share under the name the sample uses: what the docs tell a user.
    with open(os.path.join(vm.TOP, "samples", "app_config", "wpa_supplicant.conf")) as f:
        sample = f.read()
    m = re.search(r"(?ms)^#network=\{\n#    ssid=\"eduroam\"\n.*?^#\}$", sample)
    assert m, "the sample has no eduroam (PEAP) block"
    net = "\n".join(line[1:] for line in m.group(0).split("\n"))
    for old, new in (('"eduroam"', '"%s"' % vm.EAP_SSID),
                     ('"you@example.org"', '"%s"' % vm.EAP_USER),
                     ('"your password"', '"%s"' % vm.EAP_PASSWORD),
                     ('"radius.example.org"', '"radius.%s"' % vm.EAP_DOMAIN)):
        assert old in net, (old, net)
        net = net.replace(old, new)
    assert 'ca_cert="/etc/wpa_supplicant/campus-ca.pem"' in net, net
    app = {"wpa_supplicant.conf": sample[:m.start()] + net + sample[m.end():],
           "campus-ca.pem": vm.world_pki()["ca.pem"]}
    with vm.VM("eap-sample", config=vm.test_config(), app=app,
               world={"mode": "ap", "ssid": vm.EAP_SSID, "ipv6": False, "eap": {}},
               time_limit=300) as v:
        v.login()
        wait_status(v, timeout=120, wifi_state="COMPLETED", lease="bound", ssid=vm.EAP_SSID,
                    key_mgmt=re.escape("WPA2/IEEE 802.1X/EAP"), wifi_problem="")
