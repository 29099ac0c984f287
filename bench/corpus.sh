#!/usr/bin/env bash
# Builds the benchmark corpus: the unpacked sources of popular crates and everything they
# depend on, fetched by cargo from crates.io. Real code nobody here wrote, several hundred MB.
#
# Usage: bench/corpus.sh [DIR]   (default bench/.work/corpus); prints the corpus directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work="$here/.work"
corpus=${1:-$work/corpus}
if [ -f "$corpus/.complete" ]; then
  echo "$corpus"
  exit 0
fi
mkdir -p "$work/fetch/src" "$corpus"
export CARGO_HOME="$work/cargo-home"
cat > "$work/fetch/Cargo.toml" <<'TOML'
[package]
name = "hygiene-bench-corpus"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
tokio = { version = "1", features = ["full"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
regex = "1"
clap = { version = "4", features = ["derive"] }
reqwest = { version = "0.12", features = ["json", "blocking"] }
hyper = { version = "1", features = ["full"] }
axum = "0.8"
actix-web = "4"
diesel = { version = "2", features = ["postgres", "sqlite", "mysql"] }
sqlx = { version = "0.8", features = ["runtime-tokio", "postgres", "mysql", "sqlite"] }
rustls = "0.23"
ring = "0.17"
openssl = "0.10"
gix = "0.74"
git2 = "0.20"
syn = { version = "2", features = ["full"] }
rayon = "1"
image = "0.25"
wgpu = "25"
winit = "0.30"
web-sys = { version = "0.3", features = ["Window", "Document"] }
windows = "0.61"
windows-sys = "0.59"
aws-sdk-s3 = "1"
aws-sdk-ec2 = "1"
aws-sdk-iam = "1"
arrow = "55"
datafusion = "48"
polars = "0.49"
wasmtime = "33"
tonic = "0.13"
prost = "0.13"
rocket = "0.5"
tera = "1"
handlebars = "6"
chrono = "0.4"
time = "0.3"
uuid = "1"
rand = "0.9"
TOML
echo 'fn main() {}' > "$work/fetch/src/main.rs"
(cd "$work/fetch" && cargo fetch --quiet)
# cargo fetch leaves .crate archives (tar.gz); unpack each into the corpus.
find "$CARGO_HOME/registry/cache" -name '*.crate' | sort | while read -r crate; do
  tar -xzf "$crate" -C "$corpus"
done
touch "$corpus/.complete"
echo "$corpus"
