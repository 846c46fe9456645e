#!/usr/bin/env bash
# The one test command (README and CI run exactly this): formatting, lints, then every test.
# Needs only the Rust toolchain; everything else is built from this repository.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --locked --all-targets -- -D warnings
cargo test --locked --all-targets
