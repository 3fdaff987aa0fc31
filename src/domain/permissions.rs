//! Permissions of administrators: an area of the admin pages and an action on it.
//! Permission groups ("Grupos de usuários") hold sets of them; `*` means everything.

use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    Teams,
    Agents,
    Groups,
    Channels,
    Flows,
    Schedules,
    Tabulations,
    WordFilter,
    Pauses,
    Templates,
    Phrases,
    Tags,
    ContactFields,
    Settings,
    Reports,
    /// A summary report each ("Motivos de contato", "Agentes", "Nível de serviço"),
    /// granted apart from the history,
    /// which `Reports` opens on every team.
    ReasonsReport,
    AgentsReport,
    ServiceReport,
    /// "Histórico por protocolo": a demand's every conversation, on every team.
    ProtocolReport,
    Monitoring,
    /// "Notificações": the notification centre and its bell. Its causes belong to several
    /// areas (channels, teams, pauses, the survey), so it is an area of its own: a group
    /// may watch over every cause without being allowed to change channels or teams, and
    /// seeing a notification only ever leads to a page its own permission still guards.
    Notifications,
    /// "Integrações": the REST API's tokens and the outgoing webhooks, which reach every
    /// team's conversations from outside, so no other area implies them.
    Integrations,
    Audit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    View,
    Create,
    Edit,
    Delete,
}

const CRUD: &[Action] = &[Action::View, Action::Create, Action::Edit, Action::Delete];
const VIEW_EDIT: &[Action] = &[Action::View, Action::Edit];
const VIEW: &[Action] = &[Action::View];

impl Area {
    pub const ALL: [Area; 23] = [
        Area::Teams,
        Area::Agents,
        Area::Groups,
        Area::Channels,
        Area::Flows,
        Area::Schedules,
        Area::Tabulations,
        Area::WordFilter,
        Area::Pauses,
        Area::Templates,
        Area::Phrases,
        Area::Tags,
        Area::ContactFields,
        Area::Settings,
        Area::Reports,
        Area::ReasonsReport,
        Area::AgentsReport,
        Area::ServiceReport,
        Area::ProtocolReport,
        Area::Monitoring,
        Area::Notifications,
        Area::Integrations,
        Area::Audit,
    ];

    /// The name used in stored permissions, URLs and catalogue keys (`area-teams`).
    pub fn code(self) -> &'static str {
        match self {
            Area::Teams => "teams",
            Area::Agents => "agents",
            Area::Groups => "groups",
            Area::Channels => "channels",
            Area::Flows => "flows",
            Area::Schedules => "schedules",
            Area::Tabulations => "tabulations",
            Area::WordFilter => "word-filter",
            Area::Pauses => "pauses",
            Area::Templates => "templates",
            Area::Phrases => "phrases",
            Area::Tags => "tags",
            Area::ContactFields => "contact-fields",
            Area::Settings => "settings",
            Area::Reports => "reports",
            Area::ReasonsReport => "reports-reasons",
            Area::AgentsReport => "reports-agents",
            Area::ServiceReport => "reports-service-level",
            Area::ProtocolReport => "reports-protocol",
            Area::Monitoring => "monitoring",
            Area::Notifications => "notifications",
            Area::Integrations => "integrations",
            Area::Audit => "audit",
        }
    }

    /// The actions that make sense for the area.
    pub fn actions(self) -> &'static [Action] {
        match self {
            // Monitoring's edit is acting on the floor: ending a pause, finishing a conversation;
            // the notifications' is marking them read.
            Area::Settings | Area::Monitoring | Area::Notifications => VIEW_EDIT,
            Area::Reports
            | Area::ReasonsReport
            | Area::AgentsReport
            | Area::ServiceReport
            | Area::ProtocolReport
            | Area::Audit => VIEW,
            _ => CRUD,
        }
    }
}

/// The reports besides the history, by the code in their address (`/reports/reasons`),
/// and the area that grants each; the reports' home lists those the user's groups grant.
pub const REPORTS: [(&str, Area); 4] = [
    ("reasons", Area::ReasonsReport),
    ("agents", Area::AgentsReport),
    ("service-level", Area::ServiceReport),
    ("protocol", Area::ProtocolReport),
];

impl Action {
    pub fn code(self) -> &'static str {
        match self {
            Action::View => "view",
            Action::Create => "create",
            Action::Edit => "edit",
            Action::Delete => "delete",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Permission(pub Area, pub Action);

impl Permission {
    pub fn code(self) -> String {
        format!("{}:{}", self.0.code(), self.1.code())
    }

    pub fn parse(text: &str) -> Option<Permission> {
        let (area, action) = text.split_once(':')?;
        let area = Area::ALL.into_iter().find(|a| a.code() == area)?;
        let action = area.actions().iter().copied().find(|a| a.code() == action)?;
        Some(Permission(area, action))
    }

    /// Every permission there is, in display order.
    pub fn all() -> Vec<Permission> {
        Area::ALL.iter().flat_map(|area| area.actions().iter().map(move |action| Permission(*area, *action))).collect()
    }
}

/// What one administrator may do: the union of their groups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grants {
    everything: bool,
    set: BTreeSet<Permission>,
}

impl Grants {
    /// From the stored lists of the user's groups (JSON arrays of codes; `*` = all).
    pub fn from_codes<'a>(codes: impl IntoIterator<Item = &'a str>) -> Grants {
        let mut grants = Grants::default();
        for code in codes {
            if code == "*" {
                grants.everything = true;
            } else if let Some(p) = Permission::parse(code) {
                grants.set.insert(p);
            }
        }
        grants
    }

    pub fn everything() -> Grants {
        Grants { everything: true, set: BTreeSet::new() }
    }

    /// A permission to act implies seeing: `edit` without `view` still lets you view.
    pub fn allows(&self, p: Permission) -> bool {
        self.everything
            || self.set.contains(&p)
            || (p.1 == Action::View && p.0.actions().iter().any(|a| self.set.contains(&Permission(p.0, *a))))
    }

    /// Codes of everything allowed, for templates (`"teams:view" in perms`).
    pub fn codes(&self) -> Vec<String> {
        Permission::all().into_iter().filter(|p| self.allows(*p)).map(Permission::code).collect()
    }

    pub fn is_empty(&self) -> bool {
        !self.everything && self.set.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_are_dropped() {
        for p in Permission::all() {
            assert_eq!(Permission::parse(&p.code()), Some(p));
        }
        assert_eq!(Permission::parse("settings:delete"), None, "settings cannot be deleted");
        assert_eq!(Permission::parse("nope:view"), None);
        assert_eq!(Permission::all().len(), 14 * 4 + 3 * 2 + 6);
    }

    #[test]
    fn grants_union_and_implied_view() {
        let g = Grants::from_codes(["teams:edit", "tags:view", "garbage"]);
        assert!(g.allows(Permission(Area::Teams, Action::Edit)));
        assert!(g.allows(Permission(Area::Teams, Action::View)), "edit implies view");
        assert!(!g.allows(Permission(Area::Teams, Action::Delete)));
        assert!(!g.allows(Permission(Area::Agents, Action::View)));
        assert!(Grants::from_codes(["*"]).allows(Permission(Area::Audit, Action::View)));
        assert!(Grants::default().is_empty());
    }
}
