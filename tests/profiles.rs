//! The facade: clients from config profiles. The conformance scenarios run against memory,
//! NXCloud and Alibaba, each chosen by a profile alone, and against every registered sandbox
//! from the profile it hands back; config mistakes name key and profile;
//! no secret shows in any output.

use std::sync::Arc;

use async_trait::async_trait;
use wabakit::alibaba::fake::{FakeCams, FakeOptions as CamsOptions};
use wabakit::fake::Reviewable;
use wabakit::nxcloud::fake::{FakeNxcloud, FakeOptions as NxOptions};
use wabakit::*;
use wabakit_conformance::{review_with, run_all, Harness, Verdict};

/// A client chosen by profile, and the sandbox that finishes its reviews: the fake server it
/// talks to, or (no fake) the in-memory provider itself.
struct ByProfile {
    client: Client,
    fake: Arc<dyn Reviewable>,
}

#[async_trait]
impl Harness for ByProfile {
    fn provider(&self) -> &dyn Provider {
        self.client.provider()
    }

    async fn review(&self, name: &str, language: &str, verdict: Verdict) -> Result<(), String> {
        review_with(self.fake.as_ref(), name, language, verdict)
    }
}

fn no_env(_: &str) -> Option<String> {
    None
}

/// One config file with a profile per provider, the fakes' addresses filled in.
fn config(nx: &FakeNxcloud, cams: &FakeCams) -> String {
    let n = nx.options();
    let c = cams.options();
    format!(
        r#"
default_profile = "local"

[profiles.local]
provider = "memory"
review = "manual"

[profiles.nxcloud]
provider = "nxcloud"
access_key = "{}"
access_secret = {{ env = "NX_SECRET" }}
app_key = "{}"
business_phone = "{}"
endpoint = "{}"
max_attempts = 3

[profiles.alibaba]
provider = "alibaba"
access_key_id = "{}"
access_key_secret = {{ env = "ALI_SECRET" }}
cust_space_id = "{}"
from = "{}"
endpoint = "{}"
"#,
        n.access_key,
        n.app_key,
        n.business_phone,
        nx.url(),
        c.access_key_id,
        c.cust_space_id,
        c.from,
        cams.url()
    )
}

#[tokio::test]
async fn conformance_passes_for_every_provider_from_profiles_alone() {
    let nx = Arc::new(FakeNxcloud::start(NxOptions::default()).await.unwrap());
    let cams = Arc::new(FakeCams::start(CamsOptions::default()).await.unwrap());
    let text = config(&nx, &cams);
    let (nx_secret, ali_secret) = (
        nx.options().access_secret.clone(),
        cams.options().access_key_secret.clone(),
    );
    let env = move |k: &str| match k {
        "NX_SECRET" => Some(nx_secret.clone()),
        "ALI_SECRET" => Some(ali_secret.clone()),
        _ => None,
    };
    for profile in [None, Some("nxcloud"), Some("alibaba")] {
        let client = Client::from_toml(&text, profile, &env).unwrap();
        let (client, fake): (Client, Arc<dyn Reviewable>) = match client.provider().name() {
            "nxcloud" => (client, nx.clone()),
            "alibaba" => (client, cams.clone()),
            // The profile chose the in-memory provider, which is its own sandbox: the harness
            // keeps one it can review in.
            _ => {
                let m = Arc::new(MemoryProvider::new().with_review(Review::Manual));
                (Client::with_provider(m.clone()), m)
            }
        };
        let name = client.provider().name().to_owned();
        let h = ByProfile { client, fake };
        let passed = run_all(&h, "prof")
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            passed.len(),
            wabakit_conformance::scenarios().len(),
            "{name}"
        );
    }
}

/// Every registered provider with a sandbox, built from nothing but the profile its sandbox
/// hands back (written into a config file as a user would): the same scenarios pass.
#[tokio::test]
async fn conformance_passes_on_every_sandbox_from_its_profile_alone() {
    let mut checked = Vec::new();
    for reg in wabakit::PROVIDERS {
        let Some(start) = reg.sandbox else { continue };
        let sandbox = start(wabakit::raw::SandboxOptions::default())
            .await
            .unwrap();
        let doc = serde_json::json!({
            "default_profile": "sandbox",
            "profiles": { "sandbox": sandbox.profile() },
        });
        let text = toml::to_string(&doc).unwrap();
        let client = Client::from_toml(&text, None, &no_env).unwrap();
        assert_eq!(client.provider().name(), reg.name, "{text}");
        let sandbox: Arc<dyn wabakit::raw::Sandbox> = Arc::from(sandbox);
        let fake: Arc<dyn Reviewable> = sandbox;
        let h = ByProfile { client, fake };
        let passed = run_all(&h, "sbx")
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", reg.name));
        assert_eq!(passed.len(), wabakit_conformance::scenarios().len());
        checked.push(reg.name);
    }
    // Every provider but the in-memory one has a fake.
    let expected: Vec<&str> = wabakit::PROVIDERS
        .iter()
        .map(|r| r.name)
        .filter(|n| *n != "memory")
        .collect();
    assert_eq!(checked, expected);
}

fn config_error(text: &str, profile: Option<&str>) -> String {
    Client::from_toml(text, profile, &no_env)
        .unwrap_err()
        .to_string()
}

#[test]
fn each_config_mistake_names_its_key_and_profile() {
    let cases: &[(&str, Option<&str>, &str)] = &[
        (
            "[profiles.nx]\nprovider = \"nxcloud\"\naccess_key = \"a\"\naccess_secret = \"s\"\napp_key = \"k\"\nbusiness_phone = \"86\"\nendpont = \"x\"",
            None,
            "profile `nx`: endpont: unknown field",
        ),
        ("[profiles.nx]\nprovider = \"nxcloud\"\naccess_secret = \"s\"\napp_key = \"k\"\nbusiness_phone = \"86\"", None, "profile `nx`: access_key: required field is missing"),
        (
            "[profiles.ali]\nprovider = \"alibaba\"\naccess_key_id = \"a\"\naccess_key_secret = { env = \"NOPE_SECRET\" }\ncust_space_id = \"c\"\nfrom = \"65\"",
            None,
            "profile `ali`: access_key_secret: the environment variable NOPE_SECRET is not set",
        ),
        ("[profiles.x]\nprovider = \"twilio\"", None, "profile `x`: provider: unknown provider \"twilio\""),
        ("[profiles.m]\nprovider = \"memory\"\nreview = \"slow\"", None, "profile `m`: review: unknown value \"slow\""),
        ("defaults = 1\n[profiles.m]\nprovider = \"memory\"", None, "unknown key `defaults`"),
        ("[profiles.m]\nprovider = \"memory\"", Some("prod"), "no profile `prod` (profiles: m)"),
        ("[profiles.a]\nprovider = \"memory\"\n[profiles.b]\nprovider = \"memory\"", None, "no profile named, and no default_profile set"),
        ("[profiles.nx]\nprovider = \"nxcloud\"\naccess_key = \"a\"\naccess_secret = \"s\"\napp_key = \"k\"\nbusiness_phone = \"86\"\nqps = { send = 0 }", None, "profile `nx`: qps.send: a limit is a positive number"),
        ("[profiles.nx]\nprovider = \"nxcloud\"\naccess_key = \"a\"\naccess_secret = \"s\"\napp_key = \"k\"\nbusiness_phone = \"86\"\nqps = { send = \"fast\" }", None, "profile `nx`: qps.send: expected a whole number"),
        ("[profiles.nx]\nprovider = \"nxcloud\"\naccess_key = \"a\"\naccess_secret = \"s\"\napp_key = \"k\"\nbusiness_phone = \"86\"\nrate_limit = \"no\"", None, "profile `nx`: rate_limit: expected true or false"),
        (
            "[profiles.nx]\nprovider = \"nxcloud\"\naccess_key = \"a\"\naccess_secret = \"s\"\napp_key = \"k\"\nbusiness_phone = \"86\"\n[profiles.nx.endpoints.send]\nactoin = \"mt\"",
            None,
            "profile `nx`: endpoints.send.actoin: unknown field",
        ),
        ("[profiles.wa]\nprovider = \"meta\"\naccess_token = \"t\"\nphone_number_id = \"1\"", None, "profile `wa`: waba_id: required field is missing"),
        ("[profiles.wa]\nprovider = \"meta\"\naccess_token = \"t\"\nwaba_id = \"1\"\nphone_number_id = \"2\"\nappsecret_proof = \"hashed\"", None, "profile `wa`: appsecret_proof: unknown value \"hashed\""),
        ("[profiles.wa]\nprovider = \"meta\"\naccess_token = \"t\"\nwaba_id = \"1\"\nphone_number_id = \"2\"\ngraph_version = \"latest\"", None, "profile `wa`: graph_version: \"latest\" is not a Graph version such as \"v23.0\""),
        ("[profiles.wa]\nprovider = \"meta\"\naccess_token = \"t\"\nwaba_id = \"1\"\nphone_number_id = \"2\"\nverify_tokn = \"v\"", None, "profile `wa`: verify_tokn: unknown field"),
    ];
    for (text, profile, want) in cases {
        let got = config_error(text, *profile);
        assert!(got.contains(want), "expected {want:?} in {got:?}");
    }
}

#[test]
fn no_secret_appears_in_any_output_of_a_failing_run() {
    // A config with secrets and a mistake: the error, and the Debug of what did load, hide them.
    let text = "[profiles.nx]\nprovider = \"nxcloud\"\naccess_key = \"ak-visible\"\naccess_secret = \"sk-SECRET-1\"\napp_key = \"k\"\nbusiness_phone = \"86\"\nwebhook_secret = \"wh-SECRET-2\"\ntenant_id = \"seven\"";
    let e = Client::from_toml(text, None, &no_env).unwrap_err();
    for out in [e.to_string(), format!("{e:?}")] {
        assert!(
            out.contains("tenant_id") && !out.contains("SECRET"),
            "{out}"
        );
    }
    let ok = text.replace("tenant_id = \"seven\"", "tenant_id = 7");
    let client = Client::from_toml(&ok, None, &no_env).unwrap();
    let dbg = format!("{client:?}");
    // The key id shows its first characters only (it names the account and signs).
    assert!(
        dbg.contains(r#"access_key: KeyId("ak-v"…)"#)
            && !dbg.contains("ak-visible")
            && !dbg.contains("SECRET"),
        "{dbg}"
    );
}

#[test]
fn a_profile_from_environment_variables() {
    let vars = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<Vec<_>>()
    };
    let c = Client::from_vars(
        &vars(&[("WABAKIT_PROVIDER", "memory"), ("WABAKIT_REVIEW", "manual")]),
        &no_env,
    )
    .unwrap();
    assert_eq!(
        (c.profile(), c.provider().name()),
        ("environment", "memory")
    );
    let nx = vars(&[
        ("WABAKIT_PROVIDER", "nxcloud"),
        ("WABAKIT_ACCESS_KEY", "ak"),
        ("WABAKIT_ACCESS_SECRET", "sk-SECRET"),
        ("WABAKIT_APP_KEY", "app"),
        ("WABAKIT_BUSINESS_PHONE", "8613800000000"),
        ("WABAKIT_TENANT_ID", "7"),
        ("WABAKIT_ASYNC_CREATE", "true"),
    ]);
    let c = Client::from_vars(&nx, &no_env).unwrap();
    assert!(c.provider().capabilities().async_create);
    let mut bad = nx.clone();
    bad.push(("WABAKIT_MAX_ATTEMPTS".into(), "many".into()));
    let e = Client::from_vars(&bad, &no_env).unwrap_err().to_string();
    assert!(
        e.contains("profile `environment`: max_attempts: expected a whole number")
            && !e.contains("SECRET"),
        "{e}"
    );
}

/// One `endpoint` covers every NXCloud host: with a `tenant_id` the SAAS send goes to the same
/// fake, not to the real api.nxcloud.com (a sandbox profile once did); `saas_endpoint` still
/// points the SAAS host elsewhere when given.
#[tokio::test]
async fn one_endpoint_covers_every_nxcloud_host() {
    let nx = FakeNxcloud::start(NxOptions {
        instant_review: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let o = nx.options();
    let profile = serde_json::json!({"provider": "nxcloud", "access_key": o.access_key, "access_secret": o.access_secret,
        "app_key": o.app_key, "business_phone": o.business_phone, "endpoint": nx.url(), "tenant_id": 7});
    let client = Client::from_profile("sandbox", &profile, &no_env).unwrap();
    let t = wabakit_conformance::order_update("saas_sandbox");
    // The SAAS send takes no quick-reply payloads (seed 004).
    let message = || {
        let mut m = wabakit_conformance::order_message("saas_sandbox");
        m.buttons.clear();
        m
    };
    client.create_template(&t).await.unwrap();
    client.send(&message()).await.unwrap();
    assert_eq!(nx.requests().last().unwrap().path, "/saas/wa/send");
    let send_url = |c: &Client| {
        let at = Pinned {
            unix_millis: 1_718_000_000_000,
            nonce: String::new(),
        };
        c.render(&Operation::Send(message()), &at).unwrap().url
    };
    assert_eq!(send_url(&client), format!("{}/saas/wa/send", nx.url()));
    let mut own = profile.clone();
    own["saas_endpoint"] = "https://saas.example".into();
    let client = Client::from_profile("sandbox", &own, &no_env).unwrap();
    assert_eq!(send_url(&client), "https://saas.example/saas/wa/send");
}
