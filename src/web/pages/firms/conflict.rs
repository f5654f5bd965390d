//! The page a stale firm form (or year form) leads to: what is stored now beside what was
//! typed. Nothing was written.

use askama::Template;

use super::form::{FACTS, values_of};
use crate::domain::Firm;
use crate::web::PageContext;
use crate::web::form::FormData;
use crate::web::pages::shared::Change;

/// Someone saved the record (the firm, a year of it) after this form was opened: nothing was
/// written.
#[derive(Template)]
#[template(path = "firms/conflict.html")]
pub struct ConflictPage {
    pub ctx: PageContext,
    pub id: String,
    pub name: String,
    pub changes: Vec<Change>,
    /// Where the form opens again with what is stored now.
    pub reopen: String,
}

/// Every field the edit form posts besides the facts; all are sent, so a save restates the
/// whole firm.
const FIELDS: [&str; 8] = [
    "uscc",
    "name",
    "name_en",
    "region_code",
    "industry_code",
    "founded_on",
    "listed_on",
    "status",
];

/// A form value as the page words it: yes / no and the status in the page's language, the
/// rest as typed.
fn shown(ctx: &PageContext, name: &str, value: &str) -> String {
    match (name, value) {
        (_, "yes" | "no") => ctx.label("choice", value),
        ("status", _) if !value.is_empty() => ctx.label("status", value),
        _ => value.to_owned(),
    }
}

/// The firm as stored now (`current`) against the stale edit form `typed`.
pub fn firm_conflict(ctx: PageContext, current: &Firm, typed: &FormData) -> ConflictPage {
    let stored = values_of(current);
    let changes = FIELDS
        .iter()
        .chain(FACTS.iter())
        .chain(["major_violation_on"].iter())
        .filter(|name| stored.get(name).trim() != typed.get(name).trim())
        .map(|name| Change {
            label: ctx.label("field", name),
            stored: shown(&ctx, name, stored.get(name)),
            typed: shown(&ctx, name, typed.get(name)),
        })
        .collect();
    ConflictPage {
        id: current.id.to_string(),
        name: current.profile.name.clone(),
        changes,
        reopen: format!("/firms/{}/edit", current.id),
        ctx,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::pages::fixtures::{english, firm};

    #[test]
    fn only_the_fields_that_differ_are_listed_with_both_values() {
        let current = firm("常州星辰");
        let mut typed = values_of(&current);
        typed.set("name", "常州星辰科技");
        typed.set("uscc", " 91350100M000100Y43 ");
        typed.set("tech_firm", "yes");
        let page = firm_conflict(english(), &current, &typed);
        let changes: Vec<(&str, &str)> = page
            .changes
            .iter()
            .map(|c| (c.stored.as_str(), c.typed.as_str()))
            .collect();
        assert_eq!(changes, vec![("常州星辰", "常州星辰科技"), ("No", "Yes")]);
        assert_eq!(page.reopen, format!("/firms/{}/edit", current.id));
    }

    #[test]
    fn a_chinese_conflict_page_words_yes_no_and_the_status_in_chinese() {
        let current = firm("常州星辰");
        let mut typed = values_of(&current);
        typed.set("tech_firm", "yes");
        typed.set("status", "deregistered");
        let mut ctx = english();
        ctx.lang = crate::web::i18n::Lang::Zh;
        let page = firm_conflict(ctx, &current, &typed);
        let changes: Vec<(&str, &str)> = page
            .changes
            .iter()
            .map(|c| (c.stored.as_str(), c.typed.as_str()))
            .collect();
        assert_eq!(changes, vec![("存续", "已注销"), ("否", "是")]);
    }
}
