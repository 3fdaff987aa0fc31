//! The IMAP poller: reads the folder past the last UID it confirmed, one `Polled` per
//! mail with the cursor after it, so a crash never loses or repeats one. The cursor is
//! `uidvalidity:uid`: after any downtime it asks for everything past that UID; when the
//! folder's UIDVALIDITY changes (the folder was rebuilt, its UIDs mean other mails) it
//! starts again from the first mail, and de-duplication by Message-ID keeps what was
//! stored before from being stored twice. The folder is only EXAMINEd and fetched
//! with PEEK: Atende leaves the mailbox (its \Seen flags) as people see it.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::connection::{self, Session};
use super::mail::{self, Mail};
use super::settings::Settings;
use crate::channels::{PollError, Polled, Poller};

/// A mail larger than this is not loaded whole: its start gives the text, with a note.
const MAX_MAIL_BYTES: u32 = 24 * 1024 * 1024;
/// How much of a mail too large is read.
const START_OF_LARGE_MAIL: u32 = 512 * 1024;
/// At most this many mails per poll, and no new fetch once a poll has taken this long,
/// so a poll returns well within the 30 s a shutdown waits.
const MAILS_PER_POLL: usize = 50;
const POLL_BUDGET: Duration = Duration::from_secs(15);
/// The longest sleep inside one poll.
const LONGEST_SLEEP: Duration = Duration::from_secs(25);

/// Where the poller stands in the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cursor {
    validity: u32,
    uid: u32,
}

impl Cursor {
    fn parse(text: &str) -> Option<Cursor> {
        let (validity, uid) = text.split_once(':')?;
        Some(Cursor { validity: validity.parse().ok()?, uid: uid.parse().ok()? })
    }

    fn text(self) -> String {
        format!("{}:{}", self.validity, self.uid)
    }

    /// The last UID already taken in a folder of `validity`: 0 (everything) when the
    /// cursor is of another UIDVALIDITY or there is none.
    fn last_uid(cursor: Option<&str>, validity: u32) -> u32 {
        cursor.and_then(Cursor::parse).filter(|c| c.validity == validity).map_or(0, |c| c.uid)
    }
}

pub struct EmailPoller {
    settings: Settings,
    /// The last poll found nothing: the next one waits the poll interval first.
    found_nothing: bool,
}

impl EmailPoller {
    pub fn new(settings: Settings) -> EmailPoller {
        EmailPoller { settings, found_nothing: false }
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(self.settings.poll_interval_secs.max(1))
    }

    /// One poll on a connection of its own: a server that went away while the poller
    /// slept is found at once (refused), not after a read on a dead connection times out.
    fn fetch(&mut self, cursor: Option<&str>) -> Result<Vec<Polled>, String> {
        let mut session = connection::sign_in(&self.settings)?;
        let batch = new_mail(&mut session, &self.settings, cursor)?;
        let _ = session.logout();
        Ok(batch)
    }
}

impl Poller for EmailPoller {
    fn poll(&mut self, cursor: Option<&str>) -> Result<Vec<Polled>, PollError> {
        if self.found_nothing {
            std::thread::sleep(self.interval().min(LONGEST_SLEEP));
        }
        match self.fetch(cursor) {
            Ok(batch) => {
                self.found_nothing = batch.is_empty();
                Ok(batch)
            }
            Err(reason) => {
                self.found_nothing = false;
                // A mailbox is tried again after the poll interval, not switched off.
                Err(PollError { after: Some(self.interval()), reason, unauthorized: false })
            }
        }
    }
}

/// The mails of the folder past the cursor, in UID order, each read.
fn new_mail(session: &mut Session, settings: &Settings, cursor: Option<&str>) -> Result<Vec<Polled>, String> {
    let folder = &settings.folder;
    let failed = |e: imap::Error| format!("IMAP {folder}: {e}");
    let mailbox = session.examine(folder).map_err(failed)?;
    let validity = mailbox.uid_validity.unwrap_or(0);
    let last = Cursor::last_uid(cursor, validity);
    if mailbox.exists == 0 || mailbox.uid_next.is_some_and(|next| next <= last + 1) {
        return Ok(Vec::new());
    }
    // `last+1:*` always names the newest mail, even one at or below `last`: filtered.
    let mut uids: Vec<u32> =
        session.uid_search(format!("UID {}:*", last + 1)).map_err(failed)?.into_iter().filter(|u| *u > last).collect();
    uids.sort_unstable();
    uids.truncate(MAILS_PER_POLL);
    if uids.is_empty() {
        return Ok(Vec::new());
    }
    let set = uids.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
    let sizes: HashMap<u32, u32> = session
        .uid_fetch(&set, "(UID RFC822.SIZE)")
        .map_err(failed)?
        .iter()
        .filter_map(|f| Some((f.uid?, f.size.unwrap_or(0))))
        .collect();
    let started = Instant::now();
    let mut batch = Vec::new();
    for uid in uids {
        if started.elapsed() > POLL_BUDGET {
            break;
        }
        let size = sizes.get(&uid).copied().unwrap_or(0);
        let (query, cut) = if size > MAX_MAIL_BYTES {
            (format!("(UID BODY.PEEK[]<0.{START_OF_LARGE_MAIL}>)"), Some(u64::from(size)))
        } else {
            ("(UID BODY.PEEK[])".to_string(), None)
        };
        let fetched = session.uid_fetch(uid.to_string(), query).map_err(failed)?;
        // A mail the server names but does not hand over is never moved past.
        let Some(raw) = fetched.iter().find(|f| f.uid == Some(uid)).and_then(|f| f.body()) else {
            return Err(format!("IMAP {folder}: the server did not send the mail of UID {uid}"));
        };
        let cursor = Cursor { validity, uid }.text();
        let inbound = match mail::read(raw, &settings.address, cut) {
            Mail::Message(inbound) => Some(*inbound),
            Mail::Ignored(why) => {
                // An auto-reply or bulk mail is never answered: moved past.
                tracing::info!(folder = %folder, uid, why, "mail moved past");
                None
            }
        };
        batch.push(Polled { cursor, inbound });
    }
    Ok(batch)
}

/// How many mails the folder holds (the connection test).
pub(super) fn count(settings: &Settings) -> Result<u32, String> {
    let mut session = connection::sign_in(settings)?;
    let folder = &settings.folder;
    let mailbox = session.examine(folder).map_err(|e| format!("IMAP {folder}: {e}"))?;
    let _ = session.logout();
    Ok(mailbox.exists)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_holds_uidvalidity_and_the_last_uid() {
        let c = Cursor { validity: 1796141324, uid: 42 };
        assert_eq!(Cursor::parse(&c.text()), Some(c));
        assert_eq!(Cursor::last_uid(Some("1796141324:42"), 1796141324), 42);
        // A rebuilt folder starts again from its first mail.
        assert_eq!(Cursor::last_uid(Some("1796141324:42"), 7), 0);
        assert_eq!(Cursor::last_uid(None, 7), 0);
        for bad in ["", "42", "a:b", "1:-1", "1:2:3"] {
            assert_eq!(Cursor::last_uid(Some(bad), 1), 0, "{bad}");
        }
    }
}
