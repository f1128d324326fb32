//! The registries that fill plan indicators by themselves (`registry = "…"` in the plan file).
//! A module of its own because the plan refers to it and the registries' own modules (jobs,
//! rosters) depend on the plan.

use serde::Serialize;

use crate::events::EventKind;
use crate::subsidies::Category;

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
    /// Events of one kind held, counted per organising unit.
    Events(EventKind),
    /// 2.5.1's returnee promotion and industry matchmaking events held (both kinds,
    /// [`EventKind::PROMOTION`]), per organising unit.
    PromotionEvents,
    /// Those of them held in a coastal, economically developed region
    /// ([`crate::events::venue::is_coastal`]), per organising unit: part of, not added to,
    /// [`Registry::PromotionEvents`].
    CoastalPromotionEvents,
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
    /// Projects recommended to the yearly selection round (2.5.2), per recommending unit, on
    /// the recommendation day, whatever the shortlist and the outcome.
    SelectionRecommendations,
    /// Showcase cases recommended (2.5.3), per recommending unit, on the recommendation day.
    ShowcaseRecommendations,
    /// Returnee businesses moving into a start-up carrier (2.4.1), per the carrier's street, on
    /// the move-in day; a business counts once a year, at its first move-in.
    CarrierResidents,
    /// Carriers recognised as municipal incubation bases (市级认定, 1.2.2), on the approval day,
    /// for the lead unit of the task.
    IncubationBases,
    /// Carriers recognised as municipal returnee parks (市级认定, 2.4.1), on the approval day,
    /// for the lead unit of the task.
    ReturneeParks,
    /// Services given to returnees by experts of the pool (2.1.3), per recording unit.
    ExpertServices,
    /// Visits to the returnee service window (2.3.1), per unit that logged or answered them.
    WindowVisits,
    /// Support steps given to returnees whose business failed (2.3.4), per the step's
    /// responsible unit, on the day the step was done; planned steps never count.
    FailureSupportSteps,
    /// Entries registered for the start-up contest (1.2.3), for the edition's organising unit,
    /// on the registration day.
    ContestEntries,
    /// Winning contest entries landed in the district as returnee businesses (1.2.3), for the
    /// edition's organising unit, on the landing day.
    ContestLandings,
    /// Mentorings of returnee businesses started (2.3.2, 跟踪陪跑), per opening unit, on the
    /// start day.
    MentoringsStarted,
    /// Guaranteed start-up loans issued (2.4.2), their principal in 万元, per handling unit, on
    /// the issue day.
    Loans,
    /// Subsidies of a category paid (in 元 to the fen), for the category's district unit, on
    /// the payment day (1.3.1, 1.3.2, 2.3.3, 2.4.3).
    SubsidiesPaid(Category),
    /// Subsidies paid that came from a 免申即享 offer (1.3.1), for the district unit, on the
    /// payment day.
    OfferPayments,
    /// Distinct students on 学子东西湖行 visits (1.3.3), per organising unit, each counted
    /// once a year per unit on the day of their first visit.
    StudentVisitors,
    /// 揽才团 trips held (1.1.3), per organising unit, on the departure day.
    TalentTrips,
    /// Hires traced back to a 揽才团 trip (1.1.3), for the trip's organising unit, on the
    /// hire day.
    TalentTripHires,
    /// Residents of the district working elsewhere surveyed into the out-migrant registry
    /// (2.1.1), per household street, on the survey day; people of neighbouring districts
    /// (2.5.1's promotion targets) are not the district's and never count.
    MigrantsSurveyed,
    /// The share (%) of those surveyed in the year who mean to come back to work or to start a
    /// business (2.1.1), per household street and for the district (held by the lead unit).
    ReturnIntentionShare,
    /// Five-ones services given to returnees (2.1.4), per returnee's household street, on the
    /// service day; one per returnee and festival.
    FiveOnesServices,
    /// Inspections of HR agencies and employers (1.3.4), per inspecting unit, on the
    /// inspection day.
    MarketInspections,
    /// Notices published on the portal (招聘求职陷阱提示, 违规典型案例; 1.3.4), per publishing
    /// unit, on the publication day.
    MarketNotices,
    /// Campus policy-publicity activities (政策宣传, 1.2.1), per organising unit, on the day
    /// held.
    CampusPolicyEvents,
    /// Students placed in internships (实习实训, 1.2.1), per organising unit, on the start day;
    /// a student once per unit and year ([`crate::campus::counted_placements`]).
    CampusInterns,
    /// Returnees trained in skills classes (2.4.4), 人次, per organising unit, on the class's
    /// end day.
    SkillsTrained,
    /// Title-evaluation applications of returnees forwarded to a committee (2.4.4), 人次, per
    /// recording unit, on the forwarded day.
    TitlesForwarded,
    /// Services of the HR agencies' special actions to returnee businesses (2.4.4), per the
    /// action's organising unit, on the service day.
    HrServices,
    /// Unplaced graduates in traineeships and skills-training courses (1.1.4), 人次, per
    /// recording unit, on the start day.
    GraduateTrainees,
}

impl Registry {
    pub const ALL: [Registry; 45] = [
        Registry::PostPositions,
        Registry::EmergingShare,
        Registry::Events(EventKind::CampusFair),
        Registry::Events(EventKind::OtherFair),
        Registry::Events(EventKind::Community),
        Registry::Events(EventKind::OutOfCity),
        Registry::Events(EventKind::ReturneePromotion),
        Registry::Events(EventKind::IndustryMatchmaking),
        Registry::PromotionEvents,
        Registry::CoastalPromotionEvents,
        Registry::PlacementRate,
        Registry::LectureAttendance,
        Registry::MalanhuaTrainees,
        Registry::ProjectsScreenedIn,
        Registry::SelectionRecommendations,
        Registry::ShowcaseRecommendations,
        Registry::CarrierResidents,
        Registry::IncubationBases,
        Registry::ReturneeParks,
        Registry::ExpertServices,
        Registry::WindowVisits,
        Registry::FailureSupportSteps,
        Registry::ContestEntries,
        Registry::ContestLandings,
        Registry::MentoringsStarted,
        Registry::Loans,
        Registry::SubsidiesPaid(Category::Graduates),
        Registry::SubsidiesPaid(Category::Insurance),
        Registry::SubsidiesPaid(Category::Housing),
        Registry::SubsidiesPaid(Category::Industry),
        Registry::OfferPayments,
        Registry::StudentVisitors,
        Registry::TalentTrips,
        Registry::TalentTripHires,
        Registry::MigrantsSurveyed,
        Registry::ReturnIntentionShare,
        Registry::FiveOnesServices,
        Registry::MarketInspections,
        Registry::MarketNotices,
        Registry::CampusPolicyEvents,
        Registry::CampusInterns,
        Registry::SkillsTrained,
        Registry::TitlesForwarded,
        Registry::HrServices,
        Registry::GraduateTrainees,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Registry::PostPositions => "job_posts.positions",
            Registry::EmergingShare => "job_posts.emerging_share",
            Registry::Events(EventKind::CampusFair) => "events.campus_fair",
            Registry::Events(EventKind::OtherFair) => "events.other_fair",
            Registry::Events(EventKind::Community) => "events.community",
            Registry::Events(EventKind::OutOfCity) => "events.out_of_city",
            Registry::Events(EventKind::ReturneePromotion) => "events.returnee_promotion",
            Registry::Events(EventKind::IndustryMatchmaking) => "events.industry_matchmaking",
            Registry::PromotionEvents => "events.promotion",
            Registry::CoastalPromotionEvents => "events.promotion_coastal",
            Registry::PlacementRate => "graduates.placement_rate",
            Registry::LectureAttendance => "trainings.lecture_attendance",
            Registry::MalanhuaTrainees => "trainings.malanhua_trainees",
            Registry::ProjectsScreenedIn => "projects.screened_in",
            Registry::SelectionRecommendations => "selection.recommendations",
            Registry::ShowcaseRecommendations => "showcase.recommendations",
            Registry::CarrierResidents => "carriers.residents",
            Registry::IncubationBases => "carriers.incubation_bases",
            Registry::ReturneeParks => "carriers.returnee_parks",
            Registry::ExpertServices => "experts.services",
            Registry::WindowVisits => "window.visits",
            Registry::FailureSupportSteps => "failure.support_steps",
            Registry::ContestEntries => "contest.entries",
            Registry::ContestLandings => "contest.landed",
            Registry::MentoringsStarted => "mentoring.started",
            Registry::Loans => "loans.issued",
            Registry::SubsidiesPaid(Category::Graduates) => "subsidies.graduates_paid",
            Registry::SubsidiesPaid(Category::Insurance) => "subsidies.insurance_paid",
            Registry::SubsidiesPaid(Category::Housing) => "subsidies.housing_paid",
            Registry::SubsidiesPaid(Category::Industry) => "subsidies.industry_paid",
            Registry::OfferPayments => "subsidies.offer_paid",
            Registry::StudentVisitors => "student_visits.students",
            Registry::TalentTrips => "talent_trips.held",
            Registry::TalentTripHires => "talent_trips.hires",
            Registry::MigrantsSurveyed => "migrants.surveyed",
            Registry::ReturnIntentionShare => "migrants.intention_share",
            Registry::FiveOnesServices => "returnees.five_ones",
            Registry::MarketInspections => "market_order.inspections",
            Registry::MarketNotices => "market_order.notices",
            Registry::CampusPolicyEvents => "campus.policy_events",
            Registry::CampusInterns => "campus.interns",
            Registry::SkillsTrained => "skills.trained",
            Registry::TitlesForwarded => "titles.forwarded",
            Registry::HrServices => "hr_actions.services",
            Registry::GraduateTrainees => "traineeships.trainees",
        }
    }

    pub fn parse(code: &str) -> Option<Registry> {
        Registry::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Where staff enter what this indicator counts.
    pub fn label(self) -> &'static str {
        match self {
            Registry::PostPositions | Registry::EmergingShare => "岗位发布",
            Registry::Events(kind) if kind.is_promotion() => "返区创业推介活动登记",
            Registry::Events(_) => "招聘活动登记",
            Registry::PromotionEvents | Registry::CoastalPromotionEvents => "返区创业推介活动登记",
            Registry::PlacementRate => "离校未就业毕业生名册",
            Registry::LectureAttendance | Registry::MalanhuaTrainees => "返区人员培训登记",
            Registry::ProjectsScreenedIn => "创业项目库",
            Registry::SelectionRecommendations => "返区创业项目遴选",
            Registry::ShowcaseRecommendations => "返区创业典型案例",
            Registry::CarrierResidents => "创业载体入驻登记",
            Registry::IncubationBases | Registry::ReturneeParks => "创业载体认定申报",
            Registry::ExpertServices => "专业人才库服务记录",
            Registry::WindowVisits => "返乡创业服务专窗登记",
            Registry::FailureSupportSteps => "创业失败帮扶登记",
            Registry::ContestEntries | Registry::ContestLandings => "“中国网谷杯”创新创业大赛",
            Registry::MentoringsStarted => "跟踪陪跑登记",
            Registry::Loans => "创业担保贷款台账",
            Registry::SubsidiesPaid(_) | Registry::OfferPayments => "补贴申领与拨付",
            Registry::StudentVisitors => "学子东西湖行活动登记",
            Registry::TalentTrips | Registry::TalentTripHires => "揽才团登记",
            Registry::MigrantsSurveyed | Registry::ReturnIntentionShare => "外出就业人员信息库",
            Registry::FiveOnesServices => "“五个一”返区服务登记",
            Registry::MarketInspections => "人力资源市场检查登记",
            Registry::MarketNotices => "招聘求职陷阱提示和违规典型案例发布",
            Registry::CampusPolicyEvents => "校园活动登记",
            Registry::CampusInterns => "实习实训登记",
            Registry::SkillsTrained => "返区人员职业技能培训登记",
            Registry::TitlesForwarded => "返区人才职称评审申报登记",
            Registry::HrServices => "人力资源机构专项行动服务登记",
            Registry::GraduateTrainees => "就业见习和技能培训登记",
        }
    }

    /// Does this registry leave room for manual records beside its own figures?
    pub fn takes_manual_records(self) -> bool {
        self == Registry::LectureAttendance
    }

    /// The kinds of event this registry counts, and whether only those held in a coastal
    /// region; `None` for the registries that count no events.
    pub fn counted_events(self) -> Option<(&'static [EventKind], bool)> {
        match self {
            Registry::Events(kind) => Some((
                EventKind::ALL
                    .iter()
                    .find(|k| **k == kind)
                    .map(std::slice::from_ref)
                    .unwrap_or_default(),
                false,
            )),
            Registry::PromotionEvents => Some((&EventKind::PROMOTION, false)),
            Registry::CoastalPromotionEvents => Some((&EventKind::PROMOTION, true)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod promotion_tests {
    use super::*;

    #[test]
    fn the_promotion_events_of_2_5_1_and_the_coastal_one_are_counted_from_the_events() {
        let plan = crate::plan::dongxihu();
        let registry = |code: &str| {
            crate::record::find_indicator(&plan, code)
                .unwrap()
                .1
                .registry
        };
        assert_eq!(
            registry("2.5.1.promotion_events"),
            Some(Registry::PromotionEvents)
        );
        assert_eq!(
            registry("2.5.1.coastal_event"),
            Some(Registry::CoastalPromotionEvents)
        );
        assert_eq!(
            Registry::PromotionEvents.counted_events(),
            Some((&EventKind::PROMOTION[..], false))
        );
        assert_eq!(
            Registry::CoastalPromotionEvents.counted_events(),
            Some((&EventKind::PROMOTION[..], true))
        );
        assert_eq!(
            Registry::Events(EventKind::Community).counted_events(),
            Some((&[EventKind::Community][..], false))
        );
        assert_eq!(Registry::PlacementRate.counted_events(), None);
    }

    #[test]
    fn every_registry_code_is_distinct_and_parses_back() {
        for r in Registry::ALL {
            assert_eq!(Registry::parse(r.code()), Some(r));
        }
    }
}
