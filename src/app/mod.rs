//! The interactive application: state, [`Action`]s and `update`. Terminal events and
//! cache notifications become actions; `update` changes state and says whether the
//! screen must be redrawn. Nothing here does I/O, so the whole app runs headless.

mod actions;
pub mod command;
pub mod doc_tick;
pub mod doc_view;
pub mod docs;
pub mod drain_session;
pub mod generic;
pub mod input;
pub mod label_editing;
pub mod log_session;
mod open;
mod prompt;
pub mod run;
pub mod shell_terminal;
mod signals;
mod state;
pub mod targets;
pub mod tasks;
pub mod terminal;
mod update;
pub mod views;

pub use state::{Action, App, Confirm, ExecRequest, Flash, Mode, Pending, Prompt, SourceInfo};
