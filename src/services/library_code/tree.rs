//! Reading and writing the files of a tree: one JSON file per object, named after its
//! identity, in a folder per kind; files of objects that no longer exist are removed on export.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::domain::library_code::{
    ComponentFile, FORMAT, FolderFile, KINDS, LibraryFile, PackageFile, PublishedFile, is_identity,
    render,
};
use crate::error::AppError;

fn bad(message: String) -> AppError {
    AppError::BadRequest(message)
}

/// The files of one tree, as read.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    pub folders: Vec<FolderFile>,
    pub components: Vec<ComponentFile>,
    pub packages: Vec<PackageFile>,
    pub published: Vec<PublishedFile>,
}

/// Files to write: (kind folder, identity) → text.
#[derive(Debug, Default)]
pub(crate) struct Files(BTreeMap<(&'static str, String), String>);

impl Files {
    pub fn add<T: Serialize>(&mut self, kind: &'static str, id: &str, value: &T) {
        self.0.insert((kind, id.to_owned()), render(value));
    }

    /// Writes every file under `dir` (created when missing), rewriting only those whose text
    /// changed, and removes the `.json` files of the kind folders that were not written.
    /// Returns (written, removed).
    pub fn write(&self, dir: &Path) -> Result<(usize, usize), AppError> {
        let io = |path: &Path, e: std::io::Error| bad(format!("{}: {e}", path.display()));
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let mut written = 0;
        let mut removed = 0;
        let mut put = |path: PathBuf, text: &str| -> Result<(), AppError> {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
                std::fs::write(&path, text).map_err(|e| io(&path, e))?;
                written += 1;
            }
            Ok(())
        };
        put(
            dir.join("library.json"),
            &render(&LibraryFile {
                format: FORMAT.to_owned(),
            }),
        )?;
        for kind in KINDS {
            let folder = dir.join(kind);
            std::fs::create_dir_all(&folder).map_err(|e| io(&folder, e))?;
            for entry in std::fs::read_dir(&folder).map_err(|e| io(&folder, e))? {
                let path = entry.map_err(|e| io(&folder, e))?.path();
                let stale = path.extension().is_some_and(|e| e == "json")
                    && path
                        .file_stem()
                        .and_then(|s| s.to_str())
                        .is_none_or(|id| !self.0.contains_key(&(kind, id.to_owned())));
                if stale {
                    std::fs::remove_file(&path).map_err(|e| io(&path, e))?;
                    removed += 1;
                }
            }
        }
        for ((kind, id), text) in &self.0 {
            put(dir.join(kind).join(format!("{id}.json")), text)?;
        }
        Ok((written, removed))
    }
}

/// Reads a tree written by `export`: `library.json` must name the format, and each file's
/// name must be its `id`.
pub(crate) fn read(dir: &Path) -> Result<Tree, AppError> {
    let library = dir.join("library.json");
    let text = std::fs::read_to_string(&library).map_err(|e| {
        bad(format!(
            "{}: {e} (is {} a tree written by process-library export?)",
            library.display(),
            dir.display()
        ))
    })?;
    let head: LibraryFile = parse(&library, &text)?;
    if head.format != FORMAT {
        return Err(bad(format!(
            "{}: format {:?} is not {FORMAT:?}",
            library.display(),
            head.format
        )));
    }
    Ok(Tree {
        folders: read_kind(dir, "folders", |f: &FolderFile| &f.id)?,
        components: read_kind(dir, "components", |f: &ComponentFile| &f.id)?,
        packages: read_kind(dir, "packages", |f: &PackageFile| &f.id)?,
        published: read_kind(dir, "publications", |f: &PublishedFile| &f.id)?,
    })
}

fn parse<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, AppError> {
    serde_json::from_str(text).map_err(|e| bad(format!("{}: {e}", path.display())))
}

fn read_kind<T: DeserializeOwned>(
    dir: &Path,
    kind: &str,
    id: impl Fn(&T) -> &String,
) -> Result<Vec<T>, AppError> {
    let folder = dir.join(kind);
    if !folder.exists() {
        return Ok(Vec::new());
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map_err(|e| bad(format!("{}: {e}", folder.display())))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let text =
            std::fs::read_to_string(&path).map_err(|e| bad(format!("{}: {e}", path.display())))?;
        let file: T = parse(&path, &text)?;
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if !is_identity(id(&file)) || stem != id(&file).as_str() {
            return Err(bad(format!(
                "{}: its id {:?} must be its file name (letters, digits and dashes)",
                path.display(),
                id(&file)
            )));
        }
        files.push(file);
    }
    Ok(files)
}
