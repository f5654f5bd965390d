use super::*;
use crate::web::pages::fixtures::{english, firm};

fn query(q: &str, page: &str) -> ListQuery {
    ListQuery {
        q: q.into(),
        region: "320411".into(),
        page: page.into(),
        ..ListQuery::default()
    }
}

#[test]
fn a_found_firm_is_a_row_with_its_district_and_tiers() {
    let f = firm("常州星辰");
    let mut tiers = HashMap::new();
    tiers.insert(f.id, vec![("ladder".to_owned(), "gazelle".to_owned())]);
    let data = ListData {
        page: Some(FirmPage {
            items: vec![f.clone()],
            next_cursor: None,
            total: Some(1),
        }),
        tiers,
        names: Names::default(),
    };
    let page = list_view(
        english(),
        &query("星辰", ""),
        &[],
        &data,
        &RegionCatalog::changzhou(),
    );
    let row = &page.rows[0];
    assert_eq!(row.id, f.id);
    assert_eq!(
        (
            row.name.as_str(),
            row.district.as_str(),
            row.industry.as_str()
        ),
        (
            "常州星辰",
            "Xinbei",
            "I65（信息传输、软件和信息技术服务业）"
        )
    );
    assert_eq!(row.founded_on, "2019-05-01");
    assert_eq!(row.tiers, vec!["gazelle".to_owned()]);
    assert_eq!(page.next_href, None, "the last page links nowhere further");
    assert_eq!(page.prev_href, None, "the first page has none before it");
    assert!(page.numbers.is_empty(), "one page needs no numbers");
}

#[test]
fn the_pager_numbers_pages_of_the_same_search_and_order() {
    let data = ListData {
        page: Some(FirmPage {
            items: Vec::new(),
            next_cursor: None,
            total: Some(501),
        }),
        tiers: HashMap::new(),
        names: Names::default(),
    };
    let catalog = RegionCatalog::changzhou();
    let mut q = query("星 辰", "5");
    q.sort = "founded".into();
    let page = list_view(english(), &q, &[], &data, &catalog);
    let base = "/firms?q=%E6%98%9F+%E8%BE%B0&region=320411&industry=&tier=&sort=founded&page=";
    assert_eq!(
        (page.page, page.pages),
        (5, 11),
        "501 firms are 11 pages of 50"
    );
    assert_eq!(page.next_href, Some(format!("{base}6")));
    assert_eq!(page.prev_href, Some(format!("{base}4")));
    let labels: Vec<&str> = page.numbers.iter().map(|n| n.label.as_str()).collect();
    assert_eq!(labels, ["1", "…", "3", "4", "5", "6", "7", "…", "11"]);
    assert!(page.numbers.iter().any(|n| n.current && n.label == "5"));
}

#[test]
fn a_search_that_did_not_parse_lists_nothing() {
    let data = ListData {
        page: None,
        tiers: HashMap::new(),
        names: Names::default(),
    };
    let errors = [FieldError::new("q", "too_long", "is too long")];
    let page = list_view(
        english(),
        &query("x", ""),
        &errors,
        &data,
        &RegionCatalog::changzhou(),
    );
    assert!(page.rows.is_empty());
    assert_eq!(page.next_href, None);
}
