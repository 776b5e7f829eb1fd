//! One-line factories of the objects a test needs (accounts, users, components, publications)
//! and the bodies and signed-in application most tests start from.

use process_library::db;
use process_library::db::ids::*;
use process_library::domain::accounts::BuiltInRole;
use process_library::domain::build::{Body, Connector, Shape, ShapeKind};
use process_library::domain::validation::name_key;
use process_library::services::accounts::setup::{self, NewAccountInput};

use super::{PASSWORD, TestApp};

pub const SENTINEL: &str = "SENTINEL-Pa55word-7f3a";

pub fn connector_process(connection: &str) -> Body {
    Body::Process {
        shapes: vec![
            Shape {
                kind: ShapeKind::Start,
                component: None,
                operation: None,
                label: "Start".into(),
            },
            Shape {
                kind: ShapeKind::Connector,
                component: Some(connection.into()),
                operation: None,
                label: "Get accounts".into(),
            },
            Shape {
                kind: ShapeKind::Stop,
                component: None,
                operation: None,
                label: "Stop".into(),
            },
        ],
    }
}

pub fn connection() -> Body {
    Body::Connection {
        connector: Connector::Salesforce,
        url: "https://login.example.com".into(),
        username: "api".into(),
        password: None,
    }
}

pub async fn admin_app() -> (TestApp, String) {
    let mut app = TestApp::new().await;
    let partner = app.primary_account("Partner Co", "ada@partner.test");
    app.sign_in("ada@partner.test", PASSWORD).await;
    (app, partner)
}

impl TestApp {
    /// The operator acting as an administrator of an account, for calling services directly.
    pub fn admin(&self, account_id: &str) -> process_library::services::Ctx {
        let account = db::read(&self.pool, |conn| {
            db::accounts::get_account(conn, &AccountId::from(account_id))
        })
        .expect("account");
        process_library::services::Ctx::new(
            self.instance.clone(),
            process_library::services::Caller::operator(&account, "factory@test"),
            db::generations::Generations::none(),
        )
    }

    /// A personal access token of the user with this e-mail, made as they would on Settings >
    /// API Tokens: (token id, secret).
    pub fn api_token(&self, email: &str, access: &str) -> (String, String) {
        let user = db::read(&self.pool, |conn| {
            Ok(db::accounts::find_user_by_email(conn, email)?.expect("user"))
        })
        .expect("user");
        let account = db::read(&self.pool, |conn| {
            Ok(db::accounts::list_memberships(conn, &user.id)?.remove(0).0)
        })
        .expect("account");
        let ctx = process_library::services::Ctx::new(
            self.instance.clone(),
            process_library::services::Caller::on_behalf(&user.id, &user.email, &account),
            db::generations::Generations::none(),
        );
        let (token, secret) = process_library::services::api_tokens::create(
            &ctx,
            &process_library::services::api_tokens::NewToken {
                name: format!("Token of {email}"),
                expires: "30".to_owned(),
                access: access.to_owned(),
            },
        )
        .expect("token");
        (token.id.into_string(), secret)
    }

    /// A user of `account` holding only a custom role with View Audit Logs: no Build, library
    /// or group privilege. Returns the user's id.
    pub fn auditor(&self, account: &str, email: &str) -> String {
        use process_library::domain::accounts::{Privilege, Privileges};
        use process_library::services::accounts::roles::{self, RoleInput};
        let role = roles::create(
            &self.admin(account),
            &RoleInput {
                name: "Auditor".to_owned(),
                privileges: Privileges::of(&[Privilege::ViewAuditLogs]),
            },
        )
        .expect("role");
        let user = self.user(account, email, BuiltInRole::Support);
        self.execute(&format!(
            "UPDATE user_roles SET role_id = '{role}' WHERE user_id = '{user}' AND account_id = '{account}'"
        ));
        user
    }

    /// The first account in which a user holds a role.
    pub fn admin_account(&self, email: &str) -> String {
        db::read(&self.pool, |conn| {
            let user = db::accounts::find_user_by_email(conn, email)?.expect("user");
            Ok(db::accounts::list_memberships(conn, &user.id)?
                .remove(0)
                .0
                .id)
        })
        .expect("account")
        .into_string()
    }

    /// Turns the Process Library feature on and sets a Publisher Name.
    pub fn enable_library(&self, account_id: &str) {
        let account = db::read(&self.pool, |conn| {
            db::accounts::get_account(conn, &AccountId::from(account_id))
        })
        .expect("account");
        setup::set_feature(
            &self.pool,
            &account.name,
            process_library::domain::accounts::Feature::ProcessLibrary,
            true,
        )
        .expect("feature");
        process_library::services::library::publisher::save(
            &self.admin(account_id),
            &process_library::services::library::publisher::PublisherInput {
                publisher_name: format!("{} Integrations", account.name),
                ..Default::default()
            },
        )
        .expect("publisher");
    }

    /// Packages a component as shareable and publishes it; returns (published process id,
    /// publication id).
    pub fn publish(
        &self,
        account_id: &str,
        component_id: &str,
        include_passwords: bool,
    ) -> (String, String) {
        use process_library::services::{deploy, library::publishing};
        let caller = self.admin(account_id);
        let package = deploy::create(
            &caller,
            &deploy::NewPackage {
                component_id: ComponentId::from(component_id.to_owned()),
                version: String::new(),
                notes: String::new(),
                shareable: true,
            },
        )
        .expect("package");
        let publication = publishing::publish(
            &caller,
            &publishing::PublishInput {
                component_id: ComponentId::from(component_id.to_owned()),
                package_id: package,
                description: "Shared for tests".to_owned(),
                include_passwords,
                notes: String::new(),
            },
        )
        .expect("publication");
        (
            publication.published_process_id.into_string(),
            publication.id.into_string(),
        )
    }

    /// The root folder of an account.
    pub fn root_folder(&self, account_id: &str) -> String {
        db::read(&self.pool, |conn| {
            db::build::find_root_folder(conn, &AccountId::from(account_id))
        })
        .expect("query")
        .expect("root folder")
        .id
        .into_string()
    }

    /// A component of a type in the account's root folder, with a body; returns its id.
    pub fn component(&self, account_id: &str, name: &str, body: Body) -> String {
        use process_library::services::build::components;
        let caller = self.admin(account_id);
        let folder = self.root_folder(account_id);
        let id = components::create(
            &caller,
            &components::NewComponent {
                name: name.to_owned(),
                component_type: body.component_type().code().to_owned(),
                folder_id: FolderId::from(folder),
                description: format!("{name} for tests"),
                template_id: String::new(),
            },
        )
        .expect("component");
        let draft = components::BodyDraft {
            body,
            secrets: Vec::new(),
        };
        components::save(
            &caller,
            &id,
            components::SaveComponent {
                name: name.to_owned(),
                folder_id: FolderId::from(self.root_folder(account_id)),
                description: format!("{name} for tests"),
                revision: 1,
                draft: Some(draft),
            },
        )
        .expect("component body");
        id.into_string()
    }

    /// A primary account with its administrator (password [`PASSWORD`]); returns the account id.
    pub fn primary_account(&self, name: &str, admin_email: &str) -> String {
        let input = NewAccountInput {
            account_name: name.to_owned(),
            admin_email: admin_email.to_owned(),
            admin_name: format!("Admin of {name}"),
            admin_password: PASSWORD.to_owned(),
        };
        setup::create_primary_account(&self.pool, &input, 4)
            .expect("primary account")
            .account_id
            .into_string()
    }

    /// A managed account of a primary, with its administrator; returns the account id.
    pub fn managed_account(&self, parent_id: &str, name: &str, admin_email: &str) -> String {
        let input = NewAccountInput {
            account_name: name.to_owned(),
            admin_email: admin_email.to_owned(),
            admin_name: format!("Admin of {name}"),
            admin_password: PASSWORD.to_owned(),
        };
        db::write(&self.pool, |conn| {
            let by = process_library::services::audit::By {
                user_id: None,
                email: None,
                source: process_library::domain::audit::Source::Cli,
                client_addr: None,
            };
            setup::create_account(
                conn,
                &input,
                process_library::domain::accounts::AccountKind::Managed,
                Some(parent_id),
                &by,
                4,
            )
        })
        .expect("managed account")
        .account_id
        .into_string()
    }

    /// A user (password [`PASSWORD`]) holding a built-in role in an account; returns the user id.
    pub fn user(&self, account_id: &str, email: &str, role: BuiltInRole) -> String {
        let hash = bcrypt::hash(PASSWORD, 4).expect("hash");
        db::write(&self.pool, |conn| {
            let id = match db::accounts::find_user_by_email(conn, &name_key(email))? {
                Some(user) => user.id,
                None => {
                    let id = db::new_id();
                    db::accounts::insert_user(
                        conn,
                        &db::accounts::NewUser {
                            id: &id,
                            email,
                            email_key: &name_key(email),
                            name: email,
                            password_hash: &hash,
                            security_stamp: &db::new_id(),
                            created_at: db::now(),
                        },
                    )?;
                    UserId::from(id)
                }
            };
            db::accounts::insert_user_role(
                conn,
                &id,
                &AccountId::from(account_id),
                &RoleId::from(role.id()),
                db::now(),
            )?;
            Ok(id)
        })
        .expect("user")
        .into_string()
    }
}
