//! Port-forward and shell: asking for their targets and starting them.

use crate::app::docs;
use crate::app::tasks::TaskResult;
use crate::app::*;
use crate::cache::Kind;
use crate::model::containers;
use crate::model::doc::ObjectRef;

impl App {
    /// `F`: asks for the ports of a forward to the pod or Deployment under the
    /// cursor (Services: `:pf svc/NAME PORT`).
    pub(in crate::app) fn ask_forward(&mut self) {
        let Some(object) = self.selected_object() else {
            return self.flash_error("select a pod or a deployment first".into());
        };
        let target = match targets::forward_target_of(&object) {
            Ok(target) => target,
            Err(error) => return self.flash_error(error),
        };
        if !self.may_write() {
            return;
        }
        self.mode = Mode::Forward {
            target,
            prompt: Prompt::default(),
        };
    }

    pub(in crate::app) fn start_forward(
        &mut self,
        target: crate::model::forwards::ForwardTarget,
        remote: &str,
        local: Option<u16>,
    ) {
        use crate::model::forwards::RemotePort;
        if !self.may_write() {
            return;
        }
        let Some(client) = self.client.clone() else {
            return;
        };
        let label = targets::forward_target_text(&target);
        let forward_target = target;
        let forwards = self.forwards.clone();
        let gate = crate::ops::WriteGate::new(self.readonly);
        let remote_port = RemotePort::parse(remote);
        let remote_text = remote.to_string();
        self.tasks.spawn(async move {
            match forwards
                .start(client, &gate, forward_target, remote_port, local)
                .await
            {
                Ok(id) => {
                    let local = forwards
                        .snapshot()
                        .into_iter()
                        .find(|f| f.id == id)
                        .map(|f| f.local_port)
                        .unwrap_or_default();
                    TaskResult::Flash {
                        text: format!(
                            "forwarding 127.0.0.1:{local} → {label}:{remote_text} (:pf lists forwards)"
                        ),
                        is_error: false,
                    }
                }
                Err(error) => TaskResult::Flash {
                    text: format!("port-forward to {label}: {error}"),
                    is_error: true,
                },
            }
        });
    }

    /// `s` or `:shell [pod/NAME] [-c CONTAINER]`: a shell in the named
    /// container, or, when the pod has several a shell can run in (sidecars and
    /// ephemeral containers too), a prompt offering them with kubectl's default
    /// typed in. The UI loop hands the terminal over to the shell and takes it back.
    pub(in crate::app) fn ask_shell(&mut self, target: Option<ObjectRef>, chosen: Option<String>) {
        let Some(target) = target
            .or_else(|| self.selected_object())
            .filter(|t| t.kind == Kind::Pod)
        else {
            return self.flash_error("select a pod first".into());
        };
        if !self.may_write() {
            return;
        }
        if chosen.is_none()
            && let Some(pod) = self.cache.stores.pod(&target.namespace, &target.name)
        {
            let choices = containers::shell_choices(&pod);
            if choices.len() > 1 {
                let input = containers::default_container(&pod).unwrap_or_default();
                self.mode = Mode::Shell {
                    target,
                    choices,
                    prompt: Prompt { input, error: None },
                };
                return;
            }
        }
        if let Err(error) = self.open_shell(target, chosen) {
            self.flash_error(error);
        }
    }

    /// Hands the terminal to a shell in `container` of the pod (kubectl's
    /// default when `None`); an unknown name is refused with the pod's
    /// containers, and nothing is sent.
    pub(in crate::app) fn open_shell(
        &mut self,
        target: ObjectRef,
        container: Option<String>,
    ) -> Result<(), String> {
        let pod = self.cache.stores.pod(&target.namespace, &target.name);
        let all = pod
            .as_deref()
            .map(containers::all_containers)
            .unwrap_or_default();
        let container = match container {
            Some(name) if all.iter().any(|c| c.name == name) => name,
            Some(name) => {
                let offered: Vec<String> = pod
                    .as_deref()
                    .map(containers::shell_choices)
                    .unwrap_or_default()
                    .iter()
                    .map(|c| c.label())
                    .collect();
                return Err(format!(
                    "{} has no container {name:?} (it has {})",
                    docs::describe(&target),
                    offered.join(", ")
                ));
            }
            None => pod
                .as_deref()
                .and_then(containers::default_container)
                .ok_or_else(|| format!("{} has no container", docs::describe(&target)))?,
        };
        self.pending_exec = Some(ExecRequest {
            namespace: target.namespace,
            pod: target.name,
            container,
        });
        Ok(())
    }
}
