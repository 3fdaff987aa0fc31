//! The satisfaction survey where the engine keeps it (F-EN-6): asked after every close
//! of a conversation an agent served, when its team has the survey on (the company's
//! switch for teams without their own); answered by the contact's next message on the
//! channel (ingest) or the widget's stars; expired by the periodic job. The stage is
//! `domain::survey`; the answers go to `survey_answers` for the reports.

use rusqlite::Transaction;

use super::service::{conversation_event, notify_contact, system_message};
use super::window::window_of;
use super::{Engine, EngineError, EngineResult};
use crate::db::conversations::Conversation;
use crate::db::settings::{self, Settings};
use crate::db::surveys::{self, OpenSurvey};
use crate::db::{flows, team_rules};
use crate::domain::flow::definition::MenuOption;
use crate::domain::flow::menu;
use crate::domain::survey::{self, Answer, Outcome, Stage};

/// Expired surveys handled per pass.
const EXPIRY_BATCH: i64 = 200;

fn lang_of(policy: &Settings) -> String {
    policy.default_language.clone().unwrap_or_else(|| crate::i18n::DEFAULT.to_string())
}

/// The scale's words, lowest first, in the company's language.
fn labels(lang: &str) -> Vec<String> {
    survey::SCORES.map(|n| crate::i18n::translate(lang, &format!("survey-score-{n}"))).collect()
}

/// Whether conversations of `team_id` are surveyed.
fn enabled(tx: &Transaction, team_id: Option<i64>, policy: &Settings) -> EngineResult<bool> {
    let own = match team_id {
        Some(team) => team_rules::rules_of(tx, team)?.survey_enabled,
        None => None,
    };
    Ok(own.unwrap_or(policy.survey_enabled))
}

/// The question with the numbered scale every channel can show, and the hint that
/// lets a channel with lists show the scale as one (WhatsApp).
fn ask(tx: &Transaction, c: &Conversation, lead_key: &str, lang: &str) -> EngineResult<()> {
    let options: Vec<MenuOption> =
        labels(lang).into_iter().map(|label| MenuOption { label, next: None, synonyms: vec![] }).collect();
    let text = menu::as_text(&crate::i18n::translate(lang, lead_key), &options);
    let id = notify_contact(tx, c.id, c.channel_id, &text)?;
    if let Some(choices) = menu::choices(&options) {
        flows::set_choices(tx, id, &choices)?;
    }
    Ok(())
}

/// Asks the survey of `c`, as it was just before its close, in the close's transaction.
/// A conversation nobody served is not surveyed: there is no service to rate. Outside
/// the contact's 24-hour window the question could not be delivered, so a note says
/// it was skipped.
pub(crate) fn offer(tx: &Transaction, c: &Conversation, now: i64) -> EngineResult<()> {
    let policy = settings::load(tx)?;
    if c.agent_id.is_none() || !enabled(tx, c.team_id, &policy)? {
        return Ok(());
    }
    if !window_of(tx, c)?.allows_free_text() {
        system_message(tx, c.id, c.channel_id, "survey-window-skipped")?;
        return Ok(());
    }
    ask(tx, c, "survey-ask", &lang_of(&policy))?;
    let expires_at = now + policy.survey_expiry_hours.max(1) * 3_600_000;
    let open = OpenSurvey {
        conversation_id: c.id,
        contact_id: c.contact_id,
        channel_id: c.channel_id,
        stage: Stage::default(),
        expires_at,
    };
    surveys::open(tx, &open, now)?;
    system_message(tx, c.id, c.channel_id, "survey-asked")?;
    Ok(())
}

/// What an answer does to an open survey (nothing written yet).
pub(crate) fn reading(tx: &Transaction, s: &OpenSurvey, answer: Answer) -> EngineResult<Outcome> {
    let lang = lang_of(&settings::load(tx)?);
    Ok(survey::answer(s.stage, answer, &labels(&lang)))
}

/// Carries out what an answer does: the score and comment stored with the
/// conversation and its agent, the next question or the thanks.
pub(crate) fn apply(tx: &Transaction, s: &OpenSurvey, outcome: &Outcome, now: i64) -> EngineResult<()> {
    let c = super::service::load(tx, s.conversation_id)?;
    let lang = lang_of(&settings::load(tx)?);
    match outcome {
        Outcome::Scored(score) => {
            surveys::record_answer(tx, c.id, c.agent_id, *score, None, now)?;
            super::notices::survey_scored(tx, c.id, *score)?;
            system_message(tx, c.id, c.channel_id, &format!("survey-scored:{score}"))?;
            notify_contact(tx, c.id, c.channel_id, &crate::i18n::translate(&lang, "survey-ask-comment"))?;
        }
        Outcome::AskAgain => ask(tx, &c, "survey-ask-again", &lang)?,
        Outcome::Commented { score, comment } => {
            surveys::record_answer(tx, c.id, c.agent_id, *score, Some(comment), now)?;
            super::notices::survey_scored(tx, c.id, *score)?;
            system_message(tx, c.id, c.channel_id, "survey-answered")?;
            notify_contact(tx, c.id, c.channel_id, &crate::i18n::translate(&lang, "survey-thanks"))?;
        }
        Outcome::NoComment { .. } => {
            system_message(tx, c.id, c.channel_id, "survey-answered")?;
            notify_contact(tx, c.id, c.channel_id, &crate::i18n::translate(&lang, "survey-thanks"))?;
        }
        Outcome::LetThrough => {
            system_message(tx, c.id, c.channel_id, "survey-let-through")?;
        }
        Outcome::Ignored => {}
    }
    match survey::next(s.stage, outcome) {
        Some(stage) => surveys::set_stage(tx, c.id, stage)?,
        None => {
            surveys::end(tx, c.id)?;
        }
    }
    Ok(())
}

impl Engine {
    /// The widget's stars: `score` for the visitor's open survey on the channel.
    pub async fn survey_stars(&self, contact_id: i64, channel_id: i64, score: u8) -> EngineResult<()> {
        let now = self.clock.now();
        let event = self
            .write(move |tx| {
                let s = surveys::open_for(tx, contact_id, channel_id, now)?
                    .ok_or(EngineError::Invalid("survey-not-open"))?;
                let outcome = reading(tx, &s, Answer::Stars(score))?;
                if outcome == Outcome::Ignored {
                    return Err(EngineError::Invalid("survey-bad-score"));
                }
                apply(tx, &s, &outcome, now)?;
                Ok(conversation_event(&super::service::load(tx, s.conversation_id)?))
            })
            .await?;
        self.events.publish(event);
        Ok(())
    }

    /// Ends the surveys nobody answered in time at `now` (a score already given stays
    /// with its conversation); how many ended.
    pub async fn expire_surveys(&self, now: i64) -> EngineResult<usize> {
        let events = self
            .write(move |tx| {
                let mut events = Vec::new();
                for s in surveys::expired(tx, now, EXPIRY_BATCH)? {
                    surveys::end(tx, s.conversation_id)?;
                    // Scored and only the comment missing: answered all the same.
                    let line =
                        if matches!(s.stage, Stage::Comment { .. }) { "survey-answered" } else { "survey-expired" };
                    system_message(tx, s.conversation_id, s.channel_id, line)?;
                    events.push(conversation_event(&super::service::load(tx, s.conversation_id)?));
                }
                Ok(events)
            })
            .await?;
        let count = events.len();
        self.publish_all(events);
        Ok(count)
    }
}
