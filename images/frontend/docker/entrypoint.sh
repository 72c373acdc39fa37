#!/bin/sh
# Writes nginx's config from environment variables, then runs the command (nginx by default).
#   BACKEND_URL  where /api/ and /actuator/ go   (default http://backend:8080)
#   PORT         the port nginx listens on        (default 8080; >1023 since nginx is not root)
#   RESOLVER     DNS server for the backend name  (default: the container's, 127.0.0.11 on user networks)
set -eu

BACKEND_URL="${BACKEND_URL:-http://backend:8080}"
BACKEND_URL="${BACKEND_URL%/}"
PORT="${PORT:-8080}"

case "$BACKEND_URL" in
    http://?* | https://?*) ;;
    *) echo "entrypoint: BACKEND_URL must look like http://host:port, got '$BACKEND_URL'" >&2; exit 64 ;;
esac
case "$BACKEND_URL" in
    *[!A-Za-z0-9._:/-]*) echo "entrypoint: BACKEND_URL has characters nginx cannot take: '$BACKEND_URL'" >&2; exit 64 ;;
esac
case "$PORT" in
    '' | *[!0-9]*) echo "entrypoint: PORT must be a number, got '$PORT'" >&2; exit 64 ;;
esac

if [ -z "${RESOLVER:-}" ]; then
    RESOLVER="$(sed -n 's/^nameserver[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/resolv.conf 2>/dev/null | head -n 1)"
    RESOLVER="${RESOLVER:-127.0.0.11}"
fi
case "$RESOLVER" in
    *:*) case "$RESOLVER" in \[*) ;; *) RESOLVER="[$RESOLVER]" ;; esac ;;
esac
case "$RESOLVER" in
    *[!A-Za-z0-9.:\[\]-]*) echo "entrypoint: RESOLVER is not an address: '$RESOLVER'" >&2; exit 64 ;;
esac

mkdir -p /tmp/nginx
sed -e "s|__BACKEND_URL__|$BACKEND_URL|g" \
    -e "s|__RESOLVER__|$RESOLVER|g" \
    -e "s|__PORT__|$PORT|g" \
    /etc/nginx/dockerlab/nginx.conf.template > /tmp/nginx/nginx.conf

echo "entrypoint: nginx on port $PORT, /api/ and /actuator/ -> $BACKEND_URL (DNS $RESOLVER)"
exec "$@"
