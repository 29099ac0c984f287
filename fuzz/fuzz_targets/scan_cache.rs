//! `hygiene::fuzzing::scan_cache` (see its documentation); any panic, hang or unbounded allocation is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    hygiene::fuzzing::scan_cache(data);
});
