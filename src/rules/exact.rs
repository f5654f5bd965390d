//! Exact arithmetic for thresholds: fractions in checked `i128`, never floating point, so that
//! "exactly 20%" is exactly 20% (in `f64`, (17,280,000 / 10,000,000)^(1/3) − 1 is 0.19999…).

use std::cmp::Ordering;

/// Most decimal places accepted in a threshold or a rate; keeps every product inside `i128`.
pub const MAX_DECIMALS: u32 = 6;

/// A fraction `num / den` with `den > 0`, compared by checked cross-multiplication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    /// Numerator.
    pub num: i128,
    /// Denominator, always positive.
    pub den: i128,
}

impl Ratio {
    /// `num / den`, or `None` when `den` is zero (an undefined ratio is missing, not zero).
    /// Not reduced: comparisons cross-multiply, and a gcd per metric would cost more than the
    /// whole rest of an evaluation.
    pub fn new(num: i128, den: i128) -> Option<Self> {
        match den.cmp(&0) {
            Ordering::Equal => None,
            Ordering::Greater => Some(Self { num, den }),
            Ordering::Less => Some(Self {
                num: num.checked_neg()?,
                den: den.checked_neg()?,
            }),
        }
    }

    /// A whole number.
    pub fn int(value: i64) -> Self {
        Self {
            num: i128::from(value),
            den: 1,
        }
    }

    /// In lowest terms; used when compiling thresholds, so that powers stay small.
    pub fn reduced(self) -> Self {
        let g = gcd(self.num.unsigned_abs(), self.den.unsigned_abs());
        if g <= 1 {
            return self;
        }
        // g divides both, and both fit in i128, so the quotients do too.
        let g = g as i128;
        Self {
            num: self.num / g,
            den: self.den / g,
        }
    }

    /// The product, if it fits.
    pub fn mul(self, other: Self) -> Option<Self> {
        Some(Self {
            num: self.num.checked_mul(other.num)?,
            den: self.den.checked_mul(other.den)?,
        })
    }

    /// `self − other`, if it fits.
    pub fn sub(self, other: Self) -> Option<Self> {
        let num = self
            .num
            .checked_mul(other.den)?
            .checked_sub(other.num.checked_mul(self.den)?)?;
        Self::new(num, self.den.checked_mul(other.den)?)
    }

    /// Exact comparison; `None` only if the cross products overflow.
    pub fn cmp_exact(self, other: Self) -> Option<Ordering> {
        let left = self.num.checked_mul(other.den)?;
        let right = other.num.checked_mul(self.den)?;
        Some(left.cmp(&right))
    }

    /// For display only: decisions never use this.
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// The smallest integer not below the fraction.
    pub fn ceil(self) -> i128 {
        let q = self.num.div_euclid(self.den);
        if self.num.rem_euclid(self.den) == 0 {
            q
        } else {
            q + 1
        }
    }

    /// The largest integer not above the fraction.
    pub fn floor(self) -> i128 {
        self.num.div_euclid(self.den)
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Parses a plain decimal such as `7.1`, `-5`, `100,000,000` or `100_000_000` exactly.
/// Thousands separators are accepted because clerks copy figures from notices.
pub fn parse_decimal(raw: &str) -> Result<Ratio, String> {
    let cleaned: String = raw.chars().filter(|c| *c != ',' && *c != '_').collect();
    let (negative, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || !plain(whole)
        || !plain(frac)
        || (digits.contains('.') && frac.is_empty())
    {
        return Err(format!("{raw:?} is not a number"));
    }
    if frac.len() > MAX_DECIMALS as usize {
        return Err(format!(
            "{raw:?} has more than {MAX_DECIMALS} decimal places"
        ));
    }
    if whole.len() > 20 {
        return Err(format!("{raw:?} is too large"));
    }
    let all: String = format!("{whole}{frac}");
    let num: i128 = all.parse().map_err(|_| format!("{raw:?} is too large"))?;
    let den = 10_i128.pow(frac.len() as u32);
    let num = if negative { -num } else { num };
    Ratio::new(num, den)
        .map(Ratio::reduced)
        .ok_or_else(|| format!("{raw:?} is not a number"))
}

/// `1234567` → `1,234,567`.
pub fn group_thousands(value: i128) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A fraction written with at most `places` decimals, trailing zeros dropped; exact when the
/// decimal expansion is short, rounded half away from zero otherwise (display only).
pub fn decimal_string(value: Ratio, places: u32) -> String {
    let scale = 10_i128.pow(places);
    let Some(scaled) = value.num.checked_mul(scale) else {
        return format!("{:.*}", places as usize, value.to_f64());
    };
    let half = value.den / 2;
    let rounded = if scaled >= 0 {
        (scaled + half) / value.den
    } else {
        (scaled - half) / value.den
    };
    let whole = rounded / scale;
    let frac = (rounded % scale).unsigned_abs();
    let sign = if rounded < 0 && whole == 0 { "-" } else { "" };
    if frac == 0 {
        return format!("{sign}{}", group_thousands(whole));
    }
    let frac = format!("{frac:0width$}", width = places as usize);
    format!(
        "{sign}{}.{}",
        group_thousands(whole),
        frac.trim_end_matches('0')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(num: i128, den: i128) -> Ratio {
        Ratio::new(num, den).expect("non-zero denominator")
    }

    #[test]
    fn decimals_parse_exactly_with_separators() {
        let cases = [
            ("7.1", r(71, 10), "a rate"),
            ("100,000,000", r(100_000_000, 1), "commas"),
            ("100_000_000", r(100_000_000, 1), "underscores"),
            ("-5", r(-5, 1), "negative"),
            ("0.5", r(1, 2), "a half"),
        ];
        for (raw, want, why) in cases {
            assert_eq!(parse_decimal(raw), Ok(want), "{why}");
        }
    }

    #[test]
    fn malformed_decimals_are_refused() {
        for raw in ["", "1.", ".5", "1e6", "abc", "1.1234567", "--1"] {
            assert!(parse_decimal(raw).is_err(), "{raw:?}");
        }
    }

    #[test]
    fn comparison_is_exact_where_floating_point_is_not() {
        // 0.1 + 0.2 vs 0.3: equal exactly.
        let sum = r(1, 10).sub(r(-2, 10)).expect("fits");
        assert_eq!(sum.cmp_exact(r(3, 10)), Some(Ordering::Equal));
    }

    #[test]
    fn numbers_are_displayed_for_people() {
        assert_eq!(group_thousands(20_000_001), "20,000,001");
        assert_eq!(group_thousands(-1_000), "-1,000");
        assert_eq!(decimal_string(r(21, 1000), 2), "0.02");
        assert_eq!(decimal_string(r(9, 10), 2), "0.9");
        assert_eq!(decimal_string(r(3, 1), 2), "3");
    }

    #[test]
    fn ceiling_and_floor_round_the_right_way() {
        assert_eq!(r(7, 2).ceil(), 4);
        assert_eq!(r(7, 2).floor(), 3);
        assert_eq!(r(-7, 2).ceil(), -3);
        assert_eq!(r(8, 2).ceil(), 4);
    }
}
