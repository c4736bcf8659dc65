//! A kubeconfig for a running simulator, for kube-rs and kubectl alike: one cluster
//! at the server's plain-http URL, one user without credentials (the simulator
//! authenticates nobody), one context in the `default` namespace, made current.

/// The kubeconfig YAML for a server at `url`, with cluster, user and context all
/// named `context`.
pub fn kubeconfig_yaml(url: &str, context: &str) -> String {
    // JSON strings are valid YAML scalars and escape anything a name may hold.
    let url = quote(url);
    let name = quote(context);
    format!(
        "apiVersion: v1
kind: Config
clusters:
- name: {name}
  cluster:
    server: {url}
users:
- name: {name}
  user: {{}}
contexts:
- name: {name}
  context:
    cluster: {name}
    user: {name}
    namespace: default
current-context: {name}
preferences: {{}}
"
    )
}

fn quote(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_rs_reads_it() {
        let yaml = kubeconfig_yaml("http://127.0.0.1:8080", "kubesight-sim");
        let config = kube::config::Kubeconfig::from_yaml(&yaml);
        let config = config.unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        assert_eq!(config.current_context.as_deref(), Some("kubesight-sim"));
        let cluster = config.clusters.first().and_then(|c| c.cluster.as_ref());
        assert_eq!(
            cluster.and_then(|c| c.server.as_deref()),
            Some("http://127.0.0.1:8080")
        );
        let context = config.contexts.first().and_then(|c| c.context.as_ref());
        assert_eq!(
            context.and_then(|c| c.namespace.as_deref()),
            Some("default")
        );
    }

    #[test]
    fn names_are_quoted() {
        let yaml = kubeconfig_yaml("http://127.0.0.1:1", "odd: name #1");
        let config = kube::config::Kubeconfig::from_yaml(&yaml);
        assert_eq!(
            config.ok().and_then(|c| c.current_context),
            Some("odd: name #1".to_string())
        );
    }
}
