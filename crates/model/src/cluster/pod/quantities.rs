//! Resource amounts by name (`cpu: 100m`), as a container's requests and limits
//! hold them: a sorted list rather than a `BTreeMap`, whose smallest node is 544
//! bytes for what is almost always one or two entries.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Quantities sorted by resource name; read like the API's map.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Quantities(Box<[(String, Quantity)]>);

impl Quantities {
    pub fn get(&self, name: &str) -> Option<&Quantity> {
        self.0
            .binary_search_by(|(key, _)| key.as_str().cmp(name))
            .ok()
            .map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(key, _)| key)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Quantity)> {
        self.0.iter().map(|(key, value)| (key, value))
    }
}

impl<'a> IntoIterator for &'a Quantities {
    type Item = (&'a String, &'a Quantity);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Quantity)>,
        fn(&'a (String, Quantity)) -> (&'a String, &'a Quantity),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(key, value)| (key, value))
    }
}

impl FromIterator<(String, Quantity)> for Quantities {
    fn from_iter<I: IntoIterator<Item = (String, Quantity)>>(entries: I) -> Quantities {
        // Through a BTreeMap: sorted, and a repeated name keeps its last value
        // as JSON decoding into a map does.
        let sorted: BTreeMap<String, Quantity> = entries.into_iter().collect();
        Quantities(sorted.into_iter().collect())
    }
}

impl<'de> Deserialize<'de> for Quantities {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Quantities, D::Error> {
        Ok(BTreeMap::<String, Quantity>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

impl Serialize for Quantities {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}
