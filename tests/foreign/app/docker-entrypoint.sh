#!/bin/sh
# The image's entrypoint: checks the data folder is writable, then runs the command (tally-server).
set -eu
if ! touch "${TALLY_DATA:-/data}/.writable" 2>/dev/null; then
  echo "tally: cannot write to ${TALLY_DATA:-/data} (run with a volume the app's user may write)" >&2
  exit 1
fi
echo "tally: data in ${TALLY_DATA:-/data}"
exec "$@"
