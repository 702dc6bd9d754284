//! The `wabakit` binary, run as a user runs it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use serde_json::Value;
use wabakit::nxcloud::fake::{FakeNxcloud, FakeOptions, Fault, FaultKind};

mod common;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wabakit"));
    c.env_remove("WABAKIT_CONFIG").env_remove("WABAKIT_PROFILE");
    c
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wabakit-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

#[test]
fn validate_reports_every_problem_and_sets_the_exit_code() {
    let dir = tmp("validate");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"name":"Bad Name","language":"en_US","category":"UTILITY","components":[{"type":"BODY","text":"Hi {{2}} there"},{"type":"FOOTER","text":"Bye {{1}}"}]}"#).unwrap();
    let good = examples().join("templates/order_update.yaml");
    let o = bin().arg("validate").arg(&good).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o).0.ends_with("order_update.yaml: ok\n"));

    let o = bin().arg("validate").arg(&bad).arg(&good).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o).0;
    let b = bad.display();
    for line in [
        format!("{b}: name: \"Bad Name\" may use only a–z, 0–9 and _ [name.charset]"),
        format!("{b}: components[0].text: variables {{{{2}}}} must be numbered from {{{{1}}}} without gaps [placeholder.sequence]"),
        format!("{b}: components[1].text: a footer cannot have variables [footer.variables]"),
    ] {
        assert!(out.contains(&line), "missing {line:?} in\n{out}");
    }
    let o = bin()
        .arg("validate")
        .arg(dir.join("missing.json"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

/// Rendering is stable with a pinned clock and nonce, and signs as the vector does.
#[test]
fn render_prints_the_exact_signed_request() {
    let doc = wabakit_testdata::json("vectors/nxcloud_sign.json");
    let v = doc["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == "wa_mt_template_nested")
        .unwrap()
        .clone();
    let dir = tmp("render");
    let config = dir.join("wabakit.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.nx]\nprovider = \"nxcloud\"\naccess_key = \"{}\"\naccess_secret = \"{}\"\napp_key = \"f543ertg\"\nbusiness_phone = \"8618500008399\"\n\n[profiles.ali]\nprovider = \"alibaba\"\naccess_key_id = \"testAccessKeyId\"\naccess_key_secret = \"testAccessKeySecret\"\ncust_space_id = \"cams-1\"\nfrom = \"6580000000\"\n",
            v["inputs"]["accessKey"].as_str().unwrap(),
            v["inputs"]["accessSecret"].as_str().unwrap()
        ),
    )
    .unwrap();
    let msg = dir.join("message.json");
    std::fs::write(
        &msg,
        r#"{"to": "8613600009759", "template": "promo_coupon", "language": "zh_CN",
            "header": {"type": "image", "link": "https://cdn.example.com/img/banner.png"}, "body": ["王小明", "25%"],
            "buttons": [{"index": 0, "type": "url", "text": "ord/8841?x=1&y=2"}, {"index": 1, "type": "copy_code", "coupon_code": "SAVE25"}],
            "client_ref": "order-20240610-0001"}"#,
    )
    .unwrap();
    // cams cannot take that message's header and button values: its render gets a plain one.
    let plain = dir.join("plain.json");
    std::fs::write(
        &plain,
        r#"{"to": "8613600009759", "template": "t", "language": "en", "body": ["Ana"]}"#,
    )
    .unwrap();
    let run = |profile: &str| {
        let file = if profile == "ali" { &plain } else { &msg };
        let o = bin()
            .args([
                "--config",
                config.to_str().unwrap(),
                "--profile",
                profile,
                "render",
                "send",
            ])
            .arg(file)
            .args([
                "--ts",
                v["inputs"]["ts"].as_str().unwrap(),
                "--nonce",
                "0123456789abcdef0123456789abcdef",
            ])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
        text(&o).0
    };
    let first = run("nx");
    assert_eq!(first, run("nx"), "stable");
    assert!(
        first.starts_with("POST https://api2.nxcloud.com/api/wa/mt HTTP/1.1\n"),
        "{first}"
    );
    assert!(
        first.contains(&format!(
            "sign: {}\n",
            v["expected"]["sign"].as_str().unwrap()
        )),
        "{first}"
    );
    assert!(first.contains(v["inputs"]["body_raw"].as_str().unwrap()));
    assert!(
        !first.contains(v["inputs"]["accessSecret"].as_str().unwrap()),
        "the secret is never printed"
    );
    let ali = run("ali");
    assert_eq!(ali, run("ali"));
    assert!(
        ali.contains("x-acs-signature-nonce: 0123456789abcdef0123456789abcdef")
            && ali.contains("Authorization: ACS3-HMAC-SHA256 Credential=testAccessKeyId"),
        "{ali}"
    );
}

/// `wabakit send-bulk` of template `bulk` with the `nx` profile of `config`.
fn send_bulk_command(config: &Path, input: &Path, results: &Path) -> Command {
    let mut c = bin();
    c.arg("--config")
        .arg(config)
        .args([
            "--profile",
            "nx",
            "send-bulk",
            "--template",
            "bulk",
            "--language",
            "en_US",
            "--concurrency",
            "32",
        ])
        .arg("--input")
        .arg(input)
        .arg("--results")
        .arg(results);
    c
}

fn send_bulk(config: &Path, input: &Path, results: &Path, resume: bool) -> Output {
    let mut c = send_bulk_command(config, input, results);
    if resume {
        c.arg("--resume");
    }
    c.output().unwrap()
}

/// The lines of a results file; a line cut short by a crash is not a record.
fn results(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// The export's lines by client_ref (a row that could not be read: by `row N`).
fn finals(path: &Path) -> HashMap<String, Value> {
    let mut m = HashMap::new();
    for v in results(path) {
        let key = match v["client_ref"].as_str() {
            Some(r) => r.to_owned(),
            None => format!("row {}", v["row"]),
        };
        assert!(m.insert(key.clone(), v).is_none(), "{key} has two lines");
    }
    m
}

/// A fake NXCloud (instant review) holding template `bulk`, and a directory with a config
/// whose profile `nx` is that fake and whose store is a file in the directory.
async fn bulk_setup(name: &str) -> (FakeNxcloud, PathBuf, PathBuf) {
    let fake = FakeNxcloud::start(FakeOptions {
        instant_review: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let o = fake.options();
    let dir = tmp(name);
    let config = dir.join("wabakit.toml");
    std::fs::write(
        &config,
        format!(
            "[store]\nurl = \"sqlite://{}\"\n\n[profiles.nx]\nprovider = \"nxcloud\"\naccess_key = \"{}\"\naccess_secret = \"{}\"\napp_key = \"{}\"\nbusiness_phone = \"{}\"\nendpoint = \"{}\"\n",
            dir.join("wabakit.db").display(), o.access_key, o.access_secret, o.app_key, o.business_phone, fake.url()
        ),
    )
    .unwrap();
    let setup = wabakit::nxcloud::NxcloudProvider::new(fake.client_config()).unwrap();
    wabakit::Provider::create_template(&setup, &wabakit_conformance::order_update("bulk"))
        .await
        .unwrap();
    (fake, dir, config)
}

/// Wait for `done` to hold, checking every 10 ms for at most 10 s (the bound only turns a hang
/// into a failure).
/// Ctrl-C, as a terminal sends it: SIGINT to the child.
#[cfg(unix)]
fn interrupt(child: &std::process::Child) {
    let kill = Command::new("sh")
        .arg("-c")
        .arg(format!("kill -INT {}", child.id()))
        .status()
        .unwrap();
    assert!(kill.success());
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "waited 10 s for {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Ctrl-C while the input (a pipe) waits for its next row: nothing more is taken, the sends
/// under way are recorded, the summary is printed, and the exit code is 130.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_while_the_input_waits_stops_and_records_every_send() {
    use std::io::Write;
    let (fake, dir, config) = bulk_setup("ctrlc").await;
    let fake = std::sync::Arc::new(fake);
    let seen = fake.clone();
    let input = dir.join("rows.csv");
    let made = Command::new("mkfifo").arg(&input).status().unwrap();
    assert!(made.success(), "mkfifo");
    let out = dir.join("results.jsonl");
    let lines = tokio::task::spawn_blocking(move || {
        let mut child = send_bulk_command(&config, &input, &out)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Opening a pipe waits for its reader: the child has started reading.
        let mut pipe = std::fs::OpenOptions::new()
            .write(true)
            .open(&input)
            .unwrap();
        let mut rows = String::from("to,client_ref,body.1,body.2,button.0.quick_reply\n");
        for i in 0..10 {
            rows.push_str(&format!(
                "+86 136 0000 {i:04},row-{i},Ana,today,track-{i}\n"
            ));
        }
        pipe.write_all(rows.as_bytes()).unwrap();
        pipe.flush().unwrap();
        // Rows from a pipe are sent as they arrive, not when it ends.
        wait_until("ten sends", || seen.delivered().len() == 10);
        interrupt(&child);
        // The pipe stays open: the child must not wait for it.
        wait_until("the exit", || child.try_wait().unwrap().is_some());
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(130), "{:?}", text(&o));
        let err = text(&o).1;
        assert!(
            err.contains("stopping: finishing the sends under way"),
            "{err}"
        );
        assert!(err.contains("sent 10, failed 0"), "{err}");
        drop(pipe);
        results(&out)
    })
    .await
    .unwrap();
    let count = |s: &str| lines.iter().filter(|v| v["status"] == s).count();
    assert_eq!((count("sent"), lines.len()), (10, 10), "{lines:?}");
    assert_eq!(fake.delivered().len(), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_bulk_of_ten_thousand_rows_through_faults_then_resume() {
    let (fake, dir, config) = bulk_setup("bulk").await;

    let n = 10_000u64;
    let mut csv = String::from("to,client_ref,body.1,body.2,button.0.quick_reply\n");
    for i in 0..n {
        csv.push_str(&format!(
            "+86 136 {:04} {:04},row-{i},Ana,today,track-{i}\n",
            i / 10_000 + 1,
            i % 10_000
        ));
    }
    // One row whose recipient is no phone number: refused before sending, recorded as failed.
    csv.push_str("not-a-number,row-bad,Ana,today,x\n");
    let input = dir.join("recipients.csv");
    std::fs::write(&input, csv).unwrap();
    for i in 0..200 {
        let kind = match i % 2 {
            0 => FaultKind::Http {
                status: 429,
                retry_after: Some(0),
            },
            _ => FaultKind::DropAfter,
        };
        fake.inject(Fault::new(kind).on("/api/wa/mt"));
    }
    let out = dir.join("results.jsonl");
    let run = |resume: bool| {
        let (config, input, out) = (config.clone(), input.clone(), out.clone());
        tokio::task::spawn_blocking(move || send_bulk(&config, &input, &out, resume))
    };
    let first = run(false).await.unwrap();
    // Some rows failed or may have been delivered: the exit code says so.
    assert_eq!(first.status.code(), Some(1), "{:?}", text(&first));
    let f = finals(&out);
    assert_eq!(f.len() as u64, n + 1, "exactly one result line per row");
    let count = |s: &str| f.values().filter(|v| v["status"] == s).count();
    // Failed rows: the bad recipient (refused before sending), and rows throttled on every
    // attempt (known not sent). How many are throttled out depends on timing; what they are does not.
    let bad = &f["row-bad"];
    assert_eq!(
        (bad["status"].as_str(), bad["error"]["kind"].as_str()),
        (Some("failed"), Some("validation"))
    );
    let throttled_out = f
        .values()
        .filter(|v| v["status"] == "failed" && v["client_ref"] != "row-bad")
        .inspect(|v| assert_eq!(v["error"]["kind"], "rate_limited", "{v}"))
        .count();
    assert_eq!(count("may_have_been_delivered"), 100, "the dropped answers");
    assert_eq!(count("sent") + throttled_out + 100, n as usize);
    let delivered = fake.delivered().len();
    assert_eq!(
        delivered,
        count("sent") + 100,
        "sent and dropped-after-acting rows reached the fake once each; nothing else did"
    );
    let mut ids: Vec<_> = fake
        .delivered()
        .into_iter()
        .map(|d| d.cus_message_id)
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), delivered, "no row delivered twice");

    // The same input again without --resume is refused: its campaign is in the store.
    let again = run(false).await.unwrap();
    assert_eq!(again.status.code(), Some(2), "{:?}", text(&again));
    assert!(
        text(&again)
            .1
            .contains("campaign bulk-recipients.csv is in the store already (10001 rows, 10001 finished): pass --resume"),
        "{:?}",
        text(&again)
    );
    // A resumed run sends nothing again.
    let second = run(true).await.unwrap();
    assert_eq!(second.status.code(), Some(0), "{:?}", text(&second));
    assert_eq!(fake.delivered().len(), delivered);
    assert!(
        text(&second).1.contains("sent 0, failed 0"),
        "{:?}",
        text(&second)
    );
    assert_eq!(finals(&out), f, "the export is the same");

    // A row started but never finished (a run killed mid-send: its worker's lease ran out) is
    // marked uncertain by the resumed run, not sent again.
    let small = dir.join("two.csv");
    std::fs::write(
        &small,
        "to,client_ref,body.1,body.2\n+8613600000001,c-0,Ana,today\n+8613600000002,c-1,Bo,today\n",
    )
    .unwrap();
    {
        use wabakit::campaign::Campaign;
        use wabakit::store::{CampaignSpec, ClaimHow, Store};
        let store = Store::open(&format!("sqlite://{}", dir.join("wabakit.db").display())).unwrap();
        let spec = CampaignSpec {
            name: "bulk-two.csv".into(),
            profile: "nx".into(),
            provider: "nxcloud".into(),
            template: "bulk".into(),
            language: "en_US".into(),
        };
        let rows = (0..2).map(|i| {
            let m = wabakit::TemplateMessage::from_json(&format!(
                r#"{{"to": "+861360000000{}", "client_ref": "c-{i}", "template": "bulk", "language": "en_US", "body": ["Ana", "today"]}}"#,
                i + 1
            ))
            .map_err(|p| p[0].to_string());
            (i + 1, m)
        });
        Campaign::create(&store, spec, rows).await.unwrap();
        let how = ClaimHow {
            start: true,
            sweep: false,
            after: 0,
        };
        let claimed = store
            .claim_rows("bulk-two.csv", "a-dead-run", 1, 1, how)
            .await
            .unwrap();
        assert_eq!(claimed.rows[0].client_ref, "c-0");
    }
    let crashed = dir.join("crashed.jsonl");
    let o = send_bulk(&config, &small, &crashed, true);
    // The resumed run tells the truth: one row it could not know was sent, counted and named.
    assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
    assert!(
        text(&o)
            .1
            .contains("sent 1, failed 0, may have been delivered 0 (and 1 an earlier run had started, marked may have been delivered)"),
        "{:?}",
        text(&o)
    );
    let f = finals(&crashed);
    assert_eq!(f["c-0"]["status"], "may_have_been_delivered");
    assert_eq!(f["c-0"]["to"], "+8613600000001");
    assert_eq!(f["c-1"]["status"], "sent");
    assert_eq!(fake.delivered().len(), delivered + 1, "only c-1 was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_run_names_the_problem_but_never_the_secret() {
    let fake = FakeNxcloud::start(FakeOptions::default()).await.unwrap();
    let o = fake.options();
    let dir = tmp("secret");
    let config = dir.join("wabakit.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.nx]\nprovider = \"nxcloud\"\naccess_key = \"{}\"\naccess_secret = \"wrong-SECRET-value\"\napp_key = \"{}\"\nbusiness_phone = \"{}\"\nendpoint = \"{}\"\nwebhook_secret = \"hook-SECRET\"\n\n[profiles.typo]\nprovider = \"nxcloud\"\naccess_key = \"a\"\naccess_secret = \"typo-SECRET\"\napp_key = \"k\"\nbusiness_phone = \"86\"\nbusiness_phon = \"86\"\n",
            o.access_key, o.app_key, o.business_phone, fake.url()
        ),
    )
    .unwrap();
    let cfg = config.clone();
    let out = tokio::task::spawn_blocking(move || {
        bin()
            .args([
                "--config",
                cfg.to_str().unwrap(),
                "--profile",
                "nx",
                "template",
                "list",
            ])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let (so, se) = text(&out);
    assert!(se.contains("auth error [1003]"), "{se}");
    let out2 = bin()
        .args([
            "--config",
            config.to_str().unwrap(),
            "--profile",
            "typo",
            "template",
            "list",
        ])
        .output()
        .unwrap();
    let (so2, se2) = text(&out2);
    assert!(
        se2.contains("profile `typo`: business_phon: unknown field"),
        "{se2}"
    );
    for s in [so, se, so2, se2] {
        assert!(!s.contains("SECRET"), "a secret was printed: {s}");
    }
}

/// Mistakes in the input are said before the first row: a CSV input that names no template
/// (or language) needs the flag, an extension that names no format needs `--format`, a CSV
/// column send-bulk does not read is named. Each exits 2 and sends nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_bulk_refuses_a_bad_input_before_the_first_row() {
    let (fake, dir, config) = bulk_setup("preflight").await;
    let csv = "to,client_ref,body.1,body.2,button.0.quick_reply\n+8613600000001,p-1,Ana,today,t\n";
    let run = |args: Vec<String>| {
        let config = config.clone();
        tokio::task::spawn_blocking(move || {
            bin()
                .arg("--config")
                .arg(&config)
                .args(["--profile", "nx", "send-bulk"])
                .args(args)
                .output()
                .unwrap()
        })
    };
    let file = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let rows = file("rows.csv", csv);
    let results = |n: &str| dir.join(n).display().to_string();
    let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let cases = [
        (
            s(&["--input", &rows, "--language", "en_US", "--results", &results("a.jsonl")]),
            format!("{rows}: a CSV input with no template column needs --template"),
        ),
        (
            s(&["--input", &rows, "--template", "bulk", "--results", &results("b.jsonl")]),
            format!("{rows}: a CSV input with no language column needs --language"),
        ),
        (
            s(&["--input", &file("rows.txt", csv), "--template", "bulk", "--language", "en_US", "--results", &results("c.jsonl")]),
            format!("{}: the extension names no input format (.csv, .jsonl): pass --format csv|jsonl", dir.join("rows.txt").display()),
        ),
        (
            s(&["--input", &file("colour.csv", "to,client_ref,colour\n+8613600000001,p-2,red\n"), "--template", "bulk", "--language", "en_US", "--results", &results("d.jsonl")]),
            format!("{}: column \"colour\" is not one send-bulk reads (to, client_ref, template, language, body.N, header.text, button.N.url|copy_code|quick_reply)", dir.join("colour.csv").display()),
        ),
    ];
    for (args, want) in cases {
        let o = run(args).await.unwrap();
        assert_eq!(o.status.code(), Some(2), "{:?}", text(&o));
        assert!(text(&o).1.contains(&want), "{:?} lacks {want}", text(&o));
    }
    assert_eq!(fake.delivered().len(), 0, "nothing was sent");
    // `--format` reads the same rows from a .txt file; every row sent, exit 0. Template and
    // language columns serve as the flags.
    let named = file(
        "named.txt",
        "to,client_ref,template,language,body.1,body.2,button.0.quick_reply\n+8613600000001,p-3,bulk,en_US,Ana,today,t\n",
    );
    let o = run(s(&[
        "--input",
        &named,
        "--format",
        "csv",
        "--results",
        &results("e.jsonl"),
    ]))
    .await
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    assert_eq!(fake.delivered().len(), 1);
}

/// `send-bulk`'s progress: a bar on a terminal (a pty, through `script`), plain lines in a pipe
/// (`WABAKIT_PROGRESS_SECONDS=0`: as often as the store is read, so that the test does not
/// wait on the clock), neither with `--quiet`.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_bulk_shows_a_bar_on_a_terminal_and_lines_in_a_pipe() {
    let (_fake, dir, config) = bulk_setup("progress").await;
    let input = dir.join("rows.csv");
    std::fs::write(
        &input,
        "to,client_ref,body.1,body.2,button.0.quick_reply\n+8613600000001,g-1,Ana,today,t\n+8613600000002,g-2,Ana,today,t\n+8613600000003,g-3,Ana,today,t\n",
    )
    .unwrap();
    let args = |results: &str, quiet: bool| {
        let mut a = vec![
            "--config".to_owned(),
            config.display().to_string(),
            "--profile".into(),
            "nx".into(),
            "send-bulk".into(),
            "--template".into(),
            "bulk".into(),
            "--language".into(),
            "en_US".into(),
            "--input".into(),
            input.display().to_string(),
            "--results".into(),
            dir.join(results).display().to_string(),
            // A campaign per run: each sends the same input again.
            "--campaign".into(),
            results.replace(".jsonl", ""),
        ];
        if quiet {
            a.push("--quiet".into());
        }
        a
    };
    let on_a_terminal =
        |a: Vec<String>| tokio::task::spawn_blocking(move || common::on_a_terminal(&a));
    let in_a_pipe = |a: Vec<String>| {
        tokio::task::spawn_blocking(move || {
            bin()
                .args(a)
                .env("WABAKIT_PROGRESS_SECONDS", "0")
                .output()
                .unwrap()
        })
    };
    let o = on_a_terminal(args("a.jsonl", false)).await.unwrap();
    let shown = text(&o).0;
    assert!(
        shown.contains("3/3 rows")
            && shown.contains("sent 3, failed 0, may have been delivered 0, invalid 0"),
        "{shown:?}"
    );
    assert!(
        !shown.contains("send-bulk: "),
        "no log lines on a terminal: {shown:?}"
    );
    let o = in_a_pipe(args("b.jsonl", false)).await.unwrap();
    let err = text(&o).1;
    // Progress is read from the store's rows (every 50 ms at most): the last line is certain.
    assert!(err.contains("send-bulk: 3/3 rows (100%)"), "{err:?}");
    assert!(!err.contains("3/3 rows  "), "no bar in a pipe: {err:?}");
    let o = in_a_pipe(args("c.jsonl", true)).await.unwrap();
    assert!(!text(&o).1.contains("send-bulk: "), "{:?}", text(&o));
    let o = on_a_terminal(args("d.jsonl", true)).await.unwrap();
    assert!(!text(&o).0.contains("3/3 rows"), "{:?}", text(&o));
    assert!(text(&o).0.contains("sent 3, failed 0"), "the summary stays");
}

/// Messages are checked against their template before they are sent: send-bulk asks for the
/// template once, so a row missing a body value fails as a validation error the vendor never
/// sees, and a template the provider does not have stops the run before any row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_bulk_checks_each_message_against_its_template_before_sending() {
    let (fake, dir, config) = bulk_setup("against").await;
    let input = dir.join("rows.csv");
    std::fs::write(
        &input,
        "to,client_ref,body.1,body.2,button.0.quick_reply\n+8613600000001,a-1,Ana,today,t\n+8613600000002,a-2,Ana,,t\n",
    )
    .unwrap();
    let out = dir.join("results.jsonl");
    let (c2, i2, o2) = (config.clone(), input.clone(), out.clone());
    let o = tokio::task::spawn_blocking(move || send_bulk(&c2, &i2, &o2, false))
        .await
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
    let f = finals(&out);
    assert_eq!(f["a-1"]["status"], "sent");
    let a2 = &f["a-2"];
    assert_eq!(
        (a2["status"].as_str(), a2["error"]["kind"].as_str()),
        (Some("failed"), Some("validation")),
        "{a2}"
    );
    assert!(
        a2["error"]["message"].as_str().unwrap().contains("body"),
        "{a2}"
    );
    // Refused here (no vendor code), not answered by the vendor with its 132000.
    assert!(a2["error"]["code"].is_null(), "{a2}");
    assert_eq!(
        fake.delivered().len(),
        1,
        "the vendor saw only the valid row"
    );
    let o = bin()
        .arg("--config")
        .arg(&config)
        .args([
            "--profile",
            "nx",
            "send-bulk",
            "--template",
            "no_such",
            "--language",
            "en_US",
            "--input",
        ])
        .arg(&input)
        .arg("--results")
        .arg(dir.join("none.jsonl"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{:?}", text(&o));
    assert!(
        text(&o).1.contains("template no_such (en_US): "),
        "{:?}",
        text(&o)
    );
    assert!(text(&o).1.contains("nothing was sent"), "{:?}", text(&o));
    assert!(
        !dir.join("none.jsonl").exists(),
        "no results file for a run that never started"
    );
    assert_eq!(fake.delivered().len(), 1);
}

/// `template create` answers `"state": "created"`, `template update` `"state": "updated"`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn template_update_says_it_updated() {
    let (_fake, dir, config) = bulk_setup("update_state").await;
    // NXCloud's updateTemplate takes no TTL (seeds 000, 001): this update leaves it out.
    let yaml = std::fs::read_to_string(examples().join("templates/order_update.yaml")).unwrap();
    let file = dir.join("order_update.yaml");
    std::fs::write(&file, yaml.replace("message_send_ttl_seconds: 3600\n", "")).unwrap();
    let run = |args: &[&str]| {
        let o = bin()
            .arg("--config")
            .arg(&config)
            .args(["--profile", "nx", "template"])
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}: {:?}", text(&o));
        serde_json::from_slice::<Value>(&o.stdout).unwrap()
    };
    let created = run(&["create", file.to_str().unwrap()]);
    assert_eq!(created["state"], "created", "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    let updated = run(&["update", &id, file.to_str().unwrap()]);
    assert_eq!(
        (updated["state"].as_str(), updated["id"].as_str()),
        (Some("updated"), Some(id.as_str())),
        "{updated}"
    );
}

/// A repeated client_ref (NXCloud's message id is the client_ref) marks the later row invalid,
/// naming the first (rows count from 1, as in `campaign create`); a resumed run reads the
/// input again, so it refuses a repeat of an earlier run's row too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_bulk_refuses_a_repeated_client_ref_naming_the_first_row() {
    let (fake, dir, config) = bulk_setup("dup_refs").await;
    let input = dir.join("rows.csv");
    let out = dir.join("results.jsonl");
    let csv = "to,client_ref,body.1,body.2,button.0.quick_reply\n\
               +8613600000001,r-1,Ana,today,t\n+8613600000002,r-2,Ana,today,t\n+8613600000003,r-1,Ana,today,t\n";
    std::fs::write(&input, csv).unwrap();
    let (config2, input2, out2) = (config.clone(), input.clone(), out.clone());
    tokio::task::spawn_blocking(move || send_bulk(&config2, &input2, &out2, false))
        .await
        .unwrap();
    let f = finals(&out);
    assert_eq!(
        (f["r-1"]["status"].as_str(), f["r-2"]["status"].as_str()),
        (Some("sent"), Some("sent"))
    );
    let third = &f["row 3"];
    assert_eq!(third["status"], "invalid", "{third}");
    let why = third["error"]["message"].as_str().unwrap();
    assert!(
        why.contains("client_ref \"r-1\" is already row 1's")
            && why.contains("message.client_ref.unique"),
        "{why}"
    );
    assert_eq!(fake.delivered().len(), 2);
    // A resumed run with one more row reusing r-2: refused too, naming row 2 of the first run.
    std::fs::write(&input, format!("{csv}+8613600000004,r-2,Ana,today,t\n")).unwrap();
    let (config2, input2, out2) = (config.clone(), input.clone(), out.clone());
    tokio::task::spawn_blocking(move || send_bulk(&config2, &input2, &out2, true))
        .await
        .unwrap();
    let f = finals(&out);
    let fourth = &f["row 4"];
    assert_eq!(fourth["status"], "invalid", "{fourth}");
    assert!(fourth["error"]["message"]
        .as_str()
        .unwrap()
        .contains("already row 2's"));
    assert_eq!(fake.delivered().len(), 2);
}

/// `webhook parse|verify` go through the registry: each provider parses (and verifies) its own
/// callbacks, an unknown provider is named with the ones there are, and a secret for callbacks
/// that carry no signature is refused rather than ignored.
#[test]
fn webhooks_are_parsed_and_verified_by_the_provider_named() {
    use wabakit::nxcloud::{sign, Algorithm, SignInput};
    let dir = tmp("webhook");
    let receipt = dir.join("receipt.json");
    std::fs::write(
        &receipt,
        r#"[{"Status":"Delivered","MessageId":"m-1","To":"8613600009759","Timestamp":1718000000000}]"#,
    )
    .unwrap();
    let parse = |provider: &str, file: &Path, extra: &[&str]| {
        bin()
            .args(["webhook", "parse", "--provider", provider])
            .arg(file)
            .args(extra)
            .output()
            .unwrap()
    };
    let o = parse("alibaba", &receipt, &[]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let event: Value = serde_json::from_str(text(&o).0.trim()).unwrap();
    assert_eq!(
        (&event["provider"], &event["event"], &event["message_id"]),
        (&"alibaba".into(), &"message_status".into(), &"m-1".into()),
        "{event}"
    );
    let o = parse("alibaba", &receipt, &["--secret", "s"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(
        text(&o).1.contains("cams receipts carry no signature"),
        "{:?}",
        text(&o)
    );
    let o = parse("twilio", &receipt, &[]);
    assert_ne!(o.status.code(), Some(0));
    // The registry's names, in its order.
    let known: Vec<&str> = wabakit::PROVIDERS.iter().map(|r| r.name).collect();
    let want = format!(
        "unknown provider \"twilio\" (this build knows: {})",
        known.join(", ")
    );
    assert!(text(&o).1.contains(&want), "{:?}", text(&o));

    // A signed NXCloud callback: valid with its secret, invalid with another.
    let body = br#"{"statuses":[{"id":"wamid.1","status":"sent","recipient_id":"8613600009759","timestamp":"1718000000"}]}"#;
    let hook = dir.join("hook.json");
    std::fs::write(&hook, body).unwrap();
    let now = wabakit::Clock::unix_millis(&wabakit::SystemClock);
    let signed = |ts: u64| {
        let ts = ts.to_string();
        let s = sign(&SignInput {
            access_key: "ak",
            access_secret: "hook-secret",
            ts: &ts,
            biz_type: "2",
            action: "mt",
            body: Some(body),
            algorithm: Algorithm::Md5,
        });
        vec![
            "accessKey: ak".to_owned(),
            "action: mt".to_owned(),
            "bizType: 2".to_owned(),
            format!("ts: {ts}"),
            format!("sign: {}", s.sign),
        ]
    };
    let run = |cmd: &str, headers: &[String], extra: &[&str]| {
        let mut c = bin();
        c.args(["webhook", cmd, "--provider", "nxcloud"]).arg(&hook);
        for h in headers {
            c.args(["--header", h]);
        }
        c.args(extra).output().unwrap()
    };
    let fresh = signed(now);
    let o = run("verify", &fresh, &["--secret", "hook-secret"]);
    assert_eq!((o.status.code(), text(&o).0.as_str()), (Some(0), "valid\n"));
    let o = run("verify", &fresh, &["--secret", "another-secret"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).0.starts_with("invalid: "), "{:?}", text(&o));
    let o = run("parse", &fresh, &["--secret", "hook-secret"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    assert!(
        text(&o).0.contains("\"message_id\":\"wamid.1\""),
        "{:?}",
        text(&o)
    );
    // Signed a year ago: a replay, refused by default by both; accepted when asked to.
    let old = signed(now - 365 * 24 * 3600 * 1000);
    for cmd in ["verify", "parse"] {
        let o = run(cmd, &old, &["--secret", "hook-secret"]);
        assert_ne!(o.status.code(), Some(0), "{cmd}");
        let all = format!("{}{}", text(&o).0, text(&o).1);
        assert!(
            all.contains("ts is more than 60 s away from now"),
            "{cmd}: {all}"
        );
    }
    let o = run("parse", &old, &["--secret", "hook-secret", "--any-age"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    // Two minutes old: outside the default window, inside a wider one.
    let late = signed(now - 120_000);
    assert_ne!(
        run("verify", &late, &["--secret", "hook-secret"])
            .status
            .code(),
        Some(0)
    );
    let o = run(
        "verify",
        &late,
        &["--secret", "hook-secret", "--window", "300"],
    );
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
}

/// `demo` tells its story on every provider's sandbox, found through the registry.
#[test]
fn demo_runs_on_every_sandbox() {
    let o = bin().arg("demo").output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let out = text(&o).0;
    for provider in ["nxcloud", "alibaba"] {
        for line in [
            format!("[{provider}] review: REJECTED (INVALID_FORMAT)"),
            format!("[{provider}] resubmitted; review: APPROVED"),
            format!("[{provider}] sent: message id "),
        ] {
            assert!(out.contains(&line), "missing {line:?} in\n{out}");
        }
    }
}

/// `sandbox --write FILE` writes a config with a profile per sandbox (and `local`), each of
/// which a client takes as it is; Ctrl-C stops the servers.
#[cfg(unix)]
#[test]
fn sandbox_writes_a_profile_per_provider() {
    let dir = tmp("sandbox");
    let config = dir.join("sandbox.toml");
    let mut child = bin()
        .arg("sandbox")
        .arg("--write")
        .arg(&config)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_until("the config", || {
        std::fs::read_to_string(&config).is_ok_and(|t| t.contains("[profiles.local]"))
    });
    let text_of = std::fs::read_to_string(&config).unwrap();
    assert!(
        text_of.starts_with("default_profile = \"nxcloud\""),
        "{text_of}"
    );
    for profile in ["nxcloud", "alibaba", "meta", "local"] {
        let c = wabakit::Client::from_toml(&text_of, Some(profile), &wabakit::ProcessEnv)
            .unwrap_or_else(|e| panic!("{profile}: {e}\n{text_of}"));
        let want = if profile == "local" {
            "memory"
        } else {
            profile
        };
        assert_eq!(c.provider().name(), want);
    }
    interrupt(&child);
    wait_until("the exit", || child.try_wait().unwrap().is_some());
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

/// `completions` prints a shell's completion script naming the commands.
#[test]
fn completions_are_printed_for_each_shell() {
    for (shell, mark) in [
        ("bash", "_wabakit()"),
        ("zsh", "#compdef wabakit"),
        ("fish", "complete -c wabakit"),
    ] {
        let o = bin().args(["completions", shell]).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{shell}: {:?}", text(&o));
        let script = text(&o).0;
        assert!(
            script.contains(mark) && script.contains("send-bulk"),
            "{shell}: {script:.200}"
        );
    }
}

/// With no config file, `WABAKIT_<KEY>` variables make the profile (as `Client::from_env`);
/// wabakit's own settings among them are not profile keys.
#[test]
fn without_a_config_file_the_environment_makes_the_profile() {
    let dir = tmp("env_only");
    let run = |vars: &[(&str, &str)]| {
        let mut c = bin();
        c.current_dir(&dir).args(["template", "list"]);
        for (k, v) in vars {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let o = run(&[
        ("WABAKIT_PROVIDER", "memory"),
        ("WABAKIT_PROGRESS_SECONDS", "1"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let o = run(&[("WABAKIT_PROVIDER", "memory"), ("WABAKIT_COLOUR", "red")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).1.contains("colour"),
        "the unknown key is named: {:?}",
        text(&o)
    );
    let o = bin()
        .current_dir(&dir)
        .args(["template", "list"])
        .env_remove("WABAKIT_PROVIDER")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("wabakit.toml"), "{:?}", text(&o));
}

/// `--output json`: every result is one JSON document on one line of stdout, for scripts;
/// `--log-format json`: every log line on stderr is a JSON object, and none names a secret.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_json_and_log_format_json_are_for_scripts_and_services() {
    let (fake, dir, config) = bulk_setup("output_json").await;
    let run = |args: &[&str]| {
        let o = bin()
            .arg("--config")
            .arg(&config)
            .args([
                "--profile",
                "nx",
                "--output",
                "json",
                "--log-format",
                "json",
            ])
            .args(args)
            .env("WABAKIT_LOG", "wabakit=debug")
            .output()
            .unwrap();
        let (out, err) = text(&o);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "{args:?}: one document, got {out:?} ({err})"
        );
        let doc: Value = serde_json::from_str(lines[0]).unwrap();
        (o.status.code(), doc, err)
    };
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"name":"Bad Name","language":"en_US","category":"UTILITY","components":[{"type":"BODY","text":"Hi"}]}"#).unwrap();
    let (code, doc, _) = run(&["validate", bad.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert_eq!(doc["files"][0]["ok"], false, "{doc}");
    assert_eq!(doc["files"][0]["problems"][0]["path"], "name", "{doc}");
    assert_eq!(
        doc["files"][0]["problems"][0]["rule"], "name.charset",
        "{doc}"
    );

    let (code, doc, logs) = run(&["template", "get", "bulk", "--language", "en_US"]);
    assert_eq!(
        (code, doc["name"].as_str()),
        (Some(0), Some("bulk")),
        "{doc}"
    );
    // The transport's debug lines, as JSON objects; the request span names operation and host.
    let logs: Vec<Value> = logs
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
        .collect();
    assert!(
        logs.iter().any(|l| l["fields"]["message"] == "answered"),
        "{logs:?}"
    );
    let secret = &fake.options().access_secret;
    let all = format!("{logs:?}");
    assert!(
        !all.contains(secret.as_str()),
        "a secret in the logs: {all}"
    );

    let (code, doc, _) = run(&["template", "delete", "bulk", "--language", "en_US"]);
    assert_eq!(code, Some(0));
    assert_eq!(doc["deleted"]["name"], "bulk", "{doc}");

    // send-bulk: the summary is the result.
    let (_fake, dir, config) = bulk_setup("output_json_bulk").await;
    let input = dir.join("rows.csv");
    std::fs::write(&input, "to,client_ref,body.1,body.2,button.0.quick_reply\n+8613600000001,a,Ana,today,t\n+8613600000002,b,Bo,today,t\n").unwrap();
    let o = send_bulk_command(&config, &input, &dir.join("results.jsonl"))
        .args(["--output", "json", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (doc["sent"].as_u64(), doc["failed"].as_u64()),
        (Some(2), Some(0)),
        "{doc}"
    );
}

/// With a store, a template outlives the process that made it: the memory profile gets its
/// templates back (create, then send, list and delete in later calls), and send-bulk checks
/// messages against the store's copy of a vendor's template without asking the vendor.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn templates_live_in_the_store_across_calls() {
    let dir = tmp("kept_templates");
    let config = dir.join("wabakit.toml");
    std::fs::write(
        &config,
        format!(
            "[store]\nurl = \"sqlite://{}\"\n\n[profiles.local]\nprovider = \"memory\"\n",
            dir.join("wabakit.db").display()
        ),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let o = bin()
            .arg("--config")
            .arg(&config)
            .args(["--profile", "local"])
            .args(args)
            .output()
            .unwrap();
        (o.status.code(), text(&o))
    };
    let template = examples().join("templates/order_update.yaml");
    let message = examples().join("messages/order_update.json");
    let (template, message) = (template.to_str().unwrap(), message.to_str().unwrap());
    let (code, out) = run(&["template", "create", template]);
    assert_eq!(code, Some(0), "{out:?}");
    // Each of these is a process of its own.
    let (code, out) = run(&["send", message]);
    assert_eq!(code, Some(0), "the created template is there: {out:?}");
    let (code, out) = run(&["template", "list"]);
    assert!(code == Some(0) && out.0.contains("order_update"), "{out:?}");
    let (code, out) = run(&["template", "create", template]);
    assert_ne!(code, Some(0));
    assert!(out.1.contains("already exists"), "{out:?}");
    let (code, out) = run(&["template", "delete", "order_update", "--language", "en_US"]);
    assert_eq!(code, Some(0), "{out:?}");
    let (code, out) = run(&["send", message]);
    assert_ne!(code, Some(0), "deleted: {out:?}");
    assert!(
        out.1.contains("not found") || out.1.contains("not_found"),
        "{out:?}"
    );

    // A vendor's template created through the CLI is kept whole: a later send-bulk checks its
    // rows against that copy, and asks the vendor nothing but the sends.
    let (fake, dir, config) = bulk_setup("kept_vendor").await;
    let yaml = std::fs::read_to_string(examples().join("templates/order_update.yaml")).unwrap();
    let file = dir.join("kept.yaml");
    std::fs::write(
        &file,
        yaml.replace("name: order_update", "name: kept")
            .replace("message_send_ttl_seconds: 3600\n", ""),
    )
    .unwrap();
    let created = bin()
        .arg("--config")
        .arg(&config)
        .args(["--profile", "nx", "template", "create"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(created.status.code(), Some(0), "{:?}", text(&created));
    let input = dir.join("rows.csv");
    std::fs::write(
        &input,
        "to,client_ref,body.1,body.2,button.0.quick_reply\n+8613600000001,k-1,Ana,today,t\n+8613600000002,k-2,Ana,,t\n",
    )
    .unwrap();
    let before = fake.requests().len();
    let config2 = config.clone();
    let o = tokio::task::spawn_blocking(move || {
        bin()
            .arg("--config")
            .arg(&config2)
            .args([
                "--profile",
                "nx",
                "send-bulk",
                "--template",
                "kept",
                "--language",
                "en_US",
                "--quiet",
                "--input",
            ])
            .arg(&input)
            .arg("--results")
            .arg(input.with_extension("jsonl"))
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
    let asked: Vec<_> = fake.requests()[before..]
        .iter()
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(
        asked,
        ["/api/wa/mt"],
        "only the valid row's send: {asked:?}"
    );
    let f = finals(&dir.join("rows.jsonl"));
    assert_eq!(f["k-1"]["status"], "sent");
    assert_eq!(f["k-2"]["error"]["kind"], "validation", "{}", f["k-2"]);
}

/// JSONL rows may name any template: each is looked up once (the store's copy, else the
/// provider's), so a row missing a value is refused before sending whatever template it names,
/// and rows naming a template the provider does not have fail unsent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_bulk_learns_each_template_its_rows_name() {
    let (fake, dir, config) = bulk_setup("learns").await;
    let setup = wabakit::nxcloud::NxcloudProvider::new(fake.client_config()).unwrap();
    wabakit::Provider::create_template(&setup, &wabakit_conformance::order_update("other"))
        .await
        .unwrap();
    let row = |cref: &str, template: &str, body: &str| {
        format!(
            r#"{{"to": "+8613600000001", "client_ref": "{cref}", "template": "{template}", "language": "en_US", "body": {body}, "buttons": [{{"index": 0, "type": "quick_reply", "payload": "t"}}]}}"#
        )
    };
    let input = dir.join("rows.jsonl");
    std::fs::write(
        &input,
        [
            row("j-1", "bulk", r#"["Ana", "today"]"#),
            row("j-2", "other", r#"["Ana"]"#),
            row("j-3", "nope", r#"["Ana", "today"]"#),
            row("j-4", "nope", r#"["Ana", "today"]"#),
        ]
        .join("\n"),
    )
    .unwrap();
    let out = dir.join("results.jsonl");
    let (c, i, o) = (config.clone(), input.clone(), out.clone());
    let run = tokio::task::spawn_blocking(move || {
        bin()
            .arg("--config")
            .arg(&c)
            .args([
                "--profile",
                "nx",
                "send-bulk",
                "--quiet",
                "--concurrency",
                "4",
                "--input",
            ])
            .arg(&i)
            .arg("--results")
            .arg(&o)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(run.status.code(), Some(1), "{:?}", text(&run));
    let f = finals(&out);
    assert_eq!(f["j-1"]["status"], "sent", "{}", f["j-1"]);
    assert_eq!(
        (
            f["j-2"]["status"].as_str(),
            f["j-2"]["error"]["kind"].as_str()
        ),
        (Some("failed"), Some("validation")),
        "{}",
        f["j-2"]
    );
    for r in ["j-3", "j-4"] {
        assert_eq!(
            (f[r]["status"].as_str(), f[r]["error"]["kind"].as_str()),
            (Some("failed"), Some("not_found")),
            "{}",
            f[r]
        );
    }
    let count = |path: &str| fake.requests().iter().filter(|r| r.path == path).count();
    assert_eq!(count("/api/wa/mt"), 1, "only j-1 was sent");
    assert_eq!(
        count("/api/wa/getTemplate"),
        3,
        "bulk, other and nope, each asked once"
    );
}
