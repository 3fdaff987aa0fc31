//! What the conversation pane shows: the header, every message with its file and its
//! system events in words, and the choices of the actions' forms (reasons, tags,
//! teams and their agents, colleagues to invite). The page re-fetches it on every live
//! event, so it loads in a fixed number of queries whatever the length of the
//! conversation: all files come with the messages, all names in one query.

use std::collections::HashMap;

use rusqlite::{Connection, Row};
use serde::Serialize;

use super::contacts::{self, Contact};
use super::conversations::Conversation;
use super::messages::{AUTHORS, AUTHOR_NAME};
use super::tabulations::{self, Classification, Reason};
use super::tags::{self, Tag};
use super::{json_ids, DbResult};
use crate::domain::channel_kind::{ChannelKind, LONGEST_MAIL_REPLY};

/// Who is looking, as the engine found them allowed.
pub struct Viewer {
    pub user_id: i64,
    pub supervisor: bool,
    /// May write to the contact and change the conversation.
    pub can_write: bool,
}

#[derive(Debug, Serialize)]
pub struct ConversationPane {
    pub id: i64,
    pub protocol: String,
    pub status: String,
    pub unread: i64,
    pub contact: Option<Contact>,
    /// The channel's kind (`webchat`, `whatsapp` …) and name.
    pub channel: String,
    pub channel_name: String,
    pub team: String,
    pub team_id: Option<i64>,
    pub agent: String,
    pub agent_id: Option<i64>,
    /// The viewer holds it.
    pub holder: bool,
    pub can_write: bool,
    pub can_comment: bool,
    pub supervisor: bool,
    pub messages: Vec<PaneMessage>,
    /// The team's active reasons with their active sub-reasons.
    pub reasons: Vec<Reason>,
    pub require_tabulation: bool,
    /// The team requires a classification, none is given and it is still open.
    pub needs_classification: bool,
    pub applied: Vec<Classification>,
    pub last_applied: Option<Classification>,
    pub tags_on: Vec<Tag>,
    pub tag_choices: Vec<Named>,
    /// Active teams to transfer to, and their active agents.
    pub teams: Vec<Named>,
    pub team_agents: Vec<TeamAgents>,
    /// Agents the viewer may invite.
    pub colleagues: Vec<Named>,
    /// The contact's earlier protocols, for "Vincular a protocolo anterior".
    pub earlier: Vec<super::protocol_links::Earlier>,
    /// The contact's 24-hour window is closed (WhatsApp): free text would fail, so the
    /// composer offers only `templates` (set by the engine, which knows the window).
    pub window_closed: bool,
    pub templates: Vec<PaneTemplate>,
    /// The e-mail's subject (empty on channels without one).
    pub subject: String,
    /// The longest reply the channel carries, for the composer's `maxlength`.
    pub reply_limit: usize,
    /// "📞" is offered: the PBX is configured and the viewer has an extension.
    pub can_call: bool,
    /// "🔀": the contact's other open conversations (F-AG-16).
    pub others: super::cross_channel::OtherConversations,
}

/// An approved template as the composer offers it: its parameters to fill in and its
/// body for the live preview.
#[derive(Debug, Serialize)]
pub struct PaneTemplate {
    pub name: String,
    pub language: String,
    pub body: String,
    pub params: Vec<String>,
    /// `image`, `video`, `document`, or empty without a media header.
    pub header: String,
}

impl PaneTemplate {
    pub fn of(t: &crate::domain::message_template::ApprovedTemplate) -> PaneTemplate {
        PaneTemplate {
            name: t.name.clone(),
            language: t.language.clone(),
            body: t.body.clone(),
            params: crate::domain::message_template::parameter_names(&t.body).unwrap_or_default(),
            header: t.header.as_ref().map(|h| h.format.clone()).unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct TeamAgents {
    pub team: String,
    pub agents: Vec<Named>,
}

/// A message as the pane shows it. A system event carries a catalogue key and the
/// names it speaks of (`a`, `b`, `c`) instead of a body.
#[derive(Debug, Serialize)]
pub struct PaneMessage {
    pub id: i64,
    pub direction: String,
    pub author: String,
    pub body: String,
    pub status: String,
    pub failure: String,
    pub created_at: i64,
    pub sys_key: String,
    pub a: String,
    pub b: String,
    pub c: String,
    /// The file the message carries (shown by type).
    pub attachment: Option<PaneFile>,
    /// A contact's file the channel still owes ("anexo a caminho").
    pub awaiting_file: bool,
}

#[derive(Debug, Serialize)]
pub struct PaneFile {
    pub id: i64,
    pub content_type: String,
    pub file_name: String,
    pub size: i64,
}

/// How many of the contact's earlier protocols the link form offers.
const EARLIER_SHOWN: i64 = 20;

impl ConversationPane {
    /// The pane of `c` for a viewer the engine has let see it.
    pub fn load(conn: &Connection, c: Conversation, viewer: &Viewer) -> DbResult<ConversationPane> {
        let header = Header::load(conn, c.id)?;
        let applied = tabulations::classifications_of(conn, c.id)?;
        let (teams, team_agents) = transfer_choices(conn)?;
        let open = c.status != "closed";
        Ok(ConversationPane {
            contact: contacts::contact_by_id(conn, c.contact_id)?,
            messages: messages(conn, c.id)?,
            reasons: c.team_id.map(|t| reasons(conn, t)).transpose()?.unwrap_or_default(),
            needs_classification: header.require_tabulation && applied.is_empty() && open,
            require_tabulation: header.require_tabulation,
            last_applied: applied.last().cloned(),
            applied,
            tags_on: tags::tags_of_conversation(conn, c.id)?,
            tag_choices: named(conn, TAG_CHOICES, [c.team_id.unwrap_or(0)])?,
            teams,
            team_agents,
            colleagues: named(conn, COLLEAGUES, rusqlite::params![viewer.user_id, c.id, c.agent_id])?,
            earlier: super::protocol_links::earlier_of(conn, c.id, viewer.user_id, viewer.supervisor, EARLIER_SHOWN)?,
            others: super::cross_channel::others_of(conn, c.contact_id, c.id, viewer.user_id, viewer.supervisor)?,
            reply_limit: ChannelKind::parse(&header.channel).map_or(LONGEST_MAIL_REPLY, |k| k.reply_limit()),
            channel: header.channel,
            channel_name: header.channel_name,
            subject: header.subject,
            team: header.team,
            agent: header.agent,
            holder: c.agent_id == Some(viewer.user_id),
            can_write: viewer.can_write,
            can_comment: open,
            supervisor: viewer.supervisor,
            id: c.id,
            protocol: c.protocol,
            status: c.status,
            unread: c.unread,
            team_id: c.team_id,
            agent_id: c.agent_id,
            window_closed: false,
            can_call: false,
            templates: Vec::new(),
        })
    }
}

/// The names beside the conversation: its channel, team and agent.
struct Header {
    channel: String,
    channel_name: String,
    team: String,
    require_tabulation: bool,
    agent: String,
    subject: String,
}

impl Header {
    fn load(conn: &Connection, id: i64) -> DbResult<Header> {
        let mut stmt = conn.prepare_cached(
            "SELECT coalesce(ch.kind, ''), coalesce(ch.name, ''), coalesce(t.name, ''),
                    coalesce(t.require_tabulation, 0) = 1, coalesce(u.name, ''), c.subject
             FROM conversations c LEFT JOIN channels ch ON ch.id = c.channel_id
             LEFT JOIN teams t ON t.id = c.team_id LEFT JOIN users u ON u.id = c.agent_id
             WHERE c.id = ?1",
        )?;
        Ok(stmt.query_row([id], |r| {
            Ok(Header {
                channel: r.get(0)?,
                channel_name: r.get(1)?,
                team: r.get(2)?,
                require_tabulation: r.get(3)?,
                agent: r.get(4)?,
                subject: r.get(5)?,
            })
        })?)
    }
}

/// Every message in order with its file, then the names its system events speak of.
fn messages(conn: &Connection, conversation_id: i64) -> DbResult<Vec<PaneMessage>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT m.id, m.direction, coalesce({AUTHOR_NAME}, ''), m.body, m.status, m.failure, m.created_at,
                a.id, a.content_type, a.file_name, a.size,
                EXISTS (SELECT 1 FROM media_downloads d WHERE d.message_id = m.id)
         FROM messages m {AUTHORS} LEFT JOIN attachments a ON a.id = m.attachment_id
         WHERE m.conversation_id = ?1 ORDER BY m.id"
    ))?;
    let mut list = stmt.query_map([conversation_id], message)?.collect::<rusqlite::Result<Vec<_>>>()?;
    let events: Vec<(usize, SystemEvent)> = list
        .iter_mut()
        .enumerate()
        .filter(|(_, m)| m.direction == "system")
        .map(|(i, m)| (i, SystemEvent::parse(&std::mem::take(&mut m.body))))
        .collect();
    let names =
        Names::load(conn, events.iter().flat_map(|(_, e)| e.users()), events.iter().flat_map(|(_, e)| e.teams()))?;
    for (i, event) in events {
        let m = &mut list[i];
        (m.sys_key, m.a, m.b, m.c) = event.in_words(&names, &m.author);
    }
    Ok(list)
}

fn message(r: &Row) -> rusqlite::Result<PaneMessage> {
    let attachment = match r.get::<_, Option<i64>>(7)? {
        Some(id) => Some(PaneFile { id, content_type: r.get(8)?, file_name: r.get(9)?, size: r.get(10)? }),
        None => None,
    };
    Ok(PaneMessage {
        id: r.get(0)?,
        direction: r.get(1)?,
        author: r.get(2)?,
        body: r.get(3)?,
        status: r.get(4)?,
        failure: r.get(5)?,
        created_at: r.get(6)?,
        sys_key: String::new(),
        a: String::new(),
        b: String::new(),
        c: String::new(),
        attachment,
        awaiting_file: r.get(11)?,
    })
}

/// The survey's and inactivity's lines, each with at most one argument (a score).
const SURVEY_LINES: [&str; 8] = [
    "survey-asked",
    "survey-scored",
    "survey-answered",
    "survey-expired",
    "survey-window-skipped",
    "survey-let-through",
    "survey-ended",
    "inactivity-warned",
];

/// An event the engine records as a system message (`assigned:7`,
/// `transferred:<by>:<team>:<agent>` …), read back.
enum SystemEvent {
    Protocol(String),
    /// Linked to an earlier protocol of the contact: by an agent, or quoted by the customer.
    Linked(String, Option<i64>),
    Assigned(i64),
    /// An agent started the conversation ("Iniciar conversa").
    Started(i64),
    ClosedAuto,
    Closed(i64),
    Invited(i64),
    Pending,
    Overflow {
        from: i64,
        to: i64,
    },
    Transferred {
        by: i64,
        team: i64,
        agent: Option<i64>,
    },
    /// An automatic message not sent: the contact's 24-hour window was closed.
    WindowSkipped,
    /// A flow's line: its kind (`flow-chose` …) and what it says.
    Flow(&'static str, String, String),
    FlowTransferred(i64),
    FlowTaken(i64),
    /// The satisfaction survey's and inactivity's lines: the kind and its one argument.
    Survey(&'static str, String),
    /// Given back to the queue: the agent had not answered.
    GaveBack(i64),
    /// Click-to-call: who called and what the PBX said (`ringing`, `failed-<status>`, `failed`).
    Call(i64, String),
    Other(String),
}

impl SystemEvent {
    fn parse(code: &str) -> SystemEvent {
        // A flow's lines carry the customer's words, which may hold ':' themselves.
        for kind in ["flow-chose", "flow-answered", "flow-gave-up", "flow-http-failed"] {
            if let Some(rest) = code.strip_prefix(kind).and_then(|r| r.strip_prefix(':')) {
                let (a, b) =
                    if kind == "flow-answered" { rest.split_once(':').unwrap_or((rest, "")) } else { (rest, "") };
                return SystemEvent::Flow(kind, a.to_string(), b.to_string());
            }
        }
        for kind in SURVEY_LINES {
            if let Some(rest) = code.strip_prefix(kind).filter(|r| r.is_empty() || r.starts_with(':')) {
                return SystemEvent::Survey(kind, rest.trim_start_matches(':').to_string());
            }
        }
        let parts: Vec<&str> = code.split(':').collect();
        let id = |i: usize| parts.get(i).and_then(|p| p.parse::<i64>().ok());
        match (parts.as_slice(), id(1)) {
            (["protocol", number], _) => SystemEvent::Protocol(number.to_string()),
            (["linked", number], _) => SystemEvent::Linked(number.to_string(), None),
            (["linked", number, user], _) => SystemEvent::Linked(number.to_string(), user.parse().ok()),
            (["assigned", _], Some(user)) => SystemEvent::Assigned(user),
            (["started", _], Some(user)) => SystemEvent::Started(user),
            (["closed", "auto"], _) => SystemEvent::ClosedAuto,
            (["closed", _], Some(user)) => SystemEvent::Closed(user),
            (["invited", _], Some(user)) => SystemEvent::Invited(user),
            (["pending"], _) => SystemEvent::Pending,
            (["window-skipped"], _) => SystemEvent::WindowSkipped,
            (["flow-closed"], _) => SystemEvent::Flow("flow-closed", String::new(), String::new()),
            (["flow-transferred", _], team) => SystemEvent::FlowTransferred(team.unwrap_or(0)),
            (["flow-taken", _], Some(user)) => SystemEvent::FlowTaken(user),
            (["gave-back", _], Some(user)) => SystemEvent::GaveBack(user),
            (["call", _, outcome], Some(user)) => SystemEvent::Call(user, outcome.to_string()),
            (["overflow", _, _], from) => SystemEvent::Overflow { from: from.unwrap_or(0), to: id(2).unwrap_or(0) },
            (["transferred", _, _, _], by) => SystemEvent::Transferred {
                by: by.unwrap_or(0),
                team: id(2).unwrap_or(0),
                agent: id(3).filter(|agent| *agent > 0),
            },
            _ => SystemEvent::Other(code.to_string()),
        }
    }

    fn users(&self) -> Vec<i64> {
        match self {
            SystemEvent::Assigned(user)
            | SystemEvent::Started(user)
            | SystemEvent::Closed(user)
            | SystemEvent::Invited(user)
            | SystemEvent::FlowTaken(user)
            | SystemEvent::GaveBack(user)
            | SystemEvent::Call(user, _) => vec![*user],
            SystemEvent::Transferred { by, agent, .. } => [Some(*by), *agent].into_iter().flatten().collect(),
            SystemEvent::Linked(_, by) => by.iter().copied().collect(),
            _ => vec![],
        }
    }

    fn teams(&self) -> Vec<i64> {
        match self {
            SystemEvent::Overflow { from, to } => vec![*from, *to],
            SystemEvent::Transferred { team, .. } | SystemEvent::FlowTransferred(team) => vec![*team],
            _ => vec![],
        }
    }

    /// The catalogue key and its arguments. An event a REST API token made names no
    /// person (`0`): its row's author is the token.
    fn in_words(self, names: &Names, author: &str) -> (String, String, String, String) {
        let none = String::new;
        let actor = |user: i64| if user == 0 && !author.is_empty() { author.to_string() } else { names.user(user) };
        let (key, a, b, c) = match self {
            SystemEvent::Protocol(number) => ("protocol", number, none(), none()),
            SystemEvent::Linked(number, Some(user)) => ("linked-by", number, names.user(user), none()),
            SystemEvent::Linked(number, None) => ("linked-quoted", number, none(), none()),
            SystemEvent::Assigned(user) => ("assigned", names.user(user), none(), none()),
            SystemEvent::Started(user) => ("started", actor(user), none(), none()),
            SystemEvent::ClosedAuto => ("closed-auto", none(), none(), none()),
            SystemEvent::Closed(user) => ("closed", actor(user), none(), none()),
            SystemEvent::Invited(user) => ("invited", names.user(user), none(), none()),
            SystemEvent::Pending => ("pending", none(), none(), none()),
            SystemEvent::WindowSkipped => ("window-skipped", none(), none(), none()),
            SystemEvent::Flow(kind, a, b) => (kind, a, b, none()),
            SystemEvent::FlowTransferred(team) => ("flow-transferred", names.team(team), none(), none()),
            SystemEvent::FlowTaken(user) => ("flow-taken", names.user(user), none(), none()),
            SystemEvent::Survey(kind, arg) => (kind, arg, none(), none()),
            SystemEvent::GaveBack(user) => ("gave-back", names.user(user), none(), none()),
            SystemEvent::Call(user, outcome) => match outcome.strip_prefix("failed-") {
                _ if outcome == "ringing" => ("call-ringing", names.user(user), none(), none()),
                Some(status) => ("call-failed-status", names.user(user), status.to_string(), none()),
                None => ("call-failed", names.user(user), none(), none()),
            },
            SystemEvent::Overflow { from, to } => ("overflow", names.team(from), names.team(to), none()),
            SystemEvent::Transferred { by, team, agent: Some(agent) } => {
                ("transferred-agent", actor(by), names.team(team), names.user(agent))
            }
            SystemEvent::Transferred { by, team, agent: None } => {
                ("transferred-team", actor(by), names.team(team), none())
            }
            SystemEvent::Other(code) => ("other", code, none(), none()),
        };
        (format!("workspace-sys-{key}"), a, b, c)
    }
}

/// The names of the people and teams the events speak of, read in one query.
struct Names {
    users: HashMap<i64, String>,
    teams: HashMap<i64, String>,
}

impl Names {
    fn load(conn: &Connection, users: impl Iterator<Item = i64>, teams: impl Iterator<Item = i64>) -> DbResult<Names> {
        let mut stmt = conn.prepare_cached(
            "SELECT 'user', id, name FROM users WHERE id IN (SELECT value FROM json_each(?1))
             UNION ALL SELECT 'team', id, name FROM teams WHERE id IN (SELECT value FROM json_each(?2))",
        )?;
        let mut names = Names { users: HashMap::new(), teams: HashMap::new() };
        let found = stmt.query_map([json_ids(users), json_ids(teams)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?))
        })?;
        for row in found {
            let (kind, id, name) = row?;
            let into = if kind == "user" { &mut names.users } else { &mut names.teams };
            into.insert(id, name);
        }
        Ok(names)
    }

    /// A name, or "?" for someone or something deleted since.
    fn user(&self, id: i64) -> String {
        self.users.get(&id).cloned().unwrap_or_else(|| "?".into())
    }

    fn team(&self, id: i64) -> String {
        self.teams.get(&id).cloned().unwrap_or_else(|| "?".into())
    }
}

pub(crate) fn reasons(conn: &Connection, team_id: i64) -> DbResult<Vec<Reason>> {
    let active = tabulations::tabulations_of_team(conn, team_id)?.into_iter().filter(|t| t.active).collect();
    Ok(tabulations::nest(active))
}

const TAG_CHOICES: &str =
    "SELECT id, name FROM tags WHERE team_id IS NULL OR team_id = ?1 ORDER BY name COLLATE NOCASE";

fn named(conn: &Connection, sql: &'static str, params: impl rusqlite::Params) -> DbResult<Vec<Named>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| Ok(Named { id: r.get(0)?, name: r.get(1)? }))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The active teams, and the active agents of each (teams without any left out).
pub(crate) fn transfer_choices(conn: &Connection) -> DbResult<(Vec<Named>, Vec<TeamAgents>)> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.name, u.id, u.name FROM teams t
         LEFT JOIN team_members m ON m.team_id = t.id
         LEFT JOIN users u ON u.id = m.user_id AND u.active = 1
         WHERE t.active = 1 ORDER BY t.name COLLATE NOCASE, t.id, u.name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], |r| {
        let team = Named { id: r.get(0)?, name: r.get(1)? };
        let agent = match r.get::<_, Option<i64>>(2)? {
            Some(id) => Some(Named { id, name: r.get(3)? }),
            None => None,
        };
        Ok((team, agent))
    })?;
    let (mut teams, mut team_agents) = (Vec::<Named>::new(), Vec::<TeamAgents>::new());
    let mut grouped = None;
    for row in rows {
        let (team, agent) = row?;
        if teams.last().map(|t| t.id) != Some(team.id) {
            teams.push(team.clone());
        }
        let Some(agent) = agent else { continue };
        if grouped != Some(team.id) {
            grouped = Some(team.id);
            team_agents.push(TeamAgents { team: team.name, agents: vec![agent] });
        } else if let Some(group) = team_agents.last_mut() {
            group.agents.push(agent);
        }
    }
    Ok((teams, team_agents))
}

/// Active agents other than the viewer and the holder, not invited yet.
const COLLEAGUES: &str = "SELECT id, name FROM users WHERE active = 1 AND role = 'agent' AND id != ?1 AND id IS NOT ?3
       AND id NOT IN (SELECT user_id FROM conversation_participants WHERE conversation_id = ?2)
     ORDER BY name COLLATE NOCASE";
