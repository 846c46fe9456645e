//! The `marsad` binary: hands the command line to [`marsad::cli`], which opens the window
//! through [`marsad::ui::run`] when no subcommand is given, and returns its exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    marsad::cli::run(std::env::args_os(), marsad::ui::run)
}
