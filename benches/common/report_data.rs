//! The history the reports' benchmark runs on, written straight into SQLite while no
//! server runs: closed conversations spread evenly over the last `days` days, across the
//! demo's teams, channels and agents, each with its messages (the customer and an agent
//! in turn, about 1 % of them holding `RARE_WORD`), most classified with one of their
//! team's reasons, some with a survey score, a few tagged.

use std::path::Path;

use super::floor_data::{now_ms, one, open_for_bulk, Words};

pub struct HistorySize {
    pub conversations: usize,
    pub messages_each: usize,
    pub contacts: usize,
    pub days: i64,
}

/// What was written, and the instant the newest conversation closed.
pub struct History {
    pub conversations: usize,
    pub messages: usize,
    pub rare: usize,
    pub newest_closed_at: i64,
}

/// The demo's rows the history is spread over.
struct Demo {
    teams: Vec<i64>,
    channels: Vec<i64>,
    agents: Vec<i64>,
    /// (team, tabulation) of every reason and sub-reason.
    reasons: Vec<(i64, i64)>,
    tag: i64,
}

impl Demo {
    fn read(conn: &rusqlite::Connection) -> Result<Demo, String> {
        let ids = |sql: &str| -> Result<Vec<i64>, String> {
            let mut stmt = conn.prepare(sql).map_err(|e| e.to_string())?;
            let rows = stmt.query_map([], |r| r.get(0)).map_err(|e| e.to_string())?;
            rows.collect::<Result<Vec<i64>, _>>().map_err(|e| e.to_string())
        };
        let mut stmt = conn.prepare("SELECT team_id, id FROM tabulations ORDER BY id").map_err(|e| e.to_string())?;
        let reasons = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| e.to_string())?
            .collect::<Result<Vec<(i64, i64)>, _>>()
            .map_err(|e| e.to_string())?;
        Ok(Demo {
            teams: ids("SELECT id FROM teams ORDER BY id")?,
            channels: ids("SELECT id FROM channels ORDER BY id")?,
            agents: ids("SELECT id FROM users WHERE role = 'agent' ORDER BY id")?,
            reasons,
            tag: one(conn, "SELECT id FROM tags ORDER BY id LIMIT 1")?,
        })
    }
}

fn span_days(days: i64) -> i64 {
    days * 86_400_000
}

/// Writes the history in one transaction, then analyses the database.
pub fn fill_history(db_path: &Path, size: &HistorySize) -> Result<History, String> {
    let err = |e: rusqlite::Error| e.to_string();
    let mut conn = open_for_bulk(db_path)?;
    let tx = conn.transaction().map_err(err)?;
    let demo = Demo::read(&tx)?;
    if demo.teams.is_empty() || demo.channels.is_empty() || demo.agents.is_empty() {
        return Err("the demo company has no teams, channels or agents".into());
    }
    let first_seq = one(&tx, "SELECT value FROM sequences WHERE name = 'protocol'")?;
    let end = now_ms() - 3_600_000;
    let span = size.days * 86_400_000;
    let mut words = Words(0x51a7_e5c0_ffee_1234);
    let mut out = History { conversations: 0, messages: 0, rare: 0, newest_closed_at: 0 };
    {
        let mut contact = tx
            .prepare("INSERT INTO contacts (name, email, phone, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)")
            .map_err(err)?;
        for i in 0..size.contacts {
            let phone = format!("55119{:08}", 10_000_000 + i);
            contact
                .execute(rusqlite::params![
                    format!("Cliente Relatório {i}"),
                    format!("rel{i}@exemplo.com.br"),
                    phone,
                    end - span
                ])
                .map_err(err)?;
        }
        let first_contact = tx.last_insert_rowid() - size.contacts as i64 + 1;
        let mut conversation = tx
            .prepare(
                "INSERT INTO conversations (protocol, channel_id, contact_id, team_id, agent_id, status, opened_at, queued_at,
                     first_queued_at, assigned_at, first_response_at, first_response_by, last_message_at, last_inbound_at,
                     closed_at, closed_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'closed', ?6, ?6, ?6, ?7, ?8, ?5, ?9, ?9, ?10, ?5)",
            )
            .map_err(err)?;
        let mut message = tx
            .prepare(
                "INSERT INTO messages (conversation_id, channel_id, direction, author_id, body, status, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .map_err(err)?;
        let mut classified = tx
            .prepare("INSERT INTO conversation_tabulations (conversation_id, tabulation_id, added_by, added_at) VALUES (?1, ?2, ?3, ?4)")
            .map_err(err)?;
        let mut scored = tx
            .prepare(
                "INSERT INTO survey_answers (conversation_id, score, comment, answered_at) VALUES (?1, ?2, '', ?3)",
            )
            .map_err(err)?;
        let mut tagged =
            tx.prepare("INSERT INTO conversation_tags (conversation_id, tag_id) VALUES (?1, ?2)").map_err(err)?;
        let mut n_message = 0usize;
        for i in 0..size.conversations {
            let r = words.next();
            let closed_at = end - span + (i as i64 * span) / size.conversations as i64;
            let handling = 120_000 + (r % 3_000_000) as i64;
            let wait = ((r >> 20) % 600_000) as i64;
            let opened_at = closed_at - handling - wait - 20_000;
            let (assigned_at, answered_at) = (opened_at + wait, opened_at + wait + 20_000);
            let team = demo.teams[i % demo.teams.len()];
            let channel = demo.channels[(i / 3) % demo.channels.len()];
            let agent = demo.agents[(r >> 40) as usize % demo.agents.len()];
            let contact_id = first_contact + (i % size.contacts) as i64;
            let protocol = format!("RL{:011}", first_seq + 1 + i as i64);
            conversation
                .execute(rusqlite::params![
                    protocol,
                    channel,
                    contact_id,
                    team,
                    agent,
                    opened_at,
                    assigned_at,
                    answered_at,
                    closed_at - 60_000,
                    closed_at
                ])
                .map_err(err)?;
            let id = tx.last_insert_rowid();
            let reasons: Vec<i64> = demo.reasons.iter().filter(|(t, _)| *t == team).map(|(_, r)| *r).collect();
            if !reasons.is_empty() && r % 10 < 7 {
                classified
                    .execute(rusqlite::params![id, reasons[(r >> 8) as usize % reasons.len()], agent, closed_at])
                    .map_err(err)?;
            }
            if r % 10 < 3 {
                scored.execute(rusqlite::params![id, 1 + ((r >> 12) % 5) as i64, closed_at + 60_000]).map_err(err)?;
            }
            if i % 20 == 0 {
                tagged.execute([id, demo.tag]).map_err(err)?;
            }
            for k in 0..size.messages_each {
                let rare = n_message.is_multiple_of(100);
                out.rare += usize::from(rare);
                n_message += 1;
                let (direction, author, state) =
                    if k % 2 == 0 { ("in", None, "received") } else { ("out", Some(agent), "delivered") };
                let at = opened_at + (k as i64 * (handling + wait)) / size.messages_each as i64;
                message
                    .execute(rusqlite::params![id, channel, direction, author, words.sentence(rare), state, at])
                    .map_err(err)?;
                out.messages += 1;
            }
            out.conversations += 1;
            out.newest_closed_at = closed_at;
        }
    }
    // Each agent online from 9:00 to 18:00 every day, with a lunch pause.
    {
        let mut span = tx
            .prepare("INSERT INTO status_spans (user_id, status, started_at, ended_at) VALUES (?1, ?2, ?3, ?4)")
            .map_err(err)?;
        let mut pause = tx
            .prepare("INSERT INTO agent_pauses (user_id, pause_id, started_at, ended_at) SELECT ?1, min(id), ?2, ?3 FROM pauses")
            .map_err(err)?;
        for day in 0..size.days {
            let nine = end - span_days(size.days - day) + 12 * 3_600_000;
            for agent in &demo.agents {
                span.execute(rusqlite::params![agent, "online", nine, nine + 3 * 3_600_000]).map_err(err)?;
                span.execute(rusqlite::params![agent, "paused", nine + 3 * 3_600_000, nine + 4 * 3_600_000])
                    .map_err(err)?;
                pause.execute(rusqlite::params![agent, nine + 3 * 3_600_000, nine + 4 * 3_600_000]).map_err(err)?;
                span.execute(rusqlite::params![agent, "online", nine + 4 * 3_600_000, nine + 9 * 3_600_000])
                    .map_err(err)?;
            }
        }
    }
    tx.execute("UPDATE sequences SET value = ?1 WHERE name = 'protocol'", [first_seq + size.conversations as i64])
        .map_err(err)?;
    tx.commit().map_err(err)?;
    conn.execute_batch("ANALYZE; PRAGMA journal_mode = WAL;").map_err(err)?;
    Ok(out)
}
