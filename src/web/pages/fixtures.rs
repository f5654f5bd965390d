//! Values the view-model tests build pages from.

use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use crate::domain::{
    Cause, EventKind, Firm, FirmProfile, FirmStatus, IndustryCode, RegionCode, TierEvent, Uscc,
};
use crate::web::PageContext;
use crate::web::i18n::Lang;

/// A page context in English, nobody signed in.
pub fn english() -> PageContext {
    PageContext {
        lang: Lang::En,
        ..PageContext::default()
    }
}

/// A day of March 2026.
pub fn march(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, day).expect("a day of March")
}

/// An active firm in Xinbei, founded 2019-05-01, at version 3.
pub fn firm(name: &str) -> Firm {
    let at = Utc
        .with_ymd_and_hms(2026, 3, 1, 8, 0, 0)
        .single()
        .expect("a time");
    Firm {
        id: Uuid::now_v7(),
        version: 3,
        created_at: at,
        updated_at: at,
        profile: FirmProfile {
            uscc: Uscc::parse("91350100M000100Y43").expect("valid USCC"),
            name: name.into(),
            name_en: None,
            region_code: RegionCode::from_trusted("320411".into()),
            industry_code: IndustryCode::from_trusted("I65".into()),
            founded_on: NaiveDate::from_ymd_opt(2019, 5, 1).expect("a day"),
            listed_on: None,
            status: FirmStatus::Active,
            credit_ok: Some(true),
            tech_firm: Some(false),
            key_tech_breakthrough: None,
            in_gazelle_pool: Some(true),
            in_key_tech_field: Some(true),
            major_violation_on: Some(NaiveDate::from_ymd_opt(2024, 2, 3).expect("a day")),
        },
    }
}

/// An event of the track `ladder` on a day of March 2026, caused by changed figures.
pub fn event(
    firm_id: Uuid,
    day: u32,
    kind: EventKind,
    from: Option<&str>,
    to: Option<&str>,
) -> TierEvent {
    TierEvent {
        position: i64::from(day),
        firm_id,
        seq: 1,
        track: "ladder".into(),
        from_tier: from.map(str::to_owned),
        to_tier: to.map(str::to_owned),
        kind,
        effective_on: march(day),
        recorded_at: Utc::now(),
        cause: Cause::FiguresChanged,
        actor: "clerk".into(),
        rule_set_id: "cz".into(),
        rule_set_version: 1,
        rule_set_hash: String::new(),
        region_code: "320411".into(),
        industry_code: "I65".into(),
        explanation: String::new(),
    }
}
