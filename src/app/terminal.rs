//! Entering and leaving the terminal. The terminal is restored however we leave:
//! normal exit, error (the guard's Drop) or panic (ratatui's panic hook).

use std::io::Write;

use ratatui::DefaultTerminal;

pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    /// Raw mode and the alternate screen; installs the restoring panic hook.
    pub fn enter() -> TerminalGuard {
        TerminalGuard {
            terminal: ratatui::init(),
        }
    }

    /// Draws one frame inside a synchronized update, so terminals that support it
    /// never show a half-drawn screen.
    pub fn draw(&mut self, draw: impl FnOnce(&mut ratatui::Frame)) -> std::io::Result<()> {
        crossterm::queue!(
            self.terminal.backend_mut(),
            crossterm::terminal::BeginSynchronizedUpdate
        )?;
        self.terminal.draw(draw)?;
        crossterm::queue!(
            self.terminal.backend_mut(),
            crossterm::terminal::EndSynchronizedUpdate
        )?;
        self.terminal.backend_mut().flush()
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}
