//! The cost of counting requests: `/livez` (which touches nothing) answered by a Rocket
//! with only the probes mounted, with and without the request-metrics fairing, over
//! real HTTP on 127.0.0.1 from a few client threads; then one scrape of `/metrics` on
//! the full app after that traffic. Run with `cargo bench --bench metrics`. Prints the
//! figures and asserts nothing about them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use atende::engine::metrics::Metrics;
use atende::web::metrics::RequestMetrics;

const CLIENTS: usize = 4;
const ROUND: Duration = Duration::from_secs(4);
const ROUNDS: usize = 3;

fn main() {
    let runtime = rocket::tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let bare = runtime.block_on(serve(false));
    let counted = runtime.block_on(serve(true));
    let (mut without, mut with) = (Vec::new(), Vec::new());
    // Alternated, so a busy moment of the machine falls on both alike.
    for _ in 0..ROUNDS {
        without.push(hammer(bare));
        with.push(hammer(counted));
    }
    let best = |v: &[f64]| v.iter().cloned().fold(0.0, f64::max);
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    println!(
        "/livez without the metrics fairing: median {:.0} req/s, best {:.0}",
        median(&mut without),
        best(&without)
    );
    println!("/livez with the metrics fairing:    median {:.0} req/s, best {:.0}", median(&mut with), best(&with));
    let per = |rate: f64| 1e6 / rate;
    println!(
        "per request: {:.1} µs without, {:.1} µs with ({:+.1} µs, on {CLIENTS} clients and 2 server threads)",
        per(median(&mut without)),
        per(median(&mut with)),
        per(median(&mut with)) - per(median(&mut without))
    );
}

/// A Rocket with only the probes, on a free port; its address.
async fn serve(fairing: bool) -> u16 {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let figment = rocket::Config::figment()
        .merge(("port", port))
        .merge(("log_level", rocket::config::LogLevel::Off))
        .merge(("workers", 2));
    let mut app = rocket::custom(figment).mount("/", livez_only());
    if fairing {
        app = app.attach(RequestMetrics::new(Metrics::default()));
    }
    let ignited = app.ignite().await.unwrap();
    rocket::tokio::spawn(ignited.launch());
    for _ in 0..200 {
        if ureq::get(&format!("http://127.0.0.1:{port}/livez")).call().is_ok() {
            break;
        }
        rocket::tokio::time::sleep(Duration::from_millis(10)).await;
    }
    port
}

fn livez_only() -> Vec<rocket::Route> {
    atende::web::health::routes().into_iter().filter(|r| r.uri.path() == "/livez").collect()
}

/// Requests a second of `/livez` from `CLIENTS` threads over kept-alive connections.
fn hammer(port: u16) -> f64 {
    let done = Arc::new(AtomicU64::new(0));
    let until = Instant::now() + ROUND;
    let threads: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let done = done.clone();
            std::thread::spawn(move || {
                let agent = ureq::Agent::new_with_defaults();
                let url = format!("http://127.0.0.1:{port}/livez");
                while Instant::now() < until {
                    if let Ok(mut r) = agent.get(&url).call() {
                        let _ = r.body_mut().read_to_string();
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    for t in threads {
        t.join().unwrap();
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64().max(ROUND.as_secs_f64())
}
