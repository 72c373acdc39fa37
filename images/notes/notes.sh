#!/bin/sh
# notes — a tiny app that writes data at run time, for the chapters on read-only images and volumes.
#
#   notes run          append a line to the notes file every $NOTES_INTERVAL seconds (the default CMD)
#   notes add TEXT     append one line now (e.g. `docker exec <container> notes add "hello"`)
#   notes show         print the notes file
#   notes count        print how many notes there are
#
# The file is $NOTES_FILE (default /app/notes/notes.txt). /app/readme.txt is baked into the image.
set -u
NOTES_FILE="${NOTES_FILE:-/app/notes/notes.txt}"
NOTES_INTERVAL="${NOTES_INTERVAL:-5}"
host="$(cat /proc/sys/kernel/hostname)"

append() {
    line="$(date -u '+%Y-%m-%dT%H:%M:%SZ') ${host} $*"
    if ! { printf '%s\n' "$line" >> "$NOTES_FILE"; } 2>/dev/null; then
        echo "notes: cannot write $NOTES_FILE: $(touch "$NOTES_FILE" 2>&1 | sed 's/.*: //')" >&2
        echo "Hint: the container's filesystem may be read-only (--read-only): mount a volume at" \
             "$(dirname "$NOTES_FILE"), e.g. -v notes:$(dirname "$NOTES_FILE")" >&2
        return 1
    fi
    echo "$line"
}

count() {
    if [ -f "$NOTES_FILE" ]; then wc -l < "$NOTES_FILE"; else echo 0; fi
}

case "${1:-run}" in
    run)
        case "$NOTES_INTERVAL" in '' | *[!0-9]*) echo "notes: NOTES_INTERVAL must be whole seconds" >&2; exit 64 ;; esac
        trap 'echo "notes: stopping after $(count) note(s) in $NOTES_FILE"; exit 0' TERM INT
        echo "notes: appending a line to $NOTES_FILE every ${NOTES_INTERVAL}s ($(count) already there)"
        n=$(( $(count) + 1 ))
        while :; do
            append "note $n" || exit 1
            n=$((n + 1))
            # sleep in the background and wait: the TERM trap then runs at once, not after the sleep
            sleep "$NOTES_INTERVAL" &
            wait $!
        done
        ;;
    add)
        shift
        [ $# -gt 0 ] || { echo "usage: notes add TEXT" >&2; exit 64; }
        append "$*"
        ;;
    show)
        [ -f "$NOTES_FILE" ] && cat "$NOTES_FILE"
        ;;
    count)
        count
        ;;
    *)
        echo "usage: notes [run | add TEXT | show | count]" >&2
        exit 64
        ;;
esac
