//! The modes that take typed input: the command line, the filter prompt,
//! confirmations, and what a confirmed write starts.

use super::actions::{cordon_result, labels_result};
use super::command::Command;
use super::docs::DocKind;
use super::tasks::TaskResult;
use super::views::Screen;
use super::*;
use crate::cache::Kind;
use crate::model::doc::ObjectRef;

impl App {
    pub(super) fn edit_prompt(&mut self, edit: impl FnOnce(&mut Prompt)) -> bool {
        match &mut self.mode {
            Mode::Filter(prompt) => {
                edit(prompt);
                let input = prompt.input.clone();
                // The filter follows the typing; a selector that does not parse yet
                // leaves the last good filter in place and says why.
                let error = self.apply_filter_text(&input).err().map(|e| e.to_string());
                if let Mode::Filter(prompt) = &mut self.mode {
                    prompt.error = error;
                }
                true
            }
            Mode::Command(prompt)
            | Mode::EditLabels(prompt)
            | Mode::Forward { prompt, .. }
            | Mode::Shell { prompt, .. } => {
                edit(prompt);
                prompt.error = None;
                true
            }
            Mode::Confirm(_) => {
                let mut typed = Prompt::default();
                edit(&mut typed);
                let Mode::Confirm(confirm) = std::mem::replace(&mut self.mode, Mode::Normal) else {
                    return true;
                };
                if typed.input.eq_ignore_ascii_case("y") {
                    self.run_pending(confirm.action);
                } else {
                    self.flash = Some(Flash {
                        text: "cancelled: nothing was sent".into(),
                        is_error: false,
                    });
                }
                true
            }
            Mode::Normal => false,
        }
    }

    /// Tab: the prompt's next choice, where it offers some.
    pub(super) fn complete_prompt(&mut self) -> bool {
        match &mut self.mode {
            Mode::Shell {
                choices, prompt, ..
            } => {
                let names: Vec<&str> = choices.iter().map(|c| c.name.as_str()).collect();
                prompt.input = next_choice(&names, prompt.input.trim()).to_string();
                prompt.error = None;
                true
            }
            Mode::Command(prompt) if !prompt.input.contains(char::is_whitespace) => {
                // A command or a kind's name: as far as the candidates agree,
                // then the candidates listed.
                let mut names: Vec<String> = command::NAMES
                    .iter()
                    .map(|n| n.to_string())
                    .chain(self.catalog.complete(&prompt.input))
                    .filter(|n| n.starts_with(prompt.input.as_str()))
                    .collect();
                names.sort();
                names.dedup();
                let common = common_prefix(&names);
                if common.len() > prompt.input.len() {
                    prompt.input = common;
                    prompt.error = None;
                } else if names.len() > 1 {
                    prompt.error = Some(names.join(" "));
                } else if names.is_empty() {
                    prompt.error = Some("no command or resource begins so".into());
                }
                true
            }
            _ => false,
        }
    }

    pub(super) fn submit_prompt(&mut self) {
        match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Filter(prompt) => {
                if prompt.error.is_some() {
                    self.mode = Mode::Filter(prompt);
                }
            }
            Mode::Command(prompt) => match command::parse(&prompt.input) {
                Ok(Command::Resource(name)) => {
                    // A name nothing answers to keeps the prompt, to be fixed.
                    if let Err(error) = self.open_resource(&name) {
                        self.mode = Mode::Command(Prompt {
                            error: Some(error),
                            ..prompt
                        });
                    }
                }
                Ok(command) => self.run_command(command),
                Err(error) => {
                    self.mode = Mode::Command(Prompt {
                        error: Some(error),
                        ..prompt
                    });
                }
            },
            Mode::Confirm(_) => {
                self.flash = Some(Flash {
                    text: "cancelled: nothing was sent".into(),
                    is_error: false,
                });
            }
            Mode::Shell {
                target,
                choices,
                prompt,
            } => {
                let name = prompt.input.trim().to_string();
                if let Err(error) = self.open_shell(target.clone(), Some(name)) {
                    self.mode = Mode::Shell {
                        target,
                        choices,
                        prompt: Prompt {
                            error: Some(error),
                            ..prompt
                        },
                    };
                }
            }
            Mode::Forward { target, prompt } => {
                let words: Vec<&str> = prompt.input.split_whitespace().collect();
                let local = match words.get(1).map(|w| w.parse::<u16>()) {
                    None => Ok(None),
                    Some(Ok(port)) => Ok(Some(port)),
                    Some(Err(_)) => Err(format!("{:?} is not a local port number", words[1])),
                };
                match (words.first(), local) {
                    (Some(remote), Ok(local)) => {
                        let remote = remote.to_string();
                        self.start_forward(target, &remote, local);
                    }
                    (None, _) => {
                        self.mode = Mode::Forward {
                            target,
                            prompt: Prompt {
                                error: Some("type the remote port (number or name), then optionally a local port".into()),
                                ..prompt
                            },
                        }
                    }
                    (_, Err(error)) => {
                        self.mode = Mode::Forward {
                            target,
                            prompt: Prompt {
                                error: Some(error),
                                ..prompt
                            },
                        }
                    }
                }
            }
            Mode::EditLabels(prompt) => {
                let result = match self.stack.last_mut() {
                    Some(Screen::Doc {
                        kind: DocKind::Labels(session),
                        ..
                    }) => label_editing::parse_changes(&prompt.input, &mut session.editor),
                    _ => Ok(0),
                };
                match result {
                    Ok(_) => self.refresh_all(),
                    Err(error) => {
                        self.mode = Mode::EditLabels(Prompt {
                            error: Some(error),
                            ..prompt
                        })
                    }
                }
            }
            Mode::Normal => {}
        }
    }

    pub fn run_command(&mut self, command: Command) {
        match command {
            Command::Pods => self.show(Screen::pods(None)),
            Command::Resource(name) => {
                if let Err(error) = self.open_resource(&name) {
                    self.flash_error(error);
                }
            }
            Command::ApiResources => self.show_api_resources(),
            Command::Describe(target) => self.describe_named(&target),
            Command::Nodes => self.show(Screen::nodes()),
            Command::Namespace(namespace) => {
                if let Some(ns) = namespace.as_deref() {
                    let known = self.cache.stores.namespaces.state();
                    if !known.is_empty()
                        && !known.iter().any(|n| n.metadata.name.as_deref() == Some(ns))
                    {
                        self.flash = Some(Flash {
                            text: format!("namespace {ns:?} is not in the cluster"),
                            is_error: true,
                        });
                    }
                }
                self.set_namespace(namespace);
            }
            Command::Help => self.help_open = true,
            Command::Quit => self.should_quit = true,
            Command::QosByNode => self.push_doc(DocKind::QosByNode),
            Command::DrainShow
                if self
                    .drain
                    .as_ref()
                    .is_some_and(|d| d.is_running() || self.nodes_to_operate().is_empty()) =>
            {
                self.show_drain_run();
            }
            Command::DrainShow => match crate::drain_args::parse_drain_command("") {
                Ok(defaults) => self.run_command(Command::Drain(defaults)),
                Err(error) => self.flash_error(format!(":drain: {error}")),
            },
            Command::Drain(flags) => match flags.options() {
                Ok(options) => {
                    let nodes = if flags.nodes.is_empty() {
                        self.nodes_to_operate()
                    } else {
                        flags.nodes.clone()
                    };
                    if nodes.is_empty() {
                        self.flash_error(
                            ":drain needs a node: name one, or select one in :nodes".into(),
                        );
                    } else {
                        self.drain_options = options.clone();
                        self.push_doc(DocKind::DrainPlan { nodes, options });
                    }
                }
                Err(error) => self.flash_error(format!(":drain: {error}")),
            },
            Command::Shell { pod, container } => {
                let target = match pod {
                    Some(text) => {
                        let text = if text.contains('/') {
                            text
                        } else {
                            format!("pod/{text}")
                        };
                        match targets::resolve(&self.cache.stores, &text, self.namespace.as_deref())
                        {
                            Ok(target) => Some(target),
                            Err(error) => return self.flash_error(error),
                        }
                    }
                    None => None,
                };
                self.ask_shell(target, container);
            }
            Command::PortForward(None) => {
                self.push_doc(DocKind::Forwards);
                // Line 0 is the header: start on the first forward, so X stops it
                // without a j first.
                if !self.forwards.snapshot().is_empty() {
                    self.screen_mut().nav().select(1);
                }
            }
            Command::PortForward(Some((target, remote, local))) => {
                match targets::resolve_forward_target(
                    &self.cache.stores,
                    &target,
                    self.namespace.as_deref(),
                ) {
                    Ok(target) => self.start_forward(target, &remote, local),
                    Err(error) => self.flash_error(error),
                }
            }
            Command::Logs(rest) => match log_session::parse_logs_command(&rest) {
                Ok(flags) => self.open_logs(Some(flags)),
                Err(error) => self.flash_error(format!(":logs: {error}")),
            },
            Command::Snapshot(file) => {
                // Serialising a big cache takes a while: off the UI loop.
                let stores = self.cache.stores.clone();
                let at = self.clock.now();
                self.tasks.spawn(async move {
                    let path = std::path::PathBuf::from(file);
                    let written = tokio::task::spawn_blocking(move || {
                        crate::cache::capture::write(&stores, &path, at)
                    })
                    .await
                    .unwrap_or_else(|e| Err(format!("the capture failed: {e}")));
                    match written {
                        Ok(text) => TaskResult::Flash {
                            text,
                            is_error: false,
                        },
                        Err(text) => TaskResult::Flash {
                            text,
                            is_error: true,
                        },
                    }
                });
            }
            Command::Pdb(text) => match self.resolve_command_target(text) {
                Ok(pod) => self.push_doc(DocKind::Pdbs { pod }),
                Err(error) => self.flash_error(error),
            },
            Command::Tree(text) => match self.resolve_command_target(text) {
                Ok(Some(target)) => self.push_doc(DocKind::Tree {
                    target,
                    collapsed: Default::default(),
                }),
                Ok(None) => self.push_doc(DocKind::Forest {
                    collapsed: Default::default(),
                }),
                Err(error) => self.flash_error(error),
            },
            Command::Events(text) => match self.resolve_command_target(text) {
                Ok(target) => self.push_doc(DocKind::Events { target }),
                Err(error) => self.flash_error(error),
            },
            Command::Rollout(text) => match self.resolve_command_target(text) {
                Ok(target) => self.open_rollout(target),
                Err(error) => self.flash_error(error),
            },
            Command::Yaml(text) => match self.resolve_command_target(text) {
                Ok(Some(target)) => self.open_yaml_of(target),
                Ok(None) => self.open_yaml(),
                Err(error) => self.flash_error(error),
            },
        }
    }

    pub(super) fn flash_error(&mut self, text: String) {
        self.flash = Some(Flash {
            text,
            is_error: true,
        });
    }

    /// `KIND/NAME` typed after a command, resolved against the cache.
    pub(super) fn resolve_command_target(
        &self,
        text: Option<String>,
    ) -> Result<Option<ObjectRef>, String> {
        text.map(|t| targets::resolve(&self.cache.stores, &t, self.namespace.as_deref()))
            .transpose()
    }

    pub(super) fn run_pending(&mut self, action: Pending) {
        let Some(client) = self.client.clone() else {
            self.flash_error("not connected to a cluster".into());
            return;
        };
        let readonly = self.readonly;
        match action {
            Pending::Cordon { nodes, on } => {
                let gate = crate::ops::WriteGate::new(readonly);
                self.tasks.spawn(async move {
                    cordon_result(
                        crate::ops::cordon::set_unschedulable(&client, &gate, &nodes, on).await,
                        on,
                    )
                });
            }
            Pending::Drain { nodes, options } => self.start_drain(client, nodes, options),
            Pending::Labels { targets, edit } => {
                let gate = crate::ops::WriteGate::new(readonly);
                let field = edit.field;
                self.tasks.spawn(async move {
                    labels_result(
                        crate::ops::labels::apply_many(&client, &gate, &targets, &edit).await,
                        field,
                    )
                });
            }
            Pending::Undo { target, revision } => {
                let kind = match target.kind {
                    Kind::Deployment => crate::ops::rollout_undo::UndoKind::Deployment,
                    Kind::StatefulSet => crate::ops::rollout_undo::UndoKind::StatefulSet,
                    Kind::DaemonSet => crate::ops::rollout_undo::UndoKind::DaemonSet,
                    _ => return,
                };
                self.flash = Some(Flash {
                    text: format!(
                        "rolling {} back to revision {revision}…",
                        docs::describe(&target)
                    ),
                    is_error: false,
                });
                self.tasks.spawn(async move {
                    let outcome = crate::ops::rollout_undo::undo(
                        &client,
                        readonly,
                        kind,
                        &target.namespace,
                        &target.name,
                        revision,
                    )
                    .await;
                    let name = docs::describe(&target);
                    match outcome {
                        Ok(crate::ops::rollout_undo::UndoOutcome::RolledBack(_)) => {
                            TaskResult::Flash {
                                text: format!("{name} rolled back to revision {revision}"),
                                is_error: false,
                            }
                        }
                        Ok(crate::ops::rollout_undo::UndoOutcome::Skipped(message)) => {
                            TaskResult::Flash {
                                text: format!("{name}: {message}"),
                                is_error: false,
                            }
                        }
                        Err(e) => TaskResult::Flash {
                            text: format!("{name}: {e}"),
                            is_error: true,
                        },
                    }
                });
            }
        }
    }
}

/// The longest start every name shares.
fn common_prefix(names: &[String]) -> String {
    let Some(first) = names.first() else {
        return String::new();
    };
    let mut end = first.len();
    for name in &names[1..] {
        end = first
            .char_indices()
            .zip(name.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(end);
    }
    first[..end].to_string()
}

/// What Tab puts in a prompt that offers `choices`: the first one `typed`
/// begins when it names none exactly, else the one after it (round).
fn next_choice<'a>(choices: &[&'a str], typed: &str) -> &'a str {
    if let Some(at) = choices.iter().position(|c| *c == typed) {
        return choices[(at + 1) % choices.len()];
    }
    choices
        .iter()
        .find(|c| c.starts_with(typed))
        .or(choices.first())
        .copied()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::next_choice;

    #[test]
    fn the_common_start_of_names() {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            super::common_prefix(&names(&["deploy", "deployments"])),
            "deploy"
        );
        assert_eq!(super::common_prefix(&names(&["svc"])), "svc");
        assert_eq!(super::common_prefix(&names(&["pods", "pdb"])), "p");
        assert_eq!(super::common_prefix(&[]), "");
    }

    #[test]
    fn tab_completes_a_prefix_then_goes_round() {
        let choices = ["api", "metrics", "log-shipper"];
        assert_eq!(next_choice(&choices, "lo"), "log-shipper");
        assert_eq!(next_choice(&choices, "api"), "metrics");
        assert_eq!(next_choice(&choices, "log-shipper"), "api");
        assert_eq!(next_choice(&choices, "zz"), "api");
        assert_eq!(next_choice(&[], "x"), "");
    }
}
