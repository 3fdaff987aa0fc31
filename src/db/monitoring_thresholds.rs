//! `monitoring_thresholds`: a team's queue thresholds on "Monitoramento" — a longest
//! wait and a count waiting past which its queue is shown red. A team without a row
//! has none.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::DbResult;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Thresholds {
    pub longest_wait_seconds: Option<i64>,
    pub waiting_count: Option<i64>,
}

impl Thresholds {
    /// Whether a queue passes each: (its longest wait, its count waiting).
    pub fn passed(&self, waiting: i64, longest_wait_ms: i64) -> (bool, bool) {
        (
            self.longest_wait_seconds.is_some_and(|s| waiting > 0 && longest_wait_ms > s * 1000),
            self.waiting_count.is_some_and(|n| waiting > n),
        )
    }
}

pub fn of_team(conn: &Connection, team_id: i64) -> DbResult<Thresholds> {
    Ok(conn
        .query_row(
            "SELECT longest_wait_seconds, waiting_count FROM monitoring_thresholds WHERE team_id = ?1",
            [team_id],
            |r| Ok(Thresholds { longest_wait_seconds: r.get(0)?, waiting_count: r.get(1)? }),
        )
        .optional()?
        .unwrap_or_default())
}

/// Sets a team's thresholds; none at all removes its row.
pub fn save(conn: &Connection, team_id: i64, t: Thresholds) -> DbResult<()> {
    if t == Thresholds::default() {
        conn.execute("DELETE FROM monitoring_thresholds WHERE team_id = ?1", [team_id])?;
        return Ok(());
    }
    conn.execute(
        "INSERT INTO monitoring_thresholds (team_id, longest_wait_seconds, waiting_count) VALUES (?1, ?2, ?3)
         ON CONFLICT(team_id) DO UPDATE SET longest_wait_seconds = excluded.longest_wait_seconds,
             waiting_count = excluded.waiting_count",
        params![team_id, t.longest_wait_seconds, t.waiting_count],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queue_passes_a_threshold_only_beyond_it() {
        let t = Thresholds { longest_wait_seconds: Some(120), waiting_count: Some(5) };
        assert_eq!(t.passed(5, 120_000), (false, false), "reaching it is not passing it");
        assert_eq!(t.passed(6, 120_001), (true, true));
        assert_eq!(Thresholds::default().passed(100, 10_000_000), (false, false));
        assert_eq!(t.passed(0, 999_999), (false, false), "an empty queue waits for nobody");
    }
}
