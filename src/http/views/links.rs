//! Drill-down links: the URL of the list behind each figure of a counts answer.

/// `path` with the parameters that are set, in the order given, URL-encoded.
pub fn link(path: &str, params: &[(&str, Option<&str>)]) -> String {
    let set: Vec<(&str, &str)> = params
        .iter()
        .filter_map(|(name, value)| value.map(|v| (*name, v)))
        .collect();
    match serde_urlencoded::to_string(&set) {
        Ok(query) if !query.is_empty() => format!("{path}?{query}"),
        _ => path.to_owned(),
    }
}

/// The firm list holding `tiers` (of `track`, if one) now, in a district and an industry.
pub fn firms_link(
    track: Option<&str>,
    tiers: &[String],
    region: Option<&str>,
    industry: Option<&str>,
) -> String {
    let tiers = tiers.join(",");
    link(
        "/api/v1/firms",
        &[
            ("track", track),
            ("tier", Some(tiers.as_str()).filter(|t| !t.is_empty())),
            ("region", region),
            ("industry", industry),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_parameters_are_left_out_and_values_are_encoded() {
        assert_eq!(
            firms_link(Some("ladder"), &["a".into(), "b".into()], None, Some("C")),
            "/api/v1/firms?track=ladder&tier=a%2Cb&industry=C"
        );
        assert_eq!(link("/x", &[("a", None)]), "/x");
    }
}
