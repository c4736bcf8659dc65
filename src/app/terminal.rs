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

impl TerminalGuard {
    /// Gives the terminal back and stops the process, as ctrl-z does in any
    /// program; after `fg`, takes the terminal again with a full redraw.
    pub fn suspend(&mut self) -> std::io::Result<()> {
        leave();
        // SAFETY: raise only sends a signal to this process. SIGSTOP cannot be
        // caught, so the shell's job control sees an ordinary stopped job.
        unsafe {
            libc::raise(libc::SIGSTOP);
        }
        self.resume()
    }

    /// Raw mode, the alternate screen and a hidden cursor again, after the
    /// terminal was someone else's; the next frame is drawn whole.
    ///
    /// Not `Terminal::clear`: it asks the terminal where the cursor is, and when
    /// that answer is late or read by someone else it fails before forgetting the
    /// last frame, so only what changed since would be drawn on a blank screen.
    pub fn resume(&mut self) -> std::io::Result<()> {
        crossterm::terminal::enable_raw_mode()?;
        crossterm::execute!(
            std::io::stdout(),
            crossterm::terminal::EnterAlternateScreen,
            crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
        )?;
        self.terminal.hide_cursor()?;
        // Each swap blanks the buffer it leaves; two leave both blank, so the next
        // frame is compared with an empty screen and written in full.
        self.terminal.swap_buffers();
        self.terminal.swap_buffers();
        Ok(())
    }
}

/// The terminal as the shell had it: cooked mode, the normal screen, a cursor.
fn leave() {
    ratatui::restore();
    let _ = crossterm::execute!(std::io::stdout(), crossterm::cursor::Show);
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        leave();
    }
}
