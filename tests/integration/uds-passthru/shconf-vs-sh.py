#!/usr/bin/env python3
"""lib/shconf reads uds_passthru.conf as sh does: for Wifibox's samples,
for hand edits, and for a few hundred random files written in the subset
it accepts, `uds-passthru check -p NAME` prints exactly what
`. FILE; printf '%s\\0' "$NAME"` prints in dash and in busybox sh. And
what it refuses, it refuses with the file and line."""
import os
import random
import shutil
import subprocess
import sys
import tempfile

from udsp import build_bridge, check, fail, log

WPA_SAMPLE = """\
# This is a configuration file for the Unix Domain Socket (UDS)
# pass-through feature.

# The `network` setting should specify the IP address of the guest,
# which should match how it was defined in the interfaces.conf file.
network=10.0.0.1:255.255.255.0

# The `sockets` setting should list all the sockets to be forwarded
# for the host on the given ports.  The `path` will be created on the
# host as a UDS with the specific owner and permissions, independently
# of how it was set in wpa_supplicant.conf.  When `p2p_disabled=1` is
# set for wpa_supplicant.conf, it might make sense to remove the
# corresponding forwarding.  Keep this in sync with
# wpa_supplicant.conf in general.
_sockdir=/var/run/wpa_supplicant
_perms="user=root,group=0,mode=770"
sockets="path=${_sockdir}/wlan0,${_perms},port=1200
path=${_sockdir}/p2p-dev-wlan0,${_perms},port=1201"
"""

HOSTAPD_SAMPLE = """\
network=10.0.0.2:255.255.255.0
_sockdir=/var/run/hostapd
_perms="user=root,group=0,mode=770"
sockets="path=${_sockdir}/wlan0,${_perms},port=1200"
"""

# What people do to such a file.
EDITS = [
    WPA_SAMPLE.split("sockets=")[0] + "sockets='path=/var/run/wpa_supplicant/wlan0,port=1200\n"
    "  path=/var/run/wpa_supplicant/p2p-dev-wlan0,port=1201'\n",
    WPA_SAMPLE.replace("\npath=", " path="),
    WPA_SAMPLE.replace("${_sockdir}", "$_sockdir").replace("${_perms}", "$_perms"),
    WPA_SAMPLE.replace("network=10.0.0.1:255.255.255.0", "network=10.0.0.1:255.255.255.0   # eth0"),
    WPA_SAMPLE.replace(",port=1200\n", ",port=1200 \\\n"),
    WPA_SAMPLE.replace('_perms="user=root,group=0,mode=770"', "_perms=user=root,group=wheel,mode=0660"),
    WPA_SAMPLE + 'sockets="${sockets}\npath=/var/run/wpa_supplicant/wlan1,${_perms},port=1202"\n',
    WPA_SAMPLE.replace("_sockdir=/var/run/wpa_supplicant", "_run=/var/run; _sockdir=$_run/wpa_supplicant"),
    HOSTAPD_SAMPLE.replace("\n", "\n\n\t\n"),
    HOSTAPD_SAMPLE.rstrip("\n"),
    "sockets=path=/var/run/hostapd/wlan0,port=1200 network=10.0.0.2/24\n",
]

# Refused, and why (what the message must say).
REFUSED = [
    ("export network=10.0.0.1:255.255.255.0\n", "1", "shell command"),
    ("network = 10.0.0.1:255.255.255.0\n", "1", "no blanks"),
    ("_d=$(dirname /var/run/x)\n", "1", "command substitution"),
    ("network=${ip:-10.0.0.1}:255.255.255.0\n", "1", "parameter operators"),
    ("_sockdir=~/run\n", "1", "'~'"),
    ("network=10.0.0.1:255.255.255.0\r\n", "1", "DOS line endings"),
    ('a=1\nsockets="path=/x,port=1\n', "2", "unterminated double quote"),
    ("network=10.0.0.1 255.255.255.0\n", "1", "must be quoted"),
]

# Accepted, as sh does, but probably not what was meant: warned about.
WARNED = [
    # Two assignments for sh: sockets, and a variable named path.
    ("sockets=path=/x,port=1 path=/y,port=2\n", "1", "'path' is not a setting"),
    ("sockets=path=${_sockdr}/x,port=1\n_sockdir=/run\n", "1", "$_sockdr is not set"),
    ("socket=path=/x,port=1\nsockets=path=/y,port=2\n", "1", "(did you mean 'sockets'?)"),
]

NAMES = ["a", "b", "_x", "network", "sockets", "v1"]
PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/.,=:-_@%+!?*[]{}#^"
PRINTABLE = PLAIN + " \t$'\"\\`;&|<>()~"


def unquoted(r):
    s = "".join(r.choice(PLAIN) for _ in range(r.randint(1, 8)))
    return s.replace(":~", ":x")


def single_quoted(r):
    body = "".join(r.choice(PRINTABLE.replace("'", "") + "\n") for _ in range(r.randint(0, 12)))
    return "'" + body + "'"


def expansion(r):
    name = r.choice(NAMES)
    return r.choice(["$" + name, "${" + name + "}"])


def double_quoted(r):
    parts = []
    for _ in range(r.randint(0, 6)):
        k = r.randint(0, 9)
        if k < 4:
            parts.append("".join(r.choice(PLAIN + " \t\n'#;|&<>()~") for _ in range(r.randint(1, 6))))
        elif k < 6:
            parts.append(expansion(r) + r.choice(["", "/", " ", ","]))
        elif k == 6:
            parts.append("\\" + r.choice('$"\\`n t'))
        elif k == 7:
            parts.append("\\\n")
        elif k == 8:
            parts.append("$/")
        else:
            # A "$" that starts nothing stays a "$" (not "$$" or "$1":
            # special parameters, which are refused).
            parts.append("$" + r.choice("/ ,.:="))
    return '"' + "".join(parts) + r.choice(["", "$"]) + '"'


def value(r):
    parts = []
    for _ in range(r.randint(0, 4)):
        k = r.randint(0, 7)
        if k < 2:
            parts.append(unquoted(r))
        elif k == 2:
            parts.append(single_quoted(r))
        elif k == 3:
            parts.append(double_quoted(r))
        elif k == 4:
            parts.append(expansion(r))
        elif k == 5:
            parts.append("\\" + r.choice(PRINTABLE))
        elif k == 6:
            parts.append("\\\n")
        else:
            parts.append(unquoted(r))
    v = "".join(parts)
    if v.startswith("~"):
        v = "x" + v
    return v


def random_file(r):
    lines = []
    for _ in range(r.randint(1, 10)):
        k = r.randint(0, 9)
        if k == 0:
            lines.append("# " + "".join(r.choice(PRINTABLE) for _ in range(10)))
        elif k == 1:
            lines.append(r.choice(["", "  ", "\t"]))
        else:
            n = r.randint(1, 3)
            sep = r.choice([" ", "\t", "; ", ";"])
            line = sep.join(f"{r.choice(NAMES)}={value(r)}" for _ in range(n))
            if r.random() < 0.2:
                line += r.choice([" # trailing", ";", " ;"])
            lines.append(line)
    text = "\n".join(lines) + r.choice(["\n", ""])
    # An unquoted ':' right before '~' would make sh expand a tilde.
    return text


def sh_values(shell, path, names):
    script = '. "$1"; printf "%s\\0" ' + " ".join(f'"${n}"' for n in names)
    r = subprocess.run(["env", "-i", *shell, "-c", script, "sh", path], capture_output=True)
    return r.returncode, r.stdout, r.stderr


def our_values(bridge, path, names):
    args = [bridge, "check"]
    for n in names:
        args += ["-p", n]
    r = subprocess.run(args + [path], capture_output=True)
    return r.returncode, r.stdout, r.stderr


shells = [["dash"], ["busybox", "sh"]]
for sh in shells:
    if not shutil.which(sh[0]):
        log(f"SKIP: {sh[0]} is not installed")
        sys.exit(77)
bridge = build_bridge()
tmp = tempfile.mkdtemp(prefix="udsp-shconf-")
try:
    path = os.path.join(tmp, "uds_passthru.conf")

    def compare(text, label, strict=True):
        with open(path, "w") as f:
            f.write(text)
        ours = our_values(bridge, path, NAMES)
        for sh in shells:
            theirs = sh_values(sh, path, NAMES)
            if theirs[0] != 0:
                fail(f"{label}: {sh[0]} refused a file we generated as valid:\n{text}\n{theirs[2]}")
            if ours[0] != 0:
                fail(f"{label}: refused, but {sh[0]} reads it:\n{text!r}\n{ours[2].decode()}")
            if ours[1] != theirs[1]:
                fail(f"{label}: differs from {sh[0]}:\n{text!r}\nsh:   {theirs[1]!r}\nours: {ours[1]!r}")

    compare(WPA_SAMPLE, "the wpa_supplicant sample")
    compare(HOSTAPD_SAMPLE, "the hostapd sample")
    log("ok: Wifibox's two samples read as sh reads them")
    for i, text in enumerate(EDITS):
        compare(text, f"edit {i}")
        r = subprocess.run([bridge, "check", path], capture_output=True, text=True)
        check(r.returncode == 0 and "socket /var/run/" in r.stdout,
              f"edit {i} is a working bridge config: {r.stdout.splitlines()[-1] if r.stdout else r.stderr.strip()}")
    seed = int(os.environ.get("UDSP_SEED", "20261125"))
    r = random.Random(seed)
    n = 400
    for i in range(n):
        compare(random_file(r), f"random file {i} (seed {seed})")
    log(f"ok: {n} random files (seed {seed}) read as dash and busybox sh read them")
    for text, line, what in REFUSED:
        with open(path, "w") as f:
            f.write(text)
        res = subprocess.run([bridge, "check", path], capture_output=True, text=True)
        check(res.returncode == 100 and f"uds_passthru.conf:{line}:" in res.stderr and what in res.stderr,
              f"refused with file:line: {res.stderr.strip().splitlines()[0] if res.stderr else '(nothing)'}")
    for text, line, what in WARNED:
        compare(text, "a warned file")
        res = subprocess.run([bridge, "check", path], capture_output=True, text=True)
        check(res.returncode == 0 and f"uds_passthru.conf:{line}:" in res.stderr and what in res.stderr,
              f"accepted as sh would, with a warning: {res.stderr.strip().splitlines()[0]}")
finally:
    shutil.rmtree(tmp)
sys.exit(0)
