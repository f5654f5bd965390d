use actix_web::{HttpResponse, web};
use askama::Template;

use crate::domain::{Firm, Role};
use crate::rules::{TierOutcome, TrackAssessment};
use crate::service::{Registry, ServiceError};
use crate::web::explain::{Line, lines};
use crate::web::names::Names;
use crate::web::pages::certificates::Certificates;
use crate::web::pages::financings::Financings;
use crate::web::pages::records::{RecordRow, rows};
use crate::web::pages::shared::{blocking, district_name, firm_id, names};
use crate::web::render::ok;
use crate::web::{PageContext, WebError};

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

#[derive(Template)]
#[template(path = "firms/show.html")]
struct FirmPage {
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

/// `GET /firms/{id}`: the firm, its tiers with the reasons in plain words, its history.
#[tracing::instrument(name = "web.show_firm", skip_all, fields(firm.id = %path))]
pub async fn show_firm(
    ctx: PageContext,
    registry: web::Data<Registry>,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Viewer)?;
    let id = firm_id(&path)?;
    let (firm, assessment, events, financings, certificates, names) =
        blocking(&registry, move |r| {
            let firm = r.firms().get(id)?;
            let assessment = match r.tiers().assess(id, None) {
                Ok(a) => Some(a),
                Err(ServiceError::Validation(_)) => None,
                Err(e) => return Err(e),
            };
            Ok((
                firm,
                assessment,
                r.tiers().history(id)?,
                r.figures().list_financings(id)?,
                r.figures().list_certificates(id)?,
                names(r)?,
            ))
        })
        .await??;
    let lang = ctx.lang;
    let events = events
        .iter()
        .rev()
        .map(|e| {
            let tier = |t: &Option<String>| {
                t.as_deref()
                    .map_or_else(|| ctx.t("explain.none").to_owned(), |t| names.tier(lang, t))
            };
            EventView {
                date: e.effective_on.to_string(),
                text: ctx
                    .label("event", e.kind.as_str())
                    .replace("{track}", &names.track(lang, &e.track))
                    .replace("{from}", &tier(&e.from_tier))
                    .replace("{to}", &tier(&e.to_tier)),
                cause: ctx.label("cause", e.cause.as_str()),
                actor: e.actor.clone(),
            }
        })
        .collect();
    let financings = rows::<Financings>(&ctx, &firm, &financings);
    let certificates = rows::<Certificates>(&ctx, &firm, &certificates);
    let (as_of, data_year, rule_set, note, tracks) = match &assessment {
        Some(a) => (
            a.as_of.to_string(),
            a.data_year,
            format!("{} v{}", a.rule_set.id, a.rule_set.version),
            a.note
                .as_ref()
                .map(|_| ctx.t("firm.deregistered_note").to_owned()),
            a.tracks
                .iter()
                .map(|t| track_view(&ctx, &names, t))
                .collect(),
        ),
        None => (String::new(), 0, String::new(), None, Vec::new()),
    };
    ok(&FirmPage {
        id: firm.id.to_string(),
        name: firm.profile.name.clone(),
        facts: facts(&ctx, &registry, &firm),
        as_of,
        data_year,
        rule_set,
        note,
        tracks,
        events,
        financings,
        certificates,
        ctx,
    })
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

fn facts(ctx: &PageContext, registry: &Registry, firm: &Firm) -> Vec<Fact> {
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
                district_name(registry.catalog(), ctx.lang, p.region_code.as_str()),
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
