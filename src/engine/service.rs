//! What agents do with conversations: take, pull the next, reply, comment, transfer,
//! invite, leave pending; pauses; and the routing that follows. Classifying and closing
//! are in `closing`.

use rusqlite::{params, OptionalExtension, Transaction};

use super::access::{can_view, can_write, is_member, visible_conversation};
use super::actor::Actor;
use super::{Engine, EngineError, EngineResult, Event};
use crate::db::conversations::{self, Conversation};
use crate::db::messages::{self, NewMessage, Writer};
use crate::db::webhooks::{self, Change};
use crate::db::{channels, now_ms, teams, word_filter};
use crate::domain::channel_kind::LONGEST_MAIL_REPLY;
use crate::domain::routing::{self, Candidate};
use crate::domain::text;
use crate::domain::word_filter as filter;

/// Who is acting, as the engine needs to know it.
#[derive(Debug, Clone)]
pub struct Agent {
    pub user_id: i64,
    /// Sees (and may act on) the whole floor: monitoring permission.
    pub supervisor: bool,
}

/// Records a system event in the conversation (`code` is rendered by the page).
pub(crate) fn system_message(tx: &Transaction, conversation_id: i64, channel_id: i64, code: &str) -> EngineResult<i64> {
    system_message_by(tx, conversation_id, channel_id, code, Writer::default())
}

/// A system event whose row names who made it (a REST API token: `Actor::event`).
pub(crate) fn system_message_by(
    tx: &Transaction,
    conversation_id: i64,
    channel_id: i64,
    code: &str,
    author: Writer,
) -> EngineResult<i64> {
    Ok(messages::insert_message(
        tx,
        &NewMessage {
            conversation_id,
            channel_id,
            direction: "system",
            author,
            body: code,
            attachment_id: None,
            external_id: None,
            status: "received",
        },
    )?)
}

/// A text the company sends the contact by itself (no author: protocol notice, "fila
/// cheia", closing message), stored `queued` and handed to the outbox.
pub(crate) fn notify_contact(tx: &Transaction, conversation_id: i64, channel_id: i64, body: &str) -> EngineResult<i64> {
    queue_outbound(tx, conversation_id, channel_id, Writer::default(), body, None)
}

/// A message to the contact, stored `queued` and handed to the outbox.
pub(crate) fn queue_outbound(
    tx: &Transaction,
    conversation_id: i64,
    channel_id: i64,
    author: Writer,
    body: &str,
    attachment_id: Option<i64>,
) -> EngineResult<i64> {
    let id = messages::insert_message(
        tx,
        &NewMessage {
            conversation_id,
            channel_id,
            direction: "out",
            author,
            body,
            attachment_id,
            external_id: None,
            status: "queued",
        },
    )?;
    crate::db::outbox::enqueue(tx, id, channel_id)?;
    Ok(id)
}

/// Refuses a text to the contact that holds words the company does not allow.
pub(crate) fn refuse_blocked(tx: &Transaction, body: &str) -> EngineResult<()> {
    let blocked = filter::blocked_words_in(body, &word_filter::terms_of_kind(tx, "blocked")?);
    if !blocked.is_empty() {
        return Err(EngineError::BlockedWords(blocked));
    }
    Ok(())
}

/// A note between agents in the conversation; the contact never sees it.
pub(crate) fn internal_note(tx: &Transaction, c: &Conversation, author: Writer, body: &str) -> EngineResult<i64> {
    Ok(messages::insert_message(
        tx,
        &NewMessage {
            conversation_id: c.id,
            channel_id: c.channel_id,
            direction: "internal",
            author,
            body,
            attachment_id: None,
            external_id: None,
            status: "received",
        },
    )?)
}

/// An agent's (or a REST API token's) message to the contact (a reply, a file, a
/// template), stored `queued` and handed to the outbox; the conversation is touched.
pub(crate) fn queue_from_agent(
    tx: &Transaction,
    c: &Conversation,
    author: Writer,
    body: &str,
    attachment_id: Option<i64>,
) -> EngineResult<i64> {
    let id = queue_outbound(tx, c.id, c.channel_id, author, body, attachment_id)?;
    conversations::touch_agent_reply(tx, c.id, author.user_id)?;
    Ok(id)
}

pub(crate) fn conversation_event(c: &Conversation) -> Event {
    Event::Conversation { conversation_id: c.id, team_id: c.team_id, agent_id: c.agent_id }
}

pub(crate) fn load(tx: &Transaction, id: i64) -> EngineResult<Conversation> {
    conversations::conversation_by_id(tx, id)?.ok_or(EngineError::NotFound)
}

/// The conversation an agent acts on: missing and not visible to them are one answer.
pub(crate) fn load_for(tx: &Transaction, agent: &Agent, id: i64) -> EngineResult<Conversation> {
    visible_conversation(tx, agent.user_id, agent.supervisor, id)?.ok_or(EngineError::NotFound)
}

/// A conversation still open that the agent may write in (its holder, a participant,
/// or a supervisor): what transferring, classifying and closing need.
pub(crate) fn writable(tx: &Transaction, agent: &Agent, id: i64) -> EngineResult<Conversation> {
    let c = load_for(tx, agent, id)?;
    if c.status == "closed" {
        return Err(EngineError::Closed);
    }
    if !(can_write(tx, agent.user_id, &c)? || agent.supervisor) {
        return Err(EngineError::Forbidden);
    }
    Ok(c)
}

/// Who may take a conversation (from the queue, or from its flow): a member of its
/// team, or a supervisor.
pub(crate) fn may_take(tx: &Transaction, agent: &Agent, c: &Conversation) -> EngineResult<()> {
    let member = c.team_id.map(|t| is_member(tx, agent.user_id, t)).transpose()?.unwrap_or(false);
    if !member && !agent.supervisor {
        return Err(EngineError::Forbidden);
    }
    Ok(())
}

/// The members of a team as routing sees them.
fn candidates(tx: &Transaction, team_id: i64) -> EngineResult<Vec<Candidate>> {
    let mut stmt = tx.prepare(
        "SELECT u.id, u.status, u.capacity, u.last_assigned_at,
                (SELECT count(*) FROM conversations c WHERE c.agent_id = u.id AND c.status = 'active')
         FROM users u JOIN team_members m ON m.user_id = u.id
         WHERE m.team_id = ?1 AND u.active = 1",
    )?;
    let rows = stmt
        .query_map([team_id], |r| {
            Ok(Candidate {
                user_id: r.get(0)?,
                status: r.get(1)?,
                capacity: r.get(2)?,
                last_assigned_at: r.get(3)?,
                active: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Gives waiting conversations of an automatic team to available members, oldest first,
/// until nobody is free. Manual teams wait for agents to pull.
pub(crate) fn route_team(tx: &Transaction, team_id: i64) -> EngineResult<Vec<Event>> {
    let Some(team) = teams::team_by_id(tx, team_id)? else { return Ok(vec![]) };
    if team.distribution != "auto" || !team.active {
        return Ok(vec![]);
    }
    let mut events = Vec::new();
    for id in conversations::waiting_in_team(tx, team_id, 100)? {
        let not = conversations::given_back_by(tx, id)?;
        let Some(agent) = routing::choose_other_than(&candidates(tx, team_id)?, not) else { break };
        if conversations::assign_if_waiting(tx, id, agent)? {
            let c = load(tx, id)?;
            system_message(tx, id, c.channel_id, &format!("assigned:{agent}"))?;
            events.push(conversation_event(&c));
        }
    }
    Ok(events)
}

/// Routes every automatic team these agents belong to, each team once (they became
/// available, or capacity was freed).
pub(crate) fn route_teams_of(tx: &Transaction, user_ids: &[i64]) -> EngineResult<Vec<Event>> {
    let mut team_ids = std::collections::BTreeSet::new();
    for user_id in user_ids {
        team_ids.extend(teams::team_ids_of_user(tx, *user_id)?);
    }
    let mut events = Vec::new();
    for team in team_ids {
        events.extend(route_team(tx, team)?);
    }
    Ok(events)
}

impl Engine {
    pub(crate) fn publish_all(&self, events: Vec<Event>) {
        for e in events {
            self.events.publish(e);
        }
    }

    /// Takes a waiting conversation of one of the agent's teams. Two agents clicking at
    /// once: one wins, the other gets `AlreadyTaken`.
    pub async fn take(&self, agent: &Agent, conversation_id: i64) -> EngineResult<()> {
        let agent = agent.clone();
        let events = self
            .write(move |tx| {
                let c = load_for(tx, &agent, conversation_id)?;
                may_take(tx, &agent, &c)?;
                if !conversations::assign_if_waiting(tx, conversation_id, agent.user_id)? {
                    return Err(if c.status == "closed" { EngineError::Closed } else { EngineError::AlreadyTaken });
                }
                system_message(tx, c.id, c.channel_id, &format!("assigned:{}", agent.user_id))?;
                Ok(vec![conversation_event(&load(tx, conversation_id)?)])
            })
            .await?;
        self.publish_all(events);
        Ok(())
    }

    /// "Puxar": takes the oldest waiting conversation of a team; `None` when empty.
    pub async fn pull_next(&self, agent: &Agent, team_id: i64) -> EngineResult<Option<i64>> {
        let agent = agent.clone();
        let (taken, events) = self
            .write(move |tx| {
                if !is_member(tx, agent.user_id, team_id)? {
                    return Err(EngineError::Forbidden);
                }
                for id in conversations::waiting_in_team(tx, team_id, 20)? {
                    if conversations::assign_if_waiting(tx, id, agent.user_id)? {
                        let c = load(tx, id)?;
                        system_message(tx, id, c.channel_id, &format!("assigned:{}", agent.user_id))?;
                        return Ok((Some(id), vec![conversation_event(&c)]));
                    }
                }
                Ok((None, vec![]))
            })
            .await?;
        self.publish_all(events);
        Ok(taken)
    }

    /// A message to the contact (or an internal comment), stored first with status
    /// `queued` and delivered by the outbox worker. Blocked words refuse it.
    pub async fn reply(&self, agent: &Agent, conversation_id: i64, body: &str, internal: bool) -> EngineResult<i64> {
        let (actor, body) = (Actor::from(agent), message_text(body)?);
        let (id, events) = self.write(move |tx| reply_in(tx, &actor, conversation_id, &body, internal)).await?;
        self.publish_all(events);
        Ok(id)
    }

    /// The agent opened the conversation: its inbound messages are read.
    pub async fn mark_read(&self, agent: &Agent, conversation_id: i64) -> EngineResult<()> {
        let user = agent.user_id;
        let unread_by_holder = move |c: &Conversation| c.agent_id == Some(user) && c.unread > 0;
        // Read first: the pane is opened again on every live event, mostly with nothing
        // to mark, and a write transaction would wait for the database's one writer.
        let c = self.db.read(move |conn| conversations::conversation_by_id(conn, conversation_id)).await?;
        if !unread_by_holder(&c.ok_or(EngineError::NotFound)?) {
            return Ok(());
        }
        self.write(move |tx| {
            if unread_by_holder(&load(tx, conversation_id)?) {
                conversations::mark_read(tx, conversation_id)?;
            }
            Ok(())
        })
        .await
    }

    /// Transfers to a team's queue, or straight to an agent of that team, with a note
    /// (an internal comment). The agent must belong to the team and be active.
    pub async fn transfer(
        &self,
        agent: &Agent,
        conversation_id: i64,
        team_id: i64,
        to_agent: Option<i64>,
        note: &str,
    ) -> EngineResult<()> {
        let (actor, note) = (Actor::from(agent), transfer_note(note));
        let events = self.write(move |tx| transfer_in(tx, &actor, conversation_id, team_id, to_agent, &note)).await?;
        self.publish_all(events);
        Ok(())
    }

    /// "Transferir todos": every open conversation of the agent to a team's queue.
    pub async fn transfer_all(&self, agent: &Agent, team_id: i64, note: &str) -> EngineResult<usize> {
        let (user, actor, note) = (agent.user_id, Actor::from(agent), transfer_note(note));
        let (count, events) = self
            .write(move |tx| {
                let mine = conversations::open_of_agent(tx, user)?;
                let mut events = Vec::new();
                for c in &mine {
                    events.extend(transfer_in(tx, &actor, c.id, team_id, None, &note)?);
                }
                Ok((mine.len(), events))
            })
            .await?;
        self.publish_all(events);
        Ok(count)
    }

    /// "Pendente": waiting for the customer; frees capacity until they answer.
    pub async fn set_pending(&self, agent: &Agent, conversation_id: i64) -> EngineResult<()> {
        let agent = agent.clone();
        let events = self
            .write(move |tx| {
                let c = load_for(tx, &agent, conversation_id)?;
                if c.agent_id != Some(agent.user_id) || c.status != "active" {
                    return Err(if c.status == "closed" { EngineError::Closed } else { EngineError::Forbidden });
                }
                conversations::set_status(tx, conversation_id, "pending")?;
                system_message(tx, c.id, c.channel_id, "pending")?;
                let mut events = vec![conversation_event(&load(tx, conversation_id)?)];
                events.extend(route_teams_of(tx, &[agent.user_id])?);
                Ok(events)
            })
            .await?;
        self.publish_all(events);
        Ok(())
    }

    /// Brings a pending conversation back to "Em atendimento".
    pub async fn resume(&self, agent: &Agent, conversation_id: i64) -> EngineResult<()> {
        let agent = agent.clone();
        let events = self
            .write(move |tx| {
                let c = load_for(tx, &agent, conversation_id)?;
                if c.agent_id != Some(agent.user_id) || c.status != "pending" {
                    return Err(EngineError::Forbidden);
                }
                conversations::set_status(tx, conversation_id, "active")?;
                Ok(vec![conversation_event(&c)])
            })
            .await?;
        self.publish_all(events);
        Ok(())
    }

    /// Invites a colleague: they see the conversation and their messages reach the
    /// contact with their name.
    pub async fn invite(&self, agent: &Agent, conversation_id: i64, colleague: i64) -> EngineResult<()> {
        let agent = agent.clone();
        let events = self
            .write(move |tx| {
                let c = load_for(tx, &agent, conversation_id)?;
                if !can_write(tx, agent.user_id, &c)? {
                    return Err(EngineError::Forbidden);
                }
                let active: bool = tx
                    .query_row("SELECT active FROM users WHERE id = ?1 AND role = 'agent'", [colleague], |r| r.get(0))
                    .optional()?
                    .unwrap_or(false);
                if !active || colleague == agent.user_id {
                    return Err(EngineError::Invalid("floor-bad-colleague"));
                }
                tx.execute(
                    "INSERT OR IGNORE INTO conversation_participants (conversation_id, user_id, invited_by, invited_at) VALUES (?1, ?2, ?3, ?4)",
                    params![conversation_id, colleague, agent.user_id, now_ms()],
                )?;
                system_message(tx, c.id, c.channel_id, &format!("invited:{colleague}"))?;
                Ok(vec![conversation_event(&c), Event::Agent { user_id: colleague }])
            })
            .await?;
        self.publish_all(events);
        Ok(())
    }

    /// Starts a pause: existing conversations stay, no new ones are routed.
    pub async fn start_pause(&self, user_id: i64, pause_id: i64) -> EngineResult<()> {
        self.write(move |tx| {
            let active: Option<bool> = tx
                .query_row("SELECT active FROM pauses WHERE id = ?1", [pause_id], |r| r.get(0))
                .map(Some)
                .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?;
            if active != Some(true) {
                return Err(EngineError::Invalid("floor-bad-pause"));
            }
            // A pause limited to a time window (company time) is refused outside it.
            let pause = crate::db::pauses::pause_by_id(tx, pause_id)?.ok_or(EngineError::Invalid("floor-bad-pause"))?;
            let tz = crate::db::settings::load(tx)?.zone();
            let minute = crate::domain::clock::minute_of_day(now_ms(), tz);
            if !crate::domain::clock::in_window(minute, pause.fields.window_start, pause.fields.window_end) {
                return Err(EngineError::Invalid("floor-pause-outside-window"));
            }
            tx.execute(
                "UPDATE agent_pauses SET ended_at = ?2 WHERE user_id = ?1 AND ended_at IS NULL",
                params![user_id, now_ms()],
            )?;
            tx.execute(
                "INSERT INTO agent_pauses (user_id, pause_id, started_at) VALUES (?1, ?2, ?3)",
                params![user_id, pause_id, now_ms()],
            )?;
            tx.execute("UPDATE users SET status = 'paused' WHERE id = ?1", [user_id])?;
            Ok(())
        })
        .await?;
        self.events.publish(Event::Agent { user_id });
        Ok(())
    }

    /// Ends the pause (never ends by itself) and makes the agent available again.
    pub async fn go_online(&self, user_id: i64) -> EngineResult<()> {
        let events = self.write(move |tx| online_in(tx, user_id)).await?;
        self.publish_all(events);
        self.events.publish(Event::Agent { user_id });
        Ok(())
    }
}

/// `go_online` inside a transaction the caller holds: the pause ends, the agent is
/// routed again; the routing's events to publish after the commit.
pub(crate) fn online_in(tx: &Transaction, user_id: i64) -> EngineResult<Vec<Event>> {
    tx.execute(
        "UPDATE agent_pauses SET ended_at = ?2 WHERE user_id = ?1 AND ended_at IS NULL",
        params![user_id, now_ms()],
    )?;
    tx.execute("UPDATE users SET status = 'online', last_heartbeat_at = ?2 WHERE id = ?1", params![user_id, now_ms()])?;
    route_teams_of(tx, &[user_id])
}

/// A message's text as stored, or why it is none (empty, longer than any channel carries).
pub(crate) fn message_text(body: &str) -> EngineResult<String> {
    let body = text::message(body);
    if body.is_empty() {
        return Err(EngineError::Invalid("floor-empty-message"));
    }
    if body.chars().count() > LONGEST_MAIL_REPLY {
        return Err(EngineError::TooLong(LONGEST_MAIL_REPLY));
    }
    Ok(body)
}

/// `reply` inside a transaction the caller holds, with the text `message_text` made:
/// the message's id and the events to publish after the commit.
pub(crate) fn reply_in(
    tx: &Transaction,
    actor: &Actor,
    conversation_id: i64,
    body: &str,
    internal: bool,
) -> EngineResult<(i64, Vec<Event>)> {
    let c = actor.load(tx, conversation_id)?;
    if c.status == "closed" {
        return Err(EngineError::Closed);
    }
    let kind = channels::channel_by_id(tx, c.channel_id)?.ok_or(EngineError::NotFound)?.kind;
    let limit = kind.reply_limit();
    if body.chars().count() > limit {
        return Err(EngineError::TooLong(limit));
    }
    let allowed = match actor.agent() {
        Some(agent) if internal => can_view(tx, agent.user_id, agent.supervisor, &c)?,
        Some(agent) => can_write(tx, agent.user_id, &c)?,
        None => true,
    };
    if !allowed {
        return Err(EngineError::Forbidden);
    }
    let id = if internal {
        internal_note(tx, &c, actor.writer(), body)?
    } else {
        super::window::require_open_on(tx, &c, kind)?;
        refuse_blocked(tx, body)?;
        queue_from_agent(tx, &c, actor.writer(), body, None)?
    };
    Ok((id, vec![conversation_event(&c)]))
}

/// A transfer note is an internal comment: message text, at most 1000 characters.
pub(crate) fn transfer_note(note: &str) -> String {
    text::message(note).chars().take(1000).collect()
}

pub(crate) fn transfer_in(
    tx: &Transaction,
    actor: &Actor,
    conversation_id: i64,
    team_id: i64,
    to_agent: Option<i64>,
    note: &str,
) -> EngineResult<Vec<Event>> {
    let c = actor.writable(tx, conversation_id)?;
    if teams::team_by_id(tx, team_id)?.filter(|t| t.active).is_none() {
        return Err(EngineError::Invalid("floor-bad-team"));
    }
    match to_agent {
        Some(target) => {
            let ok: bool = tx
                .query_row(
                    "SELECT u.active FROM users u JOIN team_members m ON m.user_id = u.id WHERE u.id = ?1 AND m.team_id = ?2",
                    params![target, team_id],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(false);
            if !ok {
                return Err(EngineError::Invalid("floor-bad-colleague"));
            }
            conversations::hand_to(tx, conversation_id, Some(team_id), target)?;
        }
        None => conversations::requeue(tx, conversation_id, Some(team_id))?,
    }
    webhooks::emit(tx, Change::ConversationTransferred(conversation_id))?;
    actor.event(tx, &c, &format!("transferred:{}:{team_id}:{}", actor.code(), to_agent.unwrap_or(0)))?;
    if !note.is_empty() {
        internal_note(tx, &c, actor.writer(), note)?;
    }
    // The old team and holder see it leave; the new team sees it arrive.
    let mut events = vec![conversation_event(&c), conversation_event(&load(tx, conversation_id)?)];
    if to_agent.is_none() {
        events.extend(route_team(tx, team_id)?);
        // A transfer is never refused nor sent on to the overflow team because the queue
        // is full: the agent chose this team. Over the limit, administrators hear of it.
        super::queue::check_after_transfer(tx, team_id)?;
    }
    Ok(events)
}
