//! Who gets the next conversation of a team with automatic distribution: among the
//! members online, not paused and below capacity, the least busy; ties go to the one
//! idle the longest (assigned least recently, never assigned first); a conversation
//! given back unanswered passes over the agent who had it while someone else can take it.

/// A team member as routing sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub user_id: i64,
    /// `online`, `paused` or `offline`.
    pub status: String,
    pub capacity: i64,
    /// Conversations in service now (pending ones do not count).
    pub active: i64,
    pub last_assigned_at: Option<i64>,
}

pub fn choose(candidates: &[Candidate]) -> Option<i64> {
    candidates
        .iter()
        .filter(|c| c.status == "online" && c.active < c.capacity)
        .min_by_key(|c| (c.active, c.last_assigned_at.unwrap_or(i64::MIN), c.user_id))
        .map(|c| c.user_id)
}

/// As `choose`, passing over `not` — the agent who gave the conversation back to the
/// queue unanswered — while another member can take it; alone online, they get it.
pub fn choose_other_than(candidates: &[Candidate], not: Option<i64>) -> Option<i64> {
    let others: Vec<Candidate> = candidates.iter().filter(|c| Some(c.user_id) != not).cloned().collect();
    choose(&others).or_else(|| choose(candidates))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(user_id: i64, status: &str, capacity: i64, active: i64, last: Option<i64>) -> Candidate {
        Candidate { user_id, status: status.into(), capacity, active, last_assigned_at: last }
    }

    #[test]
    fn least_busy_then_longest_idle() {
        let all = [c(1, "online", 5, 2, Some(10)), c(2, "online", 5, 1, Some(50)), c(3, "online", 5, 1, Some(20))];
        assert_eq!(choose(&all), Some(3));
        let never = [c(1, "online", 5, 0, Some(10)), c(2, "online", 5, 0, None)];
        assert_eq!(choose(&never), Some(2));
    }

    #[test]
    fn paused_offline_and_full_agents_are_skipped() {
        let all = [c(1, "paused", 5, 0, None), c(2, "offline", 5, 0, None), c(3, "online", 2, 2, None)];
        assert_eq!(choose(&all), None);
        let one = [c(1, "paused", 5, 0, None), c(4, "online", 3, 2, Some(1))];
        assert_eq!(choose(&one), Some(4));
    }

    #[test]
    fn a_conversation_given_back_goes_to_someone_else_while_anyone_else_can_take_it() {
        let two = [c(1, "online", 5, 0, Some(10)), c(2, "online", 5, 3, Some(50))];
        assert_eq!(choose(&two), Some(1));
        assert_eq!(choose_other_than(&two, Some(1)), Some(2), "busier, but not the one who did not answer");
        let full = [c(1, "online", 5, 0, None), c(2, "online", 3, 3, None), c(3, "paused", 5, 0, None)];
        assert_eq!(choose_other_than(&full, Some(1)), Some(1), "nobody else can: back to them");
        assert_eq!(choose_other_than(&two, None), Some(1));
    }
}
