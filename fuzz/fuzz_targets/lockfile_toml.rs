//! Feeds arbitrary bytes to every toml lockfile parser; any panic is a bug.
#![no_main]

use hygiene::deps::lockfile::{fuzz_family, Family};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fuzz_family(Family::Toml, data);
});
