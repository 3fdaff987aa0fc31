//! The data the floor benchmarks run on, written before the server starts: the demo
//! company with bench agents in team SAC, a floor of conversations straight into
//! SQLite, and one long conversation for the pane.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use super::{scrub_env, Server};

/// The password of every bench agent.
pub const PASSWORD: &str = "Bancada-de-carga-2026";
/// In about 1 % of the generated messages, and in no other word list below.
pub const RARE_WORD: &str = "reembolso";

/// Seeds the demo company in `dir/data` (starting `atende demo` until it answers, then
/// stopping it), adds one agent with `atende user add --agent --password-stdin` and
/// `count - 1` more as copies of it in SQL, and puts them all in team SAC. Returns
/// their logins.
pub fn prepare_floor(binary: &Path, dir: &Path, count: usize) -> Result<Vec<String>, String> {
    drop(Server::start(binary, dir, "demo")?);
    let mut command = Command::new(binary);
    scrub_env(&mut command);
    let mut child = command
        .args(["user", "add", "--agent", "--email", "floorbench0@demo.local", "--name", "Agente Carga 0"])
        .args(["--username", "floorbench0", "--password-stdin"])
        .current_dir(dir)
        .env("ATENDE_DATA_DIR", dir.join("data"))
        .env("ATENDE_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("atende user add: {e}"))?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .map_err(|e| format!("atende user add: {e}"))?;
    let out = child.wait_with_output().map_err(|e| format!("atende user add: {e}"))?;
    if !out.status.success() {
        return Err(format!("atende user add failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let conn = rusqlite::Connection::open(dir.join("data").join("atende.db")).map_err(|e| e.to_string())?;
    let err = |e: rusqlite::Error| e.to_string();
    conn.execute_batch("BEGIN").map_err(err)?;
    for i in 1..count {
        conn.execute(
            "INSERT INTO users (name, username, email, role, password_hash, created_at, updated_at)
             SELECT ?1, ?2, ?3, role, password_hash, created_at, updated_at FROM users WHERE username = 'floorbench0'",
            rusqlite::params![
                format!("Agente Carga {i}"),
                format!("floorbench{i}"),
                format!("floorbench{i}@demo.local")
            ],
        )
        .map_err(err)?;
    }
    conn.execute(
        "INSERT INTO team_members (team_id, user_id)
         SELECT t.id, u.id FROM teams t, users u WHERE t.name = 'SAC' AND u.username LIKE 'floorbench%'",
        [],
    )
    .map_err(err)?;
    conn.execute_batch("COMMIT").map_err(err)?;
    Ok((0..count).map(|i| format!("floorbench{i}")).collect())
}

/// How many conversations of each kind a floor holds, all in team SAC on the demo web
/// chat. The bench agent's come first, then the colleagues' (Ana and Carla), then the
/// queue; the closed ones are older history.
pub struct FloorSize {
    pub mine_active: usize,
    pub mine_pending: usize,
    pub colleagues_active: usize,
    pub waiting: usize,
    pub closed: usize,
    pub messages_each: usize,
}

impl FloorSize {
    pub const fn open(&self) -> usize {
        self.mine_active + self.mine_pending + self.colleagues_active + self.waiting
    }

    pub const fn conversations(&self) -> usize {
        self.open() + self.closed
    }
}

pub struct Filled {
    pub conversations: usize,
    pub open: usize,
    pub messages: usize,
    pub rare: usize,
}

/// Writes the floor straight into SQLite, in one transaction, while no server runs:
/// `messages_each` messages per conversation (the protocol event, then the customer and
/// an agent in turn), every tenth open conversation tagged "Urgente".
pub fn fill_floor(db_path: &Path, size: &FloorSize) -> Result<Filled, String> {
    let err = |e: rusqlite::Error| e.to_string();
    let mut conn = open_for_bulk(db_path)?;
    let tx = conn.transaction().map_err(err)?;
    let ids = Ids::read(&tx)?;
    let first_seq = one(&tx, "SELECT value FROM sequences WHERE name = 'protocol'")?;

    let total = size.conversations();
    let now = now_ms();
    let mut filled = Filled { conversations: 0, open: 0, messages: 0, rare: 0 };
    {
        let mut contact = tx
            .prepare("INSERT INTO contacts (name, email, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)")
            .map_err(err)?;
        let mut conversation = tx
            .prepare(
                "INSERT INTO conversations (protocol, channel_id, contact_id, team_id, agent_id, status, opened_at, queued_at,
                     assigned_at, first_response_at, last_message_at, last_inbound_at, closed_at, closed_by, unread)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?8, ?9, ?9, ?10, ?11, ?12)",
            )
            .map_err(err)?;
        let mut message = tx
            .prepare(
                "INSERT INTO messages (conversation_id, channel_id, direction, author_id, body, status, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .map_err(err)?;
        let mut tagged =
            tx.prepare("INSERT INTO conversation_tags (conversation_id, tag_id) VALUES (?1, ?2)").map_err(err)?;
        let mut words = Words(0x2545_f491_4f6c_dd1d);
        let mut n_message = 0usize;
        let (mine, pending) = (size.mine_active, size.mine_active + size.mine_pending);
        let colleagues = pending + size.colleagues_active;
        for i in 0..total {
            // The first ones are open; the rest is closed history, older.
            let (status, agent) = match i {
                i if i < mine => ("active", Some(ids.me)),
                i if i < pending => ("pending", Some(ids.me)),
                i if i < colleagues => ("active", Some(if i % 2 == 0 { ids.ana } else { ids.carla })),
                i if i < size.open() => ("waiting", None),
                i => ("closed", Some([ids.me, ids.ana, ids.carla][i % 3])),
            };
            let opened_at = now - (total - i) as i64 * 20_000 - 3_600_000;
            let name = format!("Cliente {i}");
            contact.execute(rusqlite::params![name, format!("cliente{i}@exemplo.com.br"), opened_at]).map_err(err)?;
            let contact_id = tx.last_insert_rowid();
            let protocol = format!("WC{:011}", first_seq + 1 + i as i64);
            let last = opened_at + 9 * 30_000;
            let closed = status == "closed";
            conversation
                .execute(rusqlite::params![
                    protocol,
                    ids.channel,
                    contact_id,
                    ids.team,
                    agent,
                    status,
                    opened_at,
                    agent.map(|_| opened_at + 30_000),
                    last,
                    closed.then_some(last + 60_000),
                    closed.then_some(agent).flatten(),
                    if status == "active" { (i % 4) as i64 } else { 0 },
                ])
                .map_err(err)?;
            let conversation_id = tx.last_insert_rowid();
            if !closed && i % 10 == 0 {
                tagged.execute([conversation_id, ids.tag]).map_err(err)?;
            }
            filled.conversations += 1;
            filled.open += usize::from(!closed);
            for k in 0..size.messages_each {
                let (direction, author, body, state) = if k == 0 {
                    ("system", None, format!("protocol:{protocol}"), "received")
                } else if k % 2 == 1 {
                    ("in", None, words.sentence(n_message.is_multiple_of(100)), "received")
                } else {
                    ("out", agent.or(Some(ids.ana)), words.sentence(n_message.is_multiple_of(100)), "delivered")
                };
                if k > 0 && n_message.is_multiple_of(100) {
                    filled.rare += 1;
                }
                if k > 0 {
                    n_message += 1;
                }
                message
                    .execute(rusqlite::params![
                        conversation_id,
                        ids.channel,
                        direction,
                        author,
                        body,
                        state,
                        opened_at + k as i64 * 30_000
                    ])
                    .map_err(err)?;
                filled.messages += 1;
            }
        }
    }
    tx.execute("UPDATE sequences SET value = ?1 WHERE name = 'protocol'", [first_seq + total as i64]).map_err(err)?;
    tx.commit().map_err(err)?;
    conn.execute_batch("ANALYZE; PRAGMA journal_mode = WAL;").map_err(err)?;
    Ok(filled)
}

/// The database opened for one large write while no server runs: no journal to
/// speak of, no syncing, a large cache (the filler puts WAL back when done).
pub fn open_for_bulk(db_path: &Path) -> Result<rusqlite::Connection, String> {
    let conn = rusqlite::Connection::open(db_path).map_err(|e| e.to_string())?;
    conn.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; PRAGMA cache_size = -400000;")
        .map_err(|e| e.to_string())?;
    Ok(conn)
}

/// What a long conversation holds.
pub struct LongConversation {
    pub id: i64,
    pub messages: usize,
    pub attachments: usize,
    pub events: usize,
}

/// Appends `messages` messages to the bench agent's first active conversation: every
/// 25th a system event naming people and teams (assigned, transferred, invited,
/// overflow), `attachments` of them carrying a file (images, documents, audio), a few
/// internal comments, the rest the customer and the agent in turn.
pub fn lengthen_conversation(db_path: &Path, messages: usize, attachments: usize) -> Result<LongConversation, String> {
    let err = |e: rusqlite::Error| e.to_string();
    let mut conn = rusqlite::Connection::open(db_path).map_err(err)?;
    let tx = conn.transaction().map_err(err)?;
    let ids = Ids::read(&tx)?;
    let id = tx
        .query_row(
            "SELECT id FROM conversations WHERE agent_id = ?1 AND status = 'active' ORDER BY id LIMIT 1",
            [ids.me],
            |r| r.get::<_, i64>(0),
        )
        .map_err(|e| format!("the bench agent's first conversation: {e}"))?;
    let vendas = one(&tx, "SELECT id FROM teams WHERE name = 'Vendas'")?;
    let start = now_ms() - messages as i64 * 10_000;
    let mut long = LongConversation { id, messages: 0, attachments: 0, events: 0 };
    let mut words = Words(0x9e37_79b9_7f4a_7c15);
    let every = (messages / attachments.max(1)).max(1);
    for k in 0..messages {
        let at = start + k as i64 * 10_000;
        let mut file = None;
        let (direction, author, body, state) = if k % 25 == 12 {
            long.events += 1;
            let code = match long.events % 4 {
                0 => format!("assigned:{}", ids.me),
                1 => format!("transferred:{}:{}:{}", ids.ana, ids.team, ids.me),
                2 => format!("invited:{}", ids.carla),
                _ => format!("overflow:{vendas}:{}", ids.team),
            };
            ("system", None, code, "received")
        } else if k % every == 0 && long.attachments < attachments {
            let (name, kind) =
                [("foto.jpg", "image/jpeg"), ("nota-fiscal.pdf", "application/pdf"), ("audio.ogg", "audio/ogg")]
                    [long.attachments % 3];
            tx.execute(
                "INSERT INTO attachments (conversation_id, sha256, size, content_type, file_name, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![id, format!("{:064x}", k), 20_000 + k as i64, kind, format!("{k}-{name}"), at],
            )
            .map_err(err)?;
            file = Some(tx.last_insert_rowid());
            long.attachments += 1;
            ("in", None, String::new(), "received")
        } else if k % 50 == 30 {
            ("internal", Some(ids.carla), words.sentence(false), "received")
        } else if k % 2 == 0 {
            ("in", None, words.sentence(false), "received")
        } else {
            ("out", Some(ids.me), words.sentence(false), "delivered")
        };
        tx.execute(
            "INSERT INTO messages (conversation_id, channel_id, direction, author_id, body, attachment_id, status, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            rusqlite::params![id, ids.channel, direction, author, body, file, state, at],
        )
        .map_err(err)?;
        long.messages += 1;
    }
    tx.execute("UPDATE conversations SET last_message_at = ?2 WHERE id = ?1", rusqlite::params![id, now_ms()])
        .map_err(err)?;
    tx.commit().map_err(err)?;
    Ok(long)
}

/// The rows of the demo company the filler refers to.
struct Ids {
    channel: i64,
    team: i64,
    me: i64,
    ana: i64,
    carla: i64,
    tag: i64,
}

impl Ids {
    fn read(conn: &rusqlite::Connection) -> Result<Ids, String> {
        Ok(Ids {
            channel: one(conn, "SELECT id FROM channels WHERE key = 'demo'")?,
            team: one(conn, "SELECT id FROM teams WHERE name = 'SAC'")?,
            me: one(conn, "SELECT id FROM users WHERE username = 'floorbench0'")?,
            ana: one(conn, "SELECT id FROM users WHERE username = 'ana'")?,
            carla: one(conn, "SELECT id FROM users WHERE username = 'carla'")?,
            tag: one(conn, "SELECT id FROM tags WHERE name = 'Urgente'")?,
        })
    }
}

pub fn one(conn: &rusqlite::Connection, sql: &str) -> Result<i64, String> {
    conn.query_row(sql, [], |r| r.get(0)).map_err(|e| format!("{sql}: {e}"))
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Cheap, repeatable sentences of a customer service chat.
pub struct Words(pub u64);

impl Words {
    const LIST: [&'static str; 48] = [
        "olá",
        "bom",
        "dia",
        "boa",
        "tarde",
        "pedido",
        "entrega",
        "produto",
        "prazo",
        "nota",
        "fiscal",
        "boleto",
        "pagamento",
        "cartão",
        "parcela",
        "endereço",
        "troca",
        "garantia",
        "defeito",
        "caixa",
        "chegou",
        "ainda",
        "não",
        "sim",
        "obrigado",
        "por",
        "favor",
        "quando",
        "como",
        "posso",
        "ajudar",
        "verificar",
        "sistema",
        "cadastro",
        "email",
        "telefone",
        "número",
        "código",
        "rastreio",
        "transportadora",
        "loja",
        "site",
        "compra",
        "valor",
        "desconto",
        "cupom",
        "atraso",
        "hoje",
    ];

    pub fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn sentence(&mut self, rare: bool) -> String {
        let len = 6 + (self.next() % 9) as usize;
        let rare_at = if rare { (self.next() % len as u64) as usize } else { usize::MAX };
        let mut out = String::with_capacity(len * 8);
        for i in 0..len {
            if i > 0 {
                out.push(' ');
            }
            if i == rare_at {
                out.push_str(RARE_WORD);
            } else {
                out.push_str(Self::LIST[(self.next() % Self::LIST.len() as u64) as usize]);
            }
        }
        out
    }
}
