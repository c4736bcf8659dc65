//! Saved clusters as users produce them (`kubectl get … -o yaml|json`, directories of
//! manifests), and the errors they get when a file is broken.

use std::path::Path;

use kubesight::cache::snapshot::{Snapshot, load_path};

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path
}

fn names(snapshot: &Snapshot) -> Vec<String> {
    // Pods load in the cache's slim form.
    let mut names: Vec<String> = snapshot
        .slim_pods
        .iter()
        .map(|p| p.metadata.name.clone().unwrap_or_default())
        .collect();
    names.sort();
    names
}

const KUBECTL_LIST: &str = "\
apiVersion: v1
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: web-1
    namespace: shop
    managedFields:
    - manager: kubectl
      operation: Update
  spec:
    containers:
    - name: web
      image: nginx
- apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: shop
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    namespace: shop
  spec:
    selector:
      matchLabels:
        app: web
    template:
      spec:
        containers:
        - name: web
kind: List
metadata:
  resourceVersion: \"\"
";

#[test]
fn a_directory_of_every_format_loads_recursively() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "all.yaml", KUBECTL_LIST);
    // A typed list as the API returns it: items carry no kind of their own.
    write(
        dir.path(),
        "nested/pods.json",
        r#"{"apiVersion":"v1","kind":"PodList","metadata":{},"items":[{"metadata":{"name":"api-1","namespace":"shop"}}]}"#,
    );
    write(
        dir.path(),
        "nested/deeper/multi.yml",
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
    );
    write(dir.path(), "notes.txt", "not a manifest");
    write(dir.path(), ".hidden.yaml", "{{{ never read");

    let snapshot = load_path(dir.path()).unwrap();
    assert_eq!(snapshot.files, 3);
    assert_eq!(names(&snapshot), vec!["api-1", "web-1"]);
    assert_eq!(snapshot.objects.nodes.len(), 1);
    assert_eq!(snapshot.objects.deployments.len(), 1);
    // Every kind loads: those without a store of their own for their tables.
    let others: Vec<&str> = snapshot
        .objects
        .others
        .iter()
        .filter_map(|o| o["kind"].as_str())
        .collect();
    assert_eq!(others, ["Service", "ConfigMap"]);
    assert_eq!(snapshot.summary(), "loaded 6 objects from 3 files");
    // managedFields never reach the cache.
    assert!(
        snapshot
            .objects
            .pods
            .iter()
            .all(|p| p.metadata.managed_fields.is_none())
    );
}

#[test]
fn same_kind_name_from_another_group_is_kept_apart_not_misread() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "e.yaml",
        "apiVersion: events.k8s.io/v1\nkind: Event\nmetadata:\n  name: e\n",
    );
    let snapshot = load_path(&file).unwrap();
    assert_eq!(snapshot.objects.events.len(), 0);
    assert_eq!(
        snapshot.objects.others[0]["apiVersion"], "events.k8s.io/v1",
        "kept as it is, for its own table"
    );
}

#[test]
fn yaml_syntax_errors_name_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "bad.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"unterminated\n",
    );
    let err = load_path(&file).unwrap_err();
    assert_eq!(err.path, file);
    assert!(err.line.is_some() && err.column.is_some(), "{err}");
    assert!(
        err.to_string().starts_with(&format!("{}:", file.display())),
        "{err}"
    );
    assert!(err.message.contains("invalid YAML"), "{err}");

    let file = write(
        dir.path(),
        "indent.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   namespace: b\n",
    );
    let err = load_path(&file).unwrap_err();
    assert_eq!(err.line, Some(5), "{err}");
}

#[test]
fn json_syntax_errors_name_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "bad.json",
        "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\"\n  \"metadata\": {}\n}\n",
    );
    let err = load_path(&file).unwrap_err();
    assert_eq!((err.line, err.column), (Some(4), Some(3)), "{err}");
    assert_eq!(
        err.to_string(),
        format!("{}:4:3: invalid JSON: expected `,` or `}}`", file.display())
    );
}

#[test]
fn wrong_field_types_point_at_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
  - name: web
    ports:
    - containerPort: http
";
    let file = write(dir.path(), "typed.yaml", text);
    let err = load_path(&file).unwrap_err();
    assert_eq!(err.line, Some(10), "{err}");
    assert!(
        err.message
            .starts_with("Pod shop/web: spec.containers[0].ports[0].containerPort: invalid type"),
        "{err}"
    );

    // The same inside a kubectl List, several documents into the file.
    let text = format!(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n{}",
        KUBECTL_LIST.replace("image: nginx", "image: [nginx]")
    );
    let file = write(dir.path(), "list.yaml", &text);
    // The other objects load; the malformed one is skipped and reported.
    let snapshot = load_path(&file).expect("the rest of the file loads");
    assert_eq!(snapshot.objects.namespaces.len(), 1);
    assert_eq!(snapshot.malformed.len(), 1, "{:?}", snapshot.malformed);
    let problem = &snapshot.malformed[0];
    assert_eq!(problem.path, file);
    assert_eq!(problem.line, Some(19), "{problem}");
    assert!(
        problem.message.contains("spec.containers[0].image"),
        "{problem}"
    );
    assert!(
        snapshot
            .summary()
            .contains(&format!("1 malformed object skipped ({problem})")),
        "{}",
        snapshot.summary()
    );
}

#[test]
fn documents_that_are_not_objects_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "nokind.yaml",
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: ok\n---\napiVersion: v1\nmetadata:\n  name: x\n",
    );
    let snapshot = load_path(&file).expect("the node loads");
    assert_eq!(snapshot.objects.nodes.len(), 1);
    let err = &snapshot.malformed[0];
    assert_eq!(err.line, Some(6), "{err}");
    assert!(err.message.contains("no `kind`"), "{err}");

    let file = write(
        dir.path(),
        "noname.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: x\n",
    );
    assert!(
        load_path(&file)
            .unwrap_err()
            .message
            .contains("Pod has no metadata.name")
    );

    let file = write(dir.path(), "scalar.yaml", "just words\n");
    assert!(
        load_path(&file)
            .unwrap_err()
            .message
            .contains("not a Kubernetes object")
    );
}

#[test]
fn one_bad_file_fails_the_whole_load() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a-good.yaml",
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n",
    );
    let bad = write(dir.path(), "b-bad.yaml", "apiVersion: v1\nkind: [\n");
    let err = load_path(dir.path()).unwrap_err();
    assert_eq!(err.path, bad);
}

#[test]
fn missing_and_empty_paths_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let err = load_path(&dir.path().join("nope.yaml")).unwrap_err();
    assert!(err.message.starts_with("cannot read"), "{err}");
    let err = load_path(dir.path()).unwrap_err();
    assert!(
        err.message.contains("no .yaml, .yml or .json files"),
        "{err}"
    );
    let empty = write(dir.path(), "empty.yaml", "---\n");
    assert!(
        load_path(&empty)
            .unwrap_err()
            .message
            .contains("no Kubernetes objects")
    );
}

/// A `kind: List` of `pods` small pods in kubectl's YAML layout.
fn pod_list_yaml(pods: usize) -> String {
    let mut text = String::from("apiVersion: v1\nkind: List\nitems:\n");
    for i in 0..pods {
        text.push_str(&format!(
            "- apiVersion: v1
  kind: Pod
  metadata:
    name: web-{i}
    namespace: shop
    labels: {{app: web, tier: front, index: \"{i}\"}}
    creationTimestamp: \"2026-11-23T11:00:00Z\"
  spec:
    nodeName: worker-{node}
    containers:
    - name: web
      image: nginx:1.27
      env: [{{name: A, value: \"1\"}}, {{name: B, value: \"2\"}}, {{name: C, value: \"3\"}}]
      resources: {{requests: {{cpu: 100m, memory: 64Mi}}, limits: {{memory: 128Mi}}}}
      ports: [{{containerPort: 80, name: http}}]
  status:
    phase: Running
    conditions: [{{type: Ready, status: \"True\"}}]
    containerStatuses:
    - name: web
      ready: true
      restartCount: 0
      image: nginx:1.27
      imageID: \"\"
      state: {{running: {{startedAt: \"2026-11-23T11:00:05Z\"}}}}
",
            node = i % 50
        ));
    }
    text
}

#[test]
fn a_yaml_snapshot_of_thousands_of_pods_loads() {
    // serde-saphyr's default budget stops at 250,000 YAML nodes: about 1,000 real
    // pods. 5,000 of these small ones are about 380,000 nodes.
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "cluster.yaml", &pod_list_yaml(5_000));
    let snapshot = load_path(&file).expect("a big snapshot loads");
    assert_eq!(snapshot.slim_pods.len(), 5_000);
    assert!(snapshot.malformed.is_empty());
}

#[test]
fn one_object_of_a_wrong_type_is_skipped_with_its_place() {
    // 105 objects, one Event with a number for its type.
    let mut text = pod_list_yaml(104);
    text.push_str(
        "- apiVersion: v1
  kind: Event
  metadata:
    name: web-0.17f
    namespace: shop
  involvedObject: {kind: Pod, name: web-0, namespace: shop}
  reason: Started
  type: 6
",
    );
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "cluster.yaml", &text);
    let snapshot = load_path(&file).expect("the rest loads");
    assert_eq!(snapshot.slim_pods.len(), 104);
    assert_eq!(snapshot.objects.events.len(), 0);
    assert_eq!(snapshot.malformed.len(), 1);
    let problem = &snapshot.malformed[0];
    let line = text
        .lines()
        .position(|l| l == "  type: 6")
        .expect("the line")
        + 1;
    assert_eq!(
        (problem.line, problem.column),
        (Some(line as u64), Some(9)),
        "{problem}"
    );
    assert!(
        problem
            .message
            .starts_with("Event shop/web-0.17f: type: invalid type: integer `6`"),
        "{problem}"
    );
    assert!(
        snapshot.summary().contains("1 malformed object skipped"),
        "{}",
        snapshot.summary()
    );
}

#[test]
fn timestamps_follow_rfc_3339_as_the_api_server_reads_it() {
    let node = |name: &str, created: &str| {
        format!(
            "apiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n  creationTimestamp: \"{created}\"\n---\n"
        )
    };
    let text = [
        node("last", "9999-12-31T23:59:59Z"),
        node("offset", "2026-11-23T12:00:00+25:00"),
        node("plain", "2026-11-23T12:00:00Z"),
    ]
    .concat();
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "nodes.yaml", &text);
    let snapshot = load_path(&file).expect("loads");
    let mut names: Vec<String> = snapshot
        .objects
        .nodes
        .iter()
        .filter_map(|n| n.metadata.name.clone())
        .collect();
    names.sort();
    assert_eq!(names, ["last", "plain"]);
    assert_eq!(snapshot.malformed.len(), 1);
    let problem = &snapshot.malformed[0];
    assert_eq!(problem.line, Some(11), "{problem}");
    assert_eq!(
        problem.message,
        "Node offset: \"2026-11-23T12:00:00+25:00\" is not an RFC 3339 time"
    );
}

#[test]
fn a_truncated_list_says_where_it_was_cut() {
    let mut text = pod_list_yaml(3);
    // Cut inside the fourth item, after its metadata began.
    text.push_str("- metadata:\n    name: web-3\n");
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "cut.yaml", &text);
    let snapshot = load_path(&file).expect("the complete items load");
    assert_eq!(snapshot.slim_pods.len(), 3);
    let problem = &snapshot.malformed[0];
    assert_eq!(
        problem.message,
        "object has no `kind` (a list item: is the file cut short?)"
    );
    assert_eq!(
        problem.line,
        Some(text.lines().count() as u64 - 1),
        "{problem}"
    );
}

#[test]
fn symlink_loops_fifos_and_devices_are_not_followed_or_read() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "nodes/n1.yaml",
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n",
    );
    // Two links back up the tree: an unbounded walk never ends.
    std::os::unix::fs::symlink("..", dir.path().join("nodes/up")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("nodes/up-again")).unwrap();
    // A FIFO named like a snapshot: opening it would wait for a writer forever.
    let fifo = dir.path().join("nodes/pipe.yaml");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);

    let snapshot = load_path(dir.path()).expect("the directory loads");
    assert_eq!(snapshot.objects.nodes.len(), 1);
    assert_eq!(snapshot.files, 1);

    let err = load_path(&fifo).unwrap_err();
    assert_eq!(
        err.message,
        "not a regular file (a FIFO, a device or a socket): not read"
    );
    let err = load_path(Path::new("/dev/zero")).unwrap_err();
    assert_eq!(
        err.message,
        "not a regular file (a FIFO, a device or a socket): not read"
    );
}
