use chrono::{TimeZone, Utc};
use uuid::Uuid;

use super::*;
use crate::domain::{Certificate, CertificateKind, Currency, FinancingRound, InvestorKind, Money};
use crate::web::pages::certificates::Certificates;
use crate::web::pages::financings::Financings;
use crate::web::pages::fixtures::{english, firm, march};

fn recorded<T>(item: T, withdrawn: Option<Withdrawal>) -> Recorded<T> {
    Recorded {
        item,
        recorded_at: Utc::now(),
        version: 2,
        withdrawn,
    }
}

fn withdrawal() -> Withdrawal {
    Withdrawal {
        at: Utc
            .with_ymd_and_hms(2026, 3, 4, 9, 0, 0)
            .single()
            .expect("a time"),
        by: "clerk".into(),
        reason: "entered twice".into(),
    }
}

fn round(id: Uuid) -> FinancingRound {
    FinancingRound {
        id: Some(id),
        closed_on: march(1),
        round: "A轮".into(),
        amount: Some(Money {
            value: 5_000_000,
            currency: Currency::CNY,
        }),
        post_money_valuation: None,
        investor_kind: InvestorKind::Strategic,
    }
}

fn certificate(id: Uuid) -> Certificate {
    Certificate {
        id: Some(id),
        kind: CertificateKind::HighTech,
        number: "GR202632000001".into(),
        issued_on: march(1),
        expires_on: march(31),
    }
}

#[test]
fn a_live_record_links_to_its_pages_and_a_withdrawn_one_says_why() {
    let f = firm("常州星辰");
    let (live, gone) = (Uuid::now_v7(), Uuid::now_v7());
    let records = [
        recorded(certificate(live), None),
        recorded(certificate(gone), Some(withdrawal())),
    ];
    let shown = rows::<Certificates>(&english(), &f, &records);
    let base = format!("/firms/{}/certificates/{live}", f.id);
    assert_eq!(shown[0].edit, Some(format!("{base}/edit")));
    assert_eq!(shown[0].withdraw, Some(format!("{base}/withdraw")));
    assert_eq!(shown[0].withdrawn, None);
    assert_eq!(
        (shown[1].edit.as_ref(), shown[1].withdraw.as_ref()),
        (None, None)
    );
    assert_eq!(
        shown[1].withdrawn.as_deref(),
        Some("Withdrawn 2026-03-04 · clerk · Reason for withdrawal: entered twice")
    );
    assert_eq!(shown[0].cells[1], "GR202632000001");
}

#[test]
fn a_sum_differs_when_its_value_or_its_currency_does() {
    let item = round(Uuid::now_v7());
    let mut posted = Financings::values_of(&item);
    posted.set("amount_currency", "USD");
    posted.set("round", " A轮 ");
    let found = changes::<Financings>(&english(), &item, &posted);
    let found: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|c| (c.label.as_str(), c.stored.as_str(), c.typed.as_str()))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "surrounding spaces change nothing: {found:?}"
    );
    assert_eq!(found[0].1, "¥5,000,000");
    assert_eq!(
        found[0].2, "5000000 USD",
        "what was typed, value and currency"
    );
}

#[test]
fn a_certificate_field_that_differs_is_listed_with_what_was_typed() {
    let item = certificate(Uuid::now_v7());
    let mut posted = Certificates::values_of(&item);
    posted.set("number", "GR202632000002");
    let found = changes::<Certificates>(&english(), &item, &posted);
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].stored.as_str(), found[0].typed.as_str()),
        ("GR202632000001", "GR202632000002")
    );
}

#[test]
fn a_withdrawn_record_heads_the_conflict_and_cannot_be_reopened() {
    let f = firm("常州星辰");
    let id = Uuid::now_v7();
    let place = Place {
        firm: f.id,
        record: id,
    };
    let record = recorded(round(id), Some(withdrawal()));
    let page = conflict_page::<Financings>(english(), &f, &record, Vec::new(), place, "edit");
    assert_eq!(page.changes.len(), 1);
    assert!(page.changes[0].stored.starts_with("Withdrawn 2026-03-04"));
    assert_eq!(page.reopen, None);
    assert_eq!(page.back, format!("/firms/{}/financings/new", f.id));

    let live = recorded(round(id), None);
    let page = conflict_page::<Financings>(english(), &f, &live, Vec::new(), place, "withdraw");
    assert!(page.changes.is_empty());
    assert_eq!(
        page.reopen,
        Some(format!("/firms/{}/financings/{id}/withdraw", f.id))
    );
}

#[test]
fn the_withdrawal_confirmation_shows_every_column() {
    let f = firm("常州星辰");
    let id = Uuid::now_v7();
    let record = recorded(round(id), None);
    let page = withdraw_page::<Financings>(english(), &f, &record, 2, &FormData::default(), &[]);
    assert_eq!(page.shown.len(), Financings::COLUMNS.len());
    assert_eq!(page.shown[3].value, "—", "an undisclosed valuation");
    assert_eq!(
        page.action,
        format!("/firms/{}/financings/{id}/withdraw", f.id)
    );
    assert_eq!(page.version, 2);
}
