#!/bin/bash
# HEALTHCHECK without curl: bash opens the TCP socket itself (/dev/tcp) and asks nginx for /healthz.
exec 3<>"/dev/tcp/127.0.0.1/${PORT:-8080}" || exit 1
printf 'GET /healthz HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 2 status <&3 || exit 1
[[ $status == HTTP/*" 200"* ]]
