//! `atende demo`: a believable company on an empty data directory, so a newcomer sees a
//! working floor within a minute. Later features add their part of the demo here.

use crate::accounts::credentials::hash_password;
use crate::db::users::{NewUser, Role};
use crate::db::{settings, users, Db, DbResult};

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
}

pub fn seed(db: &Db) -> Result<Seeded, DemoError> {
    let (count, demo_admin) = db.read_now(|c| Ok((users::count_users(c)?, users::user_by_email(c, PEOPLE[0].2)?)))?;
    if count > 0 {
        return if demo_admin.is_some() { Ok(Seeded::AlreadyThere) } else { Err(DemoError::NotEmpty) };
    }
    let hashes: Vec<String> = PEOPLE.iter().map(|_| hash_password(PASSWORD)).collect();
    db.write_now(|tx| -> DbResult<()> {
        for ((name, username, email, role), hash) in PEOPLE.iter().zip(&hashes) {
            users::insert_user(tx, &NewUser { name, username, email, role: *role, password_hash: Some(hash) })?;
        }
        let mut company = settings::load(tx)?;
        company.company_name = "Demo Atende".into();
        settings::save(tx, &company)
    })?;
    Ok(Seeded::Created)
}
