//! `atende demo`: a believable company on an empty data directory, so a newcomer sees a
//! working floor within a minute, and the outside world its channels talk to: a Graph
//! API, a Bot API, an IMAP server and an SMTP sink standing in for Meta, Telegram and a
//! mail provider, with the customer's phone (/demo/phone) on the other side, and the
//! shop's own order system that the demo flow asks (/demo/orders). Only
//! `atende demo` builds this (`rocket`); `atende serve` never mounts any of it.

pub mod channels;
mod company;
mod floor;
pub mod flow;
mod imap;
mod line_server;
pub mod mailbox;
pub mod orders;
pub mod phone;
mod smtp;
pub mod telegram;
pub mod whatsapp;

use rocket::fairing::AdHoc;
use rocket::{Build, Rocket};

use crate::accounts::credentials::hash_password;
use crate::config::Config;
use crate::db::users::{NewUser, Role};
use crate::db::{channel_state, groups, settings, users, Db, DbResult};
pub use floor::fill_floor;
pub use phone::Phone;

pub const PASSWORD: &str = "atende-demo";

/// (name, username, e-mail, role)
pub const PEOPLE: [(&str, &str, &str, Role); 4] = [
    ("Administrador Demo", "admin", "admin@demo.local", Role::Admin),
    ("Ana Souza", "ana", "ana@demo.local", Role::Agent),
    ("Bruno Lima", "bruno", "bruno@demo.local", Role::Agent),
    ("Carla Mendes", "carla", "carla@demo.local", Role::Agent),
];

#[derive(Debug, PartialEq, Eq)]
pub enum Seeded {
    Created,
    AlreadyThere,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "this data directory already holds a company that is not the demo; point ATENDE_DATA_DIR at an empty folder"
    )]
    NotEmpty,
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
    #[error(transparent)]
    Start(#[from] crate::StartError),
    #[error("the demo mail servers could not listen on 127.0.0.1: {0}")]
    Listen(#[from] std::io::Error),
}

pub fn seed(db: &Db) -> Result<Seeded, DemoError> {
    let (count, demo_admin) = db.read_now(|c| Ok((users::count_users(c)?, users::user_by_email(c, PEOPLE[0].2)?)))?;
    if count > 0 {
        return if demo_admin.is_some() { Ok(Seeded::AlreadyThere) } else { Err(DemoError::NotEmpty) };
    }
    let hashes: Vec<String> = PEOPLE.iter().map(|_| hash_password(PASSWORD)).collect();
    db.write_now(|tx| -> DbResult<()> {
        let mut ids = Vec::new();
        for ((name, username, email, role), hash) in PEOPLE.iter().zip(&hashes) {
            ids.push(users::insert_user(
                tx,
                &NewUser { name, username, email, role: *role, password_hash: Some(hash) },
            )?);
        }
        groups::add_user_to_group(tx, ids[0], groups::builtin_group_id(tx)?)?;
        let mut company = settings::load(tx)?;
        company.company_name = "Demo Atende".into();
        company.auto_close_minutes = 120;
        company.closing_message = "Seu atendimento foi finalizado. Obrigado pelo contato!".into();
        company.survey_enabled = true;
        settings::save(tx, &company)?;
        company::administration(tx, &ids[1..])
    })?;
    Ok(Seeded::Created)
}

/// The demo: the app of `config` with the demo company (seeded when the data directory
/// is empty), its channels pointed at the simulators, the simulators and the phone
/// mounted, and the mail servers and the floor's conversations started at lift-off.
pub fn rocket(config: Config) -> Result<(Rocket<Build>, Seeded), DemoError> {
    let local_url = config.local_url();
    let app = crate::rocket(config)?;
    let db = app.state::<Db>().cloned().ok_or_else(|| crate::db::DbError::Task("no database".into()))?;
    let seeded = seed(&db)?;
    let imap = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    let smtp = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    imap.set_nonblocking(true)?;
    smtp.set_nonblocking(true)?;
    let at = channels::Addresses {
        local_url: local_url.clone(),
        imap_port: imap.local_addr()?.port(),
        smtp_port: smtp.local_addr()?.port(),
    };
    let demo_channels = channels::point_at(&db, &at)?;
    flow::ensure(&db, &local_url)?;
    let telegram_id = demo_channels.telegram.id;
    let cursor = db.read_now(|c| channel_state::cursor(c, telegram_id))?;
    let phone = Phone::new(&demo_channels, &local_url, cursor.as_deref());
    let fill = seeded == Seeded::Created;
    let rocket = app.manage(phone.clone()).mount("/", crate::web::demo::routes()).attach(AdHoc::on_liftoff(
        "demo simulators",
        move |rocket| {
            Box::pin(async move {
                let (imap, smtp) = match (
                    rocket::tokio::net::TcpListener::from_std(imap),
                    rocket::tokio::net::TcpListener::from_std(smtp),
                ) {
                    (Ok(imap), Ok(smtp)) => (imap, smtp),
                    _ => return tracing::error!("demo mail servers could not start"),
                };
                rocket::tokio::spawn(self::imap::serve(imap, phone.clone(), rocket.shutdown()));
                rocket::tokio::spawn(self::smtp::serve(smtp, phone, rocket.shutdown()));
                if let (true, Some(engine)) = (fill, rocket.state::<crate::engine::Engine>()) {
                    if let Err(e) = fill_floor(engine).await {
                        tracing::error!(error = %e, "demo conversations could not be created");
                    }
                }
            })
        },
    ));
    Ok((rocket, seeded))
}
