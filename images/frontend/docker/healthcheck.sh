#!/bin/sh
# HEALTHCHECK without curl: busybox's wget asks nginx for /healthz, for 2 s at most (busybox's own timeout applet:
# Debian's static busybox 1.35 crashes on wget -T).
exec timeout 2 wget -q -O /dev/null "http://127.0.0.1:${PORT:-8080}/healthz"
