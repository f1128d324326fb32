use super::*;

fn doc(id: i64, title: &str, benefit: &str) -> PolicyDoc {
    PolicyDoc {
        id,
        title: title.into(),
        issuer: "武汉市东西湖区人民政府办公室".into(),
        document_number: "东政办〔2025〕3号".into(),
        benefit: benefit.into(),
        conditions: "符合条件的申请人".into(),
    }
}

fn index() -> PolicyIndex {
    let index = PolicyIndex::in_ram().unwrap();
    index
        .replace(&[
            doc(
                1,
                "一次性创业补贴",
                "首次创业并正常经营的，给予一次性创业补贴。",
            ),
            doc(
                2,
                "社会保险补贴",
                "招用就业困难人员的，按实际缴纳的社会保险费给予补贴。",
            ),
            doc(
                3,
                "创业担保贷款",
                "个人最高 30 万元，财政贴息，符合条件的免除反担保。",
            ),
            doc(4, "就业见习补贴", "见习单位按见习人数获得见习补贴。"),
        ])
        .unwrap();
    index
}

fn ids(index: &PolicyIndex, text: &str) -> Vec<i64> {
    index.search(text).unwrap().iter().map(|h| h.id).collect()
}

#[test]
fn a_part_of_the_name_finds_the_policy() {
    assert_eq!(ids(&index(), "创业补贴"), [1]);
}

#[test]
fn an_abbreviation_finds_the_full_name() {
    let index = index();
    assert_eq!(ids(&index, "社保"), [2]);
    assert_eq!(ids(&index, "社保补贴"), [2]);
    assert_eq!(ids(&index, "创业贷"), [3]);
}

#[test]
fn every_keyword_must_occur() {
    let index = index();
    assert_eq!(ids(&index, "补贴 见习"), [4]);
    assert!(ids(&index, "补贴 购房").is_empty());
}

#[test]
fn the_issuer_and_the_document_number_are_searched_too() {
    assert_eq!(ids(&index(), "东政办").len(), 4);
}

#[test]
fn blank_text_lists_every_policy() {
    assert_eq!(ids(&index(), "  ").len(), 4);
}

#[test]
fn the_keyword_is_marked_in_the_title() {
    let hits = index().search("社保").unwrap();
    assert_eq!(hits[0].title_html, "<mark>社会保险</mark>补贴");
}

#[test]
fn replacing_the_list_drops_withdrawn_policies() {
    let index = index();
    index
        .replace(&[doc(1, "一次性创业补贴", "给予补贴。")])
        .unwrap();
    assert!(ids(&index, "社保").is_empty());
    assert_eq!(ids(&index, "补贴"), [1]);
}

#[test]
fn spellings_write_out_and_abbreviate() {
    assert_eq!(spellings("社保补贴"), ["社保补贴", "社会保险补贴"]);
    assert_eq!(spellings("社会保险"), ["社会保险", "社保"]);
    assert_eq!(spellings("见习"), ["见习"]);
}
