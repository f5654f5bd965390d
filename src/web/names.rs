//! Names of tracks and tiers as the rule set in force writes them, in the page's language.

use std::collections::HashMap;

use super::i18n::Lang;
use crate::rules::RuleSet;

/// Track and tier names by id: (Chinese, English).
#[derive(Debug, Clone, Default)]
pub struct Names {
    tracks: HashMap<String, (String, String)>,
    tiers: HashMap<String, (String, String)>,
    /// Track ids, then their tier ids lowest first, in file order.
    pub order: Vec<(String, Vec<String>)>,
}

impl Names {
    /// The names of `set`.
    pub fn of(set: &RuleSet) -> Self {
        let mut names = Self::default();
        for track in set.tracks() {
            names.tracks.insert(
                track.id.clone(),
                (track.label_zh.clone(), track.label_en.clone()),
            );
            for tier in &track.tiers {
                names.tiers.insert(
                    tier.id.clone(),
                    (tier.label_zh.clone(), tier.label_en.clone()),
                );
            }
            names.order.push((
                track.id.clone(),
                track.tiers.iter().map(|t| t.id.clone()).collect(),
            ));
        }
        names
    }

    fn pick(map: &HashMap<String, (String, String)>, lang: Lang, id: &str) -> String {
        match (map.get(id), lang) {
            (Some((zh, _)), Lang::Zh) => zh.clone(),
            (Some((_, en)), Lang::En) => en.clone(),
            (None, _) => id.to_owned(),
        }
    }

    /// A track's name.
    pub fn track(&self, lang: Lang, id: &str) -> String {
        Self::pick(&self.tracks, lang, id)
    }

    /// A tier's name.
    pub fn tier(&self, lang: Lang, id: &str) -> String {
        Self::pick(&self.tiers, lang, id)
    }

    /// Every tier as (id, "track · tier" name), for a filter.
    pub fn tier_choices(&self, lang: Lang) -> Vec<(String, String)> {
        self.order
            .iter()
            .flat_map(|(track, tiers)| {
                tiers.iter().map(move |tier| {
                    (
                        tier.clone(),
                        format!("{} · {}", self.track(lang, track), self.tier(lang, tier)),
                    )
                })
            })
            .collect()
    }
}
