#!/bin/bash
# HEALTHCHECK without curl: bash opens a TCP socket itself (/dev/tcp) and sends one HTTP request.
# Exit 0 when GET /actuator/health answers 200, 1 otherwise (the engine then counts a failure).
exec 3<>"/dev/tcp/127.0.0.1/${SERVER_PORT:-8080}" || exit 1
printf 'GET /actuator/health HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 2 status <&3 || exit 1
[[ $status == HTTP/*" 200"* ]]
