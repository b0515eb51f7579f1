//! The vendor rules, each at its boundary dates, on hand-built snapshots; and the demo.

mod common;

use certready::analysis::vendors::*;
use certready::domain::*;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

/// An agreement of `kind` with no dates.
fn undated(kind: AgreementKind) -> Agreement {
    Agreement {
        kind,
        signed: None,
        issued: None,
        period_start: None,
        period_end: None,
        expires: None,
    }
}

/// An agreement signed on `signed`, expiring on `expires` when given.
fn signed(kind: AgreementKind, signed: &str, expires: Option<&str>) -> Agreement {
    Agreement {
        signed: Some(d(signed)),
        expires: expires.map(d),
        ..undated(kind)
    }
}

/// An attestation issued on `issued`, expiring on `expires` when given.
fn issued(kind: AgreementKind, issued: &str, expires: Option<&str>) -> Agreement {
    Agreement {
        issued: Some(d(issued)),
        expires: expires.map(d),
        ..undated(kind)
    }
}

/// A SOC 2 Type II report whose period ended on `period_end` (no explicit expiry).
fn soc2(period_end: &str) -> Agreement {
    Agreement {
        period_end: Some(d(period_end)),
        ..undated(AgreementKind::Soc2Type2)
    }
}

fn vendor(
    name: &str,
    kind: VendorKind,
    data: &[DataCategory],
    agreements: Vec<Agreement>,
) -> Vendor {
    Vendor {
        id: format!("V-{}", name.to_uppercase().replace(' ', "-")).into(),
        name: name.into(),
        service: String::new(),
        kind,
        criticality: None,
        data: data.to_vec(),
        region: "us".into(),
        subprocessors: vec![],
        owner: "grc".into(),
        controls: vec![],
        agreements,
    }
}

fn snap(vendors: Vec<Vendor>) -> Snapshot {
    Snapshot {
        vendors,
        ..Snapshot::default()
    }
}

/// The issues of one rule when assessing `vendors` as of `as_of`.
fn issues(vendors: Vec<Vendor>, as_of: &str, rule: VendorRule) -> Vec<VendorIssue> {
    assess(&snap(vendors), d(as_of))
        .issues
        .into_iter()
        .filter(|i| i.rule == rule)
        .collect()
}

fn count(vendors: Vec<Vendor>, as_of: &str, rule: VendorRule) -> usize {
    issues(vendors, as_of, rule).len()
}

use AgreementKind as K;
use DataCategory as C;
use VendorKind as VK;

fn pairs(ids: &[(&str, &str)]) -> Vec<(FrameworkKey, ReqRef)> {
    ids.iter().map(|&(f, r)| (f.into(), r.into())).collect()
}

#[test]
fn missing_baa_expiry_is_inclusive_and_signing_date_counts() {
    let v = || {
        let baa = signed(K::Baa, "2026-01-01", Some("2026-06-30"));
        vec![vendor("Acme", VK::Cloud, &[C::Phi], vec![baa])]
    };
    assert_eq!(count(v(), "2026-06-30", VendorRule::MissingBaa), 0);
    assert_eq!(count(v(), "2026-01-01", VendorRule::MissingBaa), 0);
    assert_eq!(count(v(), "2025-12-31", VendorRule::MissingBaa), 1);
    let lapsed = issues(v(), "2026-07-01", VendorRule::MissingBaa);
    assert_eq!(lapsed.len(), 1);
    let i = &lapsed[0];
    assert_eq!(i.vendor, VendorId::from("V-ACME"));
    assert_eq!(i.severity, Severity::Critical);
    assert_eq!(
        i.message,
        "Acme receives PHI without a business associate agreement in force on 2026-07-01"
    );
    assert_eq!(
        i.requirements,
        pairs(&[("hipaa", "164.308(b)(3)"), ("hipaa", "164.314(a)(2)")])
    );
    // Another kind of agreement is no BAA; an undated BAA is always in force.
    let dpa = vec![vendor(
        "Acme",
        VK::Cloud,
        &[C::Phi],
        vec![signed(K::Dpa, "2026-01-01", None)],
    )];
    assert_eq!(count(dpa, "2026-07-01", VendorRule::MissingBaa), 1);
    let open = vec![vendor("Acme", VK::Cloud, &[C::Phi], vec![undated(K::Baa)])];
    assert_eq!(count(open, "2030-01-01", VendorRule::MissingBaa), 0);
}

#[test]
fn only_phi_vendors_need_a_baa_and_the_count_is_per_vendor() {
    let vendors = vec![
        vendor("NoPhi", VK::Logging, &[C::PersonalData, C::Prompts], vec![]),
        vendor("Phi1", VK::Cloud, &[C::Phi], vec![]),
        vendor("Phi2", VK::VectorStore, &[C::Phi, C::PersonalData], vec![]),
    ];
    let a = assess(&snap(vendors), d("2026-11-26"));
    let baa: Vec<_> = a
        .issues
        .iter()
        .filter(|i| i.rule == VendorRule::MissingBaa)
        .collect();
    assert_eq!(baa.len(), 2);
    assert_eq!(a.missing_baa, 2);
    assert!(baa.iter().all(|i| i.vendor.as_str() != "V-NOPHI"));
}

#[test]
fn pci_aoc_is_valid_twelve_months_unless_expires_is_given() {
    let v = |aoc: Agreement| vec![vendor("Pay", VK::Payments, &[C::CardData], vec![aoc])];
    let aoc = || issued(K::PciAoc, "2025-07-15", None);
    assert_eq!(count(v(aoc()), "2026-07-15", VendorRule::MissingPciAoc), 0);
    let lapsed = issues(v(aoc()), "2026-07-16", VendorRule::MissingPciAoc);
    assert_eq!(lapsed.len(), 1);
    assert_eq!(lapsed[0].severity, Severity::High);
    assert_eq!(lapsed[0].requirements, pairs(&[("pci-dss", "12.8.4")]));
    assert!(lapsed[0].message.starts_with("Pay receives card data"));
    assert!(lapsed[0].message.ends_with("on 2026-07-16"));
    // Signed instead of issued works the same.
    let by_signing = signed(K::PciAoc, "2025-07-15", None);
    assert_eq!(
        count(v(by_signing), "2026-07-15", VendorRule::MissingPciAoc),
        0
    );
    // An explicit expiry overrides the 12 months, both ways.
    let short = issued(K::PciAoc, "2025-07-15", Some("2026-03-01"));
    assert_eq!(
        count(v(short.clone()), "2026-03-01", VendorRule::MissingPciAoc),
        0
    );
    assert_eq!(count(v(short), "2026-03-02", VendorRule::MissingPciAoc), 1);
    let long = issued(K::PciAoc, "2025-07-15", Some("2026-09-30"));
    assert_eq!(count(v(long), "2026-09-30", VendorRule::MissingPciAoc), 0);
    // Not yet issued, or undated: not in force.
    assert_eq!(count(v(aoc()), "2025-07-14", VendorRule::MissingPciAoc), 1);
    assert_eq!(
        count(
            v(undated(K::PciAoc)),
            "2026-01-01",
            VendorRule::MissingPciAoc
        ),
        1
    );
    // No card data, no AOC needed.
    let no_cards = vec![vendor("Pay", VK::Payments, &[C::PersonalData], vec![])];
    assert_eq!(count(no_cards, "2026-01-01", VendorRule::MissingPciAoc), 0);
}

#[test]
fn model_providers_with_personal_data_need_retention_or_training_terms() {
    let mp = |data: &[DataCategory], ag: Vec<Agreement>| {
        vec![vendor("Model", VK::ModelProvider, data, ag)]
    };
    let flagged = issues(
        mp(&[C::Prompts, C::PersonalData], vec![]),
        "2026-11-26",
        VendorRule::NoRetentionTerms,
    );
    assert_eq!(flagged.len(), 1);
    assert_eq!(flagged[0].severity, Severity::High);
    assert_eq!(
        flagged[0].requirements,
        pairs(&[("soc2", "CC9.2"), ("iso27001", "A.5.20")])
    );
    assert!(flagged[0].message.starts_with("Model "));
    assert!(flagged[0].message.ends_with("on 2026-11-26"));
    assert_eq!(
        count(
            mp(&[C::Phi], vec![]),
            "2026-11-26",
            VendorRule::NoRetentionTerms
        ),
        1
    );
    // Either term suffices.
    let zdr = vec![signed(K::ZeroRetention, "2026-01-01", None)];
    assert_eq!(
        count(
            mp(&[C::PersonalData], zdr),
            "2026-11-26",
            VendorRule::NoRetentionTerms
        ),
        0
    );
    let nt = || vec![signed(K::NoTraining, "2026-01-01", Some("2026-11-26"))];
    assert_eq!(
        count(
            mp(&[C::PersonalData], nt()),
            "2026-11-26",
            VendorRule::NoRetentionTerms
        ),
        0
    );
    assert_eq!(
        count(
            mp(&[C::PersonalData], nt()),
            "2026-11-27",
            VendorRule::NoRetentionTerms
        ),
        1
    );
    // Prompts alone, or a vendor that is no model provider: not this rule.
    assert_eq!(
        count(
            mp(&[C::Prompts], vec![]),
            "2026-11-26",
            VendorRule::NoRetentionTerms
        ),
        0
    );
    let cloud = vec![vendor("Host", VK::Cloud, &[C::PersonalData], vec![])];
    assert_eq!(count(cloud, "2026-11-26", VendorRule::NoRetentionTerms), 0);
}

#[test]
fn expiring_soon_counts_the_sixtieth_day_but_not_today() {
    // 2026-11-26 + 60 days = 2027-01-25.
    let v = |expires: &str| {
        let dpa = signed(K::Dpa, "2026-01-01", Some(expires));
        vec![vendor("Acme", VK::Other, &[C::None], vec![dpa])]
    };
    let at60 = assess(&snap(v("2027-01-25")), d("2026-11-26"));
    assert_eq!(at60.expiring_60d, 1);
    let i = &at60.issues[0];
    assert_eq!(i.rule, VendorRule::ExpiringSoon);
    assert_eq!(i.severity, Severity::Medium);
    assert_eq!(
        i.requirements,
        pairs(&[("soc2", "CC9.2"), ("iso27001", "A.5.20")])
    );
    assert!(
        i.message
            .starts_with("Acme's data processing agreement ends on 2027-01-25")
    );
    assert_eq!(
        count(v("2027-01-26"), "2026-11-26", VendorRule::ExpiringSoon),
        0
    );
    assert_eq!(
        count(v("2026-11-27"), "2026-11-26", VendorRule::ExpiringSoon),
        1
    );
    assert!(
        assess(&snap(v("2026-11-26")), d("2026-11-26"))
            .issues
            .is_empty()
    );
}

#[test]
fn expiring_soon_derives_soc2_and_aoc_ends_and_counts_agreements() {
    let v = vec![vendor(
        "Acme",
        VK::Cloud,
        &[C::CardData],
        vec![
            soc2("2026-01-25"),                    // ends 2027-01-25: +60
            issued(K::PciAoc, "2026-01-26", None), // ends 2027-01-26: +61
            issued(K::IsoCertificate, "2025-01-01", Some("2026-12-01")), // +5
            signed(K::Baa, "2026-01-01", Some("2027-01-20")), // +55
        ],
    )];
    let a = assess(&snap(v), d("2026-11-26"));
    let soon: Vec<_> = a
        .issues
        .iter()
        .filter(|i| i.rule == VendorRule::ExpiringSoon)
        .collect();
    assert_eq!(a.expiring_60d, 3);
    assert_eq!(soon.len(), 3);
    assert!(
        soon[0]
            .message
            .contains("SOC 2 Type II report ends on 2027-01-25")
    );
    assert_eq!(
        soon[0].requirements,
        pairs(&[("soc2", "CC9.2"), ("iso27001", "A.5.22")])
    );
    assert!(
        soon[1]
            .message
            .contains("ISO certificate ends on 2026-12-01")
    );
    assert!(
        soon[2]
            .message
            .contains("business associate agreement ends on 2027-01-20")
    );
    assert_eq!(
        soon[2].requirements,
        pairs(&[("hipaa", "164.308(b)(3)"), ("hipaa", "164.314(a)(2)")])
    );
    let aoc_at60 = vec![vendor(
        "Acme",
        VK::Payments,
        &[],
        vec![issued(K::PciAoc, "2026-01-25", None)],
    )];
    let aoc = issues(aoc_at60, "2026-11-26", VendorRule::ExpiringSoon);
    assert_eq!(aoc.len(), 1);
    assert_eq!(aoc[0].requirements, pairs(&[("pci-dss", "12.8.4")]));
}

#[test]
fn a_renewed_agreement_is_not_expiring() {
    let old = signed(K::Baa, "2026-01-01", Some("2026-12-15"));
    let v = |next: Agreement| {
        vec![vendor(
            "Acme",
            VK::Cloud,
            &[C::Phi],
            vec![old.clone(), next],
        )]
    };
    // Renewal starting the day after the old one ends: no warning.
    let renewal = signed(K::Baa, "2026-12-16", Some("2027-12-15"));
    assert_eq!(count(v(renewal), "2026-11-26", VendorRule::ExpiringSoon), 0);
    // A renewal that leaves a gap does not count.
    let gap = signed(K::Baa, "2026-12-20", Some("2027-12-15"));
    assert_eq!(count(v(gap), "2026-11-26", VendorRule::ExpiringSoon), 1);
    // Two copies ending the same day: both warn.
    let twin = signed(K::Baa, "2026-02-01", Some("2026-12-15"));
    assert_eq!(count(v(twin), "2026-11-26", VendorRule::ExpiringSoon), 2);
}

#[test]
fn soc2_report_goes_stale_the_day_after_twelve_months() {
    let v = |ag: Vec<Agreement>| vec![vendor("Acme", VK::Cloud, &[C::PersonalData], ag)];
    assert_eq!(
        count(
            v(vec![soc2("2025-11-26")]),
            "2026-11-26",
            VendorRule::StaleSoc2Report
        ),
        0
    );
    let stale = issues(
        v(vec![soc2("2025-11-25")]),
        "2026-11-26",
        VendorRule::StaleSoc2Report,
    );
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].severity, Severity::Medium);
    assert_eq!(
        stale[0].requirements,
        pairs(&[("soc2", "CC9.2"), ("iso27001", "A.5.22")])
    );
    assert!(
        stale[0]
            .message
            .starts_with("Acme's newest SOC 2 Type II period ended on 2025-11-25")
    );
    assert!(stale[0].message.contains("2026-11-26"));
    // The newest report decides; an explicit expiry does not change staleness.
    let both = vec![soc2("2024-06-30"), soc2("2025-12-31")];
    assert_eq!(count(v(both), "2026-11-26", VendorRule::StaleSoc2Report), 0);
    let mut expiring = soc2("2025-11-25");
    expiring.expires = Some(d("2027-06-30"));
    assert_eq!(
        count(v(vec![expiring]), "2026-11-26", VendorRule::StaleSoc2Report),
        1
    );
    // No SOC 2 report at all: not this rule.
    assert_eq!(
        count(v(vec![]), "2026-11-26", VendorRule::StaleSoc2Report),
        0
    );
}

#[test]
fn bridge_letter_covers_three_months_at_most() {
    // Period ended 2025-09-30: stale from 2026-10-01.
    let v = |bridge: Agreement| {
        vec![vendor(
            "Acme",
            VK::Cloud,
            &[C::Prompts],
            vec![soc2("2025-09-30"), bridge],
        )]
    };
    let stale = |b: Agreement, as_of: &str| count(v(b), as_of, VendorRule::StaleSoc2Report) == 1;
    // Issued 2026-08-26 covers through 2026-11-26 inclusive.
    assert!(!stale(
        issued(K::BridgeLetter, "2026-08-26", None),
        "2026-11-26"
    ));
    assert!(stale(
        issued(K::BridgeLetter, "2026-08-25", None),
        "2026-11-26"
    ));
    // An explicit expiry shortens the cover but cannot stretch it past 3 months.
    assert!(stale(
        issued(K::BridgeLetter, "2026-10-01", Some("2026-11-25")),
        "2026-11-26"
    ));
    let long = || issued(K::BridgeLetter, "2026-10-01", Some("2027-06-30"));
    assert!(!stale(long(), "2027-01-01"));
    assert!(stale(long(), "2027-01-02"));
    // A letter issued on or before the period end, after as_of, or undated does not bridge.
    assert!(stale(
        issued(K::BridgeLetter, "2025-09-30", Some("2027-01-01")),
        "2026-11-26"
    ));
    assert!(stale(
        issued(K::BridgeLetter, "2026-11-27", None),
        "2026-11-26"
    ));
    assert!(stale(undated(K::BridgeLetter), "2026-11-26"));
}

#[test]
fn blocked_requirements_collect_messages_per_requirement() {
    let vendors = vec![
        vendor("Model", VK::ModelProvider, &[C::Phi], vec![]),
        vendor("Host", VK::Cloud, &[C::Phi, C::CardData], vec![]),
    ];
    let a = assess(&snap(vendors), d("2026-11-26"));
    let map = blocked_requirements(&a);
    let key = |f: &str, r: &str| (FrameworkKey::from(f), ReqRef::from(r));
    assert_eq!(
        map[&key("hipaa", "164.308(b)(3)")],
        vec![
            "Model receives PHI without a business associate agreement in force on 2026-11-26",
            "Host receives PHI without a business associate agreement in force on 2026-11-26",
        ]
    );
    assert_eq!(map[&key("hipaa", "164.314(a)(2)")].len(), 2);
    assert_eq!(map[&key("pci-dss", "12.8.4")].len(), 1);
    assert!(map[&key("pci-dss", "12.8.4")][0].starts_with("Host "));
    assert_eq!(map[&key("soc2", "CC9.2")].len(), 1);
    assert_eq!(map[&key("iso27001", "A.5.20")].len(), 1);
    assert_eq!(map.len(), 5);
    assert!(blocked_requirements(&assess(&snap(vec![]), d("2026-11-26"))).is_empty());
}

#[test]
fn demo_has_one_missing_baa_and_expiring_attestations() {
    let t = tempfile::tempdir().unwrap();
    let ws = common::backend::workspace(&t.path().join("demo"));
    let store = certready::demo::build_in(&ws, d("2026-11-26"), "2026-11-26T09:00:00Z").unwrap();
    let s = store.snapshot().unwrap();
    let a = assess(&s, d("2026-11-26"));
    let baa: Vec<_> = a
        .issues
        .iter()
        .filter(|i| i.rule == VendorRule::MissingBaa)
        .collect();
    assert_eq!(baa.len(), 1, "{:#?}", a.issues);
    assert_eq!(a.missing_baa, 1);
    let meridian = s.vendors.iter().find(|v| v.id == baa[0].vendor).unwrap();
    assert_eq!(meridian.name, "Meridian Labs");
    assert_eq!(
        baa[0].message,
        "Meridian Labs receives PHI without a business associate agreement in force on 2026-11-26"
    );
    assert!(a.issues.iter().any(|i| i.rule == VendorRule::ExpiringSoon));
    assert!(a.expiring_60d >= 1);

    // Every rule and every agreement kind names requirements that exist and are assessable
    // in the installed catalogs.
    let every_kind: Vec<Agreement> = AgreementKind::ALL
        .iter()
        .map(|&k| issued(k, "2026-10-01", Some("2026-12-01")))
        .collect();
    let all = Snapshot {
        frameworks: s.frameworks.clone(),
        vendors: vec![
            vendor(
                "Bare",
                VK::ModelProvider,
                &[C::Phi, C::CardData],
                vec![soc2("2025-01-31")],
            ),
            vendor("Full", VK::Other, &[], every_kind),
        ],
        ..Snapshot::default()
    };
    let a = assess(&all, d("2026-11-26"));
    for rule in [
        VendorRule::MissingBaa,
        VendorRule::MissingPciAoc,
        VendorRule::NoRetentionTerms,
        VendorRule::ExpiringSoon,
        VendorRule::StaleSoc2Report,
    ] {
        assert!(
            a.issues.iter().any(|i| i.rule == rule),
            "{rule:?} not raised"
        );
    }
    assert_eq!(a.expiring_60d, AgreementKind::ALL.len());
    for (fw, r) in blocked_requirements(&a).keys() {
        let framework = s
            .frameworks
            .iter()
            .find(|f| &f.key == fw)
            .expect("framework");
        let req = framework.requirements.iter().find(|x| &x.ref_id == r);
        assert!(
            req.is_some_and(|x| x.assessable),
            "{fw}:{r} missing or not assessable"
        );
    }
}
