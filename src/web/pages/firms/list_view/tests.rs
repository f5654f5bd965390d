use super::*;
use crate::web::pages::fixtures::{english, firm};

fn query(q: &str, cursor: &str) -> ListQuery {
    ListQuery {
        q: q.into(),
        region: "320411".into(),
        cursor: cursor.into(),
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
        ("常州星辰", "Xinbei", "I65")
    );
    assert_eq!(row.founded_on, "2019-05-01");
    assert_eq!(row.tiers, vec!["gazelle".to_owned()]);
    assert_eq!(page.next_href, None, "the last page links nowhere further");
    assert_eq!(
        page.first_href, None,
        "the first page needs no link to itself"
    );
}

#[test]
fn the_page_links_to_the_next_and_the_first_page_of_the_same_search() {
    let (after, next) = (Uuid::now_v7(), Uuid::now_v7());
    let data = ListData {
        page: Some(FirmPage {
            items: Vec::new(),
            next_cursor: Some(next),
            total: None,
        }),
        tiers: HashMap::new(),
        names: Names::default(),
    };
    let catalog = RegionCatalog::changzhou();
    let page = list_view(
        english(),
        &query("星 辰", &after.to_string()),
        &[],
        &data,
        &catalog,
    );
    let base = "/firms?q=%E6%98%9F+%E8%BE%B0&region=320411&industry=&tier=";
    assert_eq!(page.next_href, Some(format!("{base}&cursor={next}")));
    assert_eq!(page.first_href.as_deref(), Some(base));
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
