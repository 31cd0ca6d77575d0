//! The tests whose list or whose skipping is decided at run time, under libtest-mimic (the
//! standard harness can neither name a test per data file nor skip one and say why):
//! every case through the offline core target, one named test each (`offline_cases`); the
//! kit with the tools its users have, from the venv or npm (`tools`); the reports, some in
//! a browser (`reports`); the constraint table against AWS's model as botocore ships it
//! (`model`). A test whose tool is missing is ignored with the reason, except
//! under `CI`, where it fails.
//!
//! `cargo test -p ivs-conformance --test trials -- duration.` runs the duration cases.

mod model;
mod offline_cases;
mod reports;
mod tools;

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let mut trials = offline_cases::trials();
    trials.extend(tools::trials());
    trials.extend(reports::trials());
    trials.extend(model::trials());
    libtest_mimic::run(&args, trials).exit();
}
