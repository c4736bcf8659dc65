//! Pure Kubernetes semantics: cache contents in, view models out. No I/O, no
//! terminal types, so everything here is unit-testable and matches kubectl.

pub mod age;
pub mod doc;
pub mod drain;
pub mod drain_timeline;
pub mod events;
pub mod filter;
pub mod forwards;
pub mod freshness;
pub mod labels_edit;
pub mod log_buffer;
pub mod log_view;
pub mod node;
pub mod node_rows;
pub mod owners;
pub mod parallel;
pub mod pdb;
pub mod pod;
pub mod pod_detail;
pub mod pod_rows;
pub mod probes;
pub mod qos;
pub mod qos_explain;
pub mod quantity;
pub mod resources;
pub mod rollout;
pub mod scheduling;
pub mod selector;
pub mod table;
pub mod validation;
pub mod yaml_doc;
