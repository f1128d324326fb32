//! The registries that fill plan indicators by themselves (`registry = "…"` in the plan file).
//! A module of its own because the plan refers to it and the registries' own modules (jobs,
//! rosters) depend on the plan.

use serde::Serialize;

use crate::events::EventKind;

/// Indicators that the registries fill by themselves; the plan names one per indicator
/// (`registry = "…"`). Manual records are refused for them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Registry {
    /// Sum of the positions of posts published in the year, per raising unit.
    PostPositions,
    /// Share (%) of those positions in emerging industries and high-end services.
    EmergingShare,
    /// Events held, counted per organising unit.
    Events(EventKind),
    /// Placement rate (%) of the year's unplaced-graduate roster, per household street and
    /// district-wide (held by the task's lead unit).
    PlacementRate,
    /// Person-times of returnees at start-up lectures (创业大讲堂), per organising unit. Adds to
    /// the manual records of guidance given otherwise (salons, talks without a roster).
    LectureAttendance,
    /// Returnees trained in Malanhua classes in the year, each once, per organising unit.
    MalanhuaTrainees,
    /// Projects screened into the project library (入库), per source unit, on the screening
    /// day; dropped ones never count.
    ProjectsScreenedIn,
    /// Returnee businesses moving into a start-up carrier (2.4.1), per the carrier's street, on
    /// the move-in day; a business counts once a year, at its first move-in.
    CarrierResidents,
    /// Carriers recognised as municipal incubation bases (市级认定, 1.2.2), on the approval day,
    /// for the lead unit of the task.
    IncubationBases,
    /// Carriers recognised as municipal returnee parks (市级认定, 2.4.1), on the approval day,
    /// for the lead unit of the task.
    ReturneeParks,
}

impl Registry {
    pub const ALL: [Registry; 13] = [
        Registry::PostPositions,
        Registry::EmergingShare,
        Registry::Events(EventKind::CampusFair),
        Registry::Events(EventKind::OtherFair),
        Registry::Events(EventKind::Community),
        Registry::Events(EventKind::OutOfCity),
        Registry::PlacementRate,
        Registry::LectureAttendance,
        Registry::MalanhuaTrainees,
        Registry::ProjectsScreenedIn,
        Registry::CarrierResidents,
        Registry::IncubationBases,
        Registry::ReturneeParks,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Registry::PostPositions => "job_posts.positions",
            Registry::EmergingShare => "job_posts.emerging_share",
            Registry::Events(EventKind::CampusFair) => "events.campus_fair",
            Registry::Events(EventKind::OtherFair) => "events.other_fair",
            Registry::Events(EventKind::Community) => "events.community",
            Registry::Events(EventKind::OutOfCity) => "events.out_of_city",
            Registry::PlacementRate => "graduates.placement_rate",
            Registry::LectureAttendance => "trainings.lecture_attendance",
            Registry::MalanhuaTrainees => "trainings.malanhua_trainees",
            Registry::ProjectsScreenedIn => "projects.screened_in",
            Registry::CarrierResidents => "carriers.residents",
            Registry::IncubationBases => "carriers.incubation_bases",
            Registry::ReturneeParks => "carriers.returnee_parks",
        }
    }

    pub fn parse(code: &str) -> Option<Registry> {
        Registry::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Where staff enter what this indicator counts.
    pub fn label(self) -> &'static str {
        match self {
            Registry::PostPositions | Registry::EmergingShare => "岗位发布",
            Registry::Events(_) => "招聘活动登记",
            Registry::PlacementRate => "离校未就业毕业生名册",
            Registry::LectureAttendance | Registry::MalanhuaTrainees => "返区人员培训登记",
            Registry::ProjectsScreenedIn => "创业项目库",
            Registry::CarrierResidents => "创业载体入驻登记",
            Registry::IncubationBases | Registry::ReturneeParks => "创业载体认定申报",
        }
    }

    /// Does this registry leave room for manual records beside its own figures?
    pub fn takes_manual_records(self) -> bool {
        self == Registry::LectureAttendance
    }
}
