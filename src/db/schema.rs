//! The portable schema of both backends, written by hand (see diesel.toml).

diesel::table! {
    accounts (id) {
        id -> Text,
        name -> Text,
        name_key -> Text,
        kind -> Text,
        parent_id -> Nullable<Text>,
        status -> Text,
        features -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        email_key -> Text,
        name -> Text,
        password_hash -> Text,
        security_stamp -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    roles (id) {
        id -> Text,
        account_id -> Nullable<Text>,
        name -> Text,
        name_key -> Text,
        privileges -> Text,
        builtin -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    user_roles (user_id, account_id, role_id) {
        user_id -> Text,
        account_id -> Text,
        role_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        user_id -> Nullable<Text>,
        account_id -> Nullable<Text>,
        security_stamp -> Nullable<Text>,
        csrf_token -> Text,
        flash -> Nullable<Text>,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        account_id -> Nullable<Text>,
        actor_id -> Nullable<Text>,
        actor_email -> Nullable<Text>,
        action -> Text,
        target_type -> Text,
        target_id -> Nullable<Text>,
        summary -> Text,
        source -> Text,
        client_addr -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(user_roles -> accounts (account_id));
diesel::joinable!(user_roles -> roles (role_id));
diesel::joinable!(sessions -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    users,
    roles,
    user_roles,
    sessions,
    audit_events
);
