//! The `atende` command: serve, demo, user add, channel add/list, token add, backup. Nothing else
//! lives here: each command calls the library.

use std::collections::HashMap;
use std::io::{BufRead, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use atende::accounts::manage::{self, AccountFields};
use atende::accounts::{links, Actor};
use atende::catalog::api_tokens::{self, TokenDraft};
use atende::catalog::channels as channel_catalog;
use atende::config::Config;
use atende::db::Db;
use atende::domain::api_scope::Scope;
use atende::domain::channel_kind::ChannelKind;

#[derive(Parser)]
#[command(name = "atende", version, about = "Atende: a self-hosted omnichannel contact center")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server and background jobs (the default).
    Serve,
    /// Create a demo company on an empty data directory and serve it.
    Demo,
    /// Manage accounts from the shell.
    #[command(subcommand)]
    User(UserCommand),
    /// Write a consistent copy of the database to FILE, also while the server runs.
    Backup { file: PathBuf },
    /// Manage channels from the shell; secrets are read from standard input, one per
    /// line, never taken as arguments.
    #[command(subcommand)]
    Channel(ChannelCommand),
    /// Manage the REST API's tokens from the shell.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token (as "Tokens da API" does); prints it, the only time it is shown.
    Add(TokenAdd),
}

#[derive(Args)]
struct TokenAdd {
    /// The system that uses it (the ERP, the CRM).
    #[arg(long)]
    name: String,
    /// A scope such as contacts:read; repeat for more.
    #[arg(long = "scope", required_unless_present = "every_scope")]
    scopes: Vec<String>,
    /// Every scope there is.
    #[arg(long, conflicts_with = "scopes")]
    every_scope: bool,
    /// CIDR ranges it may be used from, separated by commas; empty: any network.
    #[arg(long, default_value = "")]
    networks: String,
}

#[derive(Subcommand)]
enum ChannelCommand {
    /// Add a channel; prints its id (and, for WhatsApp, the webhook URL to give Meta).
    #[command(subcommand)]
    Add(ChannelAdd),
    /// List the channels: id, kind, name, state, key.
    List,
}

/// What every channel is given from the shell.
#[derive(Args)]
struct ChannelBasics {
    #[arg(long)]
    name: String,
    /// The name of the team that receives its conversations.
    #[arg(long)]
    team: String,
}

#[derive(Subcommand)]
enum ChannelAdd {
    /// A web chat for the company's site (prints the key the snippet carries).
    Webchat(ChannelBasics),
    /// A Telegram bot; its token (from @BotFather) is read from standard input.
    Telegram(TelegramAdd),
    /// A mailbox read by IMAP and answered by SMTP; its password on standard input.
    Email(EmailChannel),
    /// A WhatsApp Cloud API number; reads the access token, then the app secret, from
    /// standard input (prints the webhook URL and the verify token to give Meta).
    Whatsapp(WhatsappAdd),
}

#[derive(Args)]
struct WhatsappAdd {
    #[command(flatten)]
    basics: ChannelBasics,
    /// The number's id at Meta (WhatsApp Manager → API setup).
    #[arg(long)]
    phone_number_id: String,
    /// Where the Graph API is (a staging or test server).
    #[arg(long, default_value = atende::channels::whatsapp::DEFAULT_API_BASE)]
    api_base: String,
    #[arg(long, default_value = atende::channels::whatsapp::DEFAULT_GRAPH_VERSION)]
    graph_version: String,
    /// The token Meta echoes in its verification call; made up when not given.
    #[arg(long, default_value = "")]
    verify_token: String,
}

#[derive(Args)]
struct TelegramAdd {
    #[command(flatten)]
    basics: ChannelBasics,
    /// Where the Bot API is (a staging or test server).
    #[arg(long, default_value = atende::channels::telegram::DEFAULT_API_BASE)]
    api_base: String,
}

/// An e-mail channel's servers and sign-in, as its form fields take them.
#[derive(Args)]
struct EmailChannel {
    #[command(flatten)]
    basics: ChannelBasics,
    /// The mailbox customers write to.
    #[arg(long)]
    address: String,
    #[arg(long)]
    imap_host: String,
    #[arg(long, default_value = "993")]
    imap_port: String,
    /// tls, starttls, or none (only towards this machine), for both servers unless
    /// --imap-security or --smtp-security say otherwise.
    #[arg(long)]
    security: Option<String>,
    #[arg(long)]
    imap_security: Option<String>,
    #[arg(long, default_value = "INBOX")]
    folder: String,
    #[arg(long)]
    smtp_host: String,
    #[arg(long, default_value = "465")]
    smtp_port: String,
    #[arg(long)]
    smtp_security: Option<String>,
    /// Empty: the address.
    #[arg(long, default_value = "")]
    username: String,
    /// Seconds between two reads of the folder that found nothing.
    #[arg(long, default_value = "60")]
    poll_interval: String,
}

impl ChannelAdd {
    /// The kind, the basics, and the kind's settings as its form fields; `secrets` reads
    /// the next line of standard input.
    fn settings(self, secrets: &mut dyn FnMut(&str) -> Result<String, String>) -> Result<NewChannel, String> {
        match self {
            ChannelAdd::Webchat(basics) => Ok((ChannelKind::WebChat, basics, webchat_defaults())),
            ChannelAdd::Email(e) => {
                let password = secrets("password")?;
                let fields = [
                    ("address", e.address),
                    ("imap_host", e.imap_host),
                    ("imap_port", e.imap_port),
                    ("imap_security", e.imap_security.or(e.security.clone()).unwrap_or_else(|| "tls".into())),
                    ("folder", e.folder),
                    ("smtp_host", e.smtp_host),
                    ("smtp_port", e.smtp_port),
                    ("smtp_security", e.smtp_security.or(e.security).unwrap_or_else(|| "tls".into())),
                    ("username", e.username),
                    ("password", password),
                    ("poll_interval_secs", e.poll_interval),
                ];
                Ok((ChannelKind::Email, e.basics, fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect()))
            }
            ChannelAdd::Telegram(tg) => {
                let token = secrets("bot token")?;
                let settings = HashMap::from([("bot_token".to_string(), token), ("api_base".to_string(), tg.api_base)]);
                Ok((ChannelKind::Telegram, tg.basics, settings))
            }
            ChannelAdd::Whatsapp(wa) => {
                let settings = HashMap::from([
                    ("phone_number_id".to_string(), wa.phone_number_id),
                    ("api_base".to_string(), wa.api_base),
                    ("graph_version".to_string(), wa.graph_version),
                    ("verify_token".to_string(), wa.verify_token),
                    ("access_token".to_string(), secrets("access token")?),
                    ("app_secret".to_string(), secrets("app secret")?),
                ]);
                Ok((ChannelKind::WhatsApp, wa.basics, settings))
            }
        }
    }
}

type NewChannel = (ChannelKind, ChannelBasics, HashMap<String, String>);

/// A web chat added from the shell starts with the page's defaults.
fn webchat_defaults() -> HashMap<String, String> {
    HashMap::from([("color".to_string(), "#0f5fa8".to_string())])
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input.
    Add(UserAdd),
}

#[derive(Args)]
struct UserAdd {
    /// Create an administrator.
    #[arg(long, conflicts_with = "agent", required_unless_present = "agent")]
    admin: bool,
    /// Create an agent.
    #[arg(long)]
    agent: bool,
    #[arg(long)]
    email: String,
    #[arg(long)]
    name: String,
    /// Defaults to the part of the e-mail before the @.
    #[arg(long)]
    username: Option<String>,
    /// Read the password from standard input (required: never on the command line).
    #[arg(long, required = true)]
    password_stdin: bool,
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("atende: {e}");
            return ExitCode::from(2);
        }
    };
    atende::logging::init(&config.log);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config, false),
        Command::Demo => serve(config, true),
        Command::User(UserCommand::Add(args)) => user_add(config, args),
        Command::Backup { file } => backup(config, file),
        Command::Channel(ChannelCommand::Add(add)) => channel_add(config, add),
        Command::Channel(ChannelCommand::List) => channel_list(config),
        Command::Token(TokenCommand::Add(args)) => token_add(config, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("atende: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Every argon2 check allocates ~19 MiB. glibc raises its mmap threshold after the
/// first such block is freed and from then on serves them from per-thread heaps that
/// never shrink: 200 sign-ins left ~700 MiB resident. A fixed threshold keeps large
/// blocks in mmap, returned to the system when freed (~40 MiB for the same load).
/// glibc's per-thread heaps are left at their default number: limiting them to two
/// saved 1.3 MiB when idle but made the threads of a busy server queue on the heaps'
/// locks (web chat messages: about 10% fewer per second).
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

fn serve(config: Config, demo: bool) -> Result<(), String> {
    // Before the database opens, and held until the server stops (`db::server_lock`).
    let _lock = atende::db::server_lock::take(&config.data_dir).map_err(|e| e.to_string())?;
    let public_url = config.public_url();
    let synchronous = config.synchronous;
    let rocket = if demo {
        let (rocket, _) = atende::demo::rocket(config).map_err(|e| e.to_string())?;
        println!("\nAtende demo: {public_url}/login");
        for (name, _, email, _) in atende::demo::PEOPLE {
            println!("  {email:<20} {:<10} ({name})", atende::demo::PASSWORD);
        }
        println!("  write as a customer (WhatsApp, Telegram, e-mail): {public_url}/demo/phone");
        println!("  the shop's web chat: {public_url}/demo/site\n");
        rocket
    } else {
        atende::rocket(config).map_err(|e| e.to_string())?
    };
    let db = rocket.state::<Db>().cloned().ok_or("database not managed")?;
    if let Some(token) = links::setup_token_if_needed(&db).map_err(|e| e.to_string())? {
        // The one way in for a new company: printed once per start, dies when used.
        tracing::warn!("no administrator yet: create one at {public_url}/setup?token={token}");
    }
    tracing::info!(synchronous = synchronous.as_str(), "commits: {}", commit_mode(synchronous));
    tracing::info!("listening on {public_url}");
    rocket::execute(rocket.launch()).map(|_| ()).map_err(|e| format!("server: {e}"))
}

/// What the durability setting means, for the start-up log.
fn commit_mode(synchronous: atende::db::Synchronous) -> &'static str {
    match synchronous {
        atende::db::Synchronous::Normal => "survive a crash of the process; the last may be lost on power loss",
        atende::db::Synchronous::Full => "on disk before they are acknowledged (power-loss durable)",
    }
}

fn user_add(config: Config, args: UserAdd) -> Result<(), String> {
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password).map_err(|e| format!("reading the password: {e}"))?;
    let password = password.trim_end_matches(['\r', '\n']).to_string();
    let derived = args.username.is_none();
    let username = args.username.unwrap_or_else(|| manage::derive_username(&args.email, &args.name));
    let fields = AccountFields {
        name: args.name.trim().into(),
        username: username.trim().into(),
        email: args.email.trim().into(),
        role: if args.admin { "admin".into() } else { "agent".into() },
    };
    let (db, runtime) = open_db(&config)?;
    let actor = Actor { user_id: None, ip: "cli".into() };
    let id = runtime
        .block_on(manage::create_user_with_password(&db, fields, &password, &password, None, &actor))
        .map_err(|e| match e {
            atende::accounts::AccountError::Invalid(fields) => {
                let list: Vec<String> =
                    fields.iter().map(|(f, k)| format!("{f}: {}", atende::i18n::translate("en", k))).collect();
                list.join("; ")
            }
            atende::accounts::AccountError::Password(p) => {
                format!("password: {}", atende::i18n::translate("en", p.key()))
            }
            other => other.to_string(),
        })?;
    if derived {
        println!("created user {id} with the username {username} (choose another with --username)");
    } else {
        println!("created user {id} ({username})");
    }
    Ok(())
}

fn backup(config: Config, file: PathBuf) -> Result<(), String> {
    let source = config.database_path();
    if !source.exists() {
        return Err(format!("no database at {}", source.display()));
    }
    atende::db::backup::backup_to(&source, &file).map_err(|e| e.to_string())?;
    println!("backup written to {}", file.display());
    Ok(())
}

/// The database of the configured data directory, and a runtime to call the library.
fn open_db(config: &Config) -> Result<(Db, rocket::tokio::runtime::Runtime), String> {
    std::fs::create_dir_all(&config.data_dir).map_err(|e| format!("{}: {e}", config.data_dir.display()))?;
    let db = Db::open_with(&config.database_path(), config.synchronous).map_err(|e| e.to_string())?;
    let runtime =
        rocket::tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    Ok((db, runtime))
}

fn channel_add(config: Config, add: ChannelAdd) -> Result<(), String> {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut secret = |what: &str| -> Result<String, String> {
        match lines.next() {
            Some(Ok(line)) if !line.trim().is_empty() => Ok(line.trim().to_string()),
            Some(Err(e)) => Err(format!("reading the {what} from standard input: {e}")),
            _ => Err(format!("the {what} is missing: give it on standard input, one secret per line")),
        }
    };
    let (kind, basics, settings) = add.settings(&mut secret)?;
    let (db, runtime) = open_db(&config)?;
    let channel = runtime
        .block_on(channel_catalog::add_from_shell(&db, kind, &basics.name, &basics.team, settings))
        .map_err(refusal)?;
    println!("{}", channel.id);
    if let Some(path) = kind.webhook_path(&channel.key) {
        println!("webhook: {}{path}", config.public_url());
        if kind == ChannelKind::WhatsApp {
            println!("verify token: {}", atende::channels::whatsapp::Settings::of(&channel).verify_token);
        }
    } else if kind == ChannelKind::WebChat {
        println!("key: {}", channel.key);
    }
    Ok(())
}

/// A catalogue's refusal in words: each field at fault and why.
fn refusal(e: atende::catalog::CatalogError) -> String {
    match e {
        atende::catalog::CatalogError::Invalid(fields) => fields
            .iter()
            .map(|(f, k)| format!("{f}: {}", atende::i18n::translate("en", k)))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

fn token_add(config: Config, args: TokenAdd) -> Result<(), String> {
    let scopes = match args.every_scope {
        true => Scope::all().into_iter().map(Scope::code).collect(),
        false => args.scopes,
    };
    let draft = TokenDraft { name: args.name, scopes, networks: args.networks };
    let (db, runtime) = open_db(&config)?;
    let actor = Actor { user_id: None, ip: "cli".into() };
    let created = runtime.block_on(api_tokens::create(&db, &actor, &draft)).map_err(refusal)?;
    println!("{}", created.token);
    Ok(())
}

fn channel_list(config: Config) -> Result<(), String> {
    let (db, runtime) = open_db(&config)?;
    let all = runtime.block_on(db.read(atende::db::channels::all_channels)).map_err(|e| e.to_string())?;
    for c in all {
        let state = if c.active { "active" } else { "inactive" };
        println!("{}\t{}\t{}\t{}\t{}", c.id, c.kind, c.name, state, c.key);
    }
    Ok(())
}
