//! Helpers the staff pages share: ids from the path, blocking service calls, names, choices.

use actix_web::web;
use uuid::Uuid;

use crate::domain::{Firm, RegionCatalog, TierEvent};
use crate::service::{Registry, ServiceError};
use crate::web::i18n::Lang;
use crate::web::names::Names;
use crate::web::{PageContext, WebError};

/// A field that differs between the stored record and a stale form: nothing was written.
pub struct Change {
    /// The field's label.
    pub label: String,
    /// The value stored now, as shown.
    pub stored: String,
    /// What the stale form carried.
    pub typed: String,
}

/// The firm id of a path; anything that is not a UUID names no firm.
pub fn firm_id(raw: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(raw).map_err(|_| WebError::NotFound)
}

/// Runs a service call on the blocking pool.
pub async fn blocking<T: Send + 'static>(
    registry: &web::Data<Registry>,
    f: impl FnOnce(&Registry) -> Result<T, ServiceError> + Send + 'static,
) -> Result<Result<T, ServiceError>, WebError> {
    let registry = registry.clone();
    Ok(crate::telemetry::blocking(move || f(&registry)).await?)
}

/// The firm, or the not-found page.
pub async fn load_firm(registry: &web::Data<Registry>, id: Uuid) -> Result<Firm, WebError> {
    Ok(blocking(registry, move |r| r.firms().get(id)).await??)
}

/// Names of the rule set in force (empty when none is in force: ids are shown instead).
pub fn names(registry: &Registry) -> Result<Names, ServiceError> {
    match registry.rule_sets().current() {
        Ok((set, _)) => Ok(Names::of(&set)),
        Err(ServiceError::NotFound(_)) => Ok(Names::default()),
        Err(e) => Err(e),
    }
}

/// The city's districts as (code, name) choices.
pub fn district_choices(catalog: &RegionCatalog, lang: Lang) -> Vec<(String, String)> {
    catalog
        .districts
        .iter()
        .map(|d| {
            let name = match lang {
                Lang::Zh => &d.name,
                Lang::En => &d.name_en,
            };
            (d.code.clone(), format!("{name} ({})", d.code))
        })
        .collect()
}

/// A district's name in the page's language, the code when unknown.
pub fn district_name(catalog: &RegionCatalog, lang: Lang, code: &str) -> String {
    catalog
        .districts
        .iter()
        .find(|d| d.code == code)
        .map_or_else(
            || code.to_owned(),
            |d| match lang {
                Lang::Zh => d.name.clone(),
                Lang::En => d.name_en.clone(),
            },
        )
}

/// Choices with an empty "any" first, for filters.
pub fn with_any(ctx: &PageContext, mut choices: Vec<(String, String)>) -> Vec<(String, String)> {
    choices.insert(0, (String::new(), ctx.t("choice.any").to_owned()));
    choices
}

/// Choices with an empty "choose" first, for required selects.
pub fn with_blank(ctx: &PageContext, mut choices: Vec<(String, String)>) -> Vec<(String, String)> {
    choices.insert(0, (String::new(), ctx.t("choice.choose").to_owned()));
    choices
}

/// A tier change in words, as the catalogue words its kind (`event.promoted`: "{track}:
/// {from} → {to}"), with `absent` standing for the missing side of an entry or an exit.
pub fn change_text(
    ctx: &PageContext,
    names: &Names,
    kind: &str,
    track: &str,
    [from, to]: [Option<&str>; 2],
    absent: &str,
) -> String {
    let tier = |t: Option<&str>| t.map_or_else(|| absent.to_owned(), |t| names.tier(ctx.lang, t));
    ctx.label("event", kind)
        .replace("{track}", &names.track(ctx.lang, track))
        .replace("{from}", &tier(from))
        .replace("{to}", &tier(to))
}

/// A ledger event in words (see `change_text`).
pub fn event_text(ctx: &PageContext, names: &Names, e: &TierEvent, absent: &str) -> String {
    let sides = [e.from_tier.as_deref(), e.to_tier.as_deref()];
    change_text(ctx, names, e.kind.as_str(), &e.track, sides, absent)
}
