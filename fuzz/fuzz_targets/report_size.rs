#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ivs_participant_token::fuzzing::report_size_check(data));
