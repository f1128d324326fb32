//! Values typed into progress records: non-negative decimals with at most two places, kept as
//! integer hundredths so sums are exact on every database.

use std::fmt;

use serde::{Serialize, Serializer};
use thiserror::Error;

/// A non-negative amount in hundredths of the indicator's unit of measure (1 个 = 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Quantity(i64);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QuantityError {
    #[error("请填写数值")]
    Empty,
    #[error("“{0}”不是数字")]
    NotANumber(String),
    #[error("数值不能为负数")]
    Negative,
    #[error("最多保留两位小数")]
    TooManyDecimals,
    #[error("数值过大")]
    TooLarge,
    #[error("该指标以整数计，不能有小数")]
    NotWhole,
}

impl Quantity {
    pub const ZERO: Quantity = Quantity(0);

    pub fn from_hundredths(hundredths: i64) -> Quantity {
        Quantity(hundredths)
    }

    pub fn whole(units: i64) -> Quantity {
        Quantity(units * 100)
    }

    pub fn hundredths(self) -> i64 {
        self.0
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    pub fn is_whole(self) -> bool {
        self.0 % 100 == 0
    }

    /// Parses what a person types: `12`, `12.5`, ` 1,200 `, full-width digits `１２`.
    pub fn parse(input: &str) -> Result<Quantity, QuantityError> {
        let normalised: String = input
            .trim()
            .chars()
            .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '．' | '。' => '.',
                '－' => '-',
                other => other,
            })
            .collect();
        if normalised.is_empty() {
            return Err(QuantityError::Empty);
        }
        let not_a_number = || QuantityError::NotANumber(input.trim().to_owned());
        let (negative, digits) = match normalised.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, normalised.strip_prefix('+').unwrap_or(&normalised)),
        };
        let (int_part, frac_part) = match digits.split_once('.') {
            Some((i, f)) => (i, f),
            None => (digits, ""),
        };
        if int_part.is_empty() && frac_part.is_empty()
            || !int_part.chars().all(|c| c.is_ascii_digit())
            || !frac_part.chars().all(|c| c.is_ascii_digit())
        {
            return Err(not_a_number());
        }
        if negative && digits.chars().any(|c| c.is_ascii_digit() && c != '0') {
            return Err(QuantityError::Negative);
        }
        if frac_part.len() > 2 {
            return Err(QuantityError::TooManyDecimals);
        }
        if int_part.len() > 12 {
            return Err(QuantityError::TooLarge);
        }
        let int_value: i64 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| not_a_number())?
        };
        let frac_value: i64 = match frac_part.len() {
            0 => 0,
            1 => frac_part.parse::<i64>().map_err(|_| not_a_number())? * 10,
            _ => frac_part.parse().map_err(|_| not_a_number())?,
        };
        Ok(Quantity(int_value * 100 + frac_value))
    }

    /// Like [`Quantity::parse`], but refuses fractions where the measure counts whole things.
    pub fn parse_for_measure(input: &str, measure: &str) -> Result<Quantity, QuantityError> {
        let value = Quantity::parse(input)?;
        if measure_is_whole(measure) && !value.is_whole() {
            return Err(QuantityError::NotWhole);
        }
        Ok(value)
    }
}

/// Counts of things and people are whole; money (万元) and rates (%) take decimals.
pub fn measure_is_whole(measure: &str) -> bool {
    !matches!(measure, "万元" | "%" | "元" | "亿元")
}

impl std::ops::Add for Quantity {
    type Output = Quantity;
    fn add(self, other: Quantity) -> Quantity {
        Quantity(self.0 + other.0)
    }
}

impl std::iter::Sum for Quantity {
    fn sum<I: Iterator<Item = Quantity>>(iter: I) -> Quantity {
        iter.fold(Quantity::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let units = self.0 / 100;
        let cents = self.0 % 100;
        if cents == 0 {
            write!(f, "{units}")
        } else if cents % 10 == 0 {
            write!(f, "{units}.{}", cents / 10)
        } else {
            write!(f, "{units}.{cents:02}")
        }
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_whole() {
            serializer.serialize_i64(self.0 / 100)
        } else {
            serializer.serialize_f64(self.as_f64())
        }
    }
}

/// What the JSON holds for an amount: the number people read, not the hundredths kept. The
/// schema says so, since the Rust field it documents is an `i64` of hundredths.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Quantity {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::Number))
            .minimum(Some(0))
            .description(Some(
                "An amount in the indicator's own measure (个, 场, 人次, 万元, %): a whole \
                 number when it is whole (2100), otherwise a decimal with at most two places \
                 (12.5, 0.05). Kept exactly as hundredths.",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Quantity {
    fn name() -> std::borrow::Cow<'static, str> {
        "Amount".into()
    }
}

/// Serialises an amount kept in hundredths as the number people read (2100, 12.5).
pub fn serialize_hundredths<S: Serializer>(
    hundredths: &i64,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    Quantity::from_hundredths(*hundredths).serialize(serializer)
}

/// Like [`serialize_hundredths`], for an optional amount.
pub fn serialize_opt_hundredths<S: Serializer>(
    hundredths: &Option<i64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match hundredths {
        Some(h) => Quantity::from_hundredths(*h).serialize(serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_and_decimal_values_parse() {
        assert_eq!(Quantity::parse("12").unwrap(), Quantity::whole(12));
        assert_eq!(Quantity::parse("12.5").unwrap().hundredths(), 1250);
        assert_eq!(Quantity::parse("0.05").unwrap().hundredths(), 5);
        assert_eq!(Quantity::parse(" 1,200 ").unwrap(), Quantity::whole(1200));
    }

    #[test]
    fn full_width_digits_are_normalised() {
        assert_eq!(Quantity::parse("１２０").unwrap(), Quantity::whole(120));
    }

    #[test]
    fn bad_values_say_what_is_wrong() {
        assert_eq!(Quantity::parse("").unwrap_err(), QuantityError::Empty);
        assert_eq!(Quantity::parse("-3").unwrap_err(), QuantityError::Negative);
        assert_eq!(
            Quantity::parse("abc").unwrap_err(),
            QuantityError::NotANumber("abc".into())
        );
        assert_eq!(
            Quantity::parse("1e5").unwrap_err(),
            QuantityError::NotANumber("1e5".into())
        );
        assert_eq!(
            Quantity::parse("1.234").unwrap_err(),
            QuantityError::TooManyDecimals
        );
        assert_eq!(
            Quantity::parse("9999999999999").unwrap_err(),
            QuantityError::TooLarge
        );
        assert_eq!(
            Quantity::parse(".").unwrap_err(),
            QuantityError::NotANumber(".".into())
        );
    }

    #[test]
    fn counts_of_people_are_whole_but_money_is_not() {
        assert_eq!(
            Quantity::parse_for_measure("2.5", "人").unwrap_err(),
            QuantityError::NotWhole
        );
        assert_eq!(
            Quantity::parse_for_measure("2.5", "万元")
                .unwrap()
                .hundredths(),
            250
        );
    }

    #[test]
    fn display_drops_needless_zeros() {
        assert_eq!(Quantity::from_hundredths(1250).to_string(), "12.5");
        assert_eq!(Quantity::from_hundredths(1205).to_string(), "12.05");
        assert_eq!(Quantity::from_hundredths(1200).to_string(), "12");
    }
}
