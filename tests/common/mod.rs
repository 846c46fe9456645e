//! What the integration tests that run the `marsad` binary share.

use std::process::{Command, Output};

/// Runs the built `marsad` binary with these arguments.
pub fn marsad(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_marsad"))
        .args(args.iter().map(|a| a.as_ref()))
        .output()
        .expect("run marsad")
}

/// A process's stdout or stderr as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
