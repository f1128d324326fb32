//! Money in the rules file: 元 with at most two decimals, converted exactly to integer 分.

use super::RulesError;

/// Reads an amount in 元 (an integer, a decimal or a string such as "1500.50") into 分.
/// A float is read through its shortest decimal form, so `1500.005` is refused, not rounded.
pub fn parse_yuan(field: &str, value: &toml::Value) -> Result<i64, RulesError> {
    let text = match value {
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::String(s) => s.trim().to_string(),
        _ => return Err(RulesError::field(field, "金额应为数字，单位元")),
    };
    yuan_text_to_fen(field, &text)
}

fn yuan_text_to_fen(field: &str, text: &str) -> Result<i64, RulesError> {
    let bad = || RulesError::field(field, format!("金额“{text}”不是有效的元金额"));
    if text.starts_with('-') {
        return Err(RulesError::field(field, format!("金额“{text}”不能为负")));
    }
    let (whole, decimals) = text.split_once('.').unwrap_or((text, ""));
    if decimals.len() > 2 {
        return Err(RulesError::field(
            field,
            format!("金额“{text}”最多两位小数（到分）"),
        ));
    }
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(decimals) {
        return Err(bad());
    }
    let yuan: i64 = whole.parse().map_err(|_| bad())?;
    let fen: i64 = format!("{decimals:0<2}").parse().map_err(|_| bad())?;
    yuan.checked_mul(100)
        .and_then(|y| y.checked_add(fen))
        .ok_or_else(bad)
}

/// 分 as 元 for people: `150000` is "1,500.00 元".
pub fn format_fen(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    let yuan = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in yuan.chars().enumerate() {
        if i > 0 && (yuan.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02} 元", abs % 100)
}
