//! The AWS presets with the real `aws` CLI against moto's server mode (a local AWS API
//! emulator, started by the test on 127.0.0.1), seeded through the same CLI with a passing and
//! a failing state. A missing `aws` or `moto_server` fails the test with how to install it.
//!
//! moto always reports the root account without MFA (root MFA cannot be set through its API),
//! so the root preset's passing state is a recorded account summary printed in place of the
//! CLI; its failing state comes from moto.

mod presets_support;

use presets_support::{check, fails, fixture, passes, printer, require};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A moto server on a free loopback port, killed when dropped.
struct Moto {
    child: Child,
    url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn moto() -> Moto {
    let bin = require("moto_server", "pip install 'moto[server]'");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = Command::new(bin)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start moto_server");
    let until = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < until,
            "moto_server did not listen on 127.0.0.1:{port} within 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Moto {
        child,
        url: format!("http://127.0.0.1:{port}"),
    }
}

const ENV: &[(&str, &str)] = &[
    ("AWS_ACCESS_KEY_ID", "AKIAFIXTURE000000001"),
    (
        "AWS_SECRET_ACCESS_KEY",
        "fixture-secret-access-key-0123456789",
    ),
    ("AWS_DEFAULT_REGION", "us-east-1"),
];

/// Runs the real aws CLI against moto to seed state; returns its standard output.
fn aws(m: &Moto, args: &[&str]) -> String {
    let bin = require("aws", "pip install awscli");
    let out = Command::new(bin)
        .args(args)
        .args(["--endpoint-url", &m.url, "--output", "json"])
        .envs(ENV.iter().copied())
        .output()
        .expect("run aws");
    assert!(
        out.status.success(),
        "aws {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn run(m: &Moto, preset: &str, params: &[(&str, &str)]) -> certready::domain::Observation {
    let dir = tempfile::tempdir().expect("tempdir");
    let aws = require("aws", "pip install awscli");
    let p = [
        params,
        &[("endpoint", m.url.as_str()), ("aws", aws.as_str())],
    ]
    .concat();
    let o = check(dir.path(), preset, &p, ENV);
    assert!(!o.summary.contains("fixture-secret"), "{}", o.summary);
    o
}

#[test]
fn iam_root_and_key_age() {
    let m = moto();
    fails(
        &run(&m, "aws-root-mfa", &[]),
        "root MFA enabled: 0, expected 1",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let prog = printer(
        dir.path(),
        "aws",
        &fixture("aws-account-summary-root-mfa.json"),
    );
    passes(
        &check(dir.path(), "aws-root-mfa", &[("aws", &prog)], &[]),
        "root MFA enabled: 1; root access keys present: 0",
    );

    // No report generated yet: the CLI fails, and so does the check.
    fails(&run(&m, "aws-iam-key-age", &[]), "expected exit 0");
    aws(&m, &["iam", "create-user", "--user-name", "ci-deployer"]);
    aws(
        &m,
        &["iam", "create-access-key", "--user-name", "ci-deployer"],
    );
    aws(&m, &["iam", "create-user", "--user-name", "no-keys"]);
    aws(&m, &["iam", "generate-credential-report"]);
    passes(
        &run(&m, "aws-iam-key-age", &[]),
        "0 of 2 IAM users' first access keys active and older than 90 days",
    );
    std::thread::sleep(Duration::from_millis(1100));
    fails(
        &run(&m, "aws-iam-key-age", &[("max_age_days", "0")]),
        "1 of 2 IAM users' first access keys active and older than 0 days: ci-deployer 0 d",
    );
}

#[test]
fn cloudtrail_kms_and_guardduty() {
    let m = moto();
    fails(
        &run(&m, "aws-cloudtrail", &[]),
        "0 of 0 trails multi-region with log-file validation",
    );
    aws(
        &m,
        &["s3api", "create-bucket", "--bucket", "trail-logs-acme"],
    );
    aws(
        &m,
        &[
            "cloudtrail",
            "create-trail",
            "--name",
            "org-trail",
            "--s3-bucket-name",
            "trail-logs-acme",
            "--is-multi-region-trail",
            "--enable-log-file-validation",
        ],
    );
    passes(
        &run(&m, "aws-cloudtrail", &[]),
        "1 of 1 trails multi-region with log-file validation: org-trail",
    );
    aws(
        &m,
        &[
            "cloudtrail",
            "update-trail",
            "--name",
            "org-trail",
            "--no-enable-log-file-validation",
        ],
    );
    fails(
        &run(&m, "aws-cloudtrail", &[]),
        "0 of 1 trails multi-region with log-file validation",
    );

    let key = aws(&m, &["kms", "create-key", "--description", "prompt logs"]);
    let id = serde_json::from_str::<serde_json::Value>(&key).expect("json")["KeyMetadata"]["KeyId"]
        .as_str()
        .expect("key id")
        .to_owned();
    fails(
        &run(&m, "aws-kms-rotation", &[("key_id", &id)]),
        &format!("automatic rotation of {id}: false, expected true"),
    );
    aws(&m, &["kms", "enable-key-rotation", "--key-id", &id]);
    passes(
        &run(&m, "aws-kms-rotation", &[("key_id", &id)]),
        &format!("automatic rotation of {id}: true"),
    );

    fails(
        &run(&m, "aws-guardduty", &[]),
        "0 of 0 GuardDuty detectors in the region",
    );
    aws(&m, &["guardduty", "create-detector", "--enable"]);
    passes(
        &run(&m, "aws-guardduty", &[]),
        "1 of 1 GuardDuty detectors in the region",
    );
}

#[test]
fn s3_and_rds() {
    let m = moto();
    aws(
        &m,
        &["s3api", "create-bucket", "--bucket", "prompt-logs-acme"],
    );
    let b = [("bucket", "prompt-logs-acme")];
    fails(&run(&m, "aws-s3-encryption", &b), "expected exit 0");
    aws(
        &m,
        &[
            "s3api",
            "put-bucket-encryption",
            "--bucket",
            "prompt-logs-acme",
            "--server-side-encryption-configuration",
            r#"{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms"}}]}"#,
        ],
    );
    passes(
        &run(&m, "aws-s3-encryption", &b),
        "1 of 1 default-encryption rules of prompt-logs-acme with SSE-S3 or SSE-KMS: aws:kms",
    );

    aws(
        &m,
        &[
            "s3api",
            "put-public-access-block",
            "--bucket",
            "prompt-logs-acme",
            "--public-access-block-configuration",
            "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
        ],
    );
    passes(
        &run(&m, "aws-s3-public-access-block", &b),
        "restrict public buckets: true",
    );
    aws(
        &m,
        &[
            "s3api",
            "put-public-access-block",
            "--bucket",
            "prompt-logs-acme",
            "--public-access-block-configuration",
            "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=true",
        ],
    );
    fails(
        &run(&m, "aws-s3-public-access-block", &b),
        "block public policy: false, expected true",
    );

    let db = |id: &str, encrypted: bool| {
        let mut args = vec![
            "rds",
            "create-db-instance",
            "--db-instance-identifier",
            id,
            "--db-instance-class",
            "db.t3.micro",
            "--engine",
            "postgres",
            "--master-username",
            "gw",
            "--master-user-password",
            "fixture-db-password",
            "--allocated-storage",
            "20",
        ];
        if encrypted {
            args.push("--storage-encrypted");
        }
        aws(&m, &args);
    };
    db("gateway-db", true);
    passes(
        &run(&m, "aws-rds-encryption", &[]),
        "0 of 1 RDS instances without storage encryption",
    );
    db("analytics-db", false);
    fails(
        &run(&m, "aws-rds-encryption", &[]),
        "1 of 2 RDS instances without storage encryption: analytics-db",
    );
}
