//! Signed WhatsApp webhooks accepted per second. The demo company gets a WhatsApp
//! channel (its Graph API a closed port: text needs no download, and the protocol
//! notices wait in the outbox); `CONNECTIONS` clients post text messages from
//! `CONTACTS` numbers — every tenth a re-delivery of a message already sent — for
//! `SECONDS`, each waiting for its answer before the next (Meta waits for the 200 too).

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::common::{ms, pct, temp_dir, Server};

const CONNECTIONS: usize = 16;
const CONTACTS: u64 = 2_000;
const SECONDS: u64 = 10;
const SECRET: &str = "segredo-do-app";

fn sign(body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

fn webhook(n: u64) -> Vec<u8> {
    let from = format!("55119{:08}", 10_000_000 + n % CONTACTS);
    serde_json::json!({"object": "whatsapp_business_account", "entry": [{"id": "waba", "changes": [{"field": "messages",
        "value": {"messaging_product": "whatsapp", "metadata": {"phone_number_id": "106"},
            "contacts": [{"wa_id": from, "profile": {"name": format!("Cliente {}", n % CONTACTS)}}],
            "messages": [{"from": from, "id": format!("wamid.bench.{n}"), "timestamp": "1764590000", "type": "text",
                "text": {"body": format!("Mensagem {n} do cliente")}}]}}]}]})
    .to_string()
    .into_bytes()
}

pub fn run(binary: &Path) -> Result<(), String> {
    let dir = temp_dir()?;
    let server = Server::start(binary, dir.path(), "demo")?;
    let db = rusqlite::Connection::open(dir.path().join("data").join("atende.db")).map_err(|e| e.to_string())?;
    db.busy_timeout(Duration::from_secs(5)).map_err(|e| e.to_string())?;
    let config = serde_json::json!({"phone_number_id": "106", "access_token": "t", "app_secret": SECRET,
        "verify_token": "v", "api_base": "http://127.0.0.1:9"});
    db.execute(
        "INSERT INTO channels (kind, name, key, default_team_id, config, created_at)
         VALUES ('whatsapp', 'WhatsApp', 'wa-bench', (SELECT id FROM teams WHERE name = 'SAC'), ?1, 0)",
        [config.to_string()],
    )
    .map_err(|e| e.to_string())?;
    let url = format!("http://{}/webhooks/whatsapp/wa-bench", server.addr);
    let next = AtomicU64::new(0);
    let deadline = Instant::now() + Duration::from_secs(SECONDS);
    let started = Instant::now();
    let results: Vec<(Vec<Duration>, u64, u64)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..CONNECTIONS)
            .map(|_| {
                let (url, next) = (url.clone(), &next);
                s.spawn(move || {
                    let agent = ureq::Agent::config_builder()
                        .http_status_as_error(false)
                        .timeout_global(Some(Duration::from_secs(30)))
                        .build()
                        .new_agent();
                    let (mut times, mut errors, mut again) = (Vec::new(), 0, 0);
                    while Instant::now() < deadline {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        // Every tenth call delivers an earlier message again (n - 5 ends in 4:
                        // never itself a re-delivery, so it was sent before).
                        let which = if n % 10 == 9 {
                            again += 1;
                            n - 5
                        } else {
                            n
                        };
                        let body = webhook(which);
                        let t = Instant::now();
                        let answer = agent
                            .post(&url)
                            .header("Content-Type", "application/json")
                            .header("X-Hub-Signature-256", sign(&body))
                            .send(&body[..]);
                        match answer {
                            Ok(r) if r.status() == 200 => times.push(t.elapsed()),
                            _ => errors += 1,
                        }
                    }
                    (times, errors, again)
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("worker")).collect()
    });
    let elapsed = started.elapsed();
    let mut times: Vec<Duration> = results.iter().flat_map(|r| r.0.iter().copied()).collect();
    times.sort();
    let errors: u64 = results.iter().map(|r| r.1).sum();
    let again: u64 = results.iter().map(|r| r.2).sum();
    let distinct: i64 = db
        .query_row("SELECT count(DISTINCT external_id) FROM messages WHERE external_id LIKE 'wamid.bench.%'", [], |r| {
            r.get(0)
        })
        .map_err(|e| e.to_string())?;
    println!("  distinct wamids stored {distinct}");
    let stored: i64 = db
        .query_row("SELECT count(*) FROM messages m JOIN channels c ON c.id = m.channel_id WHERE c.key = 'wa-bench' AND m.direction = 'in'", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if times.is_empty() {
        return Err(format!("no webhook was accepted; log:\n{}", server.log_errors()));
    }
    println!("whatsapp webhooks ({CONNECTIONS} connections, {CONTACTS} numbers, {SECONDS} s, 1 in 10 a re-delivery)");
    println!(
        "  accepted             {} ({:.0}/s), {errors} not 200",
        times.len(),
        times.len() as f64 / elapsed.as_secs_f64()
    );
    println!(
        "  re-deliveries        {again}; messages stored {stored} (accepted − re-deliveries: {})",
        times.len() as u64 - again
    );
    println!(
        "  latency              p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ms(pct(&times, 0.50)),
        ms(pct(&times, 0.99)),
        ms(pct(&times, 1.0))
    );
    println!("  {}", server.rss_note()?);
    Ok(())
}
