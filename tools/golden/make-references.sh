#!/usr/bin/env bash
# Regenerates tests/data/golden/: the layout of every sample article at widths 400, 600 and 900
# as headless Chromium draws it (../shared/tools/reference-render), with the project's fonts.
# For each: line starts, the rectangles of every annotated span and of ranges that start in
# Arabic and end in Latin letters or digits, and where clicks on a grid of points land.
# Needs chromium (apt-get install -y chromium) and the reference-render tool; run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/../.."
render=${REFERENCE_RENDER:-../shared/tools/reference-render}
cargo build --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for doc in sample_articles/*.json sample_articles/*.ron; do
  name=$(basename "${doc%.*}")
  target/debug/marsad convert --force "$doc" "$tmp/$name.json" >/dev/null
  python3 - "$tmp/$name.json" "$tmp/$name" <<'PY'
import json, re, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
text = doc["document"]["text"]
open(sys.argv[2] + ".txt", "w", encoding="utf-8").write(text)
ranges = {(s["start"], s["end"]) for a in doc["annotations"] for s in a["spans"]}
# Ranges that start in Arabic and end in Latin letters or digits (the case web tools get wrong).
for m in re.finditer(r"[A-Za-z0-9\u0660-\u0669]+", text):
    start = max(0, m.start() - 6)
    if re.match(r"[\u0600-\u06FF]", text[start]):
        ranges.add((start, m.end()))
open(sys.argv[2] + ".ranges", "w").write("\n".join(f"{a}:{b}" for a, b in sorted(ranges)))
PY
  for width in 400 600 900; do
    lines=$(target/debug/marsad layout "$tmp/$name.txt" --width "$width" --json \
      | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["lines"]) + 2)')
    args=()
    while read -r r; do args+=(--range "$r"); done <"$tmp/$name.ranges"
    for ((k = 0; k < lines; k++)); do
      for ((x = 7; x < width; x += 23)); do args+=(--hit "$x,$((20 + 40 * k))"); done
    done
    "$render" "$tmp/$name.txt" "$tmp/$name-$width" --width "$width" --size 24 --line-height 40 \
      "${args[@]}" >/dev/null
    python3 -c 'import json,sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2],"w"), ensure_ascii=False, separators=(",", ":"))' \
      "$tmp/$name-$width.json" "tests/data/golden/$name-$width.json"
    echo "tests/data/golden/$name-$width.json"
  done
done
