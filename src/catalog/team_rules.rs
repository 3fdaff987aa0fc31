//! A team's own rules on its page ("Equipes"): the satisfaction survey (the company's,
//! on or off) and inactivity (the company's auto-close, or the team's own minutes and
//! messages). Saved with the team, in its transaction and its audit entry.

use rocket::form::FromForm;
use serde::Serialize;

use crate::db::team_rules::TeamRules;
use crate::domain::fields::{self, FieldErrors};
use crate::domain::inactivity::{Rules, MAX_MINUTES};

/// The rules as typed, kept as typed so a refused form shows them again. A form
/// without them (a page loaded before) saves the company's defaults.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct RulesDraft {
    /// "" (the company's), "on" or "off".
    #[field(default = String::new())]
    pub survey: String,
    #[field(default = false)]
    pub own_inactivity: bool,
    #[field(default = String::new())]
    pub close_minutes: String,
    #[field(default = String::new())]
    pub closing_message: String,
    #[field(default = String::new())]
    pub warning_minutes: String,
    #[field(default = String::new())]
    pub warning_message: String,
    #[field(default = String::new())]
    pub pending_minutes: String,
    #[field(default = String::new())]
    pub unassigned_alert_minutes: String,
    #[field(default = String::new())]
    pub give_back_minutes: String,
}

fn minutes(n: i64) -> String {
    if n == 0 {
        String::new()
    } else {
        n.to_string()
    }
}

impl RulesDraft {
    pub fn of(rules: &TeamRules) -> RulesDraft {
        let survey = match rules.survey_enabled {
            None => "",
            Some(true) => "on",
            Some(false) => "off",
        };
        let own = rules.inactivity.clone().unwrap_or_default();
        RulesDraft {
            survey: survey.into(),
            own_inactivity: rules.inactivity.is_some(),
            close_minutes: minutes(own.close_minutes),
            closing_message: own.closing_message,
            warning_minutes: minutes(own.warning_minutes),
            warning_message: own.warning_message,
            pending_minutes: minutes(own.pending_minutes),
            unassigned_alert_minutes: minutes(own.unassigned_alert_minutes),
            give_back_minutes: minutes(own.give_back_minutes),
        }
    }

    /// The rules, or the fields' errors added to `errors`.
    pub fn validate(&self, errors: &mut FieldErrors) -> TeamRules {
        let survey_enabled = match self.survey.as_str() {
            "" => None,
            "on" => Some(true),
            "off" => Some(false),
            _ => {
                errors.insert("rules.survey", "teams-survey-invalid");
                None
            }
        };
        let mut m = |field, value: &str| fields::number(errors, field, value, 0, MAX_MINUTES, false).unwrap_or(0);
        let rules = Rules {
            close_minutes: m("rules.close_minutes", &self.close_minutes),
            warning_minutes: m("rules.warning_minutes", &self.warning_minutes),
            pending_minutes: m("rules.pending_minutes", &self.pending_minutes),
            unassigned_alert_minutes: m("rules.unassigned_alert_minutes", &self.unassigned_alert_minutes),
            give_back_minutes: m("rules.give_back_minutes", &self.give_back_minutes),
            closing_message: fields::optional_text(errors, "rules.closing_message", &self.closing_message, 1000),
            warning_message: fields::optional_text(errors, "rules.warning_message", &self.warning_message, 1000),
        };
        if self.own_inactivity && rules.warning_minutes > 0 {
            if rules.close_minutes == 0 || rules.warning_minutes >= rules.close_minutes {
                errors.insert("rules.warning_minutes", "teams-warning-before-close");
            } else if rules.warning_message.is_empty() {
                errors.insert("rules.warning_message", "teams-warning-message-required");
            }
        }
        TeamRules { survey_enabled, inactivity: self.own_inactivity.then_some(rules) }
    }
}
