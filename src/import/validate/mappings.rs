//! Checks of mappings in a model file: the carve-out an inherited mapping names, and the
//! workspace's overrides of built-in mappings (which control, requirement and relationship,
//! and why).

use super::V;
use crate::import::InputError;

impl V<'_> {
    /// An `inherited` mapping names exactly one of a vendor (known or in this file) or a
    /// vendor kind; any other relationship names neither.
    pub(super) fn carve_out(
        &self,
        path: &str,
        rel: crate::domain::Relationship,
        vendor: Option<&str>,
        kind: Option<crate::domain::VendorKind>,
    ) -> Result<(), InputError> {
        let inherited = rel == crate::domain::Relationship::Inherited;
        match (inherited, vendor, kind) {
            (true, Some(_), Some(_)) => Err(self.err(
                path,
                "an inherited mapping names `vendor` or `vendor_kind`, not both",
            )),
            (true, None, None) => Err(self.err(
                path,
                "an inherited mapping must name the `vendor` (or `vendor_kind`) it is carved out to",
            )),
            (true, Some(v), None) => {
                let in_file = self.parsed.model.vendors.iter().any(|x| x.id == v);
                if in_file || self.known.vendors.contains(v) {
                    Ok(())
                } else {
                    Err(self.err(path, format!("inherited from unknown vendor `{v}`")))
                }
            }
            (false, Some(_), _) | (false, _, Some(_)) => Err(self.err(
                path,
                format!("`vendor` and `vendor_kind` belong to inherited mappings, not {rel}"),
            )),
            _ => Ok(()),
        }
    }

    /// The `overrides` marker of a mapping, when given, is one of
    /// [`OVERRIDES`](crate::domain::model_file::maps::OVERRIDES).
    pub(super) fn overrides_value(&self, path: &str, v: Option<&str>) -> Result<(), InputError> {
        use crate::domain::model_file::maps::OVERRIDES;
        match v {
            Some(o) if !OVERRIDES.contains(&o) => Err(self.err(
                &format!("{path}.overrides"),
                format!(
                    "unknown overrides `{o}` (expected one of: {})",
                    OVERRIDES.join(", ")
                ),
            )),
            _ => Ok(()),
        }
    }

    /// Each override names a known control and requirement, a rationale, and either a
    /// relationship (with its carve-out when inherited) or `remove: true`, never both.
    pub(super) fn mapping_overrides(
        &self,
        control_exists: &dyn Fn(&str) -> bool,
    ) -> Result<(), InputError> {
        for (i, o) in self.parsed.model.mappings.iter().enumerate() {
            let p = format!("mappings[{i}]");
            if !control_exists(&o.control) {
                return Err(self.err(
                    &format!("{p}.control"),
                    format!("mapping override for unknown control `{}`", o.control),
                ));
            }
            self.requirement_exists(&format!("{p}.requirement"), &o.framework, &o.requirement)?;
            if o.rationale.trim().is_empty() {
                return Err(self.err(
                    &format!("{p}.rationale"),
                    "an override needs a rationale saying why the workspace differs",
                ));
            }
            match (o.remove, o.relationship) {
                (true, Some(_)) => {
                    return Err(self.err(
                        &p,
                        "give either `remove: true` or a `relationship`, not both",
                    ));
                }
                (false, None) => {
                    return Err(self.err(&p, "give a `relationship` or `remove: true`"));
                }
                (true, None) => {}
                (false, Some(r)) => {
                    self.carve_out(&p, r, o.vendor.as_deref(), o.vendor_kind)?;
                }
            }
        }
        Ok(())
    }
}
