//! The interactive loop: terminal events, cache notifications and a slow tick
//! become actions; a frame is drawn only when something changed, at most every
//! 16 ms. Nothing in here waits on the network.

use std::time::Duration;

use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use tokio::time::{Instant, MissedTickBehavior};

use super::signals::{Request, Signals};
use super::terminal::TerminalGuard;
use super::{Action, App, input};
use crate::ui;

const FRAME: Duration = Duration::from_millis(16);
/// Rebuilding rows after a change costs O(cluster); on a churning cluster the
/// next rebuild waits this many times as long as the last one took, so rebuilds
/// use at most a fifth of the loop's time and keys are handled in between.
const REBUILD_SPACING: u32 = 4;
const MAX_REBUILD_DELAY: Duration = Duration::from_secs(2);
/// Ages on screen change at most once a second.
const TICK: Duration = Duration::from_secs(1);
/// A rebuild this slow means many objects changed: worth giving memory back after.
const BIG_REBUILD: Duration = Duration::from_millis(20);

fn event_to_action(app: &App, event: Event) -> Option<Action> {
    match event {
        Event::Key(key) => input::key_to_action(&app.mode, app.help_open, &app.keymap, &key),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}

/// How the session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// `q`, `:q`, or the terminal's input ending.
    Quit,
    /// A signal to leave by (SIGTERM, SIGINT, SIGHUP): its number.
    Signal(i32),
}

/// ctrl-z: raw mode delivers it as a key, not as SIGTSTP.
fn is_suspend_key(event: &Event) -> bool {
    matches!(event, Event::Key(key)
        if key.code == crossterm::event::KeyCode::Char('z')
            && key.modifiers.contains(crossterm::event::KeyModifiers::CONTROL)
            && key.kind != crossterm::event::KeyEventKind::Release)
}

pub async fn run(mut app: App) -> anyhow::Result<Ended> {
    let mut signals = Signals::install()?;
    let mut guard = TerminalGuard::enter();
    let size = guard.terminal.size()?;
    app.update(Action::Resize(size.width, size.height));

    let mut events = EventStream::new();
    let changes = app.cache.changes.clone();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut dirty = true;
    let mut last_frame = Instant::now() - FRAME;
    let mut pending = crate::cache::KindSet::default();
    let mut next_rebuild = Instant::now();
    let mut task_results = app.tasks.take_receiver();
    let mut ended = Ended::Quit;

    while !app.should_quit {
        let next_frame = last_frame + FRAME;
        tokio::select! {
            _ = tokio::time::sleep_until(next_frame), if dirty => {
                guard.draw(|frame| ui::draw(frame, &app))?;
                dirty = false;
                last_frame = Instant::now();
            }
            event = events.next() => match event {
                Some(Ok(event)) if is_suspend_key(&event) => {
                    guard.suspend()?;
                    dirty = true;
                }
                Some(Ok(event)) => {
                    if let Some(action) = event_to_action(&app, event) {
                        tracing::trace!(?action, "terminal");
                        dirty |= app.update(action);
                    }
                    if let Some(request) = app.pending_exec.take() {
                        // The shell gets the terminal: no one else may read keys.
                        drop(events);
                        let (text, is_error) = match app.client.clone() {
                            Some(client) => {
                                super::shell_terminal::run_shell(
                                    &mut guard,
                                    client,
                                    app.readonly,
                                    &request,
                                    &app.settings.shells.clone(),
                                )
                                .await
                            }
                            None => ("not connected to a cluster".to_string(), true),
                        };
                        app.flash = Some(super::Flash { text, is_error });
                        events = EventStream::new();
                        dirty = true;
                    }
                }
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            kinds = changes.changed(), if pending.is_empty() => {
                pending = kinds;
            }
            _ = tokio::time::sleep_until(next_rebuild), if !pending.is_empty() => {
                // Whatever changed while waiting is folded into this one rebuild.
                let kinds = std::mem::take(&mut pending).union(changes.take());
                let started = Instant::now();
                dirty |= app.update(Action::CacheChanged(kinds));
                let took = started.elapsed();
                if took >= BIG_REBUILD {
                    // A big rebuild (the first full list, a relist) leaves the
                    // old rows and decoded pages free but resident.
                    crate::memory::release_free_memory();
                }
                next_rebuild = Instant::now() + (took * REBUILD_SPACING).min(MAX_REBUILD_DELAY);
                tracing::debug!(?took, "rows rebuilt");
            }
            Some(result) = next_task_result(&mut task_results) => {
                dirty |= app.update(Action::Task(result));
            }
            _ = tick.tick() => {
                dirty |= app.update(Action::Tick);
            }
            request = signals.next() => match request {
                Request::Leave(signal) => {
                    tracing::info!(signal, "leaving on a signal");
                    ended = Ended::Signal(signal);
                    break;
                }
                Request::Suspend => {
                    guard.suspend()?;
                    dirty = true;
                }
            },
        }
    }
    drop(guard);
    Ok(ended)
}

/// The next finished task; never resolves when the receiver is gone.
async fn next_task_result(
    receiver: &mut Option<tokio::sync::mpsc::UnboundedReceiver<super::tasks::TaskResult>>,
) -> Option<super::tasks::TaskResult> {
    match receiver {
        Some(receiver) => receiver.recv().await,
        None => std::future::pending().await,
    }
}
