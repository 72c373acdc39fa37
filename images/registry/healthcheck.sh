#!/bin/bash
# HEALTHCHECK without curl: GET /v2/ over bash's /dev/tcp; the registry answers 200 when it serves.
exec 3<>/dev/tcp/127.0.0.1/5000 || exit 1
printf 'GET /v2/ HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 2 status <&3 || exit 1
[[ $status == HTTP/*" 200"* ]]
