//! Road distances between the district's streets (`matching/streets.toml`) and the "near"
//! factor they grade: full points in the seeker's home or wanted street, falling linearly with
//! the kilometres to the nearest of them, none at the weights' cut-off.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use serde::Deserialize;

use super::{Contribution, Factor, Opening, Seeker, Weights, part};

/// The distance table as shipped.
pub const STREETS_FILE: &str = include_str!("../../../../matching/streets.toml");

/// Kilometres between every two streets, by unit code.
#[derive(Debug, Clone, PartialEq)]
pub struct Streets {
    index: HashMap<String, usize>,
    km: Vec<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StreetsFile {
    km: toml::Table,
}

impl Streets {
    /// Reads a distance table: one row per street naming every street (itself 0), kilometres
    /// finite and ≥ 0, the same both ways. The error names the pair.
    pub fn parse(text: &str) -> Result<Streets, String> {
        let file: StreetsFile =
            toml::from_str(text).map_err(|e| format!("街道距离表格式有误：{}", e.message()))?;
        let codes: Vec<String> = file.km.keys().cloned().collect();
        let index: HashMap<String, usize> = codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), i))
            .collect();
        let n = codes.len();
        let mut km = vec![0.0; n * n];
        for (a, from) in codes.iter().enumerate() {
            let Some(row) = file.km.get(from).and_then(toml::Value::as_table) else {
                return Err(format!("街道距离表中“{from}”应为一张表"));
            };
            if let Some(unknown) = row.keys().find(|k| !index.contains_key(k.as_str())) {
                return Err(format!("街道距离表中“{from}”一行有未列出的街道“{unknown}”"));
            }
            for (b, to) in codes.iter().enumerate() {
                km[a * n + b] = kilometres(row.get(to), from, to)?;
            }
        }
        let streets = Streets { index, km };
        streets.check_symmetric(&codes)?;
        Ok(streets)
    }

    fn check_symmetric(&self, codes: &[String]) -> Result<(), String> {
        let n = codes.len();
        for a in 0..n {
            if self.km[a * n + a] != 0.0 {
                return Err(format!("街道距离表中“{}”到自身应为 0", codes[a]));
            }
            for b in 0..a {
                if self.km[a * n + b] != self.km[b * n + a] {
                    return Err(format!(
                        "街道距离表不对称：“{}”到“{}”与反方向不同",
                        codes[a], codes[b]
                    ));
                }
            }
        }
        Ok(())
    }

    /// The table as shipped, read once. An unreadable shipped table is an error of the build,
    /// caught by the tests; here it reads as an empty table (only the same street is near).
    pub fn shipped() -> Arc<Streets> {
        static SHIPPED: LazyLock<Arc<Streets>> = LazyLock::new(|| {
            Arc::new(Streets::parse(STREETS_FILE).unwrap_or_else(|_| Streets::empty()))
        });
        SHIPPED.clone()
    }

    /// No streets: every distance unknown.
    pub fn empty() -> Streets {
        Streets {
            index: HashMap::new(),
            km: Vec::new(),
        }
    }

    /// The street codes of the table.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.index.keys().map(String::as_str)
    }

    /// Kilometres from street `a` to street `b`; 0 for the same code, None for a street not in
    /// the table.
    pub fn km(&self, a: &str, b: &str) -> Option<f64> {
        if a == b {
            return Some(0.0);
        }
        let n = self.index.len();
        Some(self.km[self.index.get(a)? * n + self.index.get(b)?])
    }
}

fn kilometres(value: Option<&toml::Value>, from: &str, to: &str) -> Result<f64, String> {
    let km = match value {
        None => return Err(format!("街道距离表缺少“{from}”到“{to}”的距离")),
        Some(toml::Value::Integer(n)) => *n as f64,
        Some(toml::Value::Float(x)) => *x,
        Some(other) => {
            return Err(format!("“{from}”到“{to}”的距离应为公里数（收到 {other}）"));
        }
    };
    if !km.is_finite() || km < 0.0 {
        return Err(format!("“{from}”到“{to}”的距离不能为负数（收到 {km}）"));
    }
    Ok(km)
}

/// Near: the post in the seeker's home street (离家近) or a wanted street (意向街道) earns the
/// full points; elsewhere the points fall linearly with the kilometres to the nearest of those
/// streets and are none at the weights' cut-off (距离约 8 公里).
pub(crate) fn near_part(
    seeker: &Seeker,
    post: &Opening,
    weights: &Weights,
    street_name: &dyn Fn(&str) -> String,
    explain: bool,
) -> Contribution {
    let street = post.street_code.as_str();
    let full = weights.of(Factor::Near);
    let reason = |text: &dyn Fn() -> String| explain.then(text);
    if seeker.home_street == street {
        let why = reason(&|| format!("离家近：{}", street_name(street)));
        return part(Factor::Near, full, why);
    }
    if seeker.wanted_streets.iter().any(|s| s == street) {
        let why = reason(&|| format!("意向街道：{}", street_name(street)));
        return part(Factor::Near, full, why);
    }
    let streets = weights.streets();
    let nearest = std::iter::once(&seeker.home_street)
        .chain(&seeker.wanted_streets)
        .filter_map(|from| streets.km(from, street))
        .min_by(f64::total_cmp);
    let cutoff = weights.near_cutoff_km;
    match nearest {
        Some(km) if km < cutoff => {
            let why = reason(&|| format!("距离约 {km:.0} 公里：{}", street_name(street)));
            part(Factor::Near, full * (1.0 - km / cutoff), why)
        }
        _ => part(Factor::Near, 0.0, None),
    }
}
