//! The rules page's view model: the rule set in force as tracks, tiers and condition lines,
//! and every published version. Pure, so it is tested without a server.

use askama::Template;

use crate::domain::PublishedRuleSet;
use crate::rules::{Condition, RuleSet};
use crate::web::PageContext;
use crate::web::explain::{op_key, value_text};
use crate::web::names::Names;

/// A condition line: depth and words.
pub struct ConditionLine {
    depth: usize,
    text: String,
}

/// A tier with its source and conditions.
pub struct TierRules {
    name: String,
    id: String,
    source: String,
    note: String,
    lines: Vec<ConditionLine>,
}

/// A track with its tiers, lowest first.
pub struct TrackRules {
    name: String,
    description: String,
    tiers: Vec<TierRules>,
}

/// A published version.
pub struct Publication {
    id: String,
    version: i32,
    effective_from: String,
    published_at: String,
    published_by: String,
    in_force: bool,
}

/// The rules page.
#[derive(Template)]
#[template(path = "rules.html")]
pub struct RulesPage {
    ctx: PageContext,
    found: bool,
    id: String,
    version: u32,
    effective_from: String,
    description: String,
    content_hash: String,
    origin: String,
    tracks: Vec<TrackRules>,
    publications: Vec<Publication>,
}

/// The page for the rule set in force (`None` before any is published) and every
/// published version.
pub fn rules_view(
    ctx: PageContext,
    current: Option<&RuleSet>,
    published: &[PublishedRuleSet],
) -> RulesPage {
    let publications = published
        .iter()
        .map(|p| Publication {
            id: p.id.clone(),
            version: p.version,
            effective_from: p.effective_from.to_string(),
            published_at: p.published_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            published_by: p.published_by.clone(),
            in_force: p.in_force,
        })
        .collect();
    let Some(set) = current else {
        return RulesPage {
            found: false,
            id: String::new(),
            version: 0,
            effective_from: String::new(),
            description: String::new(),
            content_hash: String::new(),
            origin: String::new(),
            tracks: Vec::new(),
            publications,
            ctx,
        };
    };
    let names = Names::of(set);
    let tracks = set
        .tracks()
        .iter()
        .enumerate()
        .map(|(ti, track)| TrackRules {
            name: names.track(ctx.lang, &track.id),
            description: track.description.clone(),
            tiers: track
                .tiers
                .iter()
                .enumerate()
                .map(|(k, tier)| {
                    let mut lines = Vec::new();
                    if let Some(c) = set.conditions(ti, k) {
                        walk(&ctx, &names, &c, 0, &mut lines);
                    }
                    TierRules {
                        name: names.tier(ctx.lang, &tier.id),
                        id: tier.id.clone(),
                        source: tier.source.clone(),
                        note: tier.note.clone(),
                        lines,
                    }
                })
                .collect(),
        })
        .collect();
    RulesPage {
        found: true,
        id: set.id().to_owned(),
        version: set.version(),
        effective_from: set.effective_from().to_string(),
        description: set.description().to_owned(),
        content_hash: set.content_hash().to_owned(),
        origin: set.origin().to_owned(),
        tracks,
        publications,
        ctx,
    }
}

/// Writes a condition and, indented, the conditions under it.
fn walk(
    ctx: &PageContext,
    names: &Names,
    c: &Condition,
    depth: usize,
    out: &mut Vec<ConditionLine>,
) {
    let group = |key: &str, label: &Option<String>| match label {
        Some(l) => format!("{}（{l}）", ctx.t(key)),
        None => ctx.t(key).to_owned(),
    };
    match c {
        Condition::All { label, items } | Condition::Any { label, items } => {
            let key = if matches!(c, Condition::All { .. }) {
                "explain.all"
            } else {
                "explain.any"
            };
            out.push(ConditionLine {
                depth,
                text: group(key, label),
            });
            for item in items {
                walk(ctx, names, item, depth + 1, out);
            }
        }
        Condition::Not { label, item } => {
            out.push(ConditionLine {
                depth,
                text: group("explain.not", label),
            });
            walk(ctx, names, item, depth + 1, out);
        }
        Condition::Requires { track, tier, .. } => out.push(ConditionLine {
            depth,
            text: ctx
                .t("rules.requires")
                .replace("{track}", &names.track(ctx.lang, track))
                .replace("{tier}", &names.tier(ctx.lang, tier)),
        }),
        Condition::Compare {
            metric,
            op,
            threshold,
        } => out.push(ConditionLine {
            depth,
            text: format!(
                "{} {} {}",
                ctx.label("metric", metric),
                ctx.t(op_key(*op, true)),
                value_text(ctx.lang, threshold)
            ),
        }),
    }
}

#[cfg(test)]
mod tests;
