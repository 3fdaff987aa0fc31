//! Atende: a self-hosted omnichannel contact center.
//!
//! `rocket(config)` builds the whole web application from a `Config`; the binary and
//! the tests both start here.

pub mod accounts;
pub mod catalog;
pub mod channels;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod engine;
pub mod i18n;
pub mod jobs;
pub mod logging;
pub mod reports;
pub mod web;

use rocket::data::{Limits, ToByteUnit};
use rocket::figment::Figment;
use rocket::{Build, Rocket};
use sha2::Digest;

use config::{Config, ConfigError};
use db::{Db, DbError};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("data directory {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
}

/// Request body limits: generous enough for real use, small enough to refuse abuse.
fn limits() -> Limits {
    Limits::default()
        .limit("form", 64.kibibytes())
        .limit("data-form", 20.mebibytes())
        .limit("file", 16.mebibytes())
        .limit("json", 1.mebibytes())
        .limit("string", 64.kibibytes())
        .limit("bytes", 1.mebibytes())
}

/// Opens the data directory and database (applying migrations) and builds the app.
pub fn rocket(config: Config) -> Result<Rocket<Build>, StartError> {
    let data_dir_error = |source| StartError::DataDir { path: config.data_dir.display().to_string(), source };
    std::fs::create_dir_all(&config.data_dir).map_err(data_dir_error)?;
    // rocket_dyn_templates insists on a directory on disk; ours stays empty because
    // every template is embedded in the binary.
    let empty_templates = config.data_dir.join(".templates");
    std::fs::create_dir_all(&empty_templates).map_err(data_dir_error)?;
    let secret = config.resolve_secret()?;
    // Rocket wants exactly 512 bits; any secret of 256 bits or more is stretched to it.
    let secret_key = sha2::Sha512::digest(&secret).to_vec();
    let db = Db::open_with(&config.database_path(), config.synchronous)?;

    let figment = Figment::from(rocket::Config::default())
        .merge(("address", config.address))
        .merge(("port", config.port))
        .merge(("secret_key", secret_key))
        .merge(("ip_header", false))
        .merge(("log_level", rocket::config::LogLevel::Off))
        .merge(("cli_colors", false))
        .merge(("template_dir", empty_templates))
        .merge(("limits", limits()))
        .merge(("shutdown.grace", 2))
        .merge(("shutdown.mercy", 2));
    let mut engine = engine::Engine::new(db.clone());
    engine.poller_grace_ms = config.poller_grace_secs.saturating_mul(1000).min(i64::MAX as u64) as i64;
    let rate_limits = web::rate_limit::RateLimits::new(&config);
    let heartbeats = jobs::heartbeat::Heartbeats::new(engine.clock.clone());
    let request_metrics = web::metrics::RequestMetrics::new(engine.metrics.clone());
    let rocket = rocket::custom(figment)
        .manage(db)
        .manage(heartbeats)
        .manage(engine.metrics.clone())
        .manage(engine)
        .manage(rate_limits)
        .manage(config)
        .manage(reports::export_jobs::ExportQueue::default());
    Ok(web::mount(rocket).attach(request_metrics).attach(jobs::fairing()))
}
