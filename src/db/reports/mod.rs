//! Read models of the reports: what each report page, export and PDF shows, loaded in a
//! fixed number of queries whatever the page holds.

pub mod agents;
pub mod history;
pub mod options;
pub mod reasons;
pub mod service;
pub mod today;

/// Whose conversations a report covers: those `user_id` may see by the history rule of
/// `db::history` (held, invited, their history permission), or every one (`sees_all`:
/// groups that grant the reports or monitoring).
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub user_id: i64,
    pub sees_all: bool,
}

/// Closed in `[?1, ?2)`, of team `?3` or any, and seen by the viewer (`?4` the user,
/// `?5` whether they see every team), over `conversations c`: a summary report never
/// counts a conversation its drill-down into the history would not list.
pub(crate) fn closed_in_period() -> String {
    let visible = crate::db::history::VISIBLE.replace("?1", "?4").replace("?2", "?5");
    format!(
        "c.status = 'closed' AND c.closed_at >= ?1 AND c.closed_at < ?2 AND (?3 IS NULL OR c.team_id = ?3) AND {visible}"
    )
}

/// What every summary report reads by: the period `[from_ms, until_ms)` and a team.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub from_ms: i64,
    pub until_ms: i64,
    pub team_id: Option<i64>,
}
