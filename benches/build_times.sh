#!/usr/bin/env bash
# Edit-compile-test figures of the README's Development section, in a fresh
# checkout of HEAD with its own target/ (so nothing is cached):
#   (a) a clean `cargo build --release`;
#   (b) touching a ui file, then `cargo build`;
#   (c) touching a model file, then `cargo test --no-run`.
# Usage: benches/build_times.sh [UI_FILE] [MODEL_FILE]. Takes ~15 minutes on
# 2 cores; run it with nothing else busy.
set -euo pipefail
ui=${1:-src/ui/table.rs}
model=${2:-crates/model/src/qos.rs}
repo=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git -C "$repo" archive HEAD | tar -x -C "$work"
cd "$work"
cargo fetch --locked >/dev/null 2>&1
seconds() {
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
echo "(a) clean release build: $(seconds cargo build --release --locked) s"
seconds cargo build --locked >/dev/null
touch "$ui"
echo "(b) touch $ui, cargo build: $(seconds cargo build --locked) s"
seconds cargo test --locked --no-run >/dev/null
touch "$model"
echo "(c) touch $model, cargo test --no-run: $(seconds cargo test --locked --no-run) s"
