//! The tech-based SME evaluation score (科技型中小企业评价, 国科发政〔2022〕16号) from one
//! year's figures: the rule language has no sums, so the score is a computed metric.

/// Points for tech staff / employees (max 20), R&D expense / revenue (max 50) and IP (max 30).
/// The method also lets R&D / total costs score the 50 points; total costs are not recorded,
/// so only the revenue ratio counts (a firm could score higher on the official form).
/// `employees` and `revenue` are positive.
pub(crate) fn tech_sme_points(
    tech_staff: i64,
    employees: i64,
    rd_expense: i64,
    revenue: i64,
    ip_class1: i64,
    ip_class2: i64,
) -> i64 {
    let staff = band(
        tech_staff,
        employees,
        &[(30, 20), (25, 16), (20, 12), (15, 8), (10, 4)],
    );
    let research = band(
        rd_expense,
        revenue,
        &[(6, 50), (5, 40), (4, 30), (3, 20), (2, 10)],
    );
    let ip = if ip_class1 >= 1 {
        30
    } else {
        // 6 points per class-II item, at most 24 (four or more).
        6 * ip_class2.clamp(0, 4)
    };
    staff + research + ip
}

/// The points of the first band whose lower bound (`percent`, inclusive) `part / whole`
/// reaches, 0 below them all. Compared by cross-multiplying integers, so a share exactly on
/// a bound gets that band (no floating point).
fn band(part: i64, whole: i64, bands: &[(i64, i64)]) -> i64 {
    let (part, whole) = (i128::from(part), i128::from(whole));
    bands
        .iter()
        .find(|(percent, _)| part * 100 >= i128::from(*percent) * whole)
        .map_or(0, |(_, points)| *points)
}
