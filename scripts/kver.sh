#!/bin/sh
# The kernel we build for and boot: the newest Debian 6.1 amd64 headers
# installed (the stock kernel of Debian 12), unless KVER is set.
ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sed 's|.*/linux-headers-||' | sort -V | tail -n 1
