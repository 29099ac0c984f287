//! `hygiene::fuzzing::keywords` (see its documentation): the keyword filter against
//! aho-corasick; any difference, panic or hang is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    hygiene::fuzzing::keywords(data);
});
