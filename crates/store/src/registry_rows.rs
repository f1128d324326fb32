//! The registries' figures read from every row of the window, as before the tallies (issue 12,
//! item 8): the reference that tests and the benchmark hold the tallies to. The platform reads
//! them from the tallies (`registry.rs`).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use linkong_core::people::Intention;
use linkong_core::plan::Plan;
use linkong_core::progress::RecordFigure;
use linkong_core::registry::Registry;
use linkong_core::time::local_date;
use std::collections::BTreeMap;

use crate::figures::start_of;
use crate::registry::{SurveyCounts, intention_share_figures, placement_rate_figures};
use crate::{Result, Store, on_db};

/// A published post as the figures see it: id, raising unit, positions, emerging, when.
type PublishedPost = (i64, String, i64, bool, DateTime<Utc>);

/// One figure per year of 1.1.1's emerging share: the share of that year's positions so far,
/// dated on its latest publication, held by the task's lead unit.
fn emerging_share_figures(code: &str, lead: &str, posts: &[PublishedPost]) -> Vec<RecordFigure> {
    let mut years: BTreeMap<i32, (i64, i64, NaiveDate)> = BTreeMap::new();
    for (_, _, positions, emerging, at) in posts {
        let day = local_date(*at);
        let year = years.entry(day.year()).or_insert((0, 0, day));
        year.0 += positions;
        if *emerging {
            year.1 += positions;
        }
        year.2 = year.2.max(day);
    }
    years
        .into_iter()
        .filter(|(_, (total, _, _))| *total > 0)
        .map(|(year, (total, emerging, last))| RecordFigure {
            id: -i64::from(year),
            indicator_code: code.to_owned(),
            unit_code: lead.to_owned(),
            // hundredths of a percent point, rounded half up
            value: (emerging * 10_000 * 2 + total) / (total * 2),
            occurred_on: last,
            records: 1,
        })
        .collect()
}

/// One figure per row: `(id, unit, value in hundredths, day)`, ids negated so they never meet
/// a manual record's.
/// The registries whose figure counts one for each row.
fn counts_one_each(registry: Registry) -> bool {
    matches!(
        registry,
        Registry::ProjectsScreenedIn
            | Registry::SelectionRecommendations
            | Registry::ShowcaseRecommendations
            | Registry::CarrierResidents
            | Registry::IncubationBases
            | Registry::ReturneeParks
            | Registry::ExpertServices
            | Registry::WindowVisits
            | Registry::FailureSupportSteps
            | Registry::ContestEntries
            | Registry::ContestLandings
            | Registry::MentoringsStarted
            | Registry::TalentTrips
            | Registry::TalentTripHires
            | Registry::MigrantsSurveyed
            | Registry::FiveOnesServices
            | Registry::MarketInspections
            | Registry::MarketNotices
            | Registry::CampusPolicyEvents
            | Registry::CampusInterns
            | Registry::TitlesForwarded
            | Registry::HrServices
            | Registry::GraduateTrainees
    )
}

fn figures_of(
    code: &str,
    rows: impl IntoIterator<Item = (i64, String, i64, NaiveDate)>,
) -> Vec<RecordFigure> {
    rows.into_iter()
        .map(|(id, unit, value, day)| RecordFigure {
            id: -id,
            indicator_code: code.to_owned(),
            unit_code: unit,
            value,
            occurred_on: day,
            records: 1,
        })
        .collect()
}

impl Store {
    /// The figures of an events registry (one kind, or 2.5.1's promotion events, or those of
    /// them held in a coastal region) from the events held in [from, to].
    async fn event_figures_from_rows(
        &self,
        code: &str,
        registry: Registry,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<RecordFigure>> {
        let mut figures = Vec::new();
        let Some((kinds, coastal_only)) = registry.counted_events() else {
            return Ok(figures);
        };
        for kind in kinds {
            let events: Vec<(i64, String, NaiveDate, bool)> = on_db!(self, pool => sqlx::query_as(
                "SELECT id, organiser, held_on, coastal FROM recruitment_events \
                 WHERE kind = $1 AND held_on >= $2 AND held_on <= $3",
            )
            .bind(kind.code())
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?);
            let rows = events
                .into_iter()
                .filter(|(_, _, _, coastal)| *coastal || !coastal_only)
                .map(|(id, unit, day, _)| (id, unit, 100, day));
            figures.extend(figures_of(code, rows));
        }
        Ok(figures)
    }

    /// The registry figures of every registry-filled indicator, dated within [from, to] and no
    /// later than today. Ids are negative so that they never meet a manual record's.
    pub(crate) async fn registry_figures_from_rows(
        &self,
        plan: &Plan,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<RecordFigure>> {
        let to = to.min(local_date(self.now()));
        let mut figures = Vec::new();
        if from > to {
            return Ok(figures);
        }
        let mut posts: Option<Vec<PublishedPost>> = None;
        for (task, indicator) in plan.indicators() {
            let Some(registry) = indicator.registry else {
                continue;
            };
            let code = indicator.code.as_str();
            let lead = task.lead_units.first().map(String::as_str);
            match registry {
                Registry::PostPositions | Registry::EmergingShare => {
                    if posts.is_none() {
                        posts = Some(self.published_posts_from_rows(from, to).await?);
                    }
                    let posts = posts.as_deref().unwrap_or_default();
                    if registry == Registry::PostPositions {
                        let rows = posts.iter().map(|(id, unit, positions, _, at)| {
                            (*id, unit.clone(), positions * 100, local_date(*at))
                        });
                        figures.extend(figures_of(code, rows));
                    } else if let Some(lead) = lead {
                        figures.extend(emerging_share_figures(code, lead, posts));
                    }
                }
                Registry::PlacementRate => {
                    figures.extend(
                        self.placement_figures_from_rows(code, lead, from, to)
                            .await?,
                    );
                }
                Registry::LectureAttendance | Registry::MalanhuaTrainees => {
                    let kind = if registry == Registry::LectureAttendance {
                        linkong_core::people::TrainingKind::Lecture
                    } else {
                        linkong_core::people::TrainingKind::Malanhua
                    };
                    let trainings = self.training_figures(kind, from, to).await?;
                    let rows = trainings
                        .into_iter()
                        .map(|(id, unit, people, held_on)| (id, unit, people * 100, held_on));
                    figures.extend(figures_of(code, rows));
                }
                Registry::Events(_)
                | Registry::PromotionEvents
                | Registry::CoastalPromotionEvents => {
                    figures.extend(
                        self.event_figures_from_rows(code, registry, from, to)
                            .await?,
                    );
                }
                Registry::ReturnIntentionShare => {
                    let counts = self.survey_counts_from_rows(from, to).await?;
                    figures.extend(intention_share_figures(code, lead, to, &counts));
                }
                Registry::SkillsTrained => {
                    figures.extend(figures_of(code, self.skills_rows(from, to).await?));
                }
                _ if counts_one_each(registry) => {
                    let rows = self.counted_from_rows(registry, from, to).await?;
                    let rows = rows.into_iter().map(|(id, unit, day)| (id, unit, 100, day));
                    figures.extend(figures_of(code, rows));
                }
                _ => {
                    let rows = self.valued_from_rows(registry, from, to).await?;
                    figures.extend(figures_of(code, rows));
                }
            }
        }
        Ok(figures)
    }

    /// The rows of a registry whose rows carry their own value (money paid, in 分; loans'
    /// principal in hundredths of 万元):
    /// (id, unit, value, day); none for the others.
    async fn valued_from_rows(
        &self,
        registry: Registry,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, i64, NaiveDate)>> {
        match registry {
            Registry::SubsidiesPaid(_) | Registry::OfferPayments => {
                self.paid_from_rows(registry, from, to).await
            }
            // The principal of each loan issued, in hundredths of 万元.
            Registry::Loans => self.loans_from_rows(from, to).await,
            // The students each visit adds, counted once a year per organising unit.
            Registry::StudentVisitors => Ok(self
                .counted_student_visits_from_rows(from, to)
                .await?
                .into_iter()
                .map(|(id, unit, day, students)| (id, unit, students * 100, day))
                .collect()),
            _ => Ok(Vec::new()),
        }
    }

    /// The rows of a registry that counts one for each (projects screened in, move-ins,
    /// recognitions, expert services, answered window visits, selection entries and showcase
    /// cases recommended, contest entries registered and landed) within [from, to]: (id, unit, day).
    async fn counted_from_rows(
        &self,
        registry: Registry,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, NaiveDate)>> {
        Ok(match registry {
            Registry::ProjectsScreenedIn => self.screened_in_from_rows(from, to).await?,
            Registry::CarrierResidents => self.arrivals_from_rows(from, to).await?,
            Registry::IncubationBases | Registry::ReturneeParks => {
                let kind = crate::registry::recognition_kind(registry);
                self.recognitions_from_rows(kind, from, to).await?
            }
            Registry::ExpertServices | Registry::WindowVisits | Registry::FailureSupportSteps => {
                self.support_rows(registry, from, to).await?
            }
            Registry::SelectionRecommendations => {
                self.recommended_entries_from_rows(from, to).await?
            }
            Registry::ShowcaseRecommendations => self.recommended_cases_from_rows(from, to).await?,
            Registry::ContestEntries | Registry::ContestLandings => {
                let landed = registry == Registry::ContestLandings;
                self.contest_rows(landed, from, to).await?
            }
            Registry::MentoringsStarted => self.started_mentorings_from_rows(from, to).await?,
            Registry::TalentTrips | Registry::TalentTripHires => {
                let hires = registry == Registry::TalentTripHires;
                self.trip_rows(hires, from, to).await?
            }
            Registry::MigrantsSurveyed | Registry::FiveOnesServices => {
                self.people_served_from_rows(registry, from, to).await?
            }
            Registry::MarketInspections | Registry::MarketNotices => {
                let notices = registry == Registry::MarketNotices;
                self.market_order_rows(notices, from, to).await?
            }
            Registry::CampusPolicyEvents => self.policy_events_from_rows(from, to).await?,
            Registry::CampusInterns => self.interns_from_rows(from, to).await?,
            Registry::TitlesForwarded | Registry::HrServices => {
                let services = registry == Registry::HrServices;
                self.titles_hr_rows(services, from, to).await?
            }
            Registry::GraduateTrainees => self.trainee_rows(from, to).await?,
            _ => Vec::new(),
        })
    }

    /// Expert services (per recording unit), answered window visits (per logging unit) or
    /// failure-support steps done (per responsible unit) dated within [from, to]: id, unit, day.
    async fn support_rows(
        &self,
        registry: Registry,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, NaiveDate)>> {
        let sql = if registry == Registry::ExpertServices {
            "SELECT id, recorded_by, served_on FROM expert_services WHERE served_on >= $1 AND served_on <= $2"
        } else if registry == Registry::FailureSupportSteps {
            "SELECT id, unit_code, done_on FROM failure_steps WHERE done_on >= $1 AND done_on <= $2"
        } else {
            "SELECT id, logged_by, visited_on FROM window_visits \
             WHERE logged_by IS NOT NULL AND visited_on >= $1 AND visited_on <= $2"
        };
        Ok(on_db!(self, pool => sqlx::query_as(sql)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?))
    }

    /// Posts published within [from, to], as the figures see them.
    async fn published_posts_from_rows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<PublishedPost>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, raised_by, positions, emerging, published_at FROM job_posts \
             WHERE published_at IS NOT NULL AND published_at >= $1 AND published_at < $2",
        )
        .bind(start_of(from))
        .bind(start_of(to + Duration::days(1)))
        .fetch_all(pool)
        .await?))
    }

    /// Per roster year, as of the window's end within that year, counted from every graduate.
    async fn placement_figures_from_rows(
        &self,
        code: &str,
        lead: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<RecordFigure>> {
        let mut figures = Vec::new();
        for year in from.year()..=to.year() {
            let on = to.min(NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(to));
            let (streets, district) = self.placement_rates_from_rows(year, on).await?;
            figures.extend(placement_rate_figures(
                code, lead, year, on, &streets, &district,
            ));
        }
        Ok(figures)
    }

    /// The district's residents surveyed into the out-migrant registry (2.1.1), or the
    /// five-ones services given (2.1.4), within [from, to]: (person, household street, day).
    async fn people_served_from_rows(
        &self,
        registry: Registry,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, NaiveDate)>> {
        let sql = if registry == Registry::MigrantsSurveyed {
            "SELECT m.person_id, p.street_code, m.surveyed_on FROM migrants m \
             JOIN persons p ON p.id = m.person_id \
             WHERE m.home_district = '' AND m.surveyed_on >= $1 AND m.surveyed_on <= $2"
        } else {
            "SELECT f.person_id, p.street_code, f.served_on FROM five_ones f \
             JOIN persons p ON p.id = f.person_id WHERE f.served_on >= $1 AND f.served_on <= $2"
        };
        Ok(on_db!(self, pool => sqlx::query_as(sql)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?))
    }

    /// Per (year, household street): the district's residents surveyed within [from, to], and
    /// those of them meaning to come back to work or to start a business (2.1.1).
    async fn survey_counts_from_rows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<SurveyCounts> {
        let rows: Vec<(String, NaiveDate, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT p.street_code, m.surveyed_on, m.intention FROM migrants m \
             JOIN persons p ON p.id = m.person_id \
             WHERE m.home_district = '' AND m.surveyed_on >= $1 AND m.surveyed_on <= $2",
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?);
        let mut counts = SurveyCounts::new();
        for (street, day, intention) in rows {
            let count = counts.entry((day.year(), street)).or_default();
            count.0 += 1;
            if Intention::parse(&intention).is_ok_and(Intention::means_to_come_back) {
                count.1 += 1;
            }
        }
        Ok(counts)
    }
}
