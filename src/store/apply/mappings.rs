//! Mappings a model file sets apart from its controls: the stored carve-out of an inherited
//! mapping, and the workspace's overrides of built-in mappings (downgrade, remove, add).
//!
//! Invariant: an overridden row keeps what the built-in set said in `overrides` across
//! re-imports; a removed mapping stays as a row marked `removed`, shown and never scored.

use super::Ctx;
use crate::domain::model_file::ModelFile;
use crate::store::db::{OptionalExtension, params};
use anyhow::Result;

/// The stored carve-out of an inherited mapping (`vendor:ID` or `kind:KIND`).
pub(super) fn carve_out(
    vendor: Option<&str>,
    kind: Option<crate::domain::VendorKind>,
) -> Option<String> {
    use crate::domain::{CarveOut, VendorId};
    vendor
        .map(|v| CarveOut::Vendor(VendorId(v.to_owned())))
        .or(kind.map(CarveOut::Kind))
        .map(|c| c.to_stored())
}

const MAPPING_JSON: &str =
    "SELECT json_object('relationship', relationship, 'rationale', rationale,
  'carve_out', carve_out, 'source', source, 'overrides', overrides)
  FROM mappings WHERE control_id || ' ' || framework || ' ' || ref_id = ?1";

/// Applies the model file's mapping overrides. The row keeps what the built-in set said in
/// `overrides` (`none` for an added mapping); a removed mapping stays as a row marked
/// `removed` with its original relationship, so the requirement can show what was taken away.
pub(super) fn overrides(cx: &mut Ctx<'_>, m: &ModelFile) -> Result<()> {
    for o in &m.mappings {
        let key = format!("{} {} {}", o.control, o.framework, o.requirement);
        let origin = cx.origin.clone();
        cx.track("mappings", &key, MAPPING_JSON, |tx| {
            let existing: Option<(String, Option<String>)> = tx
                .query_row(
                    "SELECT relationship, overrides FROM mappings
                     WHERE control_id = ?1 AND framework = ?2 AND ref_id = ?3",
                    params![o.control, o.framework, o.requirement],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let original = match &existing {
                Some((_, Some(ov))) if ov != "removed" => ov.clone(),
                Some((rel, _)) => rel.clone(),
                None => "none".to_owned(),
            };
            if o.remove {
                tx.execute(
                    "UPDATE mappings SET overrides = 'removed', rationale = ?4, source = ?5,
                       relationship = CASE WHEN ?6 IN ('full', 'partial', 'inherited') THEN ?6 ELSE relationship END
                     WHERE control_id = ?1 AND framework = ?2 AND ref_id = ?3",
                    params![o.control, o.framework, o.requirement, o.rationale, origin, original],
                )?;
                return Ok(());
            }
            let rel = o.relationship.map_or("partial", |r| r.as_str());
            tx.execute(
                "INSERT INTO mappings (control_id, framework, ref_id, relationship, rationale, source, carve_out, overrides)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(control_id, framework, ref_id) DO UPDATE SET relationship = ?4,
                   rationale = ?5, source = ?6, carve_out = ?7, overrides = ?8",
                params![
                    o.control,
                    o.framework,
                    o.requirement,
                    rel,
                    o.rationale,
                    origin,
                    carve_out(o.vendor.as_deref(), o.vendor_kind),
                    original
                ],
            )?;
            Ok(())
        })?;
    }
    Ok(())
}
