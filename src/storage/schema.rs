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
    }
}

diesel::joinable!(annual_figures -> firms (firm_id));
diesel::joinable!(financings -> firms (firm_id));
diesel::joinable!(certificates -> firms (firm_id));
diesel::allow_tables_to_appear_in_same_query!(firms, annual_figures, financings, certificates);
