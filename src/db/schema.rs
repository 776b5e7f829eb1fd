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
        platform_publisher -> Bool,
        deployment_model -> Text,
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
        last_account_id -> Nullable<Text>,
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

diesel::table! {
    folders (id) {
        id -> Text,
        account_id -> Text,
        parent_id -> Nullable<Text>,
        name -> Text,
        name_key -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    components (id) {
        id -> Text,
        account_id -> Text,
        folder_id -> Text,
        component_type -> Text,
        name -> Text,
        name_key -> Text,
        description -> Text,
        revision -> Integer,
        body -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        updated_by -> Nullable<Text>,
        deleted_at -> Nullable<Timestamp>,
        shareable_package -> Bool,
    }
}

diesel::table! {
    component_revisions (component_id, revision) {
        component_id -> Text,
        revision -> Integer,
        name -> Text,
        description -> Text,
        folder_id -> Text,
        body -> Text,
        summary -> Text,
        saved_by -> Nullable<Text>,
        saved_at -> Timestamp,
    }
}

diesel::table! {
    component_refs (from_id, to_id) {
        account_id -> Text,
        from_id -> Text,
        to_id -> Text,
    }
}

diesel::table! {
    packages (id) {
        id -> Text,
        account_id -> Text,
        component_id -> Text,
        component_type -> Text,
        component_name -> Text,
        version -> Text,
        version_key -> Text,
        notes -> Text,
        shareable -> Bool,
        component_count -> Integer,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        deleted_by -> Nullable<Text>,
        implicit -> Bool,
    }
}

diesel::table! {
    package_components (package_id, component_id) {
        package_id -> Text,
        component_id -> Text,
        component_type -> Text,
        name -> Text,
        description -> Text,
        revision -> Integer,
        body -> Text,
        is_root -> Bool,
    }
}

diesel::table! {
    publisher_profiles (account_id) {
        account_id -> Text,
        publisher_name -> Text,
        publisher_email -> Text,
        publisher_url -> Text,
        support_email -> Text,
        support_url -> Text,
        updated_at -> Timestamp,
        updated_by -> Nullable<Text>,
    }
}

diesel::table! {
    published_processes (id) {
        id -> Text,
        account_id -> Text,
        component_id -> Text,
        component_type -> Text,
        name -> Text,
        name_key -> Text,
        description -> Text,
        latest_sequence -> Integer,
        latest_publication_id -> Text,
        latest_published_at -> Timestamp,
        install_count -> BigInt,
        created_at -> Timestamp,
        deprecated_at -> Nullable<Timestamp>,
        deprecation_reason -> Text,
        successor_id -> Nullable<Text>,
        component_count -> Integer,
        category -> Text,
        tags -> Text,
        connectors -> Text,
    }
}

diesel::table! {
    publications (id) {
        id -> Text,
        published_process_id -> Text,
        account_id -> Text,
        sequence -> Integer,
        package_id -> Text,
        description -> Text,
        include_passwords -> Bool,
        notes -> Text,
        published_by -> Nullable<Text>,
        published_at -> Timestamp,
        republished_from -> Nullable<Text>,
    }
}

diesel::table! {
    account_groups (id) {
        id -> Text,
        account_id -> Text,
        name -> Text,
        name_key -> Text,
        all_accounts -> Bool,
        created_at -> Timestamp,
        all_platform -> Bool,
    }
}

diesel::table! {
    group_members (group_id, account_id) {
        group_id -> Text,
        account_id -> Text,
        added_at -> Timestamp,
        /// The account's `name_key`, kept by triggers.
        name_key -> Text,
    }
}

diesel::table! {
    group_users (group_id, user_id) {
        group_id -> Text,
        user_id -> Text,
        role_id -> Text,
        added_at -> Timestamp,
    }
}

diesel::table! {
    group_resources (group_id, published_process_id) {
        group_id -> Text,
        published_process_id -> Text,
        added_at -> Timestamp,
    }
}

diesel::table! {
    installations (id) {
        id -> Text,
        account_id -> Text,
        publication_id -> Text,
        published_process_id -> Text,
        sequence -> Integer,
        folder_id -> Text,
        root_component_id -> Text,
        local_name -> Text,
        include_passwords -> Bool,
        idempotency_key -> Text,
        installed_by -> Nullable<Text>,
        installed_at -> Timestamp,
        pack_instance_id -> Nullable<Text>,
    }
}

diesel::table! {
    installed_components (installation_id, source_component_id) {
        installation_id -> Text,
        source_component_id -> Text,
        copy_component_id -> Text,
        source_revision -> Integer,
        copy_revision -> Integer,
        bound -> Bool,
    }
}

diesel::joinable!(installed_components -> installations (installation_id));
diesel::joinable!(installations -> published_processes (published_process_id));
diesel::table! {
    generations (scope) {
        scope -> Text,
        value -> BigInt,
    }
}

diesel::joinable!(installations -> accounts (account_id));
diesel::joinable!(publications -> published_processes (published_process_id));
diesel::joinable!(publications -> packages (package_id));
diesel::joinable!(group_members -> account_groups (group_id));
diesel::joinable!(group_members -> accounts (account_id));
diesel::joinable!(group_users -> account_groups (group_id));
diesel::joinable!(group_users -> users (user_id));
diesel::joinable!(group_users -> roles (role_id));
diesel::joinable!(group_resources -> account_groups (group_id));
diesel::joinable!(group_resources -> published_processes (published_process_id));
diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(components -> folders (folder_id));
diesel::joinable!(package_components -> packages (package_id));
diesel::joinable!(user_roles -> accounts (account_id));
diesel::joinable!(user_roles -> roles (role_id));
diesel::joinable!(sessions -> users (user_id));

diesel::table! {
    /// A view: each session's generations (see `db::generations`).
    session_generations (id_hash) {
        id_hash -> Text,
        people -> Nullable<BigInt>,
        family_people -> Nullable<BigInt>,
        library -> Nullable<BigInt>,
        installs -> Nullable<BigInt>,
        content -> Nullable<BigInt>,
    }
}

diesel::joinable!(session_generations -> sessions (id_hash));

diesel::table! {
    /// A view: the generations of a token's user in any account (see migration 28).
    token_generations (token_hash, account_id) {
        token_hash -> Text,
        account_id -> Text,
        people -> Nullable<BigInt>,
        family_people -> Nullable<BigInt>,
        library -> Nullable<BigInt>,
        installs -> Nullable<BigInt>,
        content -> Nullable<BigInt>,
    }
}

diesel::table! {
    invitations (id) {
        id -> Text,
        account_id -> Text,
        user_id -> Text,
        role_id -> Text,
        invited_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    data_migrations (name) {
        name -> Text,
        applied_at -> Timestamp,
    }
}

diesel::joinable!(invitations -> accounts (account_id));
diesel::joinable!(invitations -> users (user_id));
diesel::joinable!(invitations -> roles (role_id));

diesel::table! {
    jobs (id) {
        id -> Text,
        account_id -> Text,
        kind -> Text,
        payload -> Text,
        state -> Text,
        total -> Integer,
        done -> Integer,
        run_at -> Timestamp,
        claimed_by -> Nullable<Text>,
        claimed_at -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    job_items (job_id, item) {
        job_id -> Text,
        position -> Integer,
        item -> Text,
        label -> Text,
        state -> Text,
        message -> Text,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(job_items -> jobs (job_id));

diesel::table! {
    integration_packs (id) {
        id -> Text,
        account_id -> Text,
        name -> Text,
        name_key -> Text,
        description -> Text,
        attachment -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    pack_members (pack_id, published_process_id) {
        pack_id -> Text,
        published_process_id -> Text,
        added_at -> Timestamp,
    }
}

diesel::table! {
    pack_releases (id) {
        id -> Text,
        pack_id -> Text,
        sequence -> Integer,
        notes -> Text,
        release_at -> Timestamp,
        released_at -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        job_id -> Nullable<Text>,
    }
}

diesel::table! {
    pack_release_items (release_id, published_process_id) {
        release_id -> Text,
        published_process_id -> Text,
        publication_id -> Text,
    }
}

diesel::table! {
    group_packs (group_id, pack_id) {
        group_id -> Text,
        pack_id -> Text,
        added_at -> Timestamp,
    }
}

diesel::table! {
    pack_instances (id) {
        id -> Text,
        account_id -> Text,
        pack_id -> Text,
        instance_name -> Text,
        name_key -> Text,
        single_key -> Nullable<Text>,
        folder_id -> Text,
        release_id -> Text,
        installed_by -> Nullable<Text>,
        installed_at -> Timestamp,
    }
}

diesel::joinable!(pack_instances -> integration_packs (pack_id));
diesel::joinable!(pack_instances -> pack_releases (release_id));
diesel::joinable!(pack_members -> published_processes (published_process_id));
diesel::joinable!(pack_release_items -> pack_releases (release_id));
diesel::joinable!(group_packs -> integration_packs (pack_id));

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        token_hash -> Text,
        access -> Text,
        security_stamp -> Text,
        expires_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    import_identities (account_id, kind, identity) {
        account_id -> Text,
        kind -> Text,
        identity -> Text,
        local_id -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    api_tokens,
    token_generations,
    import_identities,
    accounts,
    users,
    roles,
    user_roles,
    sessions,
    session_generations,
    audit_events,
    folders,
    components,
    component_revisions,
    component_refs,
    packages,
    package_components,
    publisher_profiles,
    published_processes,
    publications,
    account_groups,
    group_members,
    group_users,
    group_resources,
    installations,
    installed_components,
    generations,
    invitations,
    data_migrations,
    jobs,
    job_items,
    integration_packs,
    pack_members,
    pack_releases,
    pack_release_items,
    group_packs,
    pack_instances,
);
