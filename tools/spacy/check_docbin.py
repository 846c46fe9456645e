#!/usr/bin/env python3
"""Check a spaCy 3 DocBin (.spacy) file written by marsad against expected spans.

Usage:
    PYTHON check_docbin.py FILE.spacy EXPECTED.jsonl

EXPECTED.jsonl holds one JSON object per document, in the same order as the
documents in FILE.spacy:

    {"id": ..., "text": "...", "spans": [{"start": S, "end": E, "label": "L", "text": "..."}, ...]}

start/end are code-point offsets (Python str offsets), end exclusive.

For every document the checker verifies:
  * doc.text == text;
  * every expected span is in doc.spans["sc"] with the same start_char,
    end_char and label_, and span.text == text[start:end] == the expected
    "text"; the span's char offsets agree with its tokens;
  * doc.spans["sc"] holds no extra spans (compared as a multiset);
  * doc.char_span(start, end) is not None for every expected span (the
    tokenization splits at every span boundary);
  * doc.ents are exactly the spans chosen by the ENTITY RULE below.

ENTITY RULE (marsad's Rust exporter picks doc.ents the same way):
    Sort the document's spans by (length = end - start, descending; start,
    ascending) with a STABLE sort, so that spans with equal length and start
    (the same range under different labels) keep their order in the expected
    list and the first one wins. Walk the sorted list and take each span that
    does not overlap (share any character with) a span already taken. The taken
    spans, ordered by start, are doc.ents (label included).

On failure prints one line per problem:
    FILE: doc ID: span START:END LABEL: what
(or `FILE: doc ID: what` for document-level problems) and exits 1.
On success prints a one-line summary and exits 0. Usage errors exit 2.
"""
import json
import sys
from collections import Counter


def choose_ents(spans):
    """Apply the ENTITY RULE. spans: list of (start, end, label)."""
    ordered = sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0]))  # stable
    taken = []
    for s in ordered:
        if all(s[1] <= t[0] or t[1] <= s[0] for t in taken):
            taken.append(s)
    return sorted(taken, key=lambda s: (s[0], s[1]))


def main(argv):
    if len(argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    path, expected_path = argv[1], argv[2]

    try:
        with open(expected_path, encoding="utf-8") as f:
            expected = [json.loads(line) for line in f if line.strip()]
    except (OSError, ValueError) as e:
        print(f"{expected_path}: cannot read expected jsonl: {e}")
        return 1

    import spacy
    from spacy.tokens import DocBin

    errors = []

    def err(doc_id, msg, span=None):
        if span is None:
            errors.append(f"{path}: doc {doc_id}: {msg}")
        else:
            start, end, label = span
            errors.append(f"{path}: doc {doc_id}: span {start}:{end} {label}: {msg}")

    vocab = spacy.blank("xx").vocab
    try:
        doc_bin = DocBin().from_disk(path)
    except Exception as e:  # noqa: BLE001 - any load failure is a check failure
        print(f"{path}: cannot load DocBin: {type(e).__name__}: {e}")
        return 1
    if len(doc_bin) != len(expected):
        err("-", f"{len(doc_bin)} documents in the DocBin, {len(expected)} expected")

    n_docs = n_spans = n_ents = 0
    docs = doc_bin.get_docs(vocab)
    for index, exp in enumerate(expected):
        doc_id = exp.get("id", f"#{index}")
        try:
            doc = next(docs)
        except StopIteration:
            break
        except Exception as e:  # noqa: BLE001
            err(doc_id, f"cannot restore Doc: {type(e).__name__}: {e}")
            break
        n_docs += 1
        text = exp["text"]
        if doc.text != text:
            err(doc_id, f"doc.text differs: got {doc.text!r}, expected {text!r}")

        exp_spans = []
        for s in exp.get("spans", []):
            key = (s["start"], s["end"], s["label"])
            exp_spans.append(key)
            n_spans += 1
            start, end, label = key
            if not (0 <= start < end <= len(text)):
                err(doc_id, f"bad expected offsets for a text of {len(text)} chars", key)
                continue
            if text[start:end] != s.get("text", text[start:end]):
                err(doc_id, f"expected text {s['text']!r} != text[start:end] {text[start:end]!r}", key)
            if doc.text == text and doc.char_span(start, end) is None:
                err(doc_id, "doc.char_span(start, end) is None: tokens are not split at the span boundaries", key)

        # doc.spans["sc"]
        got_spans = Counter()
        if "sc" in doc.spans:
            for span in doc.spans["sc"]:
                try:
                    label = span.label_
                except Exception as e:  # noqa: BLE001 - label hash not in StringStore
                    label = f"<label hash {span.label} unresolved: {type(e).__name__}>"
                key = (span.start_char, span.end_char, label)
                got_spans[key] += 1
                tokens = doc[span.start:span.end]
                if len(tokens) == 0:
                    err(doc_id, f"span in doc.spans['sc'] covers no tokens (tokens {span.start}:{span.end})", key)
                    continue
                tok_start = tokens[0].idx
                tok_end = tokens[-1].idx + len(tokens[-1].text)
                if (tok_start, tok_end) != (span.start_char, span.end_char):
                    err(doc_id, f"stored char offsets disagree with its tokens {span.start}:{span.end}, "
                                f"which cover chars {tok_start}:{tok_end}", key)
                if span.start_char >= 0 and span.end_char <= len(text) and span.text != text[span.start_char:span.end_char]:
                    err(doc_id, f"span.text {span.text!r} != text[start:end] {text[span.start_char:span.end_char]!r}", key)
        elif exp_spans:
            err(doc_id, f"doc.spans has no 'sc' group (keys: {list(doc.spans.keys())})")
        want_spans = Counter(exp_spans)
        for key in sorted((want_spans - got_spans).elements()):
            err(doc_id, "expected span missing from doc.spans['sc']", key)
        for key in sorted((got_spans - want_spans).elements()):
            err(doc_id, "unexpected span in doc.spans['sc']", key)

        # doc.ents
        try:
            got_ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        except Exception as e:  # noqa: BLE001
            err(doc_id, f"cannot read doc.ents: {type(e).__name__}: {e}")
            got_ents = []
        want_ents = choose_ents([s for s in exp_spans if 0 <= s[0] < s[1] <= len(text)])
        n_ents += len(want_ents)
        for key in sorted(set(want_ents) - set(got_ents)):
            err(doc_id, "expected entity missing from doc.ents", key)
        for key in sorted(set(got_ents) - set(want_ents)):
            err(doc_id, "unexpected entity in doc.ents", key)

    try:
        for _ in docs:  # drain: more documents in the file than expected (count already reported)
            pass
    except Exception:  # noqa: BLE001 - the generator already failed above
        pass

    if errors:
        for line in errors:
            print(line)
        print(f"{path}: FAILED: {len(errors)} problem(s)")
        return 1
    print(f"{path}: OK: {n_docs} documents, {n_spans} spans, {n_ents} ents")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
