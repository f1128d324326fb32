//! Start-up carriers (创业载体, tasks 1.2.2 and 2.4.1, issue 13 item 3): incubation bases,
//! maker spaces, returnee parks and converted stock space (产业园, 闲置厂房, 空闲校舍) with their
//! places, rent and services; the returnee businesses that move in and out; and, in
//! [`applications`], the applications for municipal recognition followed stage by stage. The
//! checks of a carrier as typed in and of a move; who keeps which street's carriers is in
//! [`crate::access`].

use chrono::NaiveDate;

use crate::businesses::text_field;
use crate::cells;
use crate::field::FieldError;
use crate::people::parse_street;
use crate::phone::Phone;
use crate::plan::Plan;
use crate::quantity::Quantity;

pub mod applications;

/// 建优建强创业孵化平台: incubation bases and maker spaces; new municipal bases are counted.
pub const INCUBATOR_TASK: &str = "1.2.2";
/// 提供返区创业场地支持: stock space turned into carriers, municipal returnee parks.
pub const PARK_TASK: &str = "2.4.1";

vocabulary!(
    /// What a carrier is (东政办〔2025〕3号 1.2.2: 孵化基地、众创空间; 2.4.1: 产业园、闲置厂房、空闲校舍).
    CarrierKind, "载体类型" {
        IncubationBase = "incubation_base", "创业孵化基地";
        MakerSpace = "maker_space", "众创空间";
        ReturneePark = "returnee_park", "返乡创业园";
        IndustrialPark = "industrial_park", "产业园";
        IdleFactory = "idle_factory", "闲置厂房";
        IdleSchool = "idle_school", "空闲校舍";
        Other = "other", "其他";
    }
);

vocabulary!(
    /// The level at which a carrier is recognised.
    CarrierLevel, "认定级别" {
        District = "district", "区级";
        Municipal = "municipal", "市级";
        National = "national", "国家级";
    }
);

impl CarrierLevel {
    /// The level after a municipal recognition: a district carrier becomes municipal; a
    /// national one stays national.
    pub fn recognised_municipal(self) -> CarrierLevel {
        match self {
            CarrierLevel::District => CarrierLevel::Municipal,
            other => other,
        }
    }
}

/// The largest area taken (100 万㎡): more is a slip in the unit.
const MAX_AREA: i64 = 1_000_000;
/// The most stations or rooms one carrier offers.
const MAX_PLACES: i64 = 10_000;
/// The highest rent taken, 元/㎡·月.
const MAX_RENT: i64 = 1_000;

/// A carrier as typed into the form.
#[derive(Debug, Clone, Default)]
pub struct CarrierDraft {
    pub kind: String,
    pub name: String,
    pub operator: String,
    pub address: String,
    pub street: String,
    /// ㎡, up to two decimals.
    pub area: String,
    /// Stations or rooms (工位/间).
    pub places: String,
    /// 元/㎡·月, optional when the note says what is charged.
    pub rent: String,
    /// Rent as words and its reductions (入驻前两年免租、第三年减半).
    pub rent_note: String,
    pub services: String,
    pub level: String,
    /// The office to ask (招商服务中心).
    pub contact: String,
    /// The office's landline (public).
    pub phone: String,
}

/// A carrier whose every field has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCarrier {
    pub kind: CarrierKind,
    pub name: String,
    pub operator: String,
    pub address: String,
    pub street_code: String,
    /// ㎡ in hundredths.
    pub area: Quantity,
    pub places: i64,
    /// 元/㎡·月 in hundredths.
    pub rent: Option<Quantity>,
    pub rent_note: String,
    pub services: String,
    pub level: CarrierLevel,
    pub contact: String,
    pub phone: String,
}

/// Notes `result`'s error under `field` and gives its value, if any.
fn noted<T>(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    result: Result<T, String>,
) -> Option<T> {
    result
        .map_err(|message| errors.push(FieldError { field, message }))
        .ok()
}

/// The floor area: a positive number of ㎡.
fn area(input: &str) -> Result<Quantity, String> {
    match Quantity::parse(input) {
        Ok(q) if q == Quantity::ZERO => Err("面积须大于 0".into()),
        Ok(q) if q.hundredths() > MAX_AREA * 100 => {
            Err(format!("超过 {MAX_AREA} 平方米，请以平方米为单位填写"))
        }
        Ok(q) => Ok(q),
        Err(e) => Err(e.to_string()),
    }
}

/// The stations or rooms offered: a whole number, at least one.
fn places(input: &str) -> Result<i64, String> {
    match cells::parse_count(input) {
        Ok(0) => Err("至少 1 个工位或房间".into()),
        Ok(n) if n > MAX_PLACES => Err(format!("{n} 个过多")),
        other => other,
    }
}

/// The rent per ㎡ and month, if given; with neither a figure nor a note the rent is unknown.
fn rent(errors: &mut Vec<FieldError>, input: &str, note: &str) -> Option<Quantity> {
    if input.trim().is_empty() {
        if note.is_empty() {
            errors.push(FieldError {
                field: "租金（元/㎡·月）",
                message: "请填写租金，或在租金及减免说明中写明（如“免租金”）".into(),
            });
        }
        return None;
    }
    let parsed = match Quantity::parse(input) {
        Ok(q) if q.hundredths() > MAX_RENT * 100 => Err(format!("超过 {MAX_RENT} 元/㎡·月")),
        Ok(q) => Ok(q),
        Err(e) => Err(e.to_string()),
    };
    noted(errors, "租金（元/㎡·月）", parsed)
}

/// The office's phone, shown on the portal: a landline with its area code. A mobile number is
/// a person's (personal data, PIPL) and is not published here.
pub fn office_phone(input: &str) -> Result<String, String> {
    let phone = Phone::parse(input).map_err(|e| e.to_string())?;
    if !phone.expose().contains('-') {
        return Err("请填写办公固定电话（区号-号码）；个人手机号码不在门户公开".into());
    }
    Ok(phone.expose().to_owned())
}

/// Checks a carrier as typed in. Every wrong field is reported, in the form's order.
pub fn validate_carrier(
    plan: &Plan,
    draft: &CarrierDraft,
) -> Result<ValidCarrier, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = noted(&mut errors, "载体类型", CarrierKind::parse(&draft.kind));
    let name = text_field(&mut errors, "载体名称", &draft.name, true, 60);
    let operator = text_field(&mut errors, "运营单位", &draft.operator, true, 60);
    let address = text_field(&mut errors, "地址", &draft.address, true, 100);
    let street = noted(
        &mut errors,
        "所在街道",
        parse_street(plan, &cells::normalise(&draft.street)).map(str::to_owned),
    );
    let area = noted(&mut errors, "面积（㎡）", area(&draft.area));
    let places = noted(&mut errors, "工位/房间数", places(&draft.places));
    let rent_note = text_field(&mut errors, "租金及减免说明", &draft.rent_note, false, 200);
    let rent = rent(&mut errors, &draft.rent, &rent_note);
    let services = text_field(&mut errors, "提供的服务", &draft.services, true, 300);
    let level = noted(&mut errors, "认定级别", CarrierLevel::parse(&draft.level));
    let contact = text_field(&mut errors, "联系部门", &draft.contact, true, 40);
    let phone = noted(&mut errors, "联系电话", office_phone(&draft.phone));
    match (kind, street, area, places, level, phone) {
        (Some(kind), Some(street_code), Some(area), Some(places), Some(level), Some(phone))
            if errors.is_empty() =>
        {
            Ok(ValidCarrier {
                kind,
                name,
                operator,
                address,
                street_code,
                area,
                places,
                rent,
                rent_note,
                services,
                level,
                contact,
                phone,
            })
        }
        _ => Err(errors),
    }
}

/// A carrier may not hold more residents than it has places: lowering its places below the
/// businesses in it now is refused.
pub fn check_places(places: i64, residents: i64) -> Result<(), FieldError> {
    if places < residents {
        return Err(FieldError {
            field: "工位/房间数",
            message: format!("不能少于现有入驻主体数（{residents} 家），请先登记迁出"),
        });
    }
    Ok(())
}

/// Places not taken (空余工位/房间): places less the businesses in the carrier now, never below 0.
pub fn vacancies(places: i64, residents: i64) -> i64 {
    (places - residents).max(0)
}

/// One stay of a business in a carrier, as the move-in check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stay {
    pub carrier_name: String,
    pub moved_in_on: NaiveDate,
    pub moved_out_on: Option<NaiveDate>,
}

/// What a move-in is checked against: the carrier's places and residents now, the business's
/// stays so far (in any carrier) and whether it has closed.
#[derive(Debug, Clone)]
pub struct MoveIn<'a> {
    pub places: i64,
    pub residents: i64,
    pub stays: &'a [Stay],
    pub closed: bool,
    pub today: NaiveDate,
}

/// Checks a move-in dated `on`: a business is in one carrier at a time (no stay still open, and
/// not before it moved out of the last one), a closed business moves in nowhere, the carrier
/// has a free place, and the day is not in the future. Every wrong field is reported.
pub fn move_in(on: &str, check: &MoveIn<'_>) -> Result<NaiveDate, Vec<FieldError>> {
    let mut errors = Vec::new();
    let field = "入驻主体";
    if check.closed {
        errors.push(FieldError {
            field,
            message: "已关闭的主体不能入驻".into(),
        });
    }
    if let Some(open) = check.stays.iter().find(|s| s.moved_out_on.is_none()) {
        errors.push(FieldError {
            field,
            message: format!(
                "该主体仍在“{}”入驻（{} 起），一个主体同一时间只能入驻一个载体，请先登记迁出",
                open.carrier_name, open.moved_in_on
            ),
        });
    }
    if check.residents + 1 > check.places {
        errors.push(FieldError {
            field,
            message: format!(
                "载体已满：工位/房间数 {}，现有入驻主体 {} 家",
                check.places, check.residents
            ),
        });
    }
    let last_out = check.stays.iter().filter_map(|s| s.moved_out_on).max();
    let day = match cells::parse_date(on) {
        Ok(day) if day > check.today => Err(format!("{day} 晚于今天")),
        Ok(day) if last_out.is_some_and(|out| day < out) => Err(format!(
            "{day} 早于该主体上次迁出的日期 {}",
            last_out.unwrap_or(day)
        )),
        other => other,
    };
    let day = noted(&mut errors, "入驻日期", day);
    match day {
        Some(day) if errors.is_empty() => Ok(day),
        _ => Err(errors),
    }
}

/// Checks a move-out dated `on`: not before the move-in, not in the future.
pub fn move_out(
    on: &str,
    moved_in_on: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, FieldError> {
    match cells::parse_date(on) {
        Ok(day) if day > today => Err(format!("{day} 晚于今天")),
        Ok(day) if day < moved_in_on => Err(format!("{day} 早于入驻日期 {moved_in_on}")),
        other => other,
    }
    .map_err(|message| FieldError {
        field: "迁出日期",
        message,
    })
}

#[cfg(test)]
mod tests;
