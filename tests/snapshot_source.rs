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
    let mut names: Vec<String> = snapshot
        .objects
        .pods
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
    assert_eq!(snapshot.skipped.get("Service"), Some(&1));
    assert_eq!(snapshot.skipped.get("ConfigMap"), Some(&1));
    assert_eq!(
        snapshot.summary(),
        "loaded 4 objects from 3 files; skipped 2 of kinds not shown: ConfigMap ×1, Service ×1"
    );
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
fn same_kind_name_from_another_group_is_reported_not_misread() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "e.yaml",
        "apiVersion: events.k8s.io/v1\nkind: Event\nmetadata:\n  name: e\n",
    );
    let snapshot = load_path(&file).unwrap();
    assert_eq!(snapshot.objects.events.len(), 0);
    assert_eq!(snapshot.skipped.get("Event (events.k8s.io/v1)"), Some(&1));
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
    let err = load_path(&file).unwrap_err();
    assert_eq!(err.line, Some(19), "{err}");
    assert!(err.message.contains("spec.containers[0].image"), "{err}");
}

#[test]
fn documents_that_are_not_objects_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "nokind.yaml",
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: ok\n---\napiVersion: v1\nmetadata:\n  name: x\n",
    );
    let err = load_path(&file).unwrap_err();
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
