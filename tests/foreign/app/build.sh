#!/bin/sh
# Renders the web page (the app's "front-end build"): build.sh VERSION OUTDIR
set -eu
version=$1
out=$2
mkdir -p "$out"
sed "s/@VERSION@/$version/g" page.html.in > "$out/index.html"
echo "tally $version: rendered $(wc -c < "$out/index.html") bytes to $out/index.html"
