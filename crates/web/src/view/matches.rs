//! A post or gig suggested for a returnee (2.5.4), as their page and the returnees' push list
//! show it: a post can be pushed, a gig cannot.

use linkong_store::returnee_matches::ReturneeMatch;

use super::unit_name;
use crate::AppState;

/// A post or gig suggested for a returnee.
pub struct MatchLine {
    /// "招聘岗位" or "零工".
    pub kind: &'static str,
    /// The post's id (what a push names); a gig has none and is not pushed.
    pub post_id: Option<i64>,
    /// The post's public page; a gig has none.
    pub link: Option<String>,
    pub title: String,
    pub offered_by: String,
    pub street: String,
    pub pay: String,
    pub score: f64,
    pub reasons: String,
    pub warnings: String,
}

/// A suggestion with its streets and its gig station by name.
pub fn match_line(state: &AppState, m: ReturneeMatch) -> MatchLine {
    MatchLine {
        kind: if m.gig { "零工" } else { "招聘岗位" },
        post_id: (!m.gig).then_some(m.id),
        link: (!m.gig).then(|| format!("/jobs/{}", m.id)),
        title: m.title,
        offered_by: if m.gig {
            linkong_core::gigs::station_name(&unit_name(state, &m.offered_by))
        } else {
            m.offered_by
        },
        street: unit_name(state, &m.street_code),
        pay: m.pay,
        score: m.score,
        reasons: m.reasons.join("；"),
        warnings: m.warnings.join("；"),
    }
}
