//! Port-forward and shell: asking for their targets and starting them.

use crate::app::docs;
use crate::app::tasks::TaskResult;
use crate::app::*;
use crate::cache::Kind;
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

    /// `s` (the pod's default container) or `:shell [pod/NAME] [-c CONTAINER]`:
    /// the UI loop hands the terminal over to the shell and takes it back.
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
        let pod = self.cache.stores.pod(&target.namespace, &target.name);
        let names: Vec<String> = pod
            .as_ref()
            .and_then(|p| p.spec.as_ref())
            .map(|s| s.containers.iter().map(|c| c.name.clone()).collect())
            .unwrap_or_default();
        let container = match chosen {
            Some(name) if names.contains(&name) => Some(name),
            Some(name) => {
                return self.flash_error(format!(
                    "{} has no container {name:?} (it has {})",
                    docs::describe(&target),
                    names.join(", ")
                ));
            }
            // kubectl's choice: the default-container annotation, else the first.
            None => pod
                .as_ref()
                .and_then(|p| {
                    p.metadata
                        .annotations
                        .as_ref()
                        .and_then(|a| a.get("kubectl.kubernetes.io/default-container").cloned())
                })
                .or_else(|| names.first().cloned()),
        };
        let Some(container) = container else {
            return self.flash_error(format!("{} has no container", docs::describe(&target)));
        };
        self.pending_exec = Some(ExecRequest {
            namespace: target.namespace,
            pod: target.name,
            container,
        });
    }
}
