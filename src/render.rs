//! Headless rendering: the very frame the TUI draws, into an in-memory buffer,
//! printed as plain text.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::{Action, App};
use crate::ui;

/// Draws `app` at `width`×`height` and returns the screen as text, one line per
/// terminal row with trailing blanks trimmed.
pub fn render_to_text(app: &mut App, width: u16, height: u16) -> String {
    app.update(Action::Resize(width, height));
    let backend = TestBackend::new(width, height);
    let mut terminal = match Terminal::new(backend) {
        Ok(t) => t,
        Err(never) => match never {},
    };
    match terminal.draw(|frame| ui::draw(frame, app)) {
        Ok(_) => {}
        Err(never) => match never {},
    }
    ui::text::buffer_to_text(terminal.backend().buffer())
}
