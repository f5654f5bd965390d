//! Diesel's view of the tables; kept by hand in step with `migrations/`.

diesel::table! {
    firms (id) {
        id -> Text,
        uscc -> Text,
        name -> Text,
        name_en -> Nullable<Text>,
        region_code -> Text,
        industry_code -> Text,
        founded_on -> Date,
        listed_on -> Nullable<Date>,
        status -> Text,
        credit_ok -> Nullable<Bool>,
        tech_firm -> Nullable<Bool>,
        key_tech_breakthrough -> Nullable<Bool>,
        in_gazelle_pool -> Nullable<Bool>,
        in_key_tech_field -> Nullable<Bool>,
        major_violation_on -> Nullable<Date>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    annual_figures (firm_id, fiscal_year) {
        firm_id -> Text,
        fiscal_year -> Integer,
        revenue -> Nullable<BigInt>,
        rd_expense -> Nullable<BigInt>,
        rd_expense_domestic -> Nullable<BigInt>,
        high_tech_revenue -> Nullable<BigInt>,
        total_assets -> Nullable<BigInt>,
        net_assets -> Nullable<BigInt>,
        employees -> Nullable<BigInt>,
        tech_staff -> Nullable<BigInt>,
        ip_class1 -> Nullable<BigInt>,
        ip_class2 -> Nullable<BigInt>,
        innovation_score -> Nullable<BigInt>,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    financings (id) {
        id -> Text,
        firm_id -> Text,
        closed_on -> Date,
        round -> Text,
        amount_value -> Nullable<BigInt>,
        amount_currency -> Nullable<Text>,
        valuation_value -> Nullable<BigInt>,
        valuation_currency -> Nullable<Text>,
        investor_kind -> Text,
        recorded_at -> Timestamp,
        version -> BigInt,
        withdrawn_at -> Nullable<Timestamp>,
        withdrawn_by -> Nullable<Text>,
        withdrawal_reason -> Nullable<Text>,
    }
}

diesel::table! {
    certificates (id) {
        id -> Text,
        firm_id -> Text,
        kind -> Text,
        number -> Text,
        issued_on -> Date,
        expires_on -> Date,
        recorded_at -> Timestamp,
        version -> BigInt,
        withdrawn_at -> Nullable<Timestamp>,
        withdrawn_by -> Nullable<Text>,
        withdrawal_reason -> Nullable<Text>,
    }
}

diesel::joinable!(annual_figures -> firms (firm_id));
diesel::joinable!(financings -> firms (firm_id));
diesel::joinable!(certificates -> firms (firm_id));
diesel::allow_tables_to_appear_in_same_query!(firms, annual_figures, financings, certificates);

diesel::table! {
    rule_sets (id, version) {
        id -> Text,
        version -> Integer,
        effective_from -> Date,
        content_hash -> Text,
        origin -> Text,
        content -> Text,
        published_at -> Timestamp,
        published_by -> Text,
    }
}

diesel::table! {
    ledger_head (id) {
        id -> Integer,
        last_position -> BigInt,
    }
}

diesel::table! {
    tier_events (position) {
        position -> BigInt,
        firm_id -> Text,
        seq -> Integer,
        track -> Text,
        from_tier -> Nullable<Text>,
        to_tier -> Nullable<Text>,
        kind -> Text,
        effective_on -> Date,
        recorded_at -> Timestamp,
        cause -> Text,
        actor -> Text,
        ruleset_id -> Text,
        ruleset_version -> Integer,
        ruleset_hash -> Text,
        region_code -> Text,
        industry_code -> Text,
        explanation -> Text,
    }
}

diesel::table! {
    current_tiers (firm_id, track) {
        firm_id -> Text,
        track -> Text,
        tier -> Text,
        since -> Date,
        region_code -> Text,
        industry_code -> Text,
    }
}

diesel::table! {
    tier_counts (track, tier, region_code, industry_code) {
        track -> Text,
        tier -> Text,
        region_code -> Text,
        industry_code -> Text,
        firms -> BigInt,
    }
}

diesel::table! {
    tier_count_days (track, tier, region_code, industry_code, day) {
        track -> Text,
        tier -> Text,
        region_code -> Text,
        industry_code -> Text,
        day -> Date,
        delta -> BigInt,
        firms -> BigInt,
    }
}

diesel::table! {
    job_runs (job) {
        job -> Text,
        last_day -> Date,
    }
}

diesel::joinable!(tier_events -> firms (firm_id));
diesel::joinable!(current_tiers -> firms (firm_id));
diesel::allow_tables_to_appear_in_same_query!(
    firms,
    tier_events,
    current_tiers,
    rule_sets,
    tier_counts,
    tier_count_days
);

diesel::table! {
    idempotency_keys (scope, idem_key) {
        idem_key -> Text,
        scope -> Text,
        request_hash -> Text,
        resource_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        role -> Text,
        password_hash -> Text,
        must_change_password -> Bool,
        disabled -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        user_id -> Text,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        name -> Text,
        scope -> Text,
        token_hash -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Text,
        username -> Text,
        address -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        at -> Timestamp,
        actor -> Text,
        action -> Text,
        target_kind -> Nullable<Text>,
        target_id -> Nullable<Text>,
        address -> Nullable<Text>,
        detail -> Text,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(users, sessions);

diesel::table! {
    city_arrivals (id) {
        id -> Text,
        firm_id -> Text,
        arrived_on -> Date,
        how -> Text,
        region_code -> Text,
    }
}
