//! The firm page's view model: the firm, its assessment and its records, turned into the
//! facts, verdicts and timeline the template lists. Pure, so it is tested without a server.

use askama::Template;

use crate::domain::{Certificate, FinancingRound, Firm, Recorded, RegionCatalog, TierEvent};
use crate::rules::{Assessment, TierOutcome, TrackAssessment};
use crate::web::PageContext;
use crate::web::explain::{Line, lines};
use crate::web::names::Names;
use crate::web::pages::certificates::Certificates;
use crate::web::pages::financings::Financings;
use crate::web::pages::records::{RecordRow, rows};
use crate::web::pages::shared::{district_name, event_text};

/// What the firm page shows, as the service hands it out.
pub struct FirmData {
    /// The firm.
    pub firm: Firm,
    /// Its tiers today; `None` when no rule set is in force.
    pub assessment: Option<Assessment>,
    /// Its ledger events, oldest first.
    pub history: Vec<TierEvent>,
    /// Its financing rounds, withdrawn ones included.
    pub financings: Vec<Recorded<FinancingRound>>,
    /// Its certificates, withdrawn ones included.
    pub certificates: Vec<Recorded<Certificate>>,
    /// Names of the rule set in force.
    pub names: Names,
}

/// A fact of the firm as a label and a shown value.
pub struct Fact {
    label: String,
    value: String,
}

/// One tier's verdict with its explanation.
pub struct TierView {
    name: String,
    outcome: &'static str,
    outcome_text: String,
    source: String,
    /// Open by default: the tier just above the one held, where the gap matters.
    open: bool,
    lines: Vec<Line>,
}

/// A track: the tier held and every tier's verdict.
pub struct TrackView {
    name: String,
    held: Option<String>,
    undecided: Vec<String>,
    tiers: Vec<TierView>,
}

/// An entry of the history timeline.
pub struct EventView {
    date: String,
    text: String,
    cause: String,
    actor: String,
}

/// The firm page.
#[derive(Template)]
#[template(path = "firms/show.html")]
pub struct FirmPage {
    ctx: PageContext,
    id: String,
    name: String,
    facts: Vec<Fact>,
    as_of: String,
    data_year: i32,
    rule_set: String,
    note: Option<String>,
    tracks: Vec<TrackView>,
    events: Vec<EventView>,
    financings: Vec<RecordRow>,
    certificates: Vec<RecordRow>,
}

/// The page for `data`: the history newest first, each track's verdicts explained.
pub fn firm_view(ctx: PageContext, data: &FirmData, catalog: &RegionCatalog) -> FirmPage {
    let names = &data.names;
    let events = data
        .history
        .iter()
        .rev()
        .map(|e| EventView {
            date: e.effective_on.to_string(),
            text: event_text(&ctx, names, e, ctx.t("explain.none")),
            cause: ctx.label("cause", e.cause.as_str()),
            actor: e.actor.clone(),
        })
        .collect();
    let (as_of, data_year, rule_set, note, tracks) = match &data.assessment {
        Some(a) => (
            a.as_of.to_string(),
            a.data_year,
            format!("{} v{}", a.rule_set.id, a.rule_set.version),
            a.note
                .as_ref()
                .map(|_| ctx.t("firm.deregistered_note").to_owned()),
            a.tracks
                .iter()
                .map(|t| track_view(&ctx, names, t))
                .collect(),
        ),
        None => (String::new(), 0, String::new(), None, Vec::new()),
    };
    let firm = &data.firm;
    FirmPage {
        id: firm.id.to_string(),
        name: firm.profile.name.clone(),
        facts: facts(&ctx, catalog, firm),
        as_of,
        data_year,
        rule_set,
        note,
        tracks,
        events,
        financings: rows::<Financings>(&ctx, firm, &data.financings),
        certificates: rows::<Certificates>(&ctx, firm, &data.certificates),
        ctx,
    }
}

fn track_view(ctx: &PageContext, names: &Names, t: &TrackAssessment) -> TrackView {
    let held_index = t.tiers.iter().rposition(|x| x.outcome == TierOutcome::Pass);
    let next = held_index.map_or(0, |i| i + 1);
    TrackView {
        name: names.track(ctx.lang, &t.track),
        held: t.tier.as_deref().map(|id| names.tier(ctx.lang, id)),
        undecided: t
            .undecided
            .iter()
            .map(|id| names.tier(ctx.lang, id))
            .collect(),
        tiers: t
            .tiers
            .iter()
            .enumerate()
            .map(|(i, tier)| {
                let outcome = match tier.outcome {
                    TierOutcome::Pass => "pass",
                    TierOutcome::Fail => "fail",
                    TierOutcome::InsufficientData => "insufficient_data",
                };
                TierView {
                    name: names.tier(ctx.lang, &tier.tier),
                    outcome,
                    outcome_text: ctx.label("outcome", outcome),
                    source: tier.source.clone(),
                    open: i == next,
                    lines: lines(ctx, names, &tier.rule),
                }
            })
            .collect(),
    }
}

fn facts(ctx: &PageContext, catalog: &RegionCatalog, firm: &Firm) -> Vec<Fact> {
    let p = &firm.profile;
    let yes_no = |v: Option<bool>| {
        ctx.t(match v {
            Some(true) => "choice.yes",
            Some(false) => "choice.no",
            None => "choice.unknown",
        })
        .to_owned()
    };
    let date = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "—".to_owned(), |d| d.to_string());
    let fact = |key: &str, value: String| Fact {
        label: ctx.label("field", key),
        value,
    };
    vec![
        fact("uscc", p.uscc.to_string()),
        fact("name_en", p.name_en.clone().unwrap_or_else(|| "—".into())),
        fact(
            "region_code",
            format!(
                "{} ({})",
                district_name(catalog, ctx.lang, p.region_code.as_str()),
                p.region_code.as_str()
            ),
        ),
        fact("industry_code", p.industry_code.to_string()),
        fact("founded_on", p.founded_on.to_string()),
        fact("listed_on", date(p.listed_on)),
        fact("status", ctx.label("status", p.status.as_str())),
        fact("credit_ok", yes_no(p.credit_ok)),
        fact("tech_firm", yes_no(p.tech_firm)),
        fact("key_tech_breakthrough", yes_no(p.key_tech_breakthrough)),
        fact("in_gazelle_pool", yes_no(p.in_gazelle_pool)),
        fact("in_key_tech_field", yes_no(p.in_key_tech_field)),
        fact("major_violation_on", date(p.major_violation_on)),
        fact("version", firm.version.to_string()),
    ]
}

#[cfg(test)]
mod tests;
