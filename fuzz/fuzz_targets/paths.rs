//! `hygiene::fuzzing::paths` (see its documentation): the path filters against the regexes
//! they stand for; any difference, panic or hang is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    hygiene::fuzzing::paths(data);
});
