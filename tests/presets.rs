//! Presets against recorded response shapes served on 127.0.0.1 (GitHub, Okta, Entra ID,
//! LiteLLM's admin API), CLIs replaced by a fixture-printing program (gcloud, az, kubectl),
//! and scanner reports written in each scanner's published JSON schema. Each preset passes and
//! fails at least once; each failing line names the offenders.

mod presets_support;

use presets_support::{check, fails, fixture, passes, printer, route, serve_fixtures};
use std::time::{Duration, SystemTime};

fn ws() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

#[test]
fn github_presets_pass_and_fail_with_names() {
    let dir = ws();
    let (url, routes, auth) = serve_fixtures(&[
        ("/orgs/acme", "github-org-2fa-on.json"),
        (
            "/repos/acme/gateway/branches/main/protection",
            "github-protection-ok.json",
        ),
        (
            "/orgs/acme/dependabot/alerts?state=open&severity=critical&per_page=100",
            "github-dependabot-recent.json",
        ),
        (
            "/orgs/acme/repos?per_page=100&type=all",
            "github-repos-all-on.json",
        ),
        ("/orgs/acme/members?per_page=100", "github-members.json"),
    ]);
    let env = [("GH_RO", "ghp_fixture0123456789abcdefABCDEF012345")];
    let p = |extra: &[(&'static str, &'static str)]| {
        let mut v = vec![("org", "acme"), ("token_env", "GH_RO")];
        v.extend_from_slice(extra);
        v
    };
    let api = url.as_str();
    let base = [("api", api)];
    let o = check(
        dir.path(),
        "github-org-2fa",
        &[&p(&[])[..], &base].concat(),
        &env,
    );
    passes(&o, "2FA required for acme: true");
    assert!(!o.summary.contains("ghp_"), "{}", o.summary);
    assert_eq!(
        auth.lock().unwrap().as_deref(),
        Some("Bearer ghp_fixture0123456789abcdefABCDEF012345")
    );
    route(&routes, "/orgs/acme", "github-org-2fa-off.json");
    fails(
        &check(
            dir.path(),
            "github-org-2fa",
            &[&p(&[])[..], &base].concat(),
            &env,
        ),
        "2FA required for acme: false, expected true",
    );

    let bp = [&p(&[("repo", "gateway")])[..], &base].concat();
    passes(
        &check(dir.path(), "github-branch-protection", &bp, &env),
        "required status checks: 2",
    );
    route(
        &routes,
        "/repos/acme/gateway/branches/main/protection",
        "github-protection-weak.json",
    );
    let o = check(dir.path(), "github-branch-protection", &bp, &env);
    fails(
        &o,
        "approving reviews required on gateway:main: 0 (at least 1 needed)",
    );
    assert!(
        o.summary.contains("required status checks: 0"),
        "{}",
        o.summary
    );

    let dp = [&p(&[])[..], &base].concat();
    passes(
        &check(dir.path(), "github-dependabot-sla", &dp, &env),
        "0 of 1 open critical alerts past the 15-day SLA",
    );
    route(
        &routes,
        "/orgs/acme/dependabot/alerts?state=open&severity=critical&per_page=100",
        "github-dependabot-late.json",
    );
    fails(
        &check(dir.path(), "github-dependabot-sla", &dp, &env),
        "1 of 2 open critical alerts past the 15-day SLA: gateway/jinja2/GHSA-h5c8-rqwp-cp95",
    );

    passes(
        &check(dir.path(), "github-secret-scanning", &dp, &env),
        "0 of 2 repositories without secret scanning",
    );
    route(
        &routes,
        "/orgs/acme/repos?per_page=100&type=all",
        "github-repos.json",
    );
    fails(
        &check(dir.path(), "github-secret-scanning", &dp, &env),
        "1 of 2 repositories without secret scanning: console",
    );

    passes(
        &check(dir.path(), "github-members", &dp, &env),
        "3 organisation members: alice, bob, ci-bot",
    );
    route(
        &routes,
        "/orgs/acme/members?per_page=100",
        "empty-array.json",
    );
    fails(
        &check(dir.path(), "github-members", &dp, &env),
        "no organisation members in the answer",
    );

    // A token variable that is not set fails the check and says which.
    let o = check(dir.path(), "github-org-2fa", &dp, &[]);
    fails(&o, "environment variable GH_RO is not set");
}

#[test]
fn identity_presets_okta_and_entra() {
    let dir = ws();
    let (url, routes, auth) = serve_fixtures(&[
        (
            "/api/v1/policies?type=MFA_ENROLL",
            "okta-mfa-enroll-required.json",
        ),
        (
            "/v1.0/identity/conditionalAccess/policies",
            "entra-ca-admin-mfa.json",
        ),
    ]);
    let env = [
        ("OKTA_RO", "00abcdefghijklmnopqrstuvwxyz0123456789AB"),
        ("GRAPH_RO", "eyJ0eXAiOiJKV1QiLCJub25jZSI6fixture"),
    ];
    let ok = [("domain", url.as_str()), ("token_env", "OKTA_RO")];
    passes(
        &check(dir.path(), "okta-mfa-enrollment", &ok, &env),
        "1 of 1 MFA enrolment policies active and requiring a factor: Default Policy",
    );
    assert_eq!(
        auth.lock().unwrap().as_deref(),
        Some("SSWS 00abcdefghijklmnopqrstuvwxyz0123456789AB")
    );
    route(
        &routes,
        "/api/v1/policies?type=MFA_ENROLL",
        "okta-mfa-enroll-optional.json",
    );
    fails(
        &check(dir.path(), "okta-mfa-enrollment", &ok, &env),
        "0 of 1 MFA enrolment policies active and requiring a factor",
    );

    let en = [("graph", url.as_str()), ("token_env", "GRAPH_RO")];
    passes(
        &check(dir.path(), "entra-admin-mfa", &en, &env),
        "1 of 2 conditional-access policies on, for admin roles, requiring MFA: Require MFA for administrators",
    );
    route(
        &routes,
        "/v1.0/identity/conditionalAccess/policies",
        "entra-ca-report-only.json",
    );
    fails(
        &check(dir.path(), "entra-admin-mfa", &en, &env),
        "0 of 2 conditional-access policies",
    );
}

#[test]
fn litellm_admin_api_presets() {
    let dir = ws();
    let (url, routes, _) = serve_fixtures(&[
        (
            "/key/list?return_full_object=true&size=1000",
            "litellm-keys.json",
        ),
        ("/health/readiness", "litellm-readiness-ok.json"),
        ("/model/info", "litellm-model-info.json"),
    ]);
    let env = [("LL_KEY", "sk-fixture-master-0123456789")];
    let base = [("api", url.as_str()), ("token_env", "LL_KEY")];
    let o = check(dir.path(), "litellm-key-rotation", &base, &env);
    fails(&o, "1 of 2 virtual keys older than 90 days: ci-deployer ");
    assert!(!o.summary.contains("sk-"), "{}", o.summary);
    route(
        &routes,
        "/key/list?return_full_object=true&size=1000",
        "litellm-keys-fresh.json",
    );
    passes(
        &check(dir.path(), "litellm-key-rotation", &base, &env),
        "0 of 1 virtual keys older than 90 days",
    );

    passes(
        &check(dir.path(), "litellm-spend-logging", &base, &env),
        "spend-log database: connected; 3 of 3 logging callbacks configured",
    );
    route(&routes, "/health/readiness", "litellm-readiness-nodb.json");
    fails(
        &check(dir.path(), "litellm-spend-logging", &base, &env),
        "spend-log database: Not connected, expected connected",
    );

    let g = [&base[..], &[("model_groups", "gpt-4o,claude-sonnet")]].concat();
    passes(
        &check(dir.path(), "litellm-guardrails", &g, &env),
        "2 of 2 named model groups with a guardrail",
    );
    let g = [&base[..], &[("model_groups", "gpt-4o,embed-small")]].concat();
    fails(
        &check(dir.path(), "litellm-guardrails", &g, &env),
        "1 of 2 named model groups with a guardrail; missing: embed-small",
    );
}

#[test]
fn cloud_cli_presets_read_recorded_output() {
    let dir = ws();
    let d = dir.path();
    let cases: &[(&str, &str, &[(&str, &str)], &str, &str, &str, &str)] = &[
        (
            "gcp-audit-logging",
            "gcloud",
            &[("project", "acme-prod")],
            "gcloud-iam-policy-audit.json",
            "1 of 1 audit configurations covering all services",
            "gcloud-iam-policy-noaudit.json",
            "0 of 0 audit configurations",
        ),
        (
            "gcp-kms-rotation",
            "gcloud",
            &[("project", "acme-prod"), ("keyring", "gateway")],
            "gcloud-kms-keys-rotating.json",
            "0 of 2 encryption keys without automatic rotation",
            "gcloud-kms-keys.json",
            "1 of 2 encryption keys without automatic rotation: projects/acme-prod",
        ),
        (
            "gcp-sql-backups",
            "gcloud",
            &[("project", "acme-prod")],
            "gcloud-sql-instances-ok.json",
            "0 of 2 Cloud SQL instances without automated backups",
            "gcloud-sql-instances.json",
            "1 of 2 Cloud SQL instances without automated backups: analytics-db",
        ),
        (
            "azure-activity-log",
            "az",
            &[("subscription", "acme-prod")],
            "az-diagnostic-settings.json",
            "1 of 1 diagnostic settings exporting Administrative and Security logs: to-log-analytics",
            "az-diagnostic-settings-partial.json",
            "0 of 1 diagnostic settings",
        ),
        (
            "azure-storage-encryption",
            "az",
            &[("subscription", "acme-prod")],
            "az-storage-accounts-ok.json",
            "0 of 2 storage accounts",
            "az-storage-accounts.json",
            "1 of 2 storage accounts allowing HTTP, TLS below 1.2 or unencrypted blobs: acmelegacy",
        ),
        (
            "azure-keyvault-protection",
            "az",
            &[("subscription", "acme-prod")],
            "az-keyvaults-ok.json",
            "0 of 2 key vaults without purge protection",
            "az-keyvaults.json",
            "1 of 2 key vaults without purge protection: acme-dev-kv",
        ),
        (
            "k8s-network-policies",
            "kubectl",
            &[("namespaces", "gateway,vector-db")],
            "k8s-networkpolicies.json",
            "2 of 2 named namespaces with a network policy",
            "k8s-networkpolicies.json",
            "missing: payments",
        ),
        (
            "k8s-privileged-pods",
            "kubectl",
            &[],
            "k8s-pods-ok.json",
            "0 of 1 pods running a privileged container",
            "k8s-pods.json",
            "1 of 2 pods running a privileged container: kube-system/node-debugger-xyz",
        ),
    ];
    for (preset, tool, params, good, good_line, bad, bad_line) in cases {
        let prog = printer(d, &format!("{preset}-good"), &fixture(good));
        let p = [&params[..], &[(*tool, prog.as_str())]].concat();
        passes(&check(d, preset, &p, &[]), good_line);
        let prog = printer(d, &format!("{preset}-bad"), &fixture(bad));
        let mut p = [&params[..], &[(*tool, prog.as_str())]].concat();
        if *preset == "k8s-network-policies" {
            p[0] = ("namespaces", "gateway,payments");
        }
        fails(&check(d, preset, &p, &[]), bad_line);
    }
}

fn report(dir: &std::path::Path, name: &str, fixture_name: &str, age_days: u64) {
    let reports = dir.join("reports");
    std::fs::create_dir_all(&reports).expect("mkdir");
    for e in std::fs::read_dir(&reports).expect("read").flatten() {
        std::fs::remove_file(e.path()).expect("rm");
    }
    let path = reports.join(name);
    std::fs::write(&path, fixture(fixture_name)).expect("write");
    let t = SystemTime::now() - Duration::from_secs(age_days * 86_400 + 60);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .expect("open")
        .set_modified(t)
        .expect("mtime");
}

#[test]
fn scanner_reports_in_their_own_schemas() {
    let dir = ws();
    let d = dir.path();
    report(d, "trivy-gateway.json", "trivy-clean.json", 0);
    passes(
        &check(d, "trivy-report", &[], &[]),
        "0 of 2 findings critical or high past the 30-day SLA",
    );
    report(d, "trivy-gateway.json", "trivy-critical.json", 0);
    fails(
        &check(d, "trivy-report", &[], &[]),
        "1 of 3 findings critical or high past the 30-day SLA: CVE-2024-45491/libexpat1",
    );
    report(d, "trivy-gateway.json", "trivy-clean.json", 9);
    fails(&check(d, "trivy-report", &[], &[]), "older than");

    report(d, "grype-gateway.json", "grype-clean.json", 1);
    passes(
        &check(d, "grype-report", &[], &[]),
        "0 of 1 matches critical or high",
    );
    report(d, "grype-gateway.json", "grype-critical.json", 1);
    fails(
        &check(d, "grype-report", &[], &[]),
        "1 of 2 matches critical or high: CVE-2024-45491/libexpat1",
    );
    report(d, "grype-gateway.json", "grype-clean.json", 30);
    fails(
        &check(d, "grype-report", &[("max_age_days", "14")], &[]),
        "older than 14d",
    );

    report(d, "osv-web.json", "osv-clean.json", 2);
    passes(
        &check(d, "osv-scanner-report", &[], &[]),
        "0 of 1 advisories critical or high",
    );
    report(d, "osv-web.json", "osv-high.json", 2);
    fails(
        &check(d, "osv-scanner-report", &[], &[]),
        "1 of 1 advisories critical or high past the 30-day SLA: GHSA-8cf7-32gw-wr33",
    );
}

#[test]
fn database_dump_file_age_and_size_floor() {
    let dir = ws();
    let d = dir.path();
    let dumps = d.join("backups");
    std::fs::create_dir_all(&dumps).expect("mkdir");
    let path = dumps.join("gateway-2026-11-30.sql.gz");
    std::fs::write(&path, vec![7u8; 4096]).expect("write");
    passes(
        &check(d, "db-dump-file", &[], &[]),
        "4096 bytes (at least 1024 needed)",
    );
    fails(
        &check(d, "db-dump-file", &[("min_bytes", "1000000")], &[]),
        "4096 bytes (at least 1000000 needed)",
    );
    let t = SystemTime::now() - Duration::from_secs(2 * 86_400);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .expect("open")
        .set_modified(t)
        .expect("mtime");
    fails(&check(d, "db-dump-file", &[], &[]), "older than 24h");
}
