//! The rows a survey sheet ends with that are no one: the sum (合计 12 人), the signatures
//! (填表人：张三　审核人：李四), the date and a remark. An import skips them and says so,
//! instead of reading 合计 as a person with ten errors.
//!
//! A row is a footer only if it holds no resident ID (every person's row must) and its first
//! filled cell begins with one of the words below, followed by nothing, a colon or a bracket
//! (“填报单位（盖章）：”). Whether it may stand anywhere or only after the data is the
//! import's to apply, from [`Footer::standalone`].

/// The words a sum row begins with.
const SUMS: [&str; 4] = ["合计", "总计", "小计", "共计"];

/// The words a signature, date or remark row begins with.
const SIGNATURES: [&str; 18] = [
    "填表人",
    "填报人",
    "制表人",
    "统计人",
    "审核人",
    "审批人",
    "负责人",
    "单位负责人",
    "分管领导",
    "填表日期",
    "填报日期",
    "制表日期",
    "审核日期",
    "联系人",
    "联系电话",
    "填报单位",
    "备注",
    "说明",
];

/// Remarks: a row of them is a footer only with at most one other cell filled (the remark's
/// text), since a remark column may be a roster's own.
const REMARKS: [&str; 2] = ["备注", "说明"];

/// A row recognised as a footer: the word it begins with, and whether that word is the whole
/// first cell (合计, 填表人：) — such a row is no one's wherever it stands — or only its start
/// (填表人：张三), which the import takes for a footer only after the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Footer {
    pub word: &'static str,
    pub standalone: bool,
}

/// Is a row a footer? `first` is its first filled cell, `filled` how many cells are filled
/// (`first` among them), `id_cell` the text of its resident-ID column.
pub fn footer(first: &str, filled: usize, id_cell: &str) -> Option<Footer> {
    let starts = first
        .trim_start_matches(char::is_whitespace)
        .chars()
        .next()?;
    // Most rows begin with a name or a number: no allocation for them.
    if !SUMS
        .iter()
        .chain(&SIGNATURES)
        .any(|w| w.starts_with(starts))
    {
        return None;
    }
    if holds_an_id(id_cell) {
        return None;
    }
    let first: String = super::normalise(first)
        .chars()
        .filter(|c| *c != ' ')
        .collect();
    let word = SUMS
        .iter()
        .chain(&SIGNATURES)
        .copied()
        .filter(|w| follows_word(&first, w))
        .max_by_key(|w| w.len())?;
    if REMARKS.contains(&word) && filled > 2 {
        return None;
    }
    let rest = &first[word.len()..];
    Some(Footer {
        word,
        standalone: rest.is_empty() || rest == ":",
    })
}

/// Does `cell` begin with `word`, followed by nothing, a colon or a bracket?
fn follows_word(cell: &str, word: &str) -> bool {
    cell.strip_prefix(word)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '(', '[']))
}

/// A resident ID has 15 or 18 characters, all digits but the last: a cell with 15 digits is
/// someone's, however wrong.
fn holds_an_id(cell: &str) -> bool {
    cell.chars().filter(char::is_ascii_digit).count()
        + cell.chars().filter(|c| ('０'..='９').contains(c)).count()
        >= 15
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standalone(word: &'static str) -> Option<Footer> {
        Some(Footer {
            word,
            standalone: true,
        })
    }

    fn after_the_data(word: &'static str) -> Option<Footer> {
        Some(Footer {
            word,
            standalone: false,
        })
    }

    #[test]
    fn sum_rows_are_footers_with_their_counts() {
        assert_eq!(footer("合计", 4, ""), standalone("合计"));
        assert_eq!(footer("合　计", 4, ""), standalone("合计"));
        assert_eq!(footer(" 总计：", 2, ""), standalone("总计"));
        assert_eq!(footer("小计", 1, "12"), standalone("小计"));
        assert_eq!(footer("合计：12人", 1, ""), after_the_data("合计"));
        assert_eq!(footer("共计(人)", 3, ""), after_the_data("共计"));
    }

    #[test]
    fn signature_and_date_rows_are_footers() {
        assert_eq!(footer("填表人：张三", 3, ""), after_the_data("填表人"));
        assert_eq!(footer("填表人:", 2, ""), standalone("填表人"));
        assert_eq!(footer("审核人", 2, ""), standalone("审核人"));
        assert_eq!(
            footer("单位负责人：李四", 1, ""),
            after_the_data("单位负责人")
        );
        assert_eq!(footer("负责人：李四", 1, ""), after_the_data("负责人"));
        assert_eq!(
            footer("填表日期：2025年3月1日", 1, ""),
            after_the_data("填表日期")
        );
        assert_eq!(
            footer("联系电话：027-83891234", 1, ""),
            after_the_data("联系电话")
        );
        assert_eq!(
            footer("填报单位（盖章）：", 1, ""),
            after_the_data("填报单位")
        );
        assert_eq!(footer("制表人", 2, ""), standalone("制表人"));
    }

    #[test]
    fn a_remark_is_a_footer_only_with_the_rest_of_the_row_empty() {
        assert_eq!(
            footer("备注：以上数据截至3月底", 1, ""),
            after_the_data("备注")
        );
        assert_eq!(footer("备注", 2, ""), standalone("备注"));
        assert_eq!(footer("备注", 5, ""), None);
    }

    #[test]
    fn a_person_is_never_a_footer() {
        // Names and numbers, even one that begins like a footer word.
        for name in ["张三", "合", "小明", "单晓东", "联欢", "1", "  ", ""] {
            assert_eq!(footer(name, 10, ""), None, "{name}");
        }
        // Words that merely begin the same.
        for cell in ["合计划", "负责人员", "说明书", "小计算"] {
            assert_eq!(footer(cell, 10, ""), None, "{cell}");
        }
        // Whatever the first cell says, a row with a resident ID is someone's.
        assert_eq!(footer("合计", 10, "420112199001011234"), None);
        assert_eq!(
            footer("合计", 10, "４２０１１２１９９００１０１１２３４"),
            None
        );
        assert_eq!(footer("备注", 2, "42011219900101"), standalone("备注"));
    }
}
