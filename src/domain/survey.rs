//! The satisfaction survey (F-EN-6) as a small state machine: after a close the
//! contact is asked for a score from 1 to 5, then for an optional comment. Pure: what
//! an answer does to the stage, nothing stored.
//!
//! A message that is not a score is asked about once more; a second one ends the
//! survey unanswered and goes on as the contact's new message. A contact who writes
//! free text twice has come back with something to say, not a score — keeping them in
//! the survey would make them repeat themselves to get help, the way customers of
//! numbered bot menus get stuck. The comment stage takes whatever comes as the
//! comment: the contact was asked for one, and the thanks that follows says a new
//! message opens a new conversation.

use serde::{Deserialize, Serialize};

use crate::domain::text::fold;

/// The scores, lowest first.
pub const SCORES: std::ops::RangeInclusive<u8> = 1..=5;

/// The longest comment kept, in characters.
pub const MAX_COMMENT: usize = 1000;

/// Where an open survey is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Stage {
    /// Waiting for the score; `reasked` once the contact wrote something else.
    Score { reasked: bool },
    /// Scored; waiting for an optional comment.
    Comment { score: u8 },
}

impl Default for Stage {
    fn default() -> Self {
        Stage::Score { reasked: false }
    }
}

/// What the contact answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer<'a> {
    /// A message in their own words (or a button's title, which is text too).
    Text(&'a str),
    /// A star tapped in the web chat widget.
    Stars(u8),
}

/// What an answer does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The score is kept; the comment is asked for next.
    Scored(u8),
    /// The comment is kept; the survey is done.
    Commented { score: u8, comment: String },
    /// No comment (the contact said so); the survey is done with its score.
    NoComment { score: u8 },
    /// Not a score: asked once more.
    AskAgain,
    /// A second message that is not a score: the survey ends unanswered and the
    /// message is the contact's, as if no survey had been asked.
    LetThrough,
    /// Nothing to do (stars outside 1–5, an empty comment).
    Ignored,
}

/// Words that decline the comment ("0", "não", "pular"), compared folded.
const NO_COMMENT: [&str; 7] = ["0", "nao", "no", "pular", "nada", "sem comentario", "sem comentarios"];

/// The score a message gives: its one number from 1 to 5 among few words ("4",
/// "nota 5", "4 - Bom"), or one of the scale's words (`labels`, lowest first: "ótimo"),
/// accent- and case-insensitive.
pub fn score_of(text: &str, labels: &[String]) -> Option<u8> {
    let folded = fold(text.trim());
    let words: Vec<&str> = folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    if words.is_empty() || words.len() > 4 {
        return None;
    }
    let numbers: Vec<u8> = words.iter().filter_map(|w| w.parse().ok()).collect();
    match numbers.as_slice() {
        [n] if SCORES.contains(n) => return Some(*n),
        [] => {}
        _ => return None,
    }
    let said = words.join(" ");
    let found: Vec<u8> =
        labels.iter().zip(SCORES).filter(|(label, _)| fold(label.trim()) == said).map(|(_, score)| score).collect();
    match found.as_slice() {
        [score] => Some(*score),
        _ => None,
    }
}

/// What `answer` does at `stage`.
pub fn answer(stage: Stage, answer: Answer, labels: &[String]) -> Outcome {
    match (stage, answer) {
        (_, Answer::Stars(n)) if SCORES.contains(&n) => Outcome::Scored(n),
        (_, Answer::Stars(_)) => Outcome::Ignored,
        (Stage::Score { reasked }, Answer::Text(text)) => match score_of(text, labels) {
            Some(score) => Outcome::Scored(score),
            None if reasked => Outcome::LetThrough,
            None => Outcome::AskAgain,
        },
        (Stage::Comment { score }, Answer::Text(text)) => {
            let comment: String = text.trim().chars().take(MAX_COMMENT).collect();
            if comment.is_empty() {
                Outcome::Ignored
            } else if NO_COMMENT.contains(&fold(&comment).trim_end_matches(['.', '!']).trim()) {
                Outcome::NoComment { score }
            } else {
                Outcome::Commented { score, comment }
            }
        }
    }
}

/// The stage an outcome leaves; `None` when the survey is over.
pub fn next(stage: Stage, outcome: &Outcome) -> Option<Stage> {
    match outcome {
        Outcome::Scored(score) => Some(Stage::Comment { score: *score }),
        Outcome::AskAgain => Some(Stage::Score { reasked: true }),
        Outcome::Ignored => Some(stage),
        Outcome::Commented { .. } | Outcome::NoComment { .. } | Outcome::LetThrough => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Vec<String> {
        ["Péssimo", "Ruim", "Regular", "Bom", "Ótimo"].iter().map(|s| s.to_string()).collect()
    }

    fn at_score() -> Stage {
        Stage::default()
    }

    #[test]
    fn a_score_is_read_from_its_number_or_its_word() {
        for (text, score) in [("4", 4), ("nota 5", 5), ("1 - Péssimo", 1), ("ótimo", 5), ("OTIMO!", 5), ("bom", 4)] {
            assert_eq!(score_of(text, &labels()), Some(score), "{text}");
        }
    }

    #[test]
    fn what_is_not_one_score_is_not_a_score() {
        for text in ["", "6", "0", "3 ou 4", "quero falar com alguém sobre meu pedido", "obrigado"] {
            assert_eq!(score_of(text, &labels()), None, "{text}");
        }
    }

    #[test]
    fn a_score_then_a_comment_finish_the_survey() {
        let scored = answer(at_score(), Answer::Text("5"), &labels());
        assert_eq!(scored, Outcome::Scored(5));
        let stage = next(at_score(), &scored).unwrap();
        assert_eq!(stage, Stage::Comment { score: 5 });
        let commented = answer(stage, Answer::Text("  Muito rápido, obrigado  "), &labels());
        assert_eq!(commented, Outcome::Commented { score: 5, comment: "Muito rápido, obrigado".into() });
        assert_eq!(next(stage, &commented), None);
    }

    #[test]
    fn stars_score_at_any_stage() {
        assert_eq!(answer(at_score(), Answer::Stars(3), &labels()), Outcome::Scored(3));
        assert_eq!(answer(Stage::Comment { score: 3 }, Answer::Stars(4), &labels()), Outcome::Scored(4));
        assert_eq!(answer(at_score(), Answer::Stars(0), &labels()), Outcome::Ignored);
        assert_eq!(answer(at_score(), Answer::Stars(6), &labels()), Outcome::Ignored);
    }

    #[test]
    fn free_text_is_asked_about_once_then_let_through() {
        let first = answer(at_score(), Answer::Text("e o meu pedido?"), &labels());
        assert_eq!(first, Outcome::AskAgain);
        let stage = next(at_score(), &first).unwrap();
        assert_eq!(stage, Stage::Score { reasked: true });
        assert_eq!(answer(stage, Answer::Text("4"), &labels()), Outcome::Scored(4));
        let second = answer(stage, Answer::Text("preciso de ajuda"), &labels());
        assert_eq!(second, Outcome::LetThrough);
        assert_eq!(next(stage, &second), None);
    }

    #[test]
    fn the_comment_may_be_declined_and_is_cut_to_its_limit() {
        let stage = Stage::Comment { score: 2 };
        for no in ["0", "Não", "nao.", "pular", "Sem comentários"] {
            assert_eq!(answer(stage, Answer::Text(no), &labels()), Outcome::NoComment { score: 2 }, "{no}");
        }
        assert_eq!(answer(stage, Answer::Text("   "), &labels()), Outcome::Ignored);
        let long = "a".repeat(MAX_COMMENT + 50);
        let Outcome::Commented { comment, .. } = answer(stage, Answer::Text(&long), &labels()) else { panic!() };
        assert_eq!(comment.chars().count(), MAX_COMMENT);
    }

    #[test]
    fn the_stage_is_stored_as_json_and_read_back() {
        for stage in [Stage::default(), Stage::Score { reasked: true }, Stage::Comment { score: 4 }] {
            let text = serde_json::to_string(&stage).unwrap();
            assert_eq!(serde_json::from_str::<Stage>(&text).unwrap(), stage);
        }
    }
}
