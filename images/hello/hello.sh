#!/bin/sh
# Says hello from inside a container: who, where and when. NAME changes who is greeted.
name="${NAME:-learner}"
echo "Hello, ${name}! This greeting comes from inside a container."
echo "  hostname : $(cat /proc/sys/kernel/hostname)"
echo "  date     : $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "  kernel   : $(uname -sr)"
echo "  my PID   : $$"
echo "  image    : dockerlab/hello (debian:bookworm-slim + this one script)"
