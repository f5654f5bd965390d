//! Form decoding and form views: posted fields as strings, the errors beside each field, and
//! an error summary linking to them. Validation itself is the API's (the input DTOs' `parse`).

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use super::i18n::Lang;
use super::{PageContext, WebError};
use crate::domain::FieldError;

/// A decoded `application/x-www-form-urlencoded` body: every value a string, as typed.
#[derive(Debug, Clone, Default)]
pub struct FormData(HashMap<String, String>);

impl FormData {
    /// Decodes a form body; the first of repeated names wins.
    pub fn parse(body: &[u8]) -> Result<Self, WebError> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(body).map_err(|_| WebError::BadRequest)?;
        let mut map = HashMap::new();
        for (k, v) in pairs {
            map.entry(k).or_insert(v);
        }
        Ok(Self(map))
    }

    /// The value as typed, or "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }

    /// The value as an owned string ("" when absent).
    pub fn text(&self, name: &str) -> String {
        self.get(name).to_owned()
    }

    /// `None` for an empty (or blank) field, the value as typed otherwise.
    pub fn opt(&self, name: &str) -> Option<String> {
        let v = self.get(name);
        (!v.trim().is_empty()).then(|| v.to_owned())
    }

    /// A date as typed, in the API's `YYYY-MM-DD` when it is written one of the ways Chinese
    /// staff commonly write dates (see [`fold_date`]); otherwise as typed, so the API's own
    /// check names what is wrong.
    pub fn date(&self, name: &str) -> String {
        let typed = self.get(name);
        fold_date(typed).unwrap_or_else(|| typed.to_owned())
    }

    /// `date`, or `None` for an empty (or blank) field.
    pub fn opt_date(&self, name: &str) -> Option<String> {
        self.opt(name).map(|_| self.date(name))
    }

    /// A yes / no / unknown choice.
    pub fn tri(&self, name: &str) -> Option<bool> {
        match self.get(name) {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        }
    }

    /// Sets a value (to show a form filled from stored data).
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.0.insert(name.to_owned(), value.into());
    }

    /// An optional whole number, collecting its error.
    pub fn int(&self, name: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
        match parse_int(name, self.get(name)) {
            Ok(v) => v,
            Err(e) => {
                errors.push(e);
                None
            }
        }
    }
}

/// The stored form of a yes / no / unknown fact.
pub fn tri_value(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    }
}

/// Parses an optional whole number as staff type it: full-width digits, thousands
/// separators and spaces are accepted; an empty field is `None`.
pub fn parse_int(field: &str, raw: &str) -> Result<Option<i64>, FieldError> {
    let folded: String = raw
        .nfkc()
        .filter(|c| !matches!(c, ',' | '，' | '_' | ' ' | '\u{3000}'))
        .collect();
    if folded.is_empty() {
        return Ok(None);
    }
    folded.parse::<i64>().map(Some).map_err(|_| {
        FieldError::new(
            field,
            "not_a_whole_number",
            format!("{raw:?} is not a whole number"),
        )
    })
}

/// `YYYY-MM-DD` for a date written `1994年3月1日`, `1994/3/1`, `1994.3.1`, `1994-3-1` or
/// `19940301` (full-width digits and spaces folded); `None` for anything else. Only the shape
/// is read here: whether the day exists is the API's check.
pub fn fold_date(raw: &str) -> Option<String> {
    let folded: String = raw.nfkc().filter(|c| !c.is_whitespace()).collect();
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = if let Some(rest) = folded.strip_suffix('日') {
        rest.split(['年', '月']).collect()
    } else if folded.len() == 8 && folded.bytes().all(|b| b.is_ascii_digit()) {
        vec![&folded[..4], &folded[4..6], &folded[6..]]
    } else {
        let sep = folded.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
        folded.split(sep).collect()
    };
    match parts.as_slice() {
        [y, m, d]
            if y.len() == 4
                && digits(y)
                && m.len() <= 2
                && digits(m)
                && d.len() <= 2
                && digits(d) =>
        {
            Some(format!("{y}-{m:0>2}-{d:0>2}"))
        }
        _ => None,
    }
}

/// One choice of a select.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Submitted value.
    pub value: String,
    /// Shown label.
    pub label: String,
    /// Whether it is the current value.
    pub selected: bool,
}

/// A form field as the page shows it.
#[derive(Debug, Clone)]
pub struct Field {
    /// Form name; the input's id is `f-<name>`.
    pub name: String,
    /// Label text.
    pub label: String,
    /// Help text (may be empty).
    pub hint: String,
    /// The value to show: what was typed, or what is stored.
    pub value: String,
    /// The error beside the field.
    pub error: Option<String>,
    /// Choices; empty for a text input.
    pub options: Vec<Choice>,
    /// Whether the field must be filled.
    pub required: bool,
}

/// An entry of the error summary, linking to its field.
#[derive(Debug, Clone)]
pub struct ErrorLink {
    /// The field's name (anchor `#f-<name>`).
    pub name: String,
    /// The field's label.
    pub label: String,
    /// The message.
    pub message: String,
}

/// A form: its fields and the summary of their errors.
#[derive(Debug, Clone, Default)]
pub struct FormView {
    /// Fields in order.
    pub fields: Vec<Field>,
    /// Errors in field order, then errors no field owns.
    pub errors: Vec<ErrorLink>,
}

/// Builds a [`FormView`] from typed values and field errors.
pub struct FormBuilder<'a> {
    ctx: &'a PageContext,
    values: &'a FormData,
    errors: HashMap<String, String>,
    view: FormView,
}

impl<'a> FormBuilder<'a> {
    /// Starts a form showing `values` and `errors` (API field names, `amount.value` →
    /// `amount_value`).
    pub fn new(ctx: &'a PageContext, values: &'a FormData, errors: &[FieldError]) -> Self {
        let mut map: HashMap<String, String> = HashMap::new();
        for e in errors {
            let name = e.field.replace('.', "_");
            let message = message(ctx, e);
            map.entry(name)
                .and_modify(|m| {
                    m.push('；');
                    m.push_str(&message);
                })
                .or_insert(message);
        }
        Self {
            ctx,
            values,
            errors: map,
            view: FormView::default(),
        }
    }

    fn push(&mut self, name: &str, required: bool, options: Vec<Choice>) -> &mut Self {
        let label = self.ctx.label("field", name);
        let hint = self
            .ctx
            .catalog()
            .get(&format!("hint.{name}"))
            .unwrap_or("")
            .to_owned();
        // A required field left blank is "missing", whatever the parser called it (an empty
        // date is not a malformed one): the page asks for it to be filled in or chosen.
        let blank = self.values.get(name).trim().is_empty();
        let error = self.errors.remove(name).map(|message| {
            if required && blank {
                let key = if options.is_empty() {
                    "fielderror.required"
                } else {
                    "fielderror.choose"
                };
                self.ctx.t(key).to_owned()
            } else {
                message
            }
        });
        if let Some(message) = &error {
            self.view.errors.push(ErrorLink {
                name: name.to_owned(),
                label: label.clone(),
                message: message.clone(),
            });
        }
        self.view.fields.push(Field {
            name: name.to_owned(),
            label,
            hint,
            value: self.values.text(name),
            error,
            options,
            required,
        });
        self
    }

    /// A text input.
    pub fn text(&mut self, name: &str, required: bool) -> &mut Self {
        self.push(name, required, Vec::new())
    }

    /// A select of `(value, label)` pairs.
    pub fn select(
        &mut self,
        name: &str,
        required: bool,
        choices: &[(String, String)],
    ) -> &mut Self {
        let current = self.values.get(name).to_owned();
        let options = choices
            .iter()
            .map(|(value, label)| Choice {
                value: value.clone(),
                label: label.clone(),
                selected: *value == current,
            })
            .collect();
        self.push(name, required, options)
    }

    /// A yes / no / unknown select.
    pub fn tri(&mut self, name: &str) -> &mut Self {
        let choices = [
            (String::new(), self.ctx.t("choice.unknown").to_owned()),
            ("yes".to_owned(), self.ctx.t("choice.yes").to_owned()),
            ("no".to_owned(), self.ctx.t("choice.no").to_owned()),
        ];
        self.select(name, false, &choices)
    }

    /// The finished form; errors no field owns are listed last, linking to the form.
    pub fn finish(&mut self) -> FormView {
        let mut view = std::mem::take(&mut self.view);
        let mut rest: Vec<_> = self.errors.drain().collect();
        rest.sort();
        for (name, message) in rest {
            view.errors.push(ErrorLink {
                label: self.ctx.label("field", &name),
                name,
                message,
            });
        }
        view
    }
}

/// The message of a field error in the page's language. English pages show the service's
/// own sentence, which names the limit broken; Chinese pages the catalogue's sentence for the
/// error's code, and the service's sentence for a code the catalogue lacks.
pub fn message(ctx: &PageContext, e: &FieldError) -> String {
    match (
        ctx.lang,
        ctx.catalog().get(&format!("fielderror.{}", e.code)),
    ) {
        (Lang::En, _) | (_, None) => e.message.clone(),
        (Lang::Zh, Some(text)) => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_accept_full_width_digits_and_separators() {
        assert_eq!(parse_int("x", "１２３"), Ok(Some(123)));
        assert_eq!(parse_int("x", "1,234,567"), Ok(Some(1_234_567)));
        assert_eq!(parse_int("x", " "), Ok(None));
        assert_eq!(parse_int("x", "-５"), Ok(Some(-5)));
        assert_eq!(
            parse_int("x", "1.5").map_err(|e| e.code),
            Err("not_a_whole_number")
        );
        assert_eq!(
            parse_int("x", "9".repeat(30).as_str()).map_err(|e| e.code),
            Err("not_a_whole_number")
        );
    }

    #[test]
    fn dates_written_the_common_chinese_ways_become_the_api_form() {
        for typed in [
            "1994年3月1日",
            "1994 年 3 月 1 日",
            "1994/3/1",
            "1994.3.1",
            "1994-3-1",
            "1994-03-01",
            "19940301",
            "１９９４／０３／０１",
        ] {
            assert_eq!(fold_date(typed).as_deref(), Some("1994-03-01"), "{typed}");
        }
        for other in [
            "1994年3月",
            "3/1/1994",
            "1994/3-1",
            "94.3.1",
            "1994-003-01",
            "",
            "明天",
            "明天12",
            "2016年5月12号",
        ] {
            assert_eq!(fold_date(other), None, "{other}");
        }
        let form =
            FormData::parse("a=2016%E5%B9%B45%E6%9C%8812%E6%97%A5&b=2016-13-45&c=".as_bytes())
                .expect("decodes");
        assert_eq!(form.date("a"), "2016-05-12");
        assert_eq!(
            form.date("b"),
            "2016-13-45",
            "the day's existence is the API's check"
        );
        assert_eq!(form.opt_date("c"), None);
    }

    #[test]
    fn the_first_of_repeated_form_fields_wins_and_empty_optionals_are_none() {
        let form = FormData::parse(b"a=1&a=2&b=&c=%E5%B8%B8").expect("decodes");
        assert_eq!(form.get("a"), "1");
        assert_eq!(form.opt("b"), None);
        assert_eq!(form.get("c"), "常");
        assert_eq!(form.get("missing"), "");
    }
}
