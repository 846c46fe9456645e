"""Writes tests/fixtures/langextract/two-documents.jsonl with langextract's own code.

A model's raw answer (the JSON a language model returns to langextract's prompt) goes through
langextract's resolver (parsing), its word aligner (char_interval, alignment_status) and its
writer (`lx.io.save_annotated_documents`, one document per line): everything langextract does
after the model call. The model call itself needs an API key, so the answers are written here.

    python3 -m venv /tmp/lx && /tmp/lx/bin/pip install langextract
    /tmp/lx/bin/python tools/langextract/make_fixture.py
"""

import json
import pathlib

import langextract as lx
from langextract import resolver as resolver_lib

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "langextract"

DOCUMENTS = [
    (
        "kidal",
        "قتل 27 جنديا في كيدال، وتبنت جماعة نصرة الإسلام الهجوم.",
        [
            {"CASUALTY": "27 جنديا", "CASUALTY_attributes": {"value": "27", "qualifier": "exact", "kind": "killed", "group": "SOLDIERS"}},
            {"PLACE": "كيدال", "PLACE_attributes": {"level": "locality"}},
            {"ACTOR": "جماعة نصرة الإسلام", "ACTOR_attributes": {"kind": "rebels"}},
            {"CLAIM": "وتبنت", "CLAIM_attributes": {"hedged": "false"}},
        ],
    ),
    (
        "menaka",
        "نزح أكثر من 300 شخص من ميناكا.",
        [
            {"PLACE": "ميناكا"},
        ],
    ),
]


def main() -> None:
    resolver = resolver_lib.Resolver(format_handler=None)
    docs = []
    for doc_id, text, answer in DOCUMENTS:
        raw = json.dumps({"extractions": answer}, ensure_ascii=False)
        extractions = resolver.resolve(raw)
        aligned = list(resolver.align(extractions, text, token_offset=0, char_offset=0))
        docs.append(lx.data.AnnotatedDocument(document_id=doc_id, text=text, extractions=aligned))
    OUT.mkdir(parents=True, exist_ok=True)
    lx.io.save_annotated_documents(iter(docs), output_dir=OUT, output_name="two-documents.jsonl", show_progress=False)
    print((OUT / "two-documents.jsonl").read_text())


if __name__ == "__main__":
    main()
