#!/usr/bin/env bash
# What a secret fingerprint costs (src/fingerprint.rs): one Argon2id derivation with the
# built-in parameters (and a few others for comparison), an attacker's guesses per second per
# core before (v1, one SHA-256) and after (v2), and the wall time a scan with N distinct
# secrets spends deriving them in parallel. docs/fingerprints.md records the results.
#
# Usage: bench/fingerprint.sh [N]     (default 25000, GitHub's result limit per SARIF run)
# Needs: cargo. Builds benches/fingerprint.rs with the release profile.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --quiet --bench fingerprint -- "${1:-25000}"
