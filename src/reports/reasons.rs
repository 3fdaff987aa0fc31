//! "Motivos de contato" (F-RE-2): the period's closed conversations by reason and
//! sub-reason, as a table, a bar chart and a spreadsheet; every bar and row opens the
//! history report narrowed to it.

use serde::Serialize;

use super::chart::{bars, Bar, BarChart, Chart, Direction};
use super::criteria::FieldErrors;
use super::figures::{history_link, percent, share};
use super::period::{team_choices, PeriodQuery, PeriodTeam};
use super::sheet::{Cell, Table};
use crate::db::reports::options::Choice;
use crate::db::reports::reasons::{reasons, Reasons};
use crate::db::reports::Scope;
use crate::db::{Db, DbResult};
use crate::i18n::translate;

/// A row of the table: a reason (with its total) or one of its sub-reasons.
#[derive(Debug, Serialize)]
pub struct Line {
    pub reason: String,
    pub sub: Option<String>,
    pub team: String,
    pub conversations: i64,
    pub share: String,
    pub href: String,
}

#[derive(Debug, Serialize)]
pub struct ReasonsPage {
    pub filter: PeriodQuery,
    pub errors: FieldErrors,
    pub teams: Vec<Choice>,
    pub total: i64,
    pub unclassified: i64,
    pub lines: Vec<Line>,
    pub chart: Option<Chart>,
}

fn lines(data: &Reasons, checked: &PeriodTeam, lang: &str) -> Vec<Line> {
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let (from, until) = (day(checked.period.from), day(checked.period.until));
    let link = |extra: &[(&str, i64)]| history_link(&from, &until, checked.team_id, extra);
    let mut out = Vec::new();
    for r in &data.reasons {
        out.push(Line {
            reason: r.name.clone(),
            sub: None,
            team: r.team.clone(),
            conversations: r.conversations,
            share: percent(share(r.conversations, data.total), lang),
            href: link(&[("reason", r.id)]),
        });
        for s in &r.subs {
            out.push(Line {
                reason: r.name.clone(),
                sub: Some(s.name.clone()),
                team: r.team.clone(),
                conversations: s.conversations,
                share: percent(share(s.conversations, data.total), lang),
                href: link(&[("sub", s.id)]),
            });
        }
    }
    out
}

fn chart(lines: &[Line], lang: &str) -> Chart {
    let bars_of = lines.iter().filter(|l| l.sub.is_none()).map(|l| Bar {
        label: l.reason.clone(),
        value: l.conversations as f64,
        shown: format!("{} ({})", l.conversations, l.share),
        href: Some(l.href.clone()),
    });
    bars(&BarChart {
        title: translate(lang, "reports-reasons-chart"),
        category_axis: translate(lang, "reports-reason"),
        value_axis: translate(lang, "reports-conversations"),
        bars: bars_of.collect(),
        direction: Direction::Horizontal,
    })
}

pub async fn reasons_page(db: &Db, scope: Scope, query: PeriodQuery, lang: &'static str) -> DbResult<ReasonsPage> {
    db.read(move |conn| {
        let (filter, checked) = query.checked(conn)?;
        let mut page = ReasonsPage {
            filter,
            errors: FieldErrors::new(),
            teams: team_choices(conn)?,
            total: 0,
            unclassified: 0,
            lines: Vec::new(),
            chart: None,
        };
        match checked {
            Ok(c) => {
                let data = reasons(conn, scope, c.period.from_ms, c.period.until_ms, c.team_id)?;
                (page.total, page.unclassified) = (data.total, data.unclassified);
                page.lines = lines(&data, &c, lang);
                page.chart = Some(chart(&page.lines, lang));
            }
            Err(errors) => page.errors = errors,
        }
        Ok(page)
    })
    .await
}

/// The table as a spreadsheet holds it: reason, sub-reason, team, conversations, share.
pub fn reasons_table(
    conn: &rusqlite::Connection,
    scope: Scope,
    query: &PeriodQuery,
    lang: &str,
) -> DbResult<Result<(Table, String), FieldErrors>> {
    let c = match query.checked(conn)?.1 {
        Ok(c) => c,
        Err(errors) => return Ok(Err(errors)),
    };
    let data = reasons(conn, scope, c.period.from_ms, c.period.until_ms, c.team_id)?;
    let heading = |key: &str, width: f64| (translate(lang, key), width);
    let columns = vec![
        heading("reports-reason", 30.0),
        heading("reports-sub-reason", 30.0),
        heading("reports-col-team", 18.0),
        heading("reports-conversations", 13.0),
        heading("reports-share", 13.0),
    ];
    let rows = lines(&data, &c, lang)
        .into_iter()
        .map(|l| {
            vec![
                Cell::text(l.reason),
                Cell::text(l.sub.unwrap_or_default()),
                Cell::text(l.team),
                Cell::Number(Some(l.conversations)),
                Cell::Decimal(share(l.conversations, data.total)),
            ]
        })
        .collect();
    let table = Table {
        sheet: translate(lang, "reports-reasons-title"),
        file: translate(lang, "reports-reasons-file"),
        columns,
        rows,
    };
    Ok(Ok((table, c.days())))
}
