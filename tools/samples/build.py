#!/usr/bin/env python3
"""Build a marsad/1 JSON document from a sample written in span notation.

The sample articles in sample_articles/ were written in this notation (tools/samples/*.txt) and
turned into documents with this script, then canonicalised with `marsad convert --force`.

Notation (header lines, a line `---`, then the article text verbatim):

    %id mali-sinsgaji-jnim            required
    %title ... / %source ... / %url ... / %published YYYY-MM-DD / %language ar
    %coder coder-a                   the human annotation set's id and annotator
    %status Done                     NotStarted | InProgress | Done | Reviewed
    %rel KIND FROM_TAG TO_TAG        a relation between two tagged spans
    %event id=e1 type="Battles" sub="Armed clash" date=2023-01-18 perpetrators=a,b targets=c
           places=d casualties=e claims=f notes="..."      (one line)
    ---
    جماعة [ACTOR@jnim kind=REBEL named=true|نصرة الإسلام] [PLACE level=LOCALITY|بسيكاسو] ...

A span is `[LABEL@tag attr=value ...|covered text]`; spans nest. Values that look like integers
are integers, true/false are booleans, anything else (quoted with "..." if it has spaces) a string.
Span ids are s1, s2, ... in order of their opening bracket. One trailing newline is dropped.

usage: build.py SAMPLE.txt OUT.json
"""
import hashlib
import json
import shlex
import sys


def value(v):
    if v in ("true", "false"):
        return v == "true"
    try:
        return int(v)
    except ValueError:
        return v


def parse_kv(items):
    out = {}
    for item in items:
        k, _, v = item.partition("=")
        out[k] = v
    return out


def parse(src, path):
    head, sep, body = src.partition("\n---\n")
    if not sep:
        sys.exit(f"{path}: no '---' line between header and text")
    if body.endswith("\n"):
        body = body[:-1]
    meta, rels, events = {}, [], []
    for line in head.splitlines():
        if not line.strip():
            continue
        key, _, rest = line.partition(" ")
        if key == "%rel":
            rels.append(rest.split())
        elif key == "%event":
            events.append(parse_kv(shlex.split(rest)))
        elif key.startswith("%"):
            meta[key[1:]] = rest.strip()
        else:
            sys.exit(f"{path}: header line not understood: {line!r}")
    text, spans, stack, i = [], [], [], 0
    pos = 0  # code points written so far
    while i < len(body):
        c = body[i]
        if c == "[":
            bar = body.index("|", i)
            header = shlex.split(body[i + 1 : bar])
            label, _, tag = header[0].partition("@")
            attrs = {k: value(v) for k, v in parse_kv(header[1:]).items()}
            span = {"id": f"s{len(spans) + 1}", "start": pos, "label": label, "attrs": attrs,
                    "tag": tag or None}
            spans.append(span)
            stack.append(span)
            i = bar + 1
        elif c == "]":
            if not stack:
                sys.exit(f"{path}: unmatched ']' at text offset {pos}")
            stack.pop()["end"] = pos
            i += 1
        else:
            text.append(c)
            pos += 1
            i += 1
    if stack:
        sys.exit(f"{path}: unclosed span {stack[-1]['id']}")
    text = "".join(text)
    tags = {}
    for s in spans:
        s["text"] = text[s["start"] : s["end"]]
        if s["text"] != s["text"].strip() or not s["text"]:
            sys.exit(f"{path}: span {s['id']} has leading/trailing space or is empty: {s['text']!r}")
        if s["tag"]:
            if s["tag"] in tags:
                sys.exit(f"{path}: tag {s['tag']} used twice")
            tags[s["tag"]] = s["id"]

    def ids(field):
        return [tags[t] for t in field.split(",") if t] if field else []

    coder = meta.get("coder", "coder-a")
    out_spans = [
        {"id": s["id"], "start": s["start"], "end": s["end"], "label": s["label"], "text": s["text"],
         "attrs": s["attrs"], "note": None, "confidence": None}
        for s in spans
    ]
    relations = [{"id": f"r{n + 1}", "kind": k, "from": tags[a], "to": tags[b]}
                 for n, (k, a, b) in enumerate(rels)]
    out_events = [
        {"id": e["id"], "event_type": e["type"], "sub_event_type": e.get("sub"),
         "date": e.get("date"), "perpetrators": ids(e.get("perpetrators")),
         "targets": ids(e.get("targets")), "places": ids(e.get("places")),
         "casualties": ids(e.get("casualties")), "claims": ids(e.get("claims")),
         "notes": e.get("notes")}
        for e in events
    ]
    return {
        "format": "marsad/1",
        "document": {
            "id": meta["id"], "title": meta.get("title"), "source": meta.get("source"),
            "url": meta.get("url"), "published": meta.get("published"),
            "language": meta.get("language", "ar"), "text": text,
            "text_sha256": hashlib.sha256(text.encode()).hexdigest(), "import": None,
        },
        "schema": None,
        "annotations": [{
            "id": coder, "source": {"Human": {"annotator": coder}},
            "status": meta.get("status", "Done"), "spans": out_spans,
            "relations": relations, "events": out_events,
        }],
    }


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    doc = parse(open(sys.argv[1], encoding="utf-8").read(), sys.argv[1])
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
    n = len(doc["annotations"][0]["spans"])
    words = len(doc["document"]["text"].split())
    print(f"{sys.argv[2]}: {words} words, {n} spans")
