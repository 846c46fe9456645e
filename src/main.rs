//! The `marsad` binary: hands the command line to [`marsad::cli`], which opens the window
//! through [`marsad::ui::run`] when no subcommand is given, and returns its exit code.

use std::process::ExitCode;

/// mimalloc: the text engine, the exports and egui allocate many short-lived buffers; glibc's
/// allocator gave large ones back to the system and took them again, zeroed, for each document.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    marsad::cli::run(std::env::args_os(), marsad::ui::run)
}
