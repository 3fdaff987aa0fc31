//! One-time steps on existing data that need Rust rather than SQL, run at start right
//! after the migrations. Each is recorded in `one_time_steps` (migration 0009) in the
//! same transaction that does it, so it runs once, and again only if it failed.

use rusqlite::{params, Connection, TransactionBehavior};

use super::{audit, now_ms, settings, DbResult};
use crate::domain::message_template::{ApprovedTemplate, HEADER_FORMATS};
use crate::domain::phone;

type Step = fn(&Connection) -> DbResult<()>;

/// The steps, in the order they run; a name is never reused.
const STEPS: [(&str, Step); 2] =
    [("phones-e164", phones_to_e164), ("whatsapp-templates-to-catalogue", whatsapp_templates_to_catalogue)];

/// Runs every step not yet done.
pub fn run(conn: &mut Connection) -> DbResult<()> {
    for (name, step) in STEPS {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let done: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM one_time_steps WHERE name = ?1)", [name], |r| r.get(0))?;
        if !done {
            step(&tx)?;
            tx.execute("INSERT INTO one_time_steps (name, done_at) VALUES (?1, ?2)", params![name, now_ms()])?;
        }
        tx.commit()?;
    }
    Ok(())
}

/// Phones stored before numbers were kept as E.164 get their country code: contacts'
/// WhatsApp numbers and users' phones, read in the company's default country
/// (`phone::stored_form`). A number that reads as none stays as it is. One entry in
/// the audit log says how many changed.
fn phones_to_e164(conn: &Connection) -> DbResult<()> {
    let country = settings::load(conn)?.default_country;
    let mut changed = serde_json::Map::new();
    for table in ["contacts", "users"] {
        let rows: Vec<(i64, String)> = {
            let mut stmt = conn.prepare(&format!("SELECT id, phone FROM {table} WHERE phone != ''"))?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
            rows
        };
        let mut count = 0;
        for (id, stored) in rows {
            if let Some(e164) = phone::stored_form(&stored, &country).filter(|n| *n != stored) {
                conn.execute(&format!("UPDATE {table} SET phone = ?2 WHERE id = ?1"), params![id, e164])?;
                count += 1;
            }
        }
        changed.insert(table.into(), count.into());
    }
    if changed.values().any(|n| n.as_i64() != Some(0)) {
        let details = serde_json::json!({ "country": country, "changed": changed });
        audit::record(conn, None, "contact.phones-e164", "", &details, "")?;
    }
    Ok(())
}

/// WhatsApp templates once listed in a channel's settings move to "Modelos de
/// mensagem", now their one home, for every team; one the catalogue already has by name
/// and language stays as it is there. The list leaves the settings. One entry in the
/// audit log says how many moved.
fn whatsapp_templates_to_catalogue(conn: &Connection) -> DbResult<()> {
    let channels: Vec<(i64, String)> = {
        let mut stmt = conn.prepare("SELECT id, config FROM channels WHERE kind = 'whatsapp'")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let mut moved = 0;
    for (id, stored) in channels {
        let mut config: serde_json::Value = serde_json::from_str(&stored).unwrap_or_default();
        let Some(listed) = config.as_object_mut().and_then(|c| c.remove("templates")) else { continue };
        let list: Vec<ApprovedTemplate> = serde_json::from_value(listed).unwrap_or_default();
        for t in list {
            let header = t.header.filter(|h| HEADER_FORMATS.contains(&h.format.as_str()));
            let (format, link) = header.map(|h| (h.format, h.link)).unwrap_or_default();
            moved += conn.execute(
                "INSERT OR IGNORE INTO message_templates (name, language, channel, body, header_format, header_link)
                 VALUES (?1, ?2, 'whatsapp', ?3, ?4, ?5)",
                params![t.name, t.language, t.body, format, link],
            )?;
        }
        conn.execute("UPDATE channels SET config = ?2 WHERE id = ?1", params![id, config.to_string()])?;
    }
    if moved > 0 {
        audit::record(conn, None, "template.moved-from-channels", "", &serde_json::json!({ "moved": moved }), "")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn stored_phones_become_e164_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let db = crate::db::Db::open(&path).unwrap();
        db.write_now(|tx| {
            tx.execute_batch(
                "INSERT INTO contacts (id, name, phone, created_at, updated_at) VALUES
                   (1, 'Sem país', '11987654321', 0, 0), (2, 'Com país', '5521933334444', 0, 0),
                   (3, 'Fixo', '2133334444', 0, 0), (4, 'Curto', '12345', 0, 0), (5, 'Sem número', '', 0, 0);
                 INSERT INTO users (id, name, username, email, role, phone, created_at, updated_at)
                   VALUES (1, 'Ana', 'ana', 'ana@x.test', 'agent', '11912345678', 0, 0);
                 DELETE FROM one_time_steps;",
            )?;
            Ok(())
        })
        .unwrap();
        drop(db);
        let db = crate::db::Db::open(&path).unwrap();
        let phones: Vec<String> = db
            .read_now(|c| {
                let mut stmt = c.prepare("SELECT phone FROM contacts ORDER BY id")?;
                let rows = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
                Ok(rows)
            })
            .unwrap();
        assert_eq!(phones, ["5511987654321", "5521933334444", "552133334444", "12345", ""]);
        let user: String = db.read_now(|c| Ok(c.query_row("SELECT phone FROM users", [], |r| r.get(0))?)).unwrap();
        assert_eq!(user, "5511912345678");
        let logged: i64 = db
            .read_now(|c| {
                Ok(c.query_row("SELECT count(*) FROM audit_log WHERE action = 'contact.phones-e164'", [], |r| {
                    r.get(0)
                })?)
            })
            .unwrap();
        assert_eq!(logged, 1);
        // Recorded: a number stored the old way afterwards is not touched again.
        db.write_now(|tx| Ok(tx.execute_batch("UPDATE contacts SET phone = '11987654321' WHERE id = 1")?)).unwrap();
        drop(db);
        let db = crate::db::Db::open(&path).unwrap();
        let first: String =
            db.read_now(|c| Ok(c.query_row("SELECT phone FROM contacts WHERE id = 1", [], |r| r.get(0))?)).unwrap();
        assert_eq!(first, "11987654321");
    }

    #[test]
    fn whatsapp_templates_move_from_the_channel_to_the_catalogue() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let db = crate::db::Db::open(&path).unwrap();
        let listed = r#"{"phone_number_id": "106", "templates": [
            {"name": "pedido_enviado", "language": "pt_BR", "body": "Olá {{1}}"},
            {"name": "boas_vindas", "language": "pt_BR", "body": "Oi!", "header": {"format": "image", "link": "https://x.test/l.png"}}]}"#;
        db.write_now(|tx| {
            tx.execute("INSERT INTO channels (kind, name, key, config, created_at) VALUES ('whatsapp', 'WA', 'wa', ?1, 0)", [listed])?;
            tx.execute_batch(
                "INSERT INTO message_templates (name, language, body) VALUES ('pedido_enviado', 'pt_BR', 'Já no catálogo');
                 DELETE FROM one_time_steps WHERE name = 'whatsapp-templates-to-catalogue';",
            )?;
            Ok(())
        })
        .unwrap();
        drop(db);
        let db = crate::db::Db::open(&path).unwrap();
        let rows: Vec<(String, String, String)> = db
            .read_now(|c| {
                let mut stmt = c.prepare(
                    "SELECT name, body, header_format || ' ' || header_link FROM message_templates ORDER BY name",
                )?;
                let rows = stmt
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(rows)
            })
            .unwrap();
        assert_eq!(
            rows,
            [
                ("boas_vindas".into(), "Oi!".into(), "image https://x.test/l.png".into()),
                ("pedido_enviado".into(), "Já no catálogo".into(), " ".into()),
            ]
        );
        let config: String =
            db.read_now(|c| Ok(c.query_row("SELECT config FROM channels", [], |r| r.get(0))?)).unwrap();
        assert!(!config.contains("templates") && config.contains("\"106\""), "{config}");
    }
}
