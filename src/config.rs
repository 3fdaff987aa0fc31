//! Start-up settings: `atende.toml` (optional) overlaid by `ATENDE_*` environment.
//!
//! Only what must be known before the database opens lives here. Policies an
//! administrator changes at run time (lockout, session timeouts, SMTP …) live in the
//! `settings` table (see `db::settings`).

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use ipnet::IpNet;
use rocket::figment::providers::{Env, Format, Serialized, Toml};
use rocket::figment::Figment;
use serde::{Deserialize, Serialize};

use crate::db::Synchronous;

/// Every setting, as named in atende.toml and (upper-cased, with ATENDE_) in the environment.
const KNOWN_SETTINGS: [&str; 18] = [
    "data_dir",
    "address",
    "port",
    "base_url",
    "secret_key",
    "log",
    "trusted_proxies",
    "proxy_header",
    "reaper_interval_secs",
    "poller_grace_secs",
    "rate_visitors_per_minute",
    "rate_visitor_messages_per_minute",
    "rate_sign_in_per_minute",
    "rate_password_reset_per_minute",
    "rate_api_per_minute",
    "metrics_token",
    "metrics_networks",
    "synchronous",
];

/// The largest rate a limit accepts; 0 turns a limit off instead.
pub const MAX_RATE_PER_MINUTE: u32 = 100_000;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where the database, uploads and the generated secret live.
    pub data_dir: PathBuf,
    pub address: IpAddr,
    pub port: u16,
    /// Public address used in links sent by e-mail, e.g. `https://atende.example.com`.
    pub base_url: Option<String>,
    /// Base64 of at least 32 random bytes; generated into the data directory when absent.
    pub secret_key: Option<String>,
    /// Log filter in `tracing` syntax, e.g. `info` or `atende=debug`.
    pub log: String,
    /// Reverse proxies whose forwarded-for header is believed (CIDR list).
    pub trusted_proxies: Vec<IpNet>,
    /// Header carrying the client address when the peer is a trusted proxy.
    pub proxy_header: String,
    /// Seconds between runs of the session reaper.
    pub reaper_interval_secs: u64,
    /// Seconds a polled channel (Telegram, IMAP) may keep failing before administrators
    /// are notified ("poller_down").
    pub poller_grace_secs: u64,
    /// Web chat visitors one client address may create per minute (0: no limit).
    pub rate_visitors_per_minute: u32,
    /// Messages and files one web chat visitor may send per minute (0: no limit).
    pub rate_visitor_messages_per_minute: u32,
    /// Sign-in attempts (password and two-factor code) per client address per minute.
    pub rate_sign_in_per_minute: u32,
    /// Password-reset requests per client address per minute.
    pub rate_password_reset_per_minute: u32,
    /// REST API requests one token may make per minute (0: no limit).
    pub rate_api_per_minute: u32,
    /// A bearer token that lets a scraper read `/metrics` from anywhere.
    pub metrics_token: Option<String>,
    /// Client networks (CIDR list) that may read `/metrics` without the token. With
    /// neither setting, only loopback clients may.
    pub metrics_networks: Vec<IpNet>,
    /// `normal`: a commit survives a crash of the process, the last ones may be lost on
    /// power loss; `full`: every acknowledged write is on disk (power-loss durable).
    pub synchronous: Synchronous,
    /// Whether the background jobs run (outbox worker, reaper, auto-close). Not a setting:
    /// tests turn it off to drive those jobs themselves, one pass at a time.
    #[serde(skip)]
    pub background_jobs: bool,
    /// Past this many rows a history export is built in the background ("Exportações").
    /// Not a setting: tests lower it.
    #[serde(skip)]
    pub export_background_rows: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("./data"),
            address: IpAddr::from([127, 0, 0, 1]),
            port: 8000,
            base_url: None,
            secret_key: None,
            log: "info,rocket=warn,_=warn,rocket_dyn_templates=warn".into(),
            trusted_proxies: Vec::new(),
            proxy_header: "X-Forwarded-For".into(),
            reaper_interval_secs: 30,
            poller_grace_secs: 120,
            // Above what a small company reaches on a busy morning: 30 agents behind one
            // office address signing in (password and code) in the same minute, many
            // shoppers behind one mobile carrier's address, a visitor typing fast.
            rate_visitors_per_minute: 30,
            rate_visitor_messages_per_minute: 60,
            rate_sign_in_per_minute: 120,
            rate_password_reset_per_minute: 5,
            // An ERP syncing contacts in a burst, ten requests a second on average.
            rate_api_per_minute: 600,
            metrics_token: None,
            metrics_networks: Vec::new(),
            synchronous: Synchronous::Normal,
            background_jobs: true,
            export_background_rows: 5_000,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Invalid(String),
}

impl Config {
    /// Reads `atende.toml` from the working directory (if present) and `ATENDE_*`.
    pub fn load() -> Result<Config, ConfigError> {
        Self::from_figment(
            Figment::from(Serialized::defaults(Config::default()))
                .merge(Toml::file("atende.toml"))
                // Only our own names: platforms inject other ATENDE_* variables (a
                // Kubernetes service named "atende" brings ATENDE_PORT=tcp://…
                // and ATENDE_SERVICE_HOST); unknown ones are ignored, not fatal.
                .merge(Env::prefixed("ATENDE_").only(&KNOWN_SETTINGS)),
        )
    }

    pub fn from_figment(figment: Figment) -> Result<Config, ConfigError> {
        let config: Config = figment.extract().map_err(|e| {
            // One clear line naming the setting, e.g. "ATENDE_PORT: invalid type …".
            let setting = e.path.first().map(|k| setting_label(k)).unwrap_or_else(|| "configuration".into());
            ConfigError::Invalid(format!("{setting}: {}", e.kind))
        })?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if let Some(url) = &self.base_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ConfigError::Invalid(format!(
                    "ATENDE_BASE_URL: must start with http:// or https://, got {url:?}"
                )));
            }
        }
        if self.port == 0 {
            return Err(ConfigError::Invalid("ATENDE_PORT: must be between 1 and 65535".into()));
        }
        if self.metrics_token.as_deref().is_some_and(|t| t.trim().len() < 16) {
            return Err(ConfigError::Invalid("ATENDE_METRICS_TOKEN: must be at least 16 characters".into()));
        }
        if self.proxy_header.trim().is_empty() {
            return Err(ConfigError::Invalid("ATENDE_PROXY_HEADER: must not be empty".into()));
        }
        for (name, rate) in self.rate_limits() {
            if rate > MAX_RATE_PER_MINUTE {
                return Err(ConfigError::Invalid(format!(
                    "{}: must be between 0 (no limit) and {MAX_RATE_PER_MINUTE}, got {rate}",
                    setting_label(name)
                )));
            }
        }
        Ok(())
    }

    /// Every rate limit with its setting's name.
    fn rate_limits(&self) -> [(&'static str, u32); 5] {
        [
            ("rate_visitors_per_minute", self.rate_visitors_per_minute),
            ("rate_visitor_messages_per_minute", self.rate_visitor_messages_per_minute),
            ("rate_sign_in_per_minute", self.rate_sign_in_per_minute),
            ("rate_password_reset_per_minute", self.rate_password_reset_per_minute),
            ("rate_api_per_minute", self.rate_api_per_minute),
        ]
    }

    /// Address used to build absolute links (set-password e-mails, setup link).
    pub fn public_url(&self) -> String {
        match &self.base_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => self.local_url(),
        }
    }

    /// Where this process reaches itself, whatever the public address (a proxy's) is.
    pub fn local_url(&self) -> String {
        let host = match self.address {
            IpAddr::V4(a) if a.is_unspecified() => "127.0.0.1".to_string(),
            IpAddr::V6(a) if a.is_unspecified() => "[::1]".to_string(),
            IpAddr::V6(a) => format!("[{a}]"),
            a => a.to_string(),
        };
        format!("http://{host}:{}", self.port)
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("atende.db")
    }

    pub fn secret_path(&self) -> PathBuf {
        self.data_dir.join("secret_key")
    }

    /// The cookie secret: given in configuration, or generated once and kept in the
    /// data directory with mode 0600.
    pub fn resolve_secret(&self) -> Result<Vec<u8>, ConfigError> {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD;
        if let Some(given) = &self.secret_key {
            let bytes = b64.decode(given.trim()).map_err(|_| {
                ConfigError::Invalid("ATENDE_SECRET_KEY: must be base64 (try `openssl rand -base64 64`)".into())
            })?;
            if bytes.len() < 32 {
                return Err(ConfigError::Invalid("ATENDE_SECRET_KEY: must decode to at least 32 bytes".into()));
            }
            return Ok(bytes);
        }
        let path = self.secret_path();
        if path.exists() {
            let text =
                std::fs::read_to_string(&path).map_err(|e| ConfigError::Invalid(format!("{}: {e}", path.display())))?;
            return b64.decode(text.trim()).map_err(|_| {
                ConfigError::Invalid(format!("{}: not base64; delete it to make a new one", path.display()))
            });
        }
        let mut bytes = vec![0u8; 64];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
        write_private(&path, b64.encode(&bytes).as_bytes())
            .map_err(|e| ConfigError::Invalid(format!("{}: {e}", path.display())))?;
        Ok(bytes)
    }
}

/// A setting as both places name it: `ATENDE_PORT (atende.toml: port)`.
fn setting_label(key: &str) -> String {
    format!("ATENDE_{} (atende.toml: {key})", key.to_uppercase())
}

/// Writes a file readable only by its owner.
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_port_names_the_setting() {
        let figment = Figment::from(Serialized::defaults(Config::default())).merge(("port", "eighty"));
        let err = Config::from_figment(figment).unwrap_err().to_string();
        assert!(err.contains("ATENDE_PORT"), "{err}");
    }

    #[test]
    fn unknown_setting_is_refused() {
        let figment = Figment::from(Serialized::defaults(Config::default())).merge(("prot", 80));
        let err = Config::from_figment(figment).unwrap_err().to_string();
        assert!(err.contains("prot"), "{err}");
    }

    #[test]
    fn rate_limits_are_on_by_default_and_bad_ones_name_the_setting() {
        let config = Config::default();
        assert!(config.rate_limits().iter().all(|(_, rate)| *rate > 0), "every limit is on by default");
        let with = |key: &str, value: i64| {
            Config::from_figment(Figment::from(Serialized::defaults(Config::default())).merge((key, value)))
        };
        let negative = with("rate_sign_in_per_minute", -1).unwrap_err().to_string();
        assert!(
            negative.contains("ATENDE_RATE_SIGN_IN_PER_MINUTE (atende.toml: rate_sign_in_per_minute)"),
            "{negative}"
        );
        let huge = with("rate_visitors_per_minute", 1_000_000).unwrap_err().to_string();
        assert_eq!(
            huge,
            "configuration: ATENDE_RATE_VISITORS_PER_MINUTE (atende.toml: rate_visitors_per_minute): \
             must be between 0 (no limit) and 100000, got 1000000"
        );
        assert_eq!(with("rate_password_reset_per_minute", 0).unwrap().rate_password_reset_per_minute, 0, "0 is off");
    }

    #[test]
    fn a_short_metrics_token_is_refused_and_networks_are_cidr_lists() {
        let with = |key: &str, value: serde_json::Value| {
            Config::from_figment(Figment::from(Serialized::defaults(Config::default())).merge((key, value)))
        };
        let short = with("metrics_token", "curto".into()).unwrap_err().to_string();
        assert!(short.contains("ATENDE_METRICS_TOKEN"), "{short}");
        assert!(with("metrics_token", "um-token-de-dezesseis".into()).is_ok());
        let nets = with("metrics_networks", serde_json::json!(["10.0.0.0/8", "::1/128"])).unwrap();
        assert_eq!(nets.metrics_networks.len(), 2);
        assert!(with("metrics_networks", serde_json::json!(["rede"])).is_err());
    }

    #[test]
    fn synchronous_is_normal_unless_full_is_asked_and_a_bad_value_names_the_setting() {
        let with = |value: &str| {
            Config::from_figment(Figment::from(Serialized::defaults(Config::default())).merge(("synchronous", value)))
        };
        assert_eq!(Config::default().synchronous, Synchronous::Normal);
        assert_eq!(with("full").unwrap().synchronous, Synchronous::Full);
        assert_eq!(with("FULL").unwrap().synchronous, Synchronous::Full);
        assert_eq!(with("normal").unwrap().synchronous, Synchronous::Normal);
        let bad = with("fast").unwrap_err().to_string();
        assert!(bad.starts_with("configuration: ATENDE_SYNCHRONOUS (atende.toml: synchronous): "), "{bad}");
        assert!(bad.contains("normal") && bad.contains("full") && !bad.contains('\n'), "{bad}");
    }

    #[test]
    fn kubernetes_style_variables_are_ignored_but_ours_are_read() {
        // Only this test reads the process environment through Config::load.
        std::env::set_var("ATENDE_SERVICE_HOST", "10.0.0.1");
        std::env::set_var("ATENDE_PORT_8000_TCP", "tcp://10.0.0.1:8000");
        std::env::set_var("ATENDE_PORT", "9100");
        let config = Config::load();
        for name in ["ATENDE_SERVICE_HOST", "ATENDE_PORT_8000_TCP", "ATENDE_PORT"] {
            std::env::remove_var(name);
        }
        assert_eq!(config.unwrap().port, 9100);
    }

    #[test]
    fn generated_secret_is_private_and_stable() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config { data_dir: dir.path().into(), ..Config::default() };
        let first = config.resolve_secret().unwrap();
        let second = config.resolve_secret().unwrap();
        assert_eq!(first, second);
        assert_eq!(first.len(), 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(config.secret_path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
