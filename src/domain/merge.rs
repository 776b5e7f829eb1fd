//! Comparing and merging versions of a component, field by field: the two-way difference of
//! *Compare with source* and *Compare Publication*, and the three-way merge of *Update*
//! (base = what was installed, theirs = the latest publication, mine = the copy now).
//!
//! A version is a component's description and its typed body; each top-level field of the body
//! is one field. Secret fields are never compared (their sealed values differ for every copy):
//! they are blanked first, and [`fill_secrets`] puts the right sealed values back afterwards.
//! References must already point at the same ids on every side (the caller rewires the
//! publication's bodies to the copy's ids first).

use serde_json::{Map, Value};

use super::build::{Body, PropertyKind};

/// One version of a component: what a merge compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub description: String,
    pub body: Body,
}

/// How one field (or one component) differs across the three sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// The same on every side, or changed the same way on both.
    Unchanged,
    /// Changed upstream only: the new version's value is taken.
    TakesTheirs,
    /// Changed here only: the copy's value is kept.
    KeptMine,
    /// Changed upstream and here, differently: someone must choose.
    Conflict,
    /// (A whole component only.) Changed upstream and here in different fields: both kept.
    Combined,
}

impl State {
    pub fn label(self) -> &'static str {
        match self {
            Self::Unchanged => "Unchanged",
            Self::TakesTheirs => "Takes the new version",
            Self::KeptMine => "Changed here only: kept",
            Self::Conflict => "Changed in both: choose",
            Self::Combined => "Changed in both, in different fields: merged",
        }
    }
}

/// Which side wins a conflicting field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Choice {
    KeepMine,
    TakeTheirs,
}

impl Choice {
    pub fn code(self) -> &'static str {
        match self {
            Self::KeepMine => "mine",
            Self::TakeTheirs => "theirs",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "mine" => Some(Self::KeepMine),
            "theirs" => Some(Self::TakeTheirs),
            _ => None,
        }
    }
}

/// One field across the three sides (`None` where a side lacks the field).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldMerge {
    /// The field's key: `description` or a body field such as `shapes`.
    pub key: String,
    pub base: Option<Value>,
    pub theirs: Option<Value>,
    pub mine: Option<Value>,
    pub state: State,
}

/// One field that differs between two sides.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub key: String,
    pub older: Option<Value>,
    pub newer: Option<Value>,
}

/// The comparable fields of a version, secrets blanked, in a stable order (description first,
/// then the body's fields by name).
fn fields(version: &Version) -> Vec<(String, Value)> {
    let mut body = version.body.clone();
    blank_secrets(&mut body);
    let mut out = vec![(
        "description".to_owned(),
        Value::String(version.description.clone()),
    )];
    if let Ok(Value::Object(map)) = serde_json::to_value(&body) {
        out.extend(map.into_iter().filter(|(key, _)| key != "type"));
    }
    out
}

fn field_map(version: &Version) -> Map<String, Value> {
    fields(version).into_iter().collect()
}

/// Every key of the given sides, description first and then by name.
fn keys(sides: &[&Map<String, Value>]) -> Vec<String> {
    let mut keys: Vec<String> = sides.iter().flat_map(|m| m.keys().cloned()).collect();
    keys.sort_by_key(|k| (k != "description", k.clone()));
    keys.dedup();
    keys
}

/// Empties every secret field (sealed values are never compared or shown).
pub fn blank_secrets(body: &mut Body) {
    match body {
        Body::Connection { password, .. } => *password = None,
        Body::ProcessProperty { properties } => properties
            .iter_mut()
            .filter(|p| p.kind == PropertyKind::Password)
            .for_each(|p| p.value.clear()),
        _ => {}
    }
}

/// Puts sealed values back into the blank secret fields of `target`, from the first of
/// `sources` that holds one (by property name for process properties). Secrets set on the
/// copy come first in `sources`, so they are always kept.
pub fn fill_secrets(target: &mut Body, sources: &[&Body]) {
    match target {
        Body::Connection { password, .. } if password.as_deref().unwrap_or("").is_empty() => {
            *password = sources.iter().find_map(|s| match s {
                Body::Connection {
                    password: Some(p), ..
                } if !p.is_empty() => Some(p.clone()),
                _ => None,
            });
        }
        Body::ProcessProperty { properties } => {
            for property in properties
                .iter_mut()
                .filter(|p| p.kind == PropertyKind::Password && p.value.is_empty())
            {
                if let Some(value) = sources.iter().find_map(|s| match s {
                    Body::ProcessProperty { properties } => properties
                        .iter()
                        .find(|o| {
                            o.name == property.name
                                && o.kind == PropertyKind::Password
                                && !o.value.is_empty()
                        })
                        .map(|o| o.value.clone()),
                    _ => None,
                }) {
                    property.value = value;
                }
            }
        }
        _ => {}
    }
}

/// The fields that differ from `older` to `newer` (secrets never count).
pub fn diff(older: &Version, newer: &Version) -> Vec<FieldChange> {
    let (older, newer) = (field_map(older), field_map(newer));
    keys(&[&older, &newer])
        .into_iter()
        .filter(|k| older.get(k) != newer.get(k))
        .map(|key| FieldChange {
            older: older.get(&key).cloned(),
            newer: newer.get(&key).cloned(),
            key,
        })
        .collect()
}

fn field_state(base: Option<&Value>, theirs: Option<&Value>, mine: Option<&Value>) -> State {
    if theirs == mine {
        State::Unchanged
    } else if mine == base {
        State::TakesTheirs
    } else if theirs == base {
        State::KeptMine
    } else {
        State::Conflict
    }
}

/// The state of a whole component from its fields': a conflict when any field conflicts;
/// otherwise whichever side changed, or [`State::Combined`] when each changed other fields.
pub fn component_state(fields: &[FieldMerge]) -> State {
    let has = |s: State| fields.iter().any(|f| f.state == s);
    if has(State::Conflict) {
        State::Conflict
    } else if has(State::TakesTheirs) && has(State::KeptMine) {
        State::Combined
    } else if has(State::TakesTheirs) {
        State::TakesTheirs
    } else if has(State::KeptMine) {
        State::KeptMine
    } else {
        State::Unchanged
    }
}

/// Compares the three sides field by field.
pub fn three_way(base: &Version, theirs: &Version, mine: &Version) -> Vec<FieldMerge> {
    let (base, theirs, mine) = (field_map(base), field_map(theirs), field_map(mine));
    keys(&[&base, &theirs, &mine])
        .into_iter()
        .map(|key| {
            let state = field_state(base.get(&key), theirs.get(&key), mine.get(&key));
            FieldMerge {
                base: base.get(&key).cloned(),
                theirs: theirs.get(&key).cloned(),
                mine: mine.get(&key).cloned(),
                key,
                state,
            }
        })
        .collect()
}

/// The merged version: theirs where only theirs changed, mine where only mine changed, and
/// for conflicts whatever `choose` says for the field's key. Secret fields come back blank
/// (see [`fill_secrets`]). Fails only when the sides are not the same type of component.
pub fn merge(
    base: &Version,
    theirs: &Version,
    mine: &Version,
    choose: impl Fn(&str) -> Choice,
) -> Result<Version, String> {
    if theirs.body.component_type() != mine.body.component_type() {
        return Err("The new version has another type of component.".to_owned());
    }
    let mut out = Map::new();
    for field in three_way(base, theirs, mine) {
        let value = match field.state {
            State::Unchanged | State::KeptMine | State::Combined => field.mine,
            State::TakesTheirs => field.theirs,
            State::Conflict => match choose(&field.key) {
                Choice::KeepMine => field.mine,
                Choice::TakeTheirs => field.theirs,
            },
        };
        if let Some(value) = value {
            out.insert(field.key, value);
        }
    }
    let description = match out.remove("description") {
        Some(Value::String(text)) => text,
        _ => String::new(),
    };
    out.insert(
        "type".to_owned(),
        Value::String(mine.body.component_type().code().to_owned()),
    );
    let body: Body = serde_json::from_value(Value::Object(out))
        .map_err(|e| format!("The merged component is unreadable: {e}"))?;
    Ok(Version { description, body })
}

/// A field's name as people read it: `request_profile` → "Request Profile", `url` → "URL".
pub fn field_label(key: &str) -> String {
    key.split('_')
        .map(|word| match word {
            "url" => "URL".to_owned(),
            "api" => "API".to_owned(),
            _ => {
                let mut chars = word.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_uppercase().chain(chars).collect()
                })
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A field's value as people read it: lists one item a line, objects as "key: value" pairs,
/// ids of components replaced by their names through `name_of`, empty values as "(none)".
pub fn field_text(value: Option<&Value>, name_of: &dyn Fn(&str) -> Option<String>) -> String {
    fn one(value: &Value, name_of: &dyn Fn(&str) -> Option<String>) -> String {
        match value {
            Value::Null => "(none)".to_owned(),
            Value::String(s) if s.is_empty() => "(none)".to_owned(),
            Value::String(s) => name_of(s).unwrap_or_else(|| s.clone()),
            Value::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
            Value::Number(n) => n.to_string(),
            Value::Array(items) if items.is_empty() => "(none)".to_owned(),
            Value::Array(items) => items
                .iter()
                .map(|item| one(item, name_of))
                .collect::<Vec<_>>()
                .join("\n"),
            Value::Object(map) => {
                // What names an item first, then the rest by key.
                let rank = |key: &str| {
                    ["name", "key", "label", "kind"]
                        .iter()
                        .position(|k| *k == key)
                        .unwrap_or(usize::MAX)
                };
                let mut entries: Vec<(&String, &Value)> = map
                    .iter()
                    .filter(|(_, v)| !v.is_null() && v.as_str() != Some(""))
                    .collect();
                entries.sort_by_key(|(k, _)| (rank(k), (*k).clone()));
                entries
                    .into_iter()
                    .map(|(k, v)| format!("{}: {}", field_label(k), one(v, name_of)))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        }
    }
    value.map_or_else(|| "(none)".to_owned(), |v| one(v, name_of))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::build::{Connector, ProfileField, ProfileFormat, Property};

    fn conn(url: &str, user: &str, password: Option<&str>) -> Version {
        Version {
            description: String::new(),
            body: Body::Connection {
                connector: Connector::Ftp,
                url: url.to_owned(),
                username: user.to_owned(),
                password: password.map(str::to_owned),
            },
        }
    }

    fn states(fields: &[FieldMerge]) -> Vec<(&str, State)> {
        fields
            .iter()
            .filter(|f| f.state != State::Unchanged)
            .map(|f| (f.key.as_str(), f.state))
            .collect()
    }

    #[test]
    fn unchanged_here_takes_theirs() {
        let base = conn("ftp://a", "u", None);
        let theirs = conn("ftp://b", "u", None);
        let fields = three_way(&base, &theirs, &base);
        assert_eq!(states(&fields), [("url", State::TakesTheirs)]);
        assert_eq!(component_state(&fields), State::TakesTheirs);
        let merged = merge(&base, &theirs, &base, |_| Choice::KeepMine).expect("merges");
        assert_eq!(merged, theirs);
    }

    #[test]
    fn changed_here_only_is_kept() {
        let base = conn("ftp://a", "u", None);
        let mine = conn("ftp://a", "me", None);
        let fields = three_way(&base, &base, &mine);
        assert_eq!(states(&fields), [("username", State::KeptMine)]);
        assert_eq!(component_state(&fields), State::KeptMine);
        assert_eq!(
            merge(&base, &base, &mine, |_| Choice::TakeTheirs).expect("merges"),
            mine
        );
    }

    #[test]
    fn changes_to_different_fields_both_land() {
        let base = conn("ftp://a", "u", None);
        let theirs = conn("ftp://b", "u", None);
        let mine = conn("ftp://a", "me", None);
        let fields = three_way(&base, &theirs, &mine);
        assert_eq!(component_state(&fields), State::Combined);
        let merged = merge(&base, &theirs, &mine, |_| Choice::KeepMine).expect("merges");
        assert_eq!(merged, conn("ftp://b", "me", None));
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict() {
        let base = conn("ftp://a", "u", None);
        let both = conn("ftp://b", "u", None);
        let fields = three_way(&base, &both, &both);
        assert_eq!(component_state(&fields), State::Unchanged);
    }

    #[test]
    fn conflicts_follow_the_choice_per_field() {
        let base = conn("ftp://a", "u", None);
        let theirs = conn("ftp://b", "them", None);
        let mine = conn("ftp://c", "me", None);
        let fields = three_way(&base, &theirs, &mine);
        assert_eq!(
            states(&fields),
            [("url", State::Conflict), ("username", State::Conflict)]
        );
        let merged = merge(&base, &theirs, &mine, |key| {
            if key == "url" {
                Choice::TakeTheirs
            } else {
                Choice::KeepMine
            }
        })
        .expect("merges");
        assert_eq!(merged, conn("ftp://b", "me", None));
    }

    #[test]
    fn descriptions_merge_like_fields() {
        let base = conn("ftp://a", "u", None);
        let mut theirs = base.clone();
        theirs.description = "Now with retries".into();
        let fields = three_way(&base, &theirs, &base);
        assert_eq!(states(&fields), [("description", State::TakesTheirs)]);
        let merged = merge(&base, &theirs, &base, |_| Choice::KeepMine).expect("merges");
        assert_eq!(merged.description, "Now with retries");
    }

    #[test]
    fn secrets_are_never_compared_and_local_ones_are_kept() {
        let base = conn("ftp://a", "u", Some("sealed-by-publisher"));
        let theirs = conn("ftp://a", "u", Some("sealed-new"));
        let mine = conn("ftp://a", "u", Some("sealed-here"));
        let fields = three_way(&base, &theirs, &mine);
        assert_eq!(component_state(&fields), State::Unchanged);
        let mut merged = merge(&base, &theirs, &mine, |_| Choice::TakeTheirs)
            .expect("merges")
            .body;
        assert_eq!(merged, conn("ftp://a", "u", None).body);
        fill_secrets(&mut merged, &[&mine.body, &theirs.body]);
        assert_eq!(merged, mine.body);
        let mut empty_here = conn("ftp://a", "u", None).body;
        fill_secrets(&mut empty_here, &[&conn("", "", None).body, &theirs.body]);
        assert_eq!(empty_here, theirs.body);
    }

    #[test]
    fn password_properties_are_filled_by_name() {
        let props = |token: &str, region: &str| Body::ProcessProperty {
            properties: vec![
                Property {
                    name: "token".into(),
                    kind: PropertyKind::Password,
                    value: token.into(),
                },
                Property {
                    name: "region".into(),
                    kind: PropertyKind::Text,
                    value: region.into(),
                },
            ],
        };
        let mut merged = props("", "eu");
        fill_secrets(&mut merged, &[&props("mine", "us"), &props("theirs", "")]);
        assert_eq!(merged, props("mine", "eu"));
    }

    #[test]
    fn another_type_upstream_is_refused() {
        let base = conn("ftp://a", "u", None);
        let theirs = Version {
            description: String::new(),
            body: Body::Profile {
                format: ProfileFormat::Json,
                fields: vec![ProfileField {
                    name: "id".into(),
                    kind: "string".into(),
                }],
            },
        };
        assert!(merge(&base, &theirs, &base, |_| Choice::KeepMine).is_err());
    }

    #[test]
    fn two_way_differences_name_their_fields() {
        let older = conn("ftp://a", "u", Some("x"));
        let newer = conn("ftp://b", "u", Some("y"));
        let changes = diff(&older, &newer);
        assert_eq!(
            changes.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(),
            ["url"]
        );
    }

    #[test]
    fn fields_read_as_text() {
        assert_eq!(field_label("request_profile"), "Request Profile");
        assert_eq!(field_label("url"), "URL");
        let value = serde_json::json!([{"kind": "start", "label": "Begin"}, {"kind": "map", "component": "c1", "label": ""}]);
        let names = |id: &str| (id == "c1").then(|| "Customer Map".to_owned());
        assert_eq!(
            field_text(Some(&value), &names),
            "Label: Begin, Kind: start\nKind: map, Component: Customer Map"
        );
        assert_eq!(field_text(None, &names), "(none)");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::domain::build::{Connector, ProfileField, ProfileFormat, Shape, ShapeKind};
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        "[ab]{0,2}"
    }

    fn version_of(kind: u8) -> BoxedStrategy<Version> {
        match kind {
            0 => (text(), text(), text(), proptest::option::of(text()))
                .prop_map(|(description, url, username, password)| Version {
                    description,
                    body: Body::Connection {
                        connector: Connector::Ftp,
                        url,
                        username,
                        password,
                    },
                })
                .boxed(),
            1 => (text(), proptest::collection::vec((text(), text()), 0..3))
                .prop_map(|(description, fields)| Version {
                    description,
                    body: Body::Profile {
                        format: ProfileFormat::Json,
                        fields: fields
                            .into_iter()
                            .map(|(name, kind)| ProfileField { name, kind })
                            .collect(),
                    },
                })
                .boxed(),
            _ => (
                text(),
                proptest::collection::vec((text(), proptest::option::of(text())), 0..3),
            )
                .prop_map(|(description, shapes)| Version {
                    description,
                    body: Body::Process {
                        shapes: shapes
                            .into_iter()
                            .map(|(label, component)| Shape {
                                kind: ShapeKind::Map,
                                component,
                                operation: None,
                                label,
                            })
                            .collect(),
                    },
                })
                .boxed(),
        }
    }

    fn triple() -> impl Strategy<Value = (Version, Version, Version)> {
        (0u8..3).prop_flat_map(|k| (version_of(k), version_of(k), version_of(k)))
    }

    fn blanked(mut version: Version) -> Version {
        blank_secrets(&mut version.body);
        version
    }

    fn choice_of(pick: bool) -> impl Fn(&str) -> Choice {
        move |_| {
            if pick {
                Choice::TakeTheirs
            } else {
                Choice::KeepMine
            }
        }
    }

    proptest! {
        #[test]
        fn with_no_local_change_merging_takes_theirs((base, theirs, _) in triple(), pick: bool) {
            let merged = merge(&base, &theirs, &base, choice_of(pick)).expect("merges");
            prop_assert_eq!(merged, blanked(theirs));
        }

        #[test]
        fn with_no_upstream_change_merging_keeps_mine((base, _, mine) in triple(), pick: bool) {
            let merged = merge(&base, &base, &mine, choice_of(pick)).expect("merges");
            prop_assert_eq!(merged, blanked(mine));
        }

        #[test]
        fn conflicts_are_the_only_fields_a_choice_decides((base, theirs, mine) in triple()) {
            let keep = merge(&base, &theirs, &mine, choice_of(false)).expect("merges");
            let take = merge(&base, &theirs, &mine, choice_of(true)).expect("merges");
            let conflicts = three_way(&base, &theirs, &mine)
                .iter()
                .any(|f| f.state == State::Conflict);
            prop_assert_eq!(keep == take, !conflicts);
        }

        #[test]
        fn merging_again_changes_nothing((base, theirs, mine) in triple(), pick: bool) {
            let once = merge(&base, &theirs, &mine, choice_of(pick)).expect("merges");
            let twice = merge(&base, &theirs, &once, choice_of(pick)).expect("merges");
            prop_assert_eq!(twice, once);
        }

        #[test]
        fn the_two_way_difference_is_empty_exactly_when_the_sides_match((older, newer, _) in triple()) {
            prop_assert_eq!(diff(&older, &newer).is_empty(), blanked(older) == blanked(newer));
        }
    }
}
