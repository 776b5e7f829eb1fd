//! Components and their typed bodies: what each of the eight types holds, which other
//! components it references, and the rules that need no database.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Declares a closed list of choices with a stable code and the label users see.
macro_rules! choices {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal / $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|c| c.code() == code)
            }
        }
    };
}

choices!(
    /// The eight kinds of component.
    ComponentType {
        Process = "process" / "Process",
        Connection = "connection" / "Connection",
        Operation = "operation" / "Operation",
        Map = "map" / "Map",
        Profile = "profile" / "Profile",
        ProcessProperty = "process_property" / "Process Property",
        ApiService = "api_service" / "API Service",
        ProcessRoute = "process_route" / "Process Route",
    }
);

choices!(
    /// What a connection talks to.
    Connector {
        Database = "database" / "Database",
        Disk = "disk" / "Disk",
        Ftp = "ftp" / "FTP",
        HttpClient = "http_client" / "HTTP Client",
        Mail = "mail" / "Mail",
        Salesforce = "salesforce" / "Salesforce",
        Sftp = "sftp" / "SFTP",
        WebServicesSoap = "web_services_soap" / "Web Services SOAP",
    }
);

choices!(
    /// What an operation does through its connection.
    OperationAction {
        Get = "get" / "Get",
        Query = "query" / "Query",
        Create = "create" / "Create",
        Update = "update" / "Update",
        Upsert = "upsert" / "Upsert",
        Delete = "delete" / "Delete",
        Send = "send" / "Send",
        Listen = "listen" / "Listen",
    }
);

choices!(
    /// The shape of the data a profile describes.
    ProfileFormat {
        Xml = "xml" / "XML",
        Json = "json" / "JSON",
        FlatFile = "flat_file" / "Flat File",
        Database = "database" / "Database",
        Edi = "edi" / "EDI",
    }
);

choices!(
    /// A step of a process.
    ShapeKind {
        Start = "start" / "Start",
        Connector = "connector" / "Connector",
        Map = "map" / "Map",
        Decision = "decision" / "Decision",
        Branch = "branch" / "Branch",
        ProcessCall = "process_call" / "Process Call",
        ProcessRoute = "process_route" / "Process Route",
        SetProperties = "set_properties" / "Set Properties",
        Notify = "notify" / "Notify",
        Stop = "stop" / "Stop",
    }
);

choices!(
    /// Whether a process property holds text or a secret.
    PropertyKind {
        Text = "text" / "Text",
        Password = "password" / "Password",
    }
);

choices!(
    /// The HTTP method of an API endpoint.
    HttpMethod {
        Get = "GET" / "GET",
        Post = "POST" / "POST",
        Put = "PUT" / "PUT",
        Patch = "PATCH" / "PATCH",
        Delete = "DELETE" / "DELETE",
    }
);

impl ShapeKind {
    /// The type of component a shape of this kind names, if any.
    pub fn component_type(self) -> Option<ComponentType> {
        match self {
            Self::Connector => Some(ComponentType::Connection),
            Self::Map => Some(ComponentType::Map),
            Self::ProcessCall => Some(ComponentType::Process),
            Self::ProcessRoute => Some(ComponentType::ProcessRoute),
            Self::SetProperties => Some(ComponentType::ProcessProperty),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shape {
    pub kind: ShapeKind,
    #[serde(default)]
    pub component: Option<String>,
    /// For a connector shape: the operation it runs through its connection.
    #[serde(default)]
    pub operation: Option<String>,
    #[serde(default)]
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileField {
    pub name: String,
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Property {
    pub name: String,
    pub kind: PropertyKind,
    /// Clear text for text properties; the sealed secret (or empty) for passwords.
    #[serde(default)]
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    pub process: String,
    pub path: String,
    pub method: HttpMethod,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    pub key: String,
    pub process: String,
}

/// What a component holds, by type. Secret fields hold sealed ciphertext, never clear text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Body {
    Process {
        #[serde(default)]
        shapes: Vec<Shape>,
    },
    Connection {
        connector: Connector,
        #[serde(default)]
        url: String,
        #[serde(default)]
        username: String,
        #[serde(default)]
        password: Option<String>,
    },
    Operation {
        connector: Connector,
        action: OperationAction,
        #[serde(default)]
        connection: Option<String>,
        #[serde(default)]
        request_profile: Option<String>,
        #[serde(default)]
        response_profile: Option<String>,
    },
    Map {
        #[serde(default)]
        source_profile: Option<String>,
        #[serde(default)]
        destination_profile: Option<String>,
        #[serde(default)]
        mappings: Vec<Mapping>,
    },
    Profile {
        format: ProfileFormat,
        #[serde(default)]
        fields: Vec<ProfileField>,
    },
    ProcessProperty {
        #[serde(default)]
        properties: Vec<Property>,
    },
    ApiService {
        #[serde(default)]
        endpoints: Vec<Endpoint>,
    },
    ProcessRoute {
        #[serde(default)]
        routes: Vec<Route>,
    },
}

/// The connectors of connection bodies (JSON), as a published process keeps them: codes, each
/// once, sorted, joined by ","; unreadable bodies are skipped.
pub fn connector_codes<'a>(bodies: impl IntoIterator<Item = &'a str>) -> String {
    let codes: std::collections::BTreeSet<&'static str> = bodies
        .into_iter()
        .filter_map(|b| match Body::from_json(b) {
            Ok(Body::Connection { connector, .. }) => Some(connector.code()),
            _ => None,
        })
        .collect();
    codes.into_iter().collect::<Vec<_>>().join(",")
}

/// A reference from one body to another component, with the type it must have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub id: String,
    pub expected: ComponentType,
    /// Where in the body the reference sits, for error messages.
    pub place: String,
}

impl Body {
    /// An empty body of a type.
    pub fn empty(kind: ComponentType) -> Self {
        match kind {
            ComponentType::Process => Self::Process {
                shapes: vec![Shape {
                    kind: ShapeKind::Start,
                    component: None,
                    operation: None,
                    label: "Start".to_owned(),
                }],
            },
            ComponentType::Connection => Self::Connection {
                connector: Connector::HttpClient,
                url: String::new(),
                username: String::new(),
                password: None,
            },
            ComponentType::Operation => Self::Operation {
                connector: Connector::HttpClient,
                action: OperationAction::Get,
                connection: None,
                request_profile: None,
                response_profile: None,
            },
            ComponentType::Map => Self::Map {
                source_profile: None,
                destination_profile: None,
                mappings: Vec::new(),
            },
            ComponentType::Profile => Self::Profile {
                format: ProfileFormat::Json,
                fields: Vec::new(),
            },
            ComponentType::ProcessProperty => Self::ProcessProperty {
                properties: Vec::new(),
            },
            ComponentType::ApiService => Self::ApiService {
                endpoints: Vec::new(),
            },
            ComponentType::ProcessRoute => Self::ProcessRoute { routes: Vec::new() },
        }
    }

    pub fn component_type(&self) -> ComponentType {
        match self {
            Self::Process { .. } => ComponentType::Process,
            Self::Connection { .. } => ComponentType::Connection,
            Self::Operation { .. } => ComponentType::Operation,
            Self::Map { .. } => ComponentType::Map,
            Self::Profile { .. } => ComponentType::Profile,
            Self::ProcessProperty { .. } => ComponentType::ProcessProperty,
            Self::ApiService { .. } => ComponentType::ApiService,
            Self::ProcessRoute { .. } => ComponentType::ProcessRoute,
        }
    }

    /// Every component this body names, in order of appearance.
    pub fn references(&self) -> Vec<Reference> {
        let mut refs = Vec::new();
        let mut push = |id: &Option<String>, expected, place: String| {
            if let Some(id) = id.as_ref().filter(|id| !id.is_empty()) {
                refs.push(Reference {
                    id: id.clone(),
                    expected,
                    place,
                });
            }
        };
        match self {
            Self::Process { shapes } => {
                for (i, shape) in shapes.iter().enumerate() {
                    if let Some(expected) = shape.kind.component_type() {
                        push(&shape.component, expected, format!("shape {}", i + 1));
                    }
                    push(
                        &shape.operation,
                        ComponentType::Operation,
                        format!("shape {}", i + 1),
                    );
                }
            }
            Self::Operation {
                connection,
                request_profile,
                response_profile,
                ..
            } => {
                push(
                    connection,
                    ComponentType::Connection,
                    "Connection".to_owned(),
                );
                push(
                    request_profile,
                    ComponentType::Profile,
                    "Request Profile".to_owned(),
                );
                push(
                    response_profile,
                    ComponentType::Profile,
                    "Response Profile".to_owned(),
                );
            }
            Self::Map {
                source_profile,
                destination_profile,
                ..
            } => {
                push(
                    source_profile,
                    ComponentType::Profile,
                    "Source Profile".to_owned(),
                );
                push(
                    destination_profile,
                    ComponentType::Profile,
                    "Destination Profile".to_owned(),
                );
            }
            Self::ApiService { endpoints } => {
                for (i, e) in endpoints.iter().enumerate() {
                    push(
                        &Some(e.process.clone()),
                        ComponentType::Process,
                        format!("endpoint {}", i + 1),
                    );
                }
            }
            Self::ProcessRoute { routes } => {
                for (i, r) in routes.iter().enumerate() {
                    push(
                        &Some(r.process.clone()),
                        ComponentType::Process,
                        format!("route {}", i + 1),
                    );
                }
            }
            Self::Connection { .. } | Self::Profile { .. } | Self::ProcessProperty { .. } => {}
        }
        refs
    }

    /// The distinct ids this body references.
    pub fn referenced_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.references().into_iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// Points every reference at another id (copies and installs); unknown ids stay.
    pub fn rewire(&mut self, map: &BTreeMap<String, String>) {
        let swap = |id: &mut Option<String>| {
            if let Some(new) = id.as_ref().and_then(|old| map.get(old)) {
                *id = Some(new.clone());
            }
        };
        let swap_plain = |id: &mut String| {
            if let Some(new) = map.get(id) {
                *id = new.clone();
            }
        };
        match self {
            Self::Process { shapes } => {
                for shape in shapes {
                    swap(&mut shape.component);
                    swap(&mut shape.operation);
                }
            }
            Self::Operation {
                connection,
                request_profile,
                response_profile,
                ..
            } => {
                swap(connection);
                swap(request_profile);
                swap(response_profile);
            }
            Self::Map {
                source_profile,
                destination_profile,
                ..
            } => {
                swap(source_profile);
                swap(destination_profile);
            }
            Self::ApiService { endpoints } => endpoints
                .iter_mut()
                .for_each(|e| swap_plain(&mut e.process)),
            Self::ProcessRoute { routes } => {
                routes.iter_mut().for_each(|r| swap_plain(&mut r.process))
            }
            Self::Connection { .. } | Self::Profile { .. } | Self::ProcessProperty { .. } => {}
        }
    }

    /// The secret fields of the body, mutable: (field name, sealed value).
    pub fn secrets_mut(&mut self) -> Vec<(String, &mut String)> {
        match self {
            Self::Connection {
                password: Some(sealed),
                ..
            } => vec![("password".to_owned(), sealed)],
            Self::ProcessProperty { properties } => properties
                .iter_mut()
                .filter(|p| p.kind == PropertyKind::Password && !p.value.is_empty())
                .map(|p| (format!("property {}", p.name), &mut p.value))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The body with every secret field emptied (what an export writes).
    pub fn without_secrets(&self) -> Self {
        let mut body = self.clone();
        match &mut body {
            Self::Connection { password, .. } => *password = None,
            other => {
                for (_, value) in other.secrets_mut() {
                    value.clear();
                }
            }
        }
        body
    }

    /// Whether any secret field holds a value.
    pub fn has_secrets(&self) -> bool {
        self.clone()
            .secrets_mut()
            .iter()
            .any(|(_, v)| !v.is_empty())
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }

    pub fn from_json(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|e| format!("unreadable component body: {e}"))
    }

    /// Names of the top-level fields that differ from an earlier body (secrets by name only).
    pub fn changed_fields(&self, before: &Body) -> Vec<String> {
        let (Ok(serde_json::Value::Object(new)), Ok(serde_json::Value::Object(old))) =
            (serde_json::to_value(self), serde_json::to_value(before))
        else {
            return vec!["body".to_owned()];
        };
        new.iter()
            .filter(|(key, value)| old.get(*key) != Some(value))
            .map(|(key, _)| key.replace('_', " "))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> Option<String> {
        Some(s.to_owned())
    }

    #[test]
    fn bodies_round_trip_through_json_with_their_type_tag() {
        let body = Body::Operation {
            connector: Connector::Salesforce,
            action: OperationAction::Query,
            connection: id("c1"),
            request_profile: None,
            response_profile: id("p1"),
        };
        let json = body.to_json();
        assert!(json.contains("\"type\":\"operation\""));
        assert_eq!(Body::from_json(&json), Ok(body));
    }

    #[test]
    fn references_follow_the_type_rules_and_rewire() {
        let mut process = Body::Process {
            shapes: vec![
                Shape {
                    kind: ShapeKind::Start,
                    component: id("ignored"),
                    operation: None,
                    label: String::new(),
                },
                Shape {
                    kind: ShapeKind::Connector,
                    component: id("conn"),
                    operation: id("op"),
                    label: String::new(),
                },
                Shape {
                    kind: ShapeKind::ProcessCall,
                    component: id("sub"),
                    operation: None,
                    label: String::new(),
                },
            ],
        };
        let refs = process.references();
        assert_eq!(
            refs.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["conn", "op", "sub"]
        );
        assert_eq!(refs[1].expected, ComponentType::Operation);
        let map = BTreeMap::from([
            ("conn".to_owned(), "conn2".to_owned()),
            ("sub".to_owned(), "sub2".to_owned()),
        ]);
        process.rewire(&map);
        assert_eq!(process.referenced_ids(), ["conn2", "op", "sub2"]);
    }

    #[test]
    fn secrets_are_found_in_connections_and_password_properties() {
        let mut props = Body::ProcessProperty {
            properties: vec![
                Property {
                    name: "token".into(),
                    kind: PropertyKind::Password,
                    value: "sealed".into(),
                },
                Property {
                    name: "region".into(),
                    kind: PropertyKind::Text,
                    value: "eu".into(),
                },
            ],
        };
        assert!(props.has_secrets());
        assert_eq!(props.secrets_mut().len(), 1);
        let conn = Body::empty(ComponentType::Connection);
        assert!(!conn.has_secrets());
    }

    #[test]
    fn changed_fields_name_what_differs() {
        let a = Body::Connection {
            connector: Connector::Ftp,
            url: "ftp://a".into(),
            username: "u".into(),
            password: None,
        };
        let b = Body::Connection {
            connector: Connector::Ftp,
            url: "ftp://b".into(),
            username: "u".into(),
            password: Some("x".into()),
        };
        assert_eq!(b.changed_fields(&a), ["password", "url"]);
    }
}
