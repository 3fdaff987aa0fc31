//! What a REST API token may do: read or write one resource each (contacts,
//! conversations, messages, reports, teams and agents). A token holds a set of scopes;
//! writing a resource implies reading it. And the API's opaque page cursor.

use std::collections::BTreeSet;

use base64::Engine;

/// What the API serves, each its own scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resource {
    Contacts,
    Conversations,
    Messages,
    Reports,
    /// Teams and agents (with each agent's status): read only.
    Teams,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Access {
    Read,
    Write,
}

impl Resource {
    pub const ALL: [Resource; 5] =
        [Resource::Contacts, Resource::Conversations, Resource::Messages, Resource::Reports, Resource::Teams];

    pub fn code(self) -> &'static str {
        match self {
            Resource::Contacts => "contacts",
            Resource::Conversations => "conversations",
            Resource::Messages => "messages",
            Resource::Reports => "reports",
            Resource::Teams => "teams",
        }
    }

    /// The accesses a token may be given: reports, teams and agents are only read.
    pub fn accesses(self) -> &'static [Access] {
        match self {
            Resource::Reports | Resource::Teams => &[Access::Read],
            _ => &[Access::Read, Access::Write],
        }
    }
}

impl Access {
    pub fn code(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Write => "write",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Scope(pub Resource, pub Access);

impl Scope {
    /// `contacts:write`, as stored and shown.
    pub fn code(self) -> String {
        format!("{}:{}", self.0.code(), self.1.code())
    }

    pub fn parse(text: &str) -> Option<Scope> {
        let (resource, access) = text.split_once(':')?;
        let resource = Resource::ALL.into_iter().find(|r| r.code() == resource)?;
        let access = resource.accesses().iter().copied().find(|a| a.code() == access)?;
        Some(Scope(resource, access))
    }

    /// Every scope there is, in the form's order.
    pub fn all() -> Vec<Scope> {
        Resource::ALL.iter().flat_map(|r| r.accesses().iter().map(move |a| Scope(*r, *a))).collect()
    }
}

/// The scopes of one token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scopes(BTreeSet<Scope>);

impl Scopes {
    /// From stored or typed codes; what is no scope is left out (`parse_all` refuses it).
    pub fn from_codes<'a>(codes: impl IntoIterator<Item = &'a str>) -> Scopes {
        Scopes(codes.into_iter().filter_map(Scope::parse).collect())
    }

    /// Typed codes, or the first that is no scope.
    pub fn parse_all<'a>(codes: impl IntoIterator<Item = &'a str>) -> Result<Scopes, String> {
        codes.into_iter().map(|c| Scope::parse(c).ok_or_else(|| c.to_string())).collect::<Result<_, _>>().map(Scopes)
    }

    /// Writing a resource implies reading it.
    pub fn allows(&self, wanted: Scope) -> bool {
        self.0.contains(&wanted) || (wanted.1 == Access::Read && self.0.contains(&Scope(wanted.0, Access::Write)))
    }

    pub fn codes(&self) -> Vec<String> {
        self.0.iter().map(|s| s.code()).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What every token begins with, so a secret scanner (or a person) recognises one.
pub const TOKEN_PREFIX: &str = "atd_";

/// Whether `text` has a token's shape: the prefix and 43 URL-safe characters.
pub fn looks_like_token(text: &str) -> bool {
    text.strip_prefix(TOKEN_PREFIX).is_some_and(|rest| {
        rest.len() == 43 && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// A page cursor as clients see it: opaque, the last id of the page before.
pub fn cursor_after(id: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("after:{id}"))
}

/// The id a cursor continues after; `None` when it is not one of ours.
pub fn cursor_id(cursor: &str) -> Option<i64> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cursor.trim()).ok()?;
    String::from_utf8(bytes).ok()?.strip_prefix("after:")?.parse().ok().filter(|id: &i64| *id >= 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_implies_read_and_read_only_resources_have_no_write() {
        let scopes = Scopes::from_codes(["contacts:write", "teams:read", "teams:write", "nothing"]);
        assert!(scopes.allows(Scope(Resource::Contacts, Access::Read)));
        assert!(scopes.allows(Scope(Resource::Contacts, Access::Write)));
        assert!(!scopes.allows(Scope(Resource::Conversations, Access::Read)));
        assert!(!scopes.allows(Scope(Resource::Teams, Access::Write)), "teams are only read");
        assert_eq!(scopes.codes(), vec!["contacts:write", "teams:read"]);
        assert_eq!(Scopes::parse_all(["reports:write"]), Err("reports:write".to_string()));
        assert_eq!(Scope::all().len(), 8);
    }

    #[test]
    fn tokens_have_a_recognisable_shape() {
        assert!(looks_like_token(&format!("atd_{}", "a".repeat(43))));
        assert!(!looks_like_token(&format!("atd_{}", "a".repeat(42))));
        assert!(!looks_like_token(&format!("xyz_{}", "a".repeat(43))));
        assert!(!looks_like_token(&format!("atd_{}é", "a".repeat(41))));
    }

    #[test]
    fn a_cursor_goes_back_to_its_id_and_nothing_else_is_one() {
        assert_eq!(cursor_id(&cursor_after(42)), Some(42));
        assert_eq!(cursor_id("42"), None);
        assert_eq!(cursor_id(""), None);
        assert_eq!(cursor_id(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("after:-1")), None);
    }
}
