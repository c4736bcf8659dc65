use super::*;

#[test]
fn every_cached_kind_is_served_once() {
    for kind in Kind::ALL {
        let served: Vec<_> = RESOURCES
            .iter()
            .filter(|r| r.cached_kind == Some(*kind))
            .collect();
        assert_eq!(served.len(), 1, "{kind:?}");
        assert_eq!(served[0].kind, kind.name());
        assert_eq!(served[0].api_version(), kind.api_version());
    }
    assert_eq!(
        RESOURCES.iter().filter(|r| r.cached_kind.is_some()).count(),
        Kind::ALL.len()
    );
}

#[test]
fn lookup_accepts_the_names_kubectl_accepts() {
    for name in ["pods", "Pod", "pod", "po"] {
        assert_eq!(lookup(name).map(|r| r.plural), Some("pods"));
    }
    assert_eq!(
        lookup("deployments.apps").map(|r| r.kind),
        Some("Deployment")
    );
    assert_eq!(lookup("svc").map(|r| r.kind), Some("Service"));
    assert_eq!(lookup("cm").map(|r| r.kind), Some("ConfigMap"));
    assert!(lookup("podtemplates").is_none());
}

#[test]
fn index_is_the_table_position() {
    for (i, r) in RESOURCES.iter().enumerate() {
        assert_eq!(r.index(), i);
    }
}

#[test]
fn unsupported_field_messages_follow_each_kinds_conversion() {
    assert_eq!(
        FieldLabelErrorStyle::NotSupported.message("spec.foo"),
        "field label not supported: spec.foo"
    );
    assert_eq!(
        FieldLabelErrorStyle::DefaultConversion.message("spec.replicas"),
        r#""spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace""#
    );
}
