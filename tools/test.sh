#!/usr/bin/env bash
# The one test command (README and CI run exactly this): formatting, lints, then every test.
# Needs the Rust toolchain; the UI snapshot tests also need Mesa's software renderers, which
# are installed here with apt-get when missing (CI runs as root on Debian); the export tests
# need Python 3 and PyPI for spaCy (tools/spacy/venv.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(mesa-vulkan-drivers libvulkan1 libegl1 libgl1-mesa-dri libgles2)
if ! dpkg -s "${packages[@]}" >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  else
    echo "tools/test.sh: please install ${packages[*]} (needed to render UI snapshots)" >&2
  fi
fi
# The team tests run the system's git on real repositories in temp folders.
if ! command -v git >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq git >/dev/null
  else
    echo "tools/test.sh: please install git (needed by tests/team.rs)" >&2
  fi
fi
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
chmod 700 "$XDG_RUNTIME_DIR"
# spaCy from PyPI in target/spacy-venv, to load the .spacy exports in tests/export.rs.
tools/spacy/venv.sh
cargo fmt --all -- --check
cargo clippy --locked --all-targets -- -D warnings
cargo test --locked --all-targets
