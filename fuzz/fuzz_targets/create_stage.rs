#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ivs_participant_token::fuzzing::create_stage_check(data));
