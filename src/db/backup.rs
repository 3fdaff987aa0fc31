//! `atende backup FILE`: a consistent copy of the live database through SQLite's
//! online backup API, written beside the target and renamed into place.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::DbResult;

pub fn backup_to(database: &Path, target: &Path) -> DbResult<()> {
    let source = Connection::open_with_flags(database, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    source.busy_timeout(Duration::from_secs(5))?;
    let partial = target.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    super::create_private(&partial)?;
    {
        let mut dest = Connection::open(&partial)?;
        let backup = rusqlite::backup::Backup::new(&source, &mut dest)?;
        // Copy in steps so writers of the live server are not held up.
        backup.run_to_completion(256, Duration::from_millis(5), None)?;
    }
    std::fs::rename(&partial, target)?;
    Ok(())
}
