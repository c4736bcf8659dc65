//! The logs view's actions: opening streams, the toggles, rebuilding the
//! document as lines come in.

use crate::app::docs::DocKind;
use crate::app::tasks::TaskResult;
use crate::app::views::Navigable;
use crate::app::views::Screen;
use crate::app::*;
use crate::config::keymap::KeyAction;

impl App {
    /// Rebuilds the logs document when lines came in (at most every
    /// [`log_session::REBUILD_EVERY`] unless `force`), keeping the newest line in
    /// view unless autoscroll is paused.
    pub(in crate::app) fn rebuild_logs(&mut self, force: bool) {
        let Some(session) = self.logs.as_mut() else {
            return;
        };
        if !session.due(force) {
            return;
        }
        let doc = session.doc();
        let follow = !session.options.paused;
        session.mark_built();
        let height = self.body_rows();
        self.sync_wrap_width();
        if let Some(Screen::Doc {
            kind: DocKind::Logs,
            view,
        }) = self.stack.last_mut()
        {
            view.replace(doc);
            if follow {
                view.selected = view.doc.lines.len().saturating_sub(1);
                view.scroll_into_view(height);
            }
        }
    }

    /// `l`: the logs of the pod under the cursor, or of every pod of the
    /// workload (`:logs` passes kubectl logs' flags).
    pub(in crate::app) fn open_logs(&mut self, flags: Option<log_session::LogsFlags>) {
        let flags = flags.unwrap_or_default();
        let object = match (&flags.target, &flags.selector) {
            (_, Some(_)) => None,
            (Some(text), None) => {
                let text = if text.contains('/') {
                    text.clone()
                } else {
                    format!("pod/{text}")
                };
                match targets::resolve(&self.cache.stores, &text, self.namespace.as_deref()) {
                    Ok(object) => Some(object),
                    Err(error) => return self.flash_error(error),
                }
            }
            (None, None) => match self.selected_object() {
                Some(object) => Some(object),
                None => return self.flash_error("select a pod or a workload first".into()),
            },
        };
        let Some(client) = self.client.clone() else {
            return self.flash_error(
                "logs come from the API server: a snapshot has none (connect to a cluster or --demo)"
                    .into(),
            );
        };
        let (title, target, containers) = match (object, &flags.selector) {
            (Some(object), _) => match log_session::log_target(&self.cache.stores, &object) {
                Ok(found) => found,
                Err(error) => return self.flash_error(error),
            },
            (None, Some(selector)) => {
                let namespace = self.namespace.clone().unwrap_or_else(|| "default".into());
                (
                    format!("{selector} in {namespace}"),
                    crate::ops::logs::LogTarget::Selector {
                        namespace,
                        selector: selector.clone(),
                    },
                    Vec::new(),
                )
            }
            (None, None) => return,
        };
        let mut request = crate::ops::logs::LogRequest::new(target);
        if let Err(error) = flags.apply(&mut request) {
            return self.flash_error(format!(":logs: {error}"));
        }
        let limits = crate::model::log_buffer::LogLimits {
            max_lines: self.settings.log_max_lines,
            max_bytes: self.settings.log_max_bytes,
        };
        let mut session = log_session::LogSession::new(title, request, containers, limits);
        session.options.timestamps = flags.timestamps;
        if let Some(mut old) = self.logs.take() {
            old.stop();
            self.stack.retain(|s| {
                !matches!(
                    s,
                    Screen::Doc {
                        kind: DocKind::Logs,
                        ..
                    }
                )
            });
        }
        self.logs = Some(session);
        self.start_log_streams(client);
        self.push_doc(DocKind::Logs);
    }

    pub(in crate::app) fn start_log_streams(&mut self, client: kube::Client) {
        let Some(session) = self.logs.as_mut() else {
            return;
        };
        if tokio::runtime::Handle::try_current().is_err() {
            session
                .errors
                .push("cannot follow logs without a runtime".into());
            return;
        }
        let (sender, receiver) = tokio::sync::mpsc::channel(1024);
        session.handle = Some(crate::ops::logs::start_logs(
            client,
            session.request.clone(),
            sender,
        ));
        self.tasks.forward_bounded(receiver, TaskResult::Log);
    }

    /// Whether the logs are on top.
    pub(in crate::app) fn on_logs(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Screen::Doc {
                kind: DocKind::Logs,
                ..
            })
        )
    }

    /// The toggles of the logs view.
    pub(in crate::app) fn logs_key(&mut self, key: KeyAction) {
        let on_logs = self.on_logs();
        let (Some(session), true) = (self.logs.as_mut(), on_logs) else {
            return;
        };
        let mut restart = false;
        let message = match key {
            KeyAction::Pause => {
                session.options.paused = !session.options.paused;
                if session.options.paused {
                    "autoscroll paused (p resumes)".to_string()
                } else {
                    "autoscroll resumed".to_string()
                }
            }
            KeyAction::Timestamps => {
                session.options.timestamps = !session.options.timestamps;
                format!(
                    "timestamps {}",
                    if session.options.timestamps {
                        "shown"
                    } else {
                        "hidden"
                    }
                )
            }
            KeyAction::Wrap => {
                session.options.wrap = !session.options.wrap;
                format!("wrap {}", if session.options.wrap { "on" } else { "off" })
            }
            KeyAction::Container => {
                session.next_container();
                restart = true;
                format!("logs of {}", session.container_text())
            }
            KeyAction::Previous => {
                session.request.previous = !session.request.previous;
                session.request.follow = !session.request.previous;
                restart = true;
                if session.request.previous {
                    "logs of the previous container run".to_string()
                } else {
                    "logs of the current container run, followed".to_string()
                }
            }
            KeyAction::Save => {
                let dir = crate::config::paths::state_dir()
                    .unwrap_or_else(std::env::temp_dir)
                    .join("logs");
                let name: String = session
                    .title
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || c == '-' {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect();
                let path = dir.join(format!("{name}-{}.log", self.clock.now().as_second()));
                match std::fs::create_dir_all(&dir).and_then(|()| {
                    crate::ops::logs::save_to_file(&session.buffer, &session.options, &path)
                }) {
                    Ok(lines) => format!("saved {lines} lines to {}", path.display()),
                    Err(e) => {
                        let text = format!("cannot save to {}: {e}", path.display());
                        self.flash_error(text);
                        return;
                    }
                }
            }
            _ => return,
        };
        session.mark_dirty();
        if restart {
            session.reset();
            if let Some(client) = self.client.clone() {
                self.start_log_streams(client);
            }
        }
        self.flash = Some(Flash {
            text: message,
            is_error: false,
        });
        self.rebuild_logs(true);
    }
}
