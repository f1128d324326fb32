//! The footer rows of a file (合计, 填表人：张三 …), set aside as the rows stream by: a row
//! core recognises as a footer is skipped where it stands when its first cell is the footer
//! word alone (合计), and otherwise held until the end of the file — if a row of data comes
//! after it, it was not a footer after all and is read with the rest.

use linkong_core::cells;

use crate::sheet::Cell;

/// A row left out of an import, and the word it was recognised by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub row: usize,
    pub word: &'static str,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "跳过第 {} 行（{}行）", self.row, self.word)
    }
}

/// Rows held as footers at most: a footer is a few rows, and a file of thousands of them is
/// read as data (each wrong row named) rather than held in memory.
const MAX_HELD: usize = 100;

/// Sorts the rows of a file into footers and rows to read.
pub(crate) struct Footers {
    /// Where the resident-ID column stands: a row with an ID is someone's.
    id_position: Option<usize>,
    held: Vec<(usize, Vec<Cell>, &'static str)>,
    skipped: Vec<Skipped>,
}

impl Footers {
    pub(crate) fn new(id_position: Option<usize>) -> Footers {
        Footers {
            id_position,
            held: Vec::new(),
            skipped: Vec::new(),
        }
    }

    /// Takes the file's next row: `read` is called for each row to read now, in file order —
    /// none while the row may be a footer, the held rows first once a row of data shows they
    /// were not. Blank rows are neither.
    pub(crate) fn next(
        &mut self,
        row: usize,
        cells: Vec<Cell>,
        mut read: impl FnMut(usize, &[Cell]),
    ) {
        if is_blank(&cells) {
            return;
        }
        match self.footer(&cells) {
            Some(footer) if footer.standalone => {
                self.skipped.push(Skipped {
                    row,
                    word: footer.word,
                });
                return;
            }
            Some(footer) if self.held.len() < MAX_HELD => {
                self.held.push((row, cells, footer.word));
                return;
            }
            _ => {}
        }
        for (row, cells, _) in self.held.drain(..) {
            read(row, &cells);
        }
        read(row, &cells);
    }

    /// The rows skipped, in file order: the held rows are the file's last.
    pub(crate) fn finish(mut self) -> Vec<Skipped> {
        self.skipped.extend(
            self.held
                .drain(..)
                .map(|(row, _, word)| Skipped { row, word }),
        );
        self.skipped.sort_by_key(|s| s.row);
        self.skipped
    }

    fn footer(&self, cells: &[Cell]) -> Option<cells::Footer> {
        let Some(Cell::Text(first)) = cells.iter().find(|c| !is_blank_cell(c)) else {
            return None;
        };
        let filled = cells.iter().filter(|c| !is_blank_cell(c)).count();
        let id = match self.id_position.and_then(|p| cells.get(p)) {
            Some(Cell::Text(text)) => text.clone(),
            Some(Cell::Number(n)) => format!("{n:.0}"),
            _ => String::new(),
        };
        cells::footer(first, filled, &id)
    }
}

fn is_blank_cell(cell: &Cell) -> bool {
    match cell {
        Cell::Empty => true,
        Cell::Text(t) => t.trim().is_empty(),
        _ => false,
    }
}

/// A row with nothing in it (or only spaces).
pub(crate) fn is_blank(cells: &[Cell]) -> bool {
    cells.iter().all(is_blank_cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Cell {
        Cell::Text(t.to_owned())
    }

    /// The rows read and the rows skipped of a file of `rows` (numbered from 2).
    fn sort(rows: Vec<Vec<Cell>>) -> (Vec<usize>, Vec<String>) {
        let mut footers = Footers::new(Some(1));
        let mut read = Vec::new();
        for (i, cells) in rows.into_iter().enumerate() {
            footers.next(i + 2, cells, |row, _| read.push(row));
        }
        let skipped = footers.finish().iter().map(ToString::to_string).collect();
        (read, skipped)
    }

    fn person(name: &str) -> Vec<Cell> {
        vec![text(name), text("420112199001011234"), text("径河")]
    }

    #[test]
    fn a_sum_and_a_signature_after_the_data_are_skipped() {
        let (read, skipped) = sort(vec![
            person("张三"),
            person("李四"),
            vec![text("合计"), Cell::Empty, Cell::Number(2.0)],
            vec![],
            vec![text("填表人：王五"), Cell::Empty, text("审核人：赵六")],
        ]);
        assert_eq!(read, [2, 3]);
        assert_eq!(
            skipped,
            ["跳过第 4 行（合计行）", "跳过第 6 行（填表人行）"]
        );
    }

    #[test]
    fn a_signature_with_data_after_it_is_read_as_data() {
        let (read, skipped) = sort(vec![
            person("张三"),
            vec![text("填表人：王五")],
            person("李四"),
            vec![text("小计"), Cell::Empty, Cell::Number(2.0)],
            person("王五"),
        ]);
        assert_eq!(read, [2, 3, 4, 6]);
        assert_eq!(skipped, ["跳过第 5 行（小计行）"]);
    }

    #[test]
    fn a_row_with_a_resident_id_is_always_read() {
        let (read, skipped) = sort(vec![person("张三"), person("合计")]);
        assert_eq!(read, [2, 3]);
        assert!(skipped.is_empty());
    }

    #[test]
    fn a_file_of_footers_holds_at_most_a_hundred_rows() {
        let rows = (0..MAX_HELD + 5)
            .map(|_| vec![text("备注：见附件")])
            .collect();
        let (read, skipped) = sort(rows);
        // The 101st row is read, and with it the hundred held; the rest are the file's end.
        assert_eq!(read.len(), MAX_HELD + 1);
        assert_eq!(skipped.len(), 4);
    }
}
