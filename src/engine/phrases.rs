//! Canned phrases on the floor ("Frases padrão"): which ones an agent may use in a
//! conversation — their own, those of the conversation's team and the company-wide
//! ones — found by what they type after `/`, with `{{contato}}`, `{{agente}}` and
//! `{{protocolo}}` filled in for that conversation.

use rusqlite::Connection;
use serde::Serialize;

use super::access::visible_conversation;
use super::service::Agent;
use super::{Engine, EngineError, EngineResult};
use crate::db::phrases::{self, UsablePhrase};
use crate::db::{contacts, users, DbResult};
use crate::domain::message_template::fill_variables;
use crate::domain::text::fold;

/// At most this many phrases are offered at once.
pub const LISTED: usize = 20;

/// A phrase as the composer offers it: its text already filled in.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PhraseChoice {
    pub shortcut: String,
    pub text: String,
    /// The agent's own phrase.
    pub personal: bool,
    /// The team's name for a team phrase (`None`: personal or company-wide).
    pub team_name: Option<String>,
}

/// The phrases whose shortcut or text holds `query` (case and accents aside): shortcuts
/// starting with it first, then shortcuts holding it, then texts; otherwise in the order
/// given. An empty query keeps them all.
fn matching(all: Vec<UsablePhrase>, query: &str) -> Vec<UsablePhrase> {
    let query = fold(query.trim().trim_start_matches('/'));
    let mut ranked: Vec<(u8, UsablePhrase)> = all
        .into_iter()
        .filter_map(|p| {
            let shortcut = fold(&p.shortcut);
            let rank = if shortcut.starts_with(&query) {
                0
            } else if shortcut.contains(&query) {
                1
            } else if fold(&p.text).contains(&query) {
                2
            } else {
                return None;
            };
            Some((rank, p))
        })
        .collect();
    ranked.sort_by_key(|(rank, _)| *rank);
    ranked.into_iter().map(|(_, p)| p).collect()
}

/// The phrases the agent may use in the conversation and the values of their variables;
/// `None` when the conversation is missing or not theirs to see.
fn usable_here(
    conn: &Connection,
    agent: &Agent,
    conversation_id: i64,
) -> DbResult<Option<(Vec<UsablePhrase>, Filler)>> {
    let Some(c) = visible_conversation(conn, agent.user_id, agent.supervisor, conversation_id)? else {
        return Ok(None);
    };
    let contact = contacts::contact_by_id(conn, c.contact_id)?.map(|k| k.name).unwrap_or_default();
    let me = users::user_by_id(conn, agent.user_id)?.map(|u| u.name).unwrap_or_default();
    let usable = phrases::usable_phrases(conn, agent.user_id, c.team_id)?;
    Ok(Some((usable, Filler { contact, agent: me, protocol: c.protocol })))
}

struct Filler {
    contact: String,
    agent: String,
    protocol: String,
}

impl Filler {
    fn fill(&self, text: &str) -> String {
        fill_variables(text, &[("contato", &self.contact), ("agente", &self.agent), ("protocolo", &self.protocol)])
    }
}

impl Engine {
    /// The phrases offered when the agent types `/query` in the conversation, filled in.
    pub async fn phrases_for(
        &self,
        agent: &Agent,
        conversation_id: i64,
        query: &str,
    ) -> EngineResult<Vec<PhraseChoice>> {
        let (agent, query) = (agent.clone(), query.to_string());
        let found = self
            .db
            .read(move |conn| {
                let Some((usable, filler)) = usable_here(conn, &agent, conversation_id)? else { return Ok(None) };
                let choices = matching(usable, &query)
                    .into_iter()
                    .take(LISTED)
                    .map(|p| PhraseChoice {
                        text: filler.fill(&p.text),
                        shortcut: p.shortcut,
                        personal: p.personal,
                        team_name: p.team_name,
                    })
                    .collect();
                Ok(Some(choices))
            })
            .await?;
        found.ok_or(EngineError::NotFound)
    }

    /// `/shortcut` + Tab: the phrase with exactly this shortcut (case and accents aside;
    /// the agent's own first, then the team's, then the company's), filled in. `None`
    /// when there is no such phrase.
    pub async fn expand_phrase(
        &self,
        agent: &Agent,
        conversation_id: i64,
        shortcut: &str,
    ) -> EngineResult<Option<String>> {
        let (agent, wanted) = (agent.clone(), fold(shortcut.trim().trim_start_matches('/')));
        let found = self
            .db
            .read(move |conn| {
                let Some((usable, filler)) = usable_here(conn, &agent, conversation_id)? else { return Ok(None) };
                let text = usable.into_iter().find(|p| fold(&p.shortcut) == wanted).map(|p| filler.fill(&p.text));
                Ok(Some(text))
            })
            .await?;
        found.ok_or(EngineError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase(shortcut: &str, text: &str) -> UsablePhrase {
        UsablePhrase { id: 0, shortcut: shortcut.into(), text: text.into(), team_name: None, personal: false }
    }

    #[test]
    fn shortcuts_starting_with_the_query_come_first_then_those_holding_it_then_texts() {
        let all = vec![
            phrase("aguarde", "Só um momento."),
            phrase("prazo", "O prazo de entrega é de 7 dias."),
            phrase("protocolo", "Seu protocolo é {{protocolo}}."),
            phrase("reembolso", "Faremos o estorno pelo mesmo meio de pagamento."),
        ];
        let names = |q: &str| matching(all.clone(), q).into_iter().map(|p| p.shortcut).collect::<Vec<_>>();
        assert_eq!(names(""), ["aguarde", "prazo", "protocolo", "reembolso"]);
        assert_eq!(names("/PR"), ["prazo", "protocolo"]);
        assert_eq!(names("olo"), ["protocolo"]);
        assert_eq!(names("Entrega"), ["prazo"]);
        assert_eq!(names("re"), ["reembolso", "prazo"], "a shortcut before a text");
        assert_eq!(names("ar"), ["aguarde", "reembolso"], "inside a shortcut before a text");
        assert_eq!(names("ágüarde"), ["aguarde"], "accents aside");
        assert!(names("nada").is_empty());
    }
}
