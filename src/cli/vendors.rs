//! `certready vendors list`: the vendor register with the issues the rules raise. `vendors
//! check` runs `ops::vendors::check`.

use super::output::table;
use crate::analysis::vendors;
use crate::domain::{Date, Snapshot};

/// Prints the register with its issues.
pub fn list(s: &Snapshot, as_of: Date) {
    let a = vendors::assess(s, as_of);
    let mut rows = vec![
        ["VENDOR", "KIND", "DATA", "AGREEMENTS", "ISSUES"]
            .map(str::to_owned)
            .to_vec(),
    ];
    for v in &s.vendors {
        let issues: Vec<&str> = a
            .issues
            .iter()
            .filter(|i| i.vendor == v.id)
            .map(|i| i.rule.as_str())
            .collect();
        rows.push(vec![
            format!("{} ({})", v.name, v.id),
            v.kind.to_string(),
            v.data
                .iter()
                .map(|d| d.as_str())
                .collect::<Vec<_>>()
                .join(","),
            v.agreements
                .iter()
                .map(|x| x.kind.as_str())
                .collect::<Vec<_>>()
                .join(","),
            if issues.is_empty() {
                "ok".into()
            } else {
                issues.join(",")
            },
        ]);
    }
    print!("{}", table(&rows));
    for i in &a.issues {
        println!("[{}] {}", i.severity, super::output::text(&i.message));
    }
}
