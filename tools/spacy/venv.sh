#!/usr/bin/env bash
# Create (idempotently) a Python venv with a pinned spaCy 3 and dkpro-cassis, used
# only by the tests that verify marsad's Rust-written .spacy DocBin and UIMA CAS
# XMI (INCEpTION) exports.
#
# Usage: tools/spacy/venv.sh [VENV_DIR]
#   VENV_DIR defaults to target/spacy-venv (relative to the repo root).
# Prints nothing on the fast path (stamp present); the venv's python is
# VENV_DIR/bin/python. No spaCy models are downloaded (tests use
# spacy.blank("xx") / Vocab()).
set -euo pipefail

SPACY_VERSION="3.8.18"   # newest 3.x with a CPython 3.11 linux x86_64 wheel
CASSIS_VERSION="0.12.0"  # dkpro-cassis, the UIMA CAS reader of the DKPro/INCEpTION team

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${1:-$repo_root/target/spacy-venv}"
stamp="$venv/.marsad-spacy-$SPACY_VERSION-cassis-$CASSIS_VERSION.stamp"

if [[ -f "$stamp" && -x "$venv/bin/python" ]]; then
    exit 0
fi

python="${PYTHON:-python3}"
rm -f "$venv"/.marsad-spacy-*.stamp 2>/dev/null || true
if [[ ! -x "$venv/bin/python" ]]; then
    mkdir -p "$(dirname "$venv")"
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "spacy==$SPACY_VERSION" "dkpro-cassis==$CASSIS_VERSION"
# Sanity check before declaring success.
"$venv/bin/python" -c "import spacy, sys; assert spacy.__version__ == sys.argv[1], spacy.__version__" "$SPACY_VERSION"
"$venv/bin/python" -c "import cassis"
touch "$stamp"
