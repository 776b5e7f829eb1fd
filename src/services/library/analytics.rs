//! Install analytics of a published process: per installation, how many of its copies the
//! account changed since it installed (or last updated), how many it left untouched, and how
//! many it deleted; readable as a page and as CSV.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::db;
use crate::db::ids::*;
use crate::db::library::PublishedProcess;
use crate::error::AppError;
use crate::services::Ctx;

/// One installation's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallStats {
    pub account: String,
    pub local_name: String,
    pub version: i32,
    pub installed_at: NaiveDateTime,
    pub copies: usize,
    pub modified: usize,
    pub untouched: usize,
    pub deleted: usize,
    /// Connections of the account used instead of copies.
    pub bound: usize,
}

/// The figures of every installation of a process of the caller's account, by account.
pub fn of_process(
    ctx: &Ctx,
    component_id: &ComponentId,
) -> Result<(PublishedProcess, Vec<InstallStats>), AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    ctx.read(|conn| {
        let process = super::published_process(conn, caller, component_id)?;
        let rows = db::browse::list_all_process_installations(conn, &process.id)?;
        let installations = super::named_for_publisher(conn, caller.account_id(), rows)?;
        let mut stats: BTreeMap<InstallationId, InstallStats> = installations
            .iter()
            .map(|(i, account)| {
                (
                    i.id.clone(),
                    InstallStats {
                        account: account.clone(),
                        local_name: i.local_name.clone(),
                        version: i.sequence,
                        installed_at: i.installed_at,
                        copies: 0,
                        modified: 0,
                        untouched: 0,
                        deleted: 0,
                        bound: 0,
                    },
                )
            })
            .collect();
        for (id, revision, copy_revision, deleted, bound) in
            db::browse::copy_states(conn, &process.id)?
        {
            let Some(s) = stats.get_mut(&id) else {
                continue;
            };
            if bound {
                s.bound += 1;
                continue;
            }
            s.copies += 1;
            match revision {
                _ if deleted => s.deleted += 1,
                Some(r) if r > copy_revision => s.modified += 1,
                _ => s.untouched += 1,
            }
        }
        let ordered = installations
            .iter()
            .filter_map(|(i, _)| stats.remove(&i.id))
            .collect();
        Ok((process, ordered))
    })
}

/// A CSV cell safe to open in a spreadsheet: text starting with `=`, `+`, `-`, `@`, a tab or
/// a carriage return is prefixed with `'`, so that it is never read as a formula.
pub fn csv_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The figures as CSV, one row per installation after a header row.
pub fn to_csv(stats: &[InstallStats]) -> Result<String, AppError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::Internal(e.to_string());
    out.write_record([
        "Account",
        "Installed As",
        "Version",
        "Installed On",
        "Copies",
        "Modified Since Install",
        "Untouched",
        "Deleted",
        "Connections Of The Account",
    ])
    .map_err(fail)?;
    for s in stats {
        out.write_record([
            csv_cell(&s.account),
            csv_cell(&s.local_name),
            s.version.to_string(),
            s.installed_at.format("%Y-%m-%d %H:%M").to_string(),
            s.copies.to_string(),
            s.modified.to_string(),
            s.untouched.to_string(),
            s.deleted.to_string(),
            s.bound.to_string(),
        ])
        .map_err(fail)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_escaped_and_commas_quoted() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("Acme Retail"), "Acme Retail");
        let row = InstallStats {
            account: "=cmd|' /C calc'!A0".into(),
            local_name: "Sync, nightly".into(),
            version: 2,
            installed_at: NaiveDateTime::default(),
            copies: 3,
            modified: 1,
            untouched: 2,
            deleted: 0,
            bound: 0,
        };
        let csv = to_csv(&[row]).expect("csv");
        let line = csv.lines().nth(1).expect("a row");
        assert!(
            line.starts_with("'=cmd|' /C calc'!A0,\"Sync, nightly\",2,"),
            "{line}"
        );
    }
}
