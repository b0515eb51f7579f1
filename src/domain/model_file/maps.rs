//! One mapping of a control's `maps`: a bare requirement id (full) or an object
//! `{ id, relationship, rationale, vendor | vendor_kind, overrides }`. Written back by
//! `export json` in the shortest form that reads back to the same row.
//!
//! Invariant: deserialising what [`MapEntry`]'s `Serialize` wrote gives the same entry.

use crate::domain::{Relationship, VendorKind};
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// One mapping: a bare requirement id (full) or `{ id, relationship, rationale }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapEntry {
    /// Requirement id.
    pub id: String,
    /// Relationship (default full).
    pub relationship: Relationship,
    /// Rationale.
    pub rationale: String,
    /// For `inherited`: the vendor id it is carved out to.
    pub vendor: Option<String>,
    /// For `inherited`: every vendor of this kind.
    pub vendor_kind: Option<VendorKind>,
    /// When the row is a workspace override of a built-in mapping: what the built-in said
    /// (`full`, `partial`, `inherited`), `none` for an added mapping, or `removed` for a
    /// mapping taken away (kept, shown, never scored). Written by `export json` so that the
    /// override survives the round trip.
    pub overrides: Option<String>,
}

/// The values [`MapEntry::overrides`] may take.
pub const OVERRIDES: &[&str] = &["full", "partial", "inherited", "none", "removed"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MapObject {
    id: String,
    #[serde(default)]
    relationship: Option<Relationship>,
    #[serde(default)]
    rationale: Option<String>,
    #[serde(default)]
    vendor: Option<String>,
    #[serde(default)]
    vendor_kind: Option<VendorKind>,
    #[serde(default)]
    overrides: Option<String>,
}

impl<'de> Deserialize<'de> for MapEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MapEntry;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a requirement id or { id, relationship, rationale }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<MapEntry, E> {
                Ok(MapEntry {
                    id: v.to_owned(),
                    relationship: Relationship::Full,
                    rationale: String::new(),
                    vendor: None,
                    vendor_kind: None,
                    overrides: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<MapEntry, A::Error> {
                let o = MapObject::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(MapEntry {
                    id: o.id,
                    relationship: o.relationship.unwrap_or(Relationship::Full),
                    rationale: o.rationale.unwrap_or_default(),
                    vendor: o.vendor,
                    vendor_kind: o.vendor_kind,
                    overrides: o.overrides,
                })
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for MapEntry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let bare = self.relationship == Relationship::Full
            && self.rationale.is_empty()
            && self.vendor.is_none()
            && self.vendor_kind.is_none()
            && self.overrides.is_none();
        if bare {
            return s.serialize_str(&self.id);
        }
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &self.id)?;
        m.serialize_entry("relationship", &self.relationship)?;
        if !self.rationale.is_empty() {
            m.serialize_entry("rationale", &self.rationale)?;
        }
        if let Some(v) = &self.vendor {
            m.serialize_entry("vendor", v)?;
        }
        if let Some(k) = &self.vendor_kind {
            m.serialize_entry("vendor_kind", k)?;
        }
        if let Some(o) = &self.overrides {
            m.serialize_entry("overrides", o)?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::MapEntry;
    use crate::domain::{Relationship, VendorKind};

    #[test]
    fn every_form_reads_back_to_the_same_entry() {
        let plain = MapEntry {
            id: "CC6.1".into(),
            relationship: Relationship::Full,
            rationale: String::new(),
            vendor: None,
            vendor_kind: None,
            overrides: None,
        };
        let rich = MapEntry {
            relationship: Relationship::Inherited,
            rationale: "carved out".into(),
            vendor_kind: Some(VendorKind::Cloud),
            overrides: Some("full".into()),
            ..plain.clone()
        };
        for e in [plain, rich] {
            let text = serde_json::to_string(&e).unwrap();
            let back: MapEntry = serde_json::from_str(&text).unwrap();
            assert_eq!(back, e, "{text}");
        }
    }
}
