//! The selection a list or watch makes: a label selector and a field selector,
//! checked against the resource (unsupported fields are a 400, as the field-label
//! conversion makes them) and evaluated against stored objects.

use serde_json::Value;

use super::field_selector::{FieldTerm, ResolvedFieldSelector};
use super::object;
use super::query::ListOptions;
use super::resources::Resource;
use super::status::Status;
use kubesight_model::selector::Selector;

#[derive(Debug, Clone, Default)]
pub struct Filter {
    labels: Selector,
    fields: ResolvedFieldSelector,
}

impl Filter {
    /// The selection of `options` on `resource`. `name` is the object a
    /// deprecated `/watch/…/{name}` path names: it acts as a `metadata.name`
    /// field selector, and may only agree with one given explicitly.
    pub fn new(
        options: &ListOptions,
        resource: &Resource,
        name: Option<&str>,
    ) -> Result<Filter, Status> {
        let fields = options
            .field_selector
            .resolve(resource)
            .map_err(Status::bad_request)?;
        let fields = match name {
            None => fields,
            Some(name) if options.field_selector.is_empty() => {
                let mut selector = options.field_selector.clone();
                selector.terms.push(FieldTerm {
                    field: "metadata.name".to_string(),
                    equals: true,
                    value: name.to_string(),
                });
                selector.resolve(resource).map_err(Status::bad_request)?
            }
            Some(name) => {
                if options.field_selector.requires_exact_match("metadata.name") != Some(name) {
                    return Err(Status::bad_request(
                        "fieldSelector metadata.name doesn't match requested name",
                    ));
                }
                fields
            }
        };
        Ok(Filter {
            labels: options.label_selector.clone(),
            fields,
        })
    }

    pub fn matches(&self, body: &Value) -> bool {
        self.labels.matches(&object::labels(body)) && self.fields.matches(body)
    }

    /// Whether the filter selects every object (etcd reports
    /// `remainingItemCount` only then).
    pub fn selects_everything(&self) -> bool {
        self.labels.is_empty() && self.fields.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::query::Query;
    use crate::resources;

    fn filter(query: &str, name: Option<&str>) -> Result<Filter, Status> {
        let pods = resources::lookup("pods").unwrap_or(&resources::RESOURCES[0]);
        let options = ListOptions::from_query(&Query::parse(query), false)?;
        Filter::new(&options, pods, name)
    }

    #[test]
    fn labels_and_fields_must_both_hold() {
        let web = json!({"metadata": {"name": "web-1", "labels": {"app": "web"}},
                         "spec": {"nodeName": "node-1"}});
        let selected = filter(
            "labelSelector=app%3Dweb&fieldSelector=spec.nodeName%3Dnode-1",
            None,
        );
        assert!(selected.as_ref().is_ok_and(|f| f.matches(&web)));
        assert!(selected.is_ok_and(|f| !f.selects_everything()));
        let other_node = filter(
            "labelSelector=app%3Dweb&fieldSelector=spec.nodeName%3Dnode-2",
            None,
        );
        assert!(other_node.is_ok_and(|f| !f.matches(&web)));
        assert!(filter("", None).is_ok_and(|f| f.selects_everything() && f.matches(&web)));
    }

    #[test]
    fn unsupported_fields_are_bad_requests() {
        let status = filter("fieldSelector=spec.foo%3Dbar", None).err();
        assert_eq!(
            status.map(|s| (s.code, s.message)),
            Some((400, "field label not supported: spec.foo".to_string()))
        );
    }

    #[test]
    fn a_watched_name_selects_that_object() {
        let web = json!({"metadata": {"name": "web"}});
        let db = json!({"metadata": {"name": "db"}});
        let by_name = filter("", Some("web"));
        assert!(
            by_name
                .as_ref()
                .is_ok_and(|f| f.matches(&web) && !f.matches(&db))
        );
        assert!(filter("fieldSelector=metadata.name%3Dweb", Some("web")).is_ok());
        assert_eq!(
            filter("fieldSelector=metadata.name%3Ddb", Some("web"))
                .err()
                .map(|s| s.message),
            Some("fieldSelector metadata.name doesn't match requested name".to_string())
        );
    }
}
