#!/usr/bin/env bash
# Lays out and packs the release: dist.sh BINARY OUTDIR. The tarball unpacks to
# hyperlab-VERSION-linux-x86_64/ shaped like a prefix (bin/, share/hyperlab/), so one
# `tar -xzf … -C /usr/local --strip-components=1` installs it.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$1 out=$2
version=$("$bin" --version)
name="hyperlab-$version-linux-x86_64"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
share="$root/share/hyperlab"
mkdir -p "$root/bin" "$share/stdlib-lua" "$share/labs"
# symbols only help a debugger; without them the tarball is 20 MB smaller
strip -o "$root/bin/hyperlab" "$bin"
cp README.md "$share/"
cp -r docs "$share/docs"
cp -r stdlib-lua/types "$share/stdlib-lua/types"
cp .luarc.json "$share/.luarc.json"
# the release is public: students download it too, so no solution/ and no hidden/
for lab in labs/*/; do
  n=$(basename "$lab")
  mkdir -p "$share/labs/$n"
  for f in README.md lab.lua; do [ -f "$lab$f" ] && cp "$lab$f" "$share/labs/$n/"; done
  [ -d "${lab}starter" ] && cp -r "${lab}starter" "$share/labs/$n/starter"
done
mkdir -p "$out"
# fixed owner, order and times: the same inputs give the same tarball
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2024-01-01 00:00Z' \
  -C "$stage" -cf - "$name" | gzip -9n > "$out/$name.tar.gz.tmp"
mv "$out/$name.tar.gz.tmp" "$out/$name.tar.gz"
size=$(stat -c %s "$out/$name.tar.gz")
echo "wrote $out/$name.tar.gz ($((size / 1024 / 1024)) MiB): bin/hyperlab, share/hyperlab/{docs,labs,stdlib-lua/types}"
