//! Custom resources' columns, from their CRD's additionalPrinterColumns
//! (filled in by the printer port).

use jiff::Timestamp;
use serde_json::Value;

use super::columns::ColumnDef;
use super::jsonpath::JsonPath;

/// The columns of one version of a CRD, each with the path its cells read.
pub struct CustomColumns {
    pub columns: Vec<(ColumnDef, Option<JsonPath>)>,
}

impl CustomColumns {
    /// The columns `crd` declares for `version` (Name first).
    pub fn of_crd(_crd: &Value, _version: &str) -> CustomColumns {
        CustomColumns {
            columns: Vec::new(),
        }
    }

    pub fn defs(&self) -> Vec<ColumnDef> {
        self.columns.iter().map(|(c, _)| c.clone()).collect()
    }

    pub fn row(&self, _object: &Value, _now: Timestamp) -> Vec<Value> {
        Vec::new()
    }
}
