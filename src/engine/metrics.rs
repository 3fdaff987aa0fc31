//! What Prometheus reads on `/metrics` (F-PL-6): the counters and gauges the hot paths
//! move (requests, messages in and out, poll errors, open streams) and, at scrape time,
//! what the database says now (outboxes, queues, agents, the pool). Every series is
//! named `atende_…` with its unit in the name; labels are bounded (a route template, a
//! channel, a team, a status), never a conversation or a person.
//!
//! The hot paths touch only atomics behind a label lookup: no lock is held across an
//! await, and the scrape-time values are encoded from a registry built for that scrape.

use std::sync::Arc;

use prometheus_client::encoding::text::{encode_eof, encode_registry};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};

use super::{Engine, EngineResult};
use crate::db::metrics::Snapshot;
use crate::db::{now_ms, PoolUse, WriterUse};
use crate::domain::channel_kind::ChannelKind;

/// The label of requests no route answered (404s of unknown paths).
pub const UNMATCHED: &str = "unmatched";

/// The upper bounds of the request latency buckets, in seconds.
const LATENCY_BUCKETS: [f64; 13] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The live streams a page or the widget keeps open, as labelled.
pub const STREAMS: [&str; 4] = ["agent", "monitoring", "webchat", "demo_phone"];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// The route's URI template (`/agent/conversations/<id>`), or `unmatched`.
    pub route: Arc<str>,
    pub method: &'static str,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: Arc<str>,
    method: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct MessageLabels {
    direction: &'static str,
    channel_kind: &'static str,
    channel: i64,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ChannelLabels {
    channel_kind: String,
    channel: i64,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StreamLabels {
    stream: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TeamLabels {
    team: i64,
    team_name: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    status: String,
}

type Latency = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// The process's counters; cloning shares them.
#[derive(Clone)]
pub struct Metrics(Arc<Inner>);

struct Inner {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Latency,
    messages: Family<MessageLabels, Counter>,
    poll_errors: Family<ChannelLabels, Counter>,
    streams: Family<StreamLabels, Gauge>,
}

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS)
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("atende");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: Latency = Family::new_with_constructor(latency_histogram);
        let messages = Family::<MessageLabels, Counter>::default();
        let poll_errors = Family::<ChannelLabels, Counter>::default();
        let streams = Family::<StreamLabels, Gauge>::default();
        for stream in STREAMS {
            streams.get_or_create(&StreamLabels { stream }).set(0);
        }
        registry.register(
            "http_requests",
            "HTTP requests answered, by route template, method and status",
            requests.clone(),
        );
        registry.register_with_unit(
            "http_request_duration",
            "Time to answer an HTTP request (up to its headers), by route template and method",
            Unit::Seconds,
            latency.clone(),
        );
        registry.register(
            "messages",
            "Messages stored from customers (in) and delivered to them (out)",
            messages.clone(),
        );
        registry.register("poll_errors", "Failed polls of a polled channel (Telegram, IMAP)", poll_errors.clone());
        registry.register("sse_streams_open", "Live event streams open now", streams.clone());
        registry.register("build", "The running build", Info::new(vec![("version", env!("CARGO_PKG_VERSION"))]));
        Metrics(Arc::new(Inner { registry, requests, latency, messages, poll_errors, streams }))
    }
}

impl Metrics {
    /// One answered request and how long it took.
    pub fn request(&self, labels: &RequestLabels, seconds: f64) {
        self.0.requests.get_or_create(labels).inc();
        let route = RouteLabels { route: labels.route.clone(), method: labels.method };
        self.0.latency.get_or_create(&route).observe(seconds);
    }

    /// A customer's message stored.
    pub fn message_in(&self, kind: ChannelKind, channel: i64) {
        self.message("in", kind, channel)
    }

    /// A message the outbox delivered.
    pub fn message_out(&self, kind: ChannelKind, channel: i64) {
        self.message("out", kind, channel)
    }

    fn message(&self, direction: &'static str, kind: ChannelKind, channel: i64) {
        self.0.messages.get_or_create(&MessageLabels { direction, channel_kind: kind.as_str(), channel }).inc();
    }

    /// A poll of a polled channel failed.
    pub fn poll_failed(&self, kind: ChannelKind, channel: i64) {
        self.0.poll_errors.get_or_create(&ChannelLabels { channel_kind: kind.as_str().into(), channel }).inc();
    }

    /// A live stream opened; it counts as open until the returned guard is dropped
    /// (the stream ended or its client went away). `stream` is one of `STREAMS`.
    pub fn stream_opened(&self, stream: &'static str) -> OpenStream {
        let gauge = self.0.streams.get_or_create_owned(&StreamLabels { stream });
        gauge.inc();
        OpenStream(gauge)
    }

    /// The exposition: the counters, then what the database and the pool say now.
    pub fn encode(&self, now: &Snapshot, db: (PoolUse, WriterUse), at: i64) -> Result<String, std::fmt::Error> {
        let mut text = String::with_capacity(16 * 1024);
        encode_registry(&mut text, &self.0.registry)?;
        encode_registry(&mut text, &scrape_registry(now, db, at))?;
        encode_eof(&mut text)?;
        Ok(text)
    }
}

/// An open stream, counted until dropped.
pub struct OpenStream(Gauge);

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// The gauges read at scrape time, in a registry of their own for this scrape.
fn scrape_registry(now: &Snapshot, (pool, writer): (PoolUse, WriterUse), at: i64) -> Registry {
    let mut registry = Registry::with_prefix("atende");
    let seconds = |since: Option<i64>| since.map_or(0.0, |t| (at - t).max(0) as f64 / 1000.0);
    let outboxes = now.outboxes.iter().map(|c| {
        let labels = ChannelLabels { channel_kind: c.kind.clone(), channel: c.channel_id };
        (labels, c.depth, seconds(c.oldest_due_created_at))
    });
    count_and_age(
        &mut registry,
        ("outbox_messages", "Messages in a channel's outbox, due or waiting to retry"),
        ("outbox_oldest_due_age", "Age of the oldest message due for delivery on a channel (0 when none is due)"),
        outboxes,
    );
    let queues = now
        .queues
        .iter()
        .map(|q| (TeamLabels { team: q.team_id, team_name: q.name.clone() }, q.waiting, seconds(q.oldest_queued_at)));
    count_and_age(
        &mut registry,
        ("queue_waiting_conversations", "Conversations waiting in a team's queue"),
        ("queue_oldest_wait", "How long the oldest conversation of a team's queue has waited (0 when none waits)"),
        queues,
    );
    let agents = Family::<StatusLabels, Gauge>::default();
    for (status, count) in &now.agents_by_status {
        agents.get_or_create(&StatusLabels { status: status.clone() }).set(*count);
    }
    registry.register("agents", "Agents by status (online, paused, offline)", agents);
    let gauge = |value: u32| {
        let g = Gauge::<i64>::default();
        g.set(i64::from(value));
        g
    };
    registry.register("db_pool_connections", "Database connections open in the pool", gauge(pool.connections));
    registry.register("db_pool_idle_connections", "Open database connections not in use", gauge(pool.idle));
    registry.register("db_pool_max_connections", "The pool's largest number of connections", gauge(pool.max));
    let counter = |value: u64| {
        let c = Counter::<u64>::default();
        c.inc_by(value);
        c
    };
    // Their ratio is the writes per batch of the group commit.
    registry.register("db_commits", "Write transactions committed by the database writer", counter(writer.commits));
    registry.register("db_writes", "Writes committed, grouped into those transactions", counter(writer.writes));
    registry
}

/// Two gauges of the same things: how many (`count`) and how old the oldest is, in
/// seconds (`age`), each a name and its help.
fn count_and_age<L>(
    registry: &mut Registry,
    count: (&str, &str),
    age: (&str, &str),
    rows: impl Iterator<Item = (L, i64, f64)>,
) where
    L: EncodeLabelSet + Clone + std::hash::Hash + Eq + std::fmt::Debug + Send + Sync + 'static,
{
    let counts = Family::<L, Gauge>::default();
    let ages = Family::<L, Gauge<f64, std::sync::atomic::AtomicU64>>::default();
    for (labels, n, seconds) in rows {
        counts.get_or_create(&labels).set(n);
        ages.get_or_create(&labels).set(seconds);
    }
    registry.register(count.0, count.1, counts);
    registry.register_with_unit(age.0, age.1, Unit::Seconds, ages);
}

impl Engine {
    /// The text a Prometheus scrape reads: a bounded handful of queries, whatever the
    /// number of channels and teams.
    pub async fn scrape(&self) -> EngineResult<String> {
        let at = now_ms();
        let snapshot = self.db.read(move |c| Snapshot::load(c, at)).await?;
        self.metrics
            .encode(&snapshot, (self.db.pool_use(), self.db.writer_use()), at)
            .map_err(|e| crate::db::DbError::Task(format!("metrics: {e}")).into())
    }
}
