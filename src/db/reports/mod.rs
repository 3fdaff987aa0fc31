//! Read models of the reports: what each report page, export and PDF shows, loaded in a
//! fixed number of queries whatever the page holds.

pub mod history;
pub mod options;
pub mod reasons;

/// Whose conversations a report covers: those `user_id` may see by the history rule of
/// `db::history` (held, invited, their history permission), or every one (`sees_all`:
/// groups that grant the reports or monitoring).
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub user_id: i64,
    pub sees_all: bool,
}
