//! The SQLite database's files are readable and writable by their owner only: the database,
//! its write-ahead log and shared-memory index (SQLite creates those with the database file's
//! mode), and backups.

use std::fs::{self, File, OpenOptions, Permissions};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Owner read and write, nothing for anyone else.
pub const PRIVATE: u32 = 0o600;

/// Creates the database file with mode 0600 when it is missing, and gives mode 0600 to the
/// database, log and index files that exist already (made by an earlier release).
pub fn make_private(path: &str) -> Result<(), String> {
    let file = Path::new(path);
    let missing_dir = file
        .parent()
        .is_some_and(|dir| !dir.as_os_str().is_empty() && !dir.exists());
    if missing_dir {
        // Opening reports the missing directory in its own words.
        return Ok(());
    }
    if !file.exists() {
        create_private(file).map_err(|e| format!("cannot create {path}: {e}"))?;
    }
    for suffix in ["", "-wal", "-shm"] {
        let name = format!("{path}{suffix}");
        if Path::new(&name).exists() {
            fs::set_permissions(&name, Permissions::from_mode(PRIVATE))
                .map_err(|e| format!("cannot make {name} private: {e}"))?;
        }
    }
    Ok(())
}

/// A new, empty file with mode 0600; an existing file is refused, never overwritten.
pub fn create_private(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(PRIVATE)
        .open(path)
}
