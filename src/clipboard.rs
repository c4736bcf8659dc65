//! Copying text for the user: the system clipboard through arboard where there is a
//! display, else an OSC 52 escape that the terminal (even over SSH) puts on its
//! clipboard. The app holds a [`Clipboard`] so tests can record instead.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};

use base64::Engine;

pub trait Clipboard: Send {
    /// Copies `text`; says how, or why it could not.
    fn copy(&mut self, text: &str) -> Result<&'static str, String>;
}

/// The real clipboard: arboard first, OSC 52 when no display is reachable.
#[derive(Default)]
pub struct SystemClipboard;

impl Clipboard for SystemClipboard {
    fn copy(&mut self, text: &str) -> Result<&'static str, String> {
        let arboard_error = match arboard::Clipboard::new().and_then(|mut c| c.set_text(text)) {
            Ok(()) => return Ok("clipboard"),
            Err(e) => e.to_string(),
        };
        let mut stdout = std::io::stdout();
        if !stdout.is_terminal() {
            return Err(format!(
                "no clipboard ({arboard_error}) and no terminal for OSC 52"
            ));
        }
        stdout
            .write_all(osc52(text).as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|e| format!("no clipboard ({arboard_error}); OSC 52 failed: {e}"))?;
        Ok("terminal (OSC 52)")
    }
}

/// The escape sequence that asks the terminal to set its clipboard to `text`.
pub fn osc52(text: &str) -> String {
    format!(
        "\x1b]52;c;{}\x07",
        base64::engine::general_purpose::STANDARD.encode(text)
    )
}

/// Keeps what was copied, for tests.
#[derive(Default, Clone)]
pub struct RecordingClipboard(pub Arc<Mutex<Vec<String>>>);

impl Clipboard for RecordingClipboard {
    fn copy(&mut self, text: &str) -> Result<&'static str, String> {
        self.0
            .lock()
            .map_err(|_| "the recording clipboard is poisoned".to_string())?
            .push(text.to_string());
        Ok("recording")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_wraps_base64_in_the_escape() {
        assert_eq!(osc52("web-1"), "\x1b]52;c;d2ViLTE=\x07");
    }
}
