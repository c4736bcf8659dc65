//! Terminal key events to [`Action`]s: through the keymap in normal mode, as text
//! editing while a prompt is open.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::{Action, Mode};
use crate::config::keymap::{Key, KeyAction, Keymap};

pub fn key_to_action(
    mode: &Mode,
    help_open: bool,
    keymap: &Keymap,
    event: &KeyEvent,
) -> Option<Action> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    if !matches!(mode, Mode::Normal) {
        return match event.code {
            KeyCode::Enter => Some(Action::PromptSubmit),
            KeyCode::Esc => Some(Action::PromptCancel),
            KeyCode::Backspace => Some(Action::PromptBackspace),
            KeyCode::Tab => Some(Action::PromptComplete),
            KeyCode::Char('c') if event.modifiers.contains(KeyModifiers::CONTROL) => {
                Some(Action::PromptCancel)
            }
            KeyCode::Char('u') if event.modifiers.contains(KeyModifiers::CONTROL) => {
                Some(Action::PromptClear)
            }
            KeyCode::Char(c)
                if !event
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                Some(Action::PromptInput(c))
            }
            _ => None,
        };
    }
    let action = keymap.action(&Key::from_event(event));
    if help_open {
        // Movement scrolls the help, these close it; everything else is ignored.
        return match action {
            Some(KeyAction::Back | KeyAction::Help | KeyAction::Quit) => {
                Some(Action::Key(KeyAction::Back))
            }
            Some(
                movement @ (KeyAction::Up
                | KeyAction::Down
                | KeyAction::PageUp
                | KeyAction::PageDown
                | KeyAction::Top
                | KeyAction::Bottom),
            ) => Some(Action::Key(movement)),
            _ => None,
        };
    }
    action.map(Action::Key)
}
