//! The `marsad` binary: hands the command line to [`marsad::cli`] and returns its exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    marsad::cli::run(std::env::args_os())
}
