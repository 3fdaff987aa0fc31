//! The profile photo (F-AG-21): PNG, JPEG or WebP up to 512 KB, recognised by its bytes
//! (never by its name), stored under `photos/` by its hash, each change audited as
//! `profile.update`.

use std::path::Path;

use serde_json::json;
use sha2::{Digest, Sha256};

use super::{AccountError, AccountResult, Actor, FieldErrors};
use crate::db::{audit, users, Db, DbError};
use crate::domain::image;

/// Largest profile photo accepted.
pub const PHOTO_MAX_BYTES: u64 = 512 * 1024;

/// A stored photo's file name: its SHA-256 and kind, nothing the browser sent.
fn photo_name_ok(name: &str) -> bool {
    let (hash, ext) = name.split_once('.').unwrap_or(("", ""));
    hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) && matches!(ext, "png" | "jpg" | "webp")
}

fn refused(key: &'static str) -> AccountError {
    AccountError::Invalid(FieldErrors::from([("photo", key)]))
}

/// Checks the bytes, stores them (once per content) and makes them the user's photo.
pub async fn set_photo(db: &Db, data_dir: &Path, user_id: i64, bytes: Vec<u8>, actor: &Actor) -> AccountResult<()> {
    if bytes.is_empty() {
        return Err(refused("field-required"));
    }
    if bytes.len() as u64 > PHOTO_MAX_BYTES {
        return Err(refused("profile-photo-too-large"));
    }
    let kind = image::kind(&bytes).ok_or_else(|| refused("profile-photo-not-image"))?;
    let name = format!("{}.{kind}", hex::encode(Sha256::digest(&bytes)));
    store(&data_dir.join("photos"), &name, &bytes).await.map_err(DbError::Io)?;
    let (actor, size) = (actor.clone(), bytes.len());
    db.write(move |tx| {
        let before = users::photo_of(tx, user_id)?;
        users::set_photo(tx, user_id, Some(&name))?;
        let after = json!({ "photo": name, "bytes": size });
        audit::record_change(
            tx,
            &actor,
            "profile.update",
            &format!("user:{user_id}"),
            Some(&json!({ "photo": before })),
            Some(&after),
        )
    })
    .await?;
    Ok(())
}

/// Writes the file through a temporary name, so a photo is never seen half written.
async fn store(folder: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    rocket::tokio::fs::create_dir_all(folder).await?;
    let target = folder.join(name);
    if rocket::tokio::fs::metadata(&target).await.is_ok() {
        return Ok(());
    }
    let temporary = folder.join(format!(".{name}.{}.part", super::credentials::random_token()));
    rocket::tokio::fs::write(&temporary, bytes).await?;
    rocket::tokio::fs::rename(&temporary, &target).await
}

/// Takes the user's photo away (the file stays: another account may show the same one).
pub async fn remove_photo(db: &Db, user_id: i64, actor: &Actor) -> AccountResult<()> {
    let actor = actor.clone();
    db.write(move |tx| {
        let before = users::photo_of(tx, user_id)?;
        if before.is_none() {
            return Ok(());
        }
        users::set_photo(tx, user_id, None)?;
        let (before, after) = (json!({ "photo": before }), json!({ "photo": null }));
        audit::record_change(tx, &actor, "profile.update", &format!("user:{user_id}"), Some(&before), Some(&after))
    })
    .await?;
    Ok(())
}

/// The bytes of a user's photo, if they have one and its file is there.
pub async fn photo_file(db: &Db, data_dir: &Path, user_id: i64) -> AccountResult<Option<Vec<u8>>> {
    let Some(name) = db.read(move |c| users::photo_of(c, user_id)).await?.filter(|n| photo_name_ok(n)) else {
        return Ok(None);
    };
    Ok(rocket::tokio::fs::read(data_dir.join("photos").join(&name)).await.ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_photos_are_named_by_their_hash_and_kind() {
        assert!(photo_name_ok(&format!("{}.png", "a".repeat(64))));
        assert!(!photo_name_ok("../../etc/passwd"));
        assert!(!photo_name_ok(&format!("{}.svg", "a".repeat(64))));
    }
}
