//! The start-up probe for the start-up benchmark (`benches/startup.rs`): with
//! `MARSAD_STARTUP_PROBE` set, the window prints `marsad: text painted` on stdout once the
//! document's text is on screen — at the start of the frame after the first one that drew
//! it, when eframe has painted and presented that one. Nothing happens without the variable.

use std::io::Write;

/// Watches the first frames for the document's text.
#[derive(Debug)]
pub struct Probe {
    armed: bool,
    /// Frames that have drawn the text so far.
    drawn: u8,
}

impl Probe {
    pub fn from_env() -> Self {
        Self {
            armed: std::env::var_os("MARSAD_STARTUP_PROBE").is_some(),
            drawn: 0,
        }
    }

    /// Called once a frame: whether this frame draws the document's text.
    pub fn frame(&mut self, ctx: &egui::Context, text_drawn: bool) {
        if !self.armed || !text_drawn {
            return;
        }
        self.drawn += 1;
        if self.drawn == 1 {
            // The next frame comes at once, after this one is on screen.
            ctx.request_repaint();
        } else {
            self.armed = false;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "marsad: text painted").and_then(|()| out.flush());
        }
    }
}
