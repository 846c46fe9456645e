#!/usr/bin/env bash
# Rebuilds sample_articles/ from the span-notation sources in tools/samples/ (see build.py).
# The documents are canonicalised (and fully validated) by `marsad convert`.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for src in tools/samples/*.txt; do
  name=$(basename "$src" .txt)
  python3 tools/samples/build.py "$src" "$tmp/$name.json"
  # Two samples are kept as RON, the rest as JSON.
  case $name in
    niger-tillaberi-ambush|mali-kidal-drone-strike) out=sample_articles/$name.ron ;;
    *) out=sample_articles/$name.json ;;
  esac
  target/debug/marsad convert --force "$tmp/$name.json" "$out"
done
