#!/bin/sh
# limits.py again with the bridge built with AddressSanitizer and UBSan:
# the same abuse, and not one sanitizer report (leaks included) from the
# guest or the host side. See limits.py.
UDSP_SANITIZE=1 exec "$(dirname "$0")/limits.py"
