//! Who may see a conversation, as a pure rule: an agent of one team never sees another
//! team's conversation unless granted (history permission, invitation). `engine::access`
//! loads the two sides from the database for one request; a live stream keeps its
//! viewer in memory and shares each event's conversation with every other stream.

/// The side of the one looking: who they are and what they were granted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub user_id: i64,
    /// An administrator whose groups grant monitoring: sees the whole floor.
    pub supervisor: bool,
    /// The agent's history permission: `none`, `own` (own teams) or `all`.
    pub history_scope: String,
    /// The teams they are a member of.
    pub teams: Vec<i64>,
}

/// The side of the conversation that decides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub status: String,
    pub team_id: Option<i64>,
    pub agent_id: Option<i64>,
    /// Colleagues invited into it.
    pub participants: Vec<i64>,
}

impl Viewer {
    pub fn in_team(&self, team: Option<i64>) -> bool {
        team.is_some_and(|t| self.teams.contains(&t))
    }
}

/// Whether the viewer may see the conversation.
pub fn may_view(viewer: &Viewer, seen: &Seen) -> bool {
    let me = viewer.user_id;
    if viewer.supervisor || seen.agent_id == Some(me) || seen.participants.contains(&me) {
        return true;
    }
    let in_team = viewer.in_team(seen.team_id);
    match seen.status.as_str() {
        // Open work of the team is visible to its members (queues, colleagues' chats).
        "bot" | "waiting" | "active" | "pending" => in_team,
        // History follows the agent's history permission.
        _ => match viewer.history_scope.as_str() {
            "all" => true,
            "own" => in_team,
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(scope: &str, teams: &[i64]) -> Viewer {
        Viewer { user_id: 7, supervisor: false, history_scope: scope.into(), teams: teams.to_vec() }
    }

    fn seen(status: &str, team: Option<i64>, agent: Option<i64>, participants: &[i64]) -> Seen {
        Seen { status: status.into(), team_id: team, agent_id: agent, participants: participants.to_vec() }
    }

    #[test]
    fn open_work_is_the_teams_and_history_follows_the_permission() {
        assert!(may_view(&viewer("none", &[1]), &seen("waiting", Some(1), None, &[])));
        assert!(!may_view(&viewer("all", &[1]), &seen("waiting", Some(2), None, &[])), "another team's queue");
        assert!(!may_view(&viewer("none", &[1]), &seen("closed", Some(1), None, &[])));
        assert!(may_view(&viewer("own", &[1]), &seen("closed", Some(1), None, &[])));
        assert!(!may_view(&viewer("own", &[1]), &seen("closed", Some(2), None, &[])));
        assert!(may_view(&viewer("all", &[]), &seen("closed", None, None, &[])));
        assert!(!may_view(&viewer("own", &[1]), &seen("bot", None, None, &[])), "nobody's team");
    }

    #[test]
    fn the_holder_an_invited_colleague_and_a_supervisor_always_see_it() {
        assert!(may_view(&viewer("none", &[]), &seen("closed", Some(2), Some(7), &[])));
        assert!(may_view(&viewer("none", &[]), &seen("active", Some(2), Some(3), &[7])));
        let supervisor = Viewer { supervisor: true, ..viewer("none", &[]) };
        assert!(may_view(&supervisor, &seen("active", Some(2), Some(3), &[])));
    }
}
