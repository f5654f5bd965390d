//! Money as the pages show it: one format everywhere. Chinese pages write amounts in 万元 or
//! 亿元 (美元 likewise), rounded to two decimals, with the exact amount in whole units kept
//! beside it (a `title`, or in brackets where a page has no room for one); English pages
//! write the exact amount with its sign.

use crate::domain::Currency;
use crate::web::i18n::Lang;

/// An amount for a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoneyText {
    /// What the page shows (`2,770.85 万元`).
    pub short: String,
    /// The exact amount (`27,708,450 元`).
    pub exact: String,
}

impl MoneyText {
    /// The short form, followed by the exact amount in brackets when the short form rounds.
    pub fn with_exact(&self) -> String {
        if self.short == self.exact {
            self.short.clone()
        } else {
            format!("{}（{}）", self.short, self.exact)
        }
    }
}

/// 1234567 → "1,234,567".
pub fn group_digits(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 { format!("-{out}") } else { out }
}

/// `value` whole units of `currency`, for a page in `lang`.
pub fn money_text(lang: Lang, value: i64, currency: Currency) -> MoneyText {
    let (unit, sign) = match currency {
        Currency::CNY => ("元", "¥"),
        Currency::USD => ("美元", "US$"),
    };
    if lang == Lang::En {
        let text = format!("{sign}{}", group_digits(value));
        return MoneyText {
            short: text.clone(),
            exact: text,
        };
    }
    let exact = format!("{} {unit}", group_digits(value));
    let (scale, prefix) = match value.unsigned_abs() {
        n if n >= 100_000_000 => (100_000_000_i128, "亿"),
        n if n >= 10_000 => (10_000, "万"),
        _ => {
            return MoneyText {
                short: exact.clone(),
                exact,
            };
        }
    };
    // Hundredths of the unit, rounded half away from zero, in integers (never floating point).
    let v = i128::from(value);
    let hundredths = (v.abs() * 100 * 2 + scale) / (scale * 2) * v.signum();
    let whole = i64::try_from(hundredths / 100).unwrap_or(i64::MAX);
    let cents = (hundredths % 100).unsigned_abs();
    let decimals = match cents {
        0 => String::new(),
        c if c % 10 == 0 => format!(".{}", c / 10),
        c => format!(".{c:02}"),
    };
    MoneyText {
        short: format!("{}{decimals} {prefix}{unit}", group_digits(whole)),
        exact,
    }
}

/// Rewrites every `¥1,234` and `US$1,234` in a sentence of the rules into the short form
/// (`0.12 万元`); Chinese pages only.
pub fn money_in_text(lang: Lang, text: &str) -> String {
    if lang == Lang::En {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let next = [("¥", Currency::CNY), ("US$", Currency::USD)]
            .into_iter()
            .filter_map(|(sign, c)| rest.find(sign).map(|i| (i, sign, c)))
            .min_by_key(|(i, _, _)| *i);
        let Some((i, sign, currency)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..i]);
        let after = &rest[i + sign.len()..];
        let end = after
            .find(|c: char| !(c.is_ascii_digit() || c == ','))
            .unwrap_or(after.len());
        // A decimal amount (a rate's "¥1.5") is left as written.
        let decimal = after[end..].starts_with('.')
            && after[end + 1..].starts_with(|c: char| c.is_ascii_digit());
        match after[..end].replace(',', "").parse::<i64>() {
            Ok(value) if end > 0 && !decimal => {
                out.push_str(&money_text(lang, value, currency).short);
            }
            _ => out.push_str(&rest[i..i + sign.len() + end]),
        }
        rest = &after[end..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_pages_write_wan_and_yi_with_the_exact_amount_beside() {
        let m = money_text(Lang::Zh, 27_708_450, Currency::CNY);
        assert_eq!(m.short, "2,770.85 万元");
        assert_eq!(m.exact, "27,708,450 元");
        assert_eq!(m.with_exact(), "2,770.85 万元（27,708,450 元）");
        assert_eq!(
            money_text(Lang::Zh, 300_000_000, Currency::CNY).short,
            "3 亿元"
        );
        assert_eq!(
            money_text(Lang::Zh, 582_466_851, Currency::CNY).short,
            "5.82 亿元"
        );
        assert_eq!(
            money_text(Lang::Zh, 150_000_000, Currency::CNY).short,
            "1.5 亿元"
        );
        assert_eq!(
            money_text(Lang::Zh, 50_000_000, Currency::USD).short,
            "5,000 万美元"
        );
        assert_eq!(money_text(Lang::Zh, 9_999, Currency::CNY).short, "9,999 元");
        assert_eq!(
            money_text(Lang::Zh, 15_000, Currency::CNY).with_exact(),
            "1.5 万元（15,000 元）"
        );
        // Half a hundredth rounds away from zero.
        assert_eq!(
            money_text(Lang::Zh, 10_050, Currency::CNY).short,
            "1.01 万元"
        );
        assert_eq!(
            money_text(Lang::Zh, -27_708_450, Currency::CNY).short,
            "-2,770.85 万元"
        );
        assert_eq!(
            money_text(Lang::En, 27_708_450, Currency::CNY).short,
            "¥27,708,450"
        );
    }

    #[test]
    fn large_numbers_are_grouped_by_thousands() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1_234_567), "1,234,567");
        assert_eq!(group_digits(-1_000), "-1,000");
    }

    #[test]
    fn amounts_inside_rule_sentences_are_rewritten() {
        assert_eq!(
            money_in_text(Lang::Zh, "估值 US$43,000,000 (¥305,300,000) ≥ ¥300,000,000"),
            "估值 4,300 万美元 (3.05 亿元) ≥ 3 亿元"
        );
        assert_eq!(
            money_in_text(Lang::Zh, "差 ¥359,595 达到"),
            "差 35.96 万元 达到"
        );
        assert_eq!(
            money_in_text(Lang::Zh, "¥1.5 and ¥ alone"),
            "¥1.5 and ¥ alone"
        );
        assert_eq!(money_in_text(Lang::En, "¥305,300,000"), "¥305,300,000");
    }
}
