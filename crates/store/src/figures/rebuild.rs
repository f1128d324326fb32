//! The plain `GROUP BY`s that build every tally from the rows: what the first start after
//! migration 0016 runs, and the reference tests and the benchmark hold the kept tallies to.

/// The statements that build the day tallies of one kind from the rows, and the months from
/// the days; `$day_of_post` is the Wuhan date of a post's `published_at`, `$month_of` the
/// first day of a date's month, `$year_start` 1 January of a date's year, `$january` 1 January
/// of a roster year, `$stay_year` 1 January of a carrier stay's year.
macro_rules! rebuild_sql {
    ($day_of_post:literal, $month_of:literal, $year_start:literal, $january:literal, $stay_year:literal) => {
        (
            &[
                (
                    Kind::Record,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'record', indicator_code, unit_code, occurred_on, SUM(value), COUNT(*), MAX(id), 0 \
                     FROM progress_records WHERE voided_at IS NULL GROUP BY indicator_code, unit_code, occurred_on",
                ),
                (
                    Kind::Record,
                    "UPDATE figure_days SET latest_value = (SELECT r.value FROM progress_records r \
                     WHERE r.id = figure_days.latest_id) WHERE kind = 'record'",
                ),
                (
                    Kind::Posts,
                    concat!(
                        "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                         SELECT 'posts', '', raised_by, ", $day_of_post, ", SUM(positions * 100), COUNT(*), -MIN(id), 0 \
                         FROM job_posts WHERE published_at IS NOT NULL GROUP BY raised_by, ", $day_of_post
                    ),
                ),
                (
                    Kind::Emerging,
                    concat!(
                        "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                         SELECT 'emerging', '', raised_by, ", $day_of_post, ", SUM(positions * 100), COUNT(*), -MIN(id), 0 \
                         FROM job_posts WHERE published_at IS NOT NULL AND emerging GROUP BY raised_by, ", $day_of_post
                    ),
                ),
                (
                    Kind::Posts,
                    "UPDATE figure_days SET latest_value = (SELECT p.positions * 100 FROM job_posts p \
                     WHERE p.id = -figure_days.latest_id) WHERE kind = 'posts'",
                ),
                (
                    Kind::Emerging,
                    "UPDATE figure_days SET latest_value = (SELECT p.positions * 100 FROM job_posts p \
                     WHERE p.id = -figure_days.latest_id) WHERE kind = 'emerging'",
                ),
                (
                    Kind::Event,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'event', kind, organiser, held_on, COUNT(*) * 100, COUNT(*), -MIN(id), 100 \
                     FROM recruitment_events GROUP BY kind, organiser, held_on",
                ),
                (
                    Kind::CoastalEvent,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'coastal_event', kind, organiser, held_on, COUNT(*) * 100, COUNT(*), -MIN(id), 100 \
                     FROM recruitment_events WHERE coastal GROUP BY kind, organiser, held_on",
                ),
                (
                    Kind::Training,
                    concat!(
                        "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                         SELECT 'training', f.kind, f.organiser, f.held_on, SUM(f.people) * 100, COUNT(*), -MIN(f.id), 0 \
                         FROM (SELECT t.id, t.kind, t.organiser, t.held_on, COUNT(*) AS people \
                         FROM trainings t JOIN training_attendees a ON a.training_id = t.id \
                         WHERE t.kind = 'lecture' OR NOT EXISTS (SELECT 1 FROM training_attendees b \
                         JOIN trainings u ON u.id = b.training_id WHERE b.person_id = a.person_id AND u.kind = t.kind \
                         AND u.held_on >= ", $year_start, " AND (u.held_on < t.held_on OR (u.held_on = t.held_on AND u.id < t.id))) \
                         GROUP BY t.id, t.kind, t.organiser, t.held_on) f GROUP BY f.kind, f.organiser, f.held_on"
                    ),
                ),
                (
                    Kind::Training,
                    concat!(
                        "UPDATE figure_days SET latest_value = (SELECT COUNT(*) * 100 FROM trainings t \
                         JOIN training_attendees a ON a.training_id = t.id WHERE t.id = -figure_days.latest_id \
                         AND (t.kind = 'lecture' OR NOT EXISTS (SELECT 1 FROM training_attendees b \
                         JOIN trainings u ON u.id = b.training_id WHERE b.person_id = a.person_id AND u.kind = t.kind \
                         AND u.held_on >= ", $year_start, " AND (u.held_on < t.held_on OR (u.held_on = t.held_on AND u.id < t.id))))) \
                         WHERE kind = 'training'"
                    ),
                ),
                (
                    Kind::Placed,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'placed', CAST(g.year AS TEXT), p.street_code, g.placed_on, COUNT(*), COUNT(*), MAX(g.id), 1 \
                     FROM graduates g JOIN persons p ON p.id = g.person_id \
                     WHERE g.placement <> 'not_yet' AND g.placed_on IS NOT NULL GROUP BY g.year, p.street_code, g.placed_on",
                ),
                (
                    Kind::Roster,
                    concat!(
                        "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                         SELECT 'roster', CAST(g.year AS TEXT), p.street_code, ", $january, ", COUNT(*), COUNT(*), MAX(g.id), 1 \
                         FROM graduates g JOIN persons p ON p.id = g.person_id GROUP BY g.year, p.street_code"
                    ),
                ),
                (
                    Kind::Project,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'project', '', source_unit, screened_on, COUNT(*) * 100, COUNT(*), -MIN(id), 100 \
                     FROM projects WHERE screened_on IS NOT NULL \
                     AND status IN ('screened_in', 'published', 'adopted') GROUP BY source_unit, screened_on",
                ),
                (
                    Kind::Selection,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'selection', '', recommender, recommended_on, COUNT(*) * 100, COUNT(*), -MIN(id), 100 \
                     FROM selection_entries GROUP BY recommender, recommended_on",
                ),
                (
                    Kind::Showcase,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'showcase', '', recommender, recommended_on, COUNT(*) * 100, COUNT(*), -MIN(id), 100 \
                     FROM showcase_cases GROUP BY recommender, recommended_on",
                ),
                (
                    Kind::CarrierResident,
                    concat!(
                        "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                         SELECT 'carrier_resident', '', c.street_code, s.moved_in_on, COUNT(*) * 100, COUNT(*), -MIN(s.id), 100 \
                         FROM carrier_stays s JOIN carriers c ON c.id = s.carrier_id \
                         WHERE NOT EXISTS (SELECT 1 FROM carrier_stays e WHERE e.business_id = s.business_id \
                         AND e.moved_in_on >= ", $stay_year, " AND (e.moved_in_on < s.moved_in_on \
                         OR (e.moved_in_on = s.moved_in_on AND e.id < s.id))) GROUP BY c.street_code, s.moved_in_on"
                    ),
                ),
                (
                    Kind::Recognition,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'recognition', kind, counted_for, approved_on, COUNT(*) * 100, COUNT(*), -MIN(id), 100 \
                     FROM carrier_applications WHERE approved_on IS NOT NULL GROUP BY kind, counted_for, approved_on",
                ),
                (
                    Kind::ExpertService,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'expert_service', '', recorded_by, served_on, COUNT(*) * 100, COUNT(*), -MIN(id), 100 \
                     FROM expert_services GROUP BY recorded_by, served_on",
                ),
                (
                    Kind::WindowVisit,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'window_visit', '', logged_by, visited_on, COUNT(*) * 100, COUNT(*), -MIN(id), 100 \
                     FROM window_visits WHERE logged_by IS NOT NULL GROUP BY logged_by, visited_on",
                ),
                (
                    Kind::FailureStep,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'failure_step', '', unit_code, done_on, COUNT(*) * 100, COUNT(*), -MIN(id), 100 \
                     FROM failure_steps WHERE done_on IS NOT NULL GROUP BY unit_code, done_on",
                ),
                (
                    Kind::ContestEntry,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'contest_entry', '', d.organiser, e.registered_on, COUNT(*) * 100, COUNT(*), -MIN(e.id), 100 \
                     FROM contest_entries e JOIN contest_editions d ON d.id = e.edition_id GROUP BY d.organiser, e.registered_on",
                ),
                (
                    Kind::ContestLanding,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'contest_landing', '', d.organiser, e.landed_on, COUNT(*) * 100, COUNT(*), -MIN(e.id), 100 \
                     FROM contest_entries e JOIN contest_editions d ON d.id = e.edition_id \
                     WHERE e.landed_on IS NOT NULL GROUP BY d.organiser, e.landed_on",
                ),
                (
                    Kind::Mentoring,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'mentoring', '', opened_by, started_on, COUNT(*) * 100, COUNT(*), -MIN(id), 100 \
                     FROM mentorings GROUP BY opened_by, started_on",
                ),
                (
                    Kind::Loan,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'loan', '', unit_code, issued_on, SUM(principal_fen / 10000), COUNT(*), -MIN(id), 0 \
                     FROM loans GROUP BY unit_code, issued_on",
                ),
                (
                    Kind::Loan,
                    "UPDATE figure_days SET latest_value = (SELECT l.principal_fen / 10000 FROM loans l \
                     WHERE l.id = -figure_days.latest_id) WHERE kind = 'loan'",
                ),
                (
                    Kind::SubsidyPaid,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'subsidy_paid', category, counted_for, paid_on, SUM(paid_fen), COUNT(*), -MIN(id), 0 \
                     FROM subsidy_applications WHERE status = 'paid' GROUP BY category, counted_for, paid_on",
                ),
                (
                    Kind::SubsidyPaid,
                    "UPDATE figure_days SET latest_value = (SELECT a.paid_fen FROM subsidy_applications a \
                     WHERE a.id = -figure_days.latest_id) WHERE kind = 'subsidy_paid'",
                ),
                (
                    Kind::OfferPaid,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'offer_paid', '', counted_for, paid_on, SUM(paid_fen), COUNT(*), -MIN(id), 0 \
                     FROM subsidy_applications WHERE status = 'paid' AND channel = 'offer' GROUP BY counted_for, paid_on",
                ),
                (
                    Kind::OfferPaid,
                    "UPDATE figure_days SET latest_value = (SELECT a.paid_fen FROM subsidy_applications a \
                     WHERE a.id = -figure_days.latest_id) WHERE kind = 'offer_paid'",
                ),
                (
                    Kind::StudentVisit,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'student_visit', '', f.organiser, f.visited_on, SUM(f.people) * 100, COUNT(*), -MIN(f.id), 0 \
                     FROM (SELECT v.id, v.organiser, v.visited_on, COUNT(*) AS people FROM student_visits v \
                     JOIN student_visit_students a ON a.visit_id = v.id WHERE NOT EXISTS (SELECT 1 \
                     FROM student_visit_students b JOIN student_visits u ON u.id = b.visit_id \
                     WHERE b.student_key = a.student_key AND u.organiser = v.organiser AND u.visit_year = v.visit_year \
                     AND (u.visited_on < v.visited_on OR (u.visited_on = v.visited_on AND u.id < v.id))) \
                     GROUP BY v.id, v.organiser, v.visited_on) f GROUP BY f.organiser, f.visited_on",
                ),
                (
                    Kind::StudentVisit,
                    "UPDATE figure_days SET latest_value = (SELECT COUNT(*) * 100 FROM student_visits v \
                     JOIN student_visit_students a ON a.visit_id = v.id WHERE v.id = -figure_days.latest_id \
                     AND NOT EXISTS (SELECT 1 FROM student_visit_students b JOIN student_visits u ON u.id = b.visit_id \
                     WHERE b.student_key = a.student_key AND u.organiser = v.organiser AND u.visit_year = v.visit_year \
                     AND (u.visited_on < v.visited_on OR (u.visited_on = v.visited_on AND u.id < v.id)))) \
                     WHERE kind = 'student_visit'",
                ),
                (
                    Kind::TalentTrip,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'talent_trip', '', organiser, departed_on, COUNT(*) * 100, COUNT(*), -MIN(id), 100 \
                     FROM talent_trips GROUP BY organiser, departed_on",
                ),
                (
                    Kind::TripHire,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'trip_hire', '', t.organiser, h.hired_on, COUNT(*) * 100, COUNT(*), -MIN(h.id), 100 \
                     FROM talent_trip_hires h JOIN talent_trips t ON t.id = h.trip_id GROUP BY t.organiser, h.hired_on",
                ),
                (
                    Kind::Surveyed,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'surveyed', '', p.street_code, m.surveyed_on, COUNT(*) * 100, COUNT(*), -MIN(m.person_id), 100 \
                     FROM migrants m JOIN persons p ON p.id = m.person_id WHERE m.home_district = '' \
                     GROUP BY p.street_code, m.surveyed_on",
                ),
                (
                    Kind::Intending,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'intending', '', p.street_code, m.surveyed_on, COUNT(*) * 100, COUNT(*), -MIN(m.person_id), 100 \
                     FROM migrants m JOIN persons p ON p.id = m.person_id WHERE m.home_district = '' \
                     AND m.intention IN ('work', 'business') GROUP BY p.street_code, m.surveyed_on",
                ),
                (
                    Kind::FiveOnes,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'five_ones', f.festival, p.street_code, f.served_on, COUNT(*) * 100, COUNT(*), -MIN(f.person_id), 100 \
                     FROM five_ones f JOIN persons p ON p.id = f.person_id GROUP BY f.festival, p.street_code, f.served_on",
                ),
                (
                    Kind::MarketInspection,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'market_inspection', '', unit_code, inspected_on, COUNT(*) * 100, COUNT(*), -MIN(id), 100 \
                     FROM market_inspections GROUP BY unit_code, inspected_on",
                ),
                (
                    Kind::MarketNotice,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'market_notice', '', unit_code, published_on, COUNT(*) * 100, COUNT(*), -MIN(id), 100 \
                     FROM market_notices GROUP BY unit_code, published_on",
                ),
                (
                    Kind::CampusActivity,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'campus_activity', kind, organiser, held_on, COUNT(*) * 100, COUNT(*), -MIN(id), 100 \
                     FROM campus_activities GROUP BY kind, organiser, held_on",
                ),
                (
                    Kind::Intern,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'intern', '', i.organiser, i.starts_on, COUNT(*) * 100, COUNT(*), -MIN(i.id), 100 \
                     FROM internships i WHERE NOT EXISTS (SELECT 1 FROM internships e \
                     WHERE e.organiser = i.organiser AND e.university_id = i.university_id AND e.student_no = i.student_no \
                     AND e.year = i.year AND (e.starts_on < i.starts_on OR (e.starts_on = i.starts_on AND e.id < i.id))) \
                     GROUP BY i.organiser, i.starts_on",
                ),
                (
                    Kind::SkillsTrained,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'skills_trained', '', f.organiser, f.ends_on, SUM(f.people) * 100, COUNT(*), -MIN(f.id), 0 \
                     FROM (SELECT c.id, c.organiser, c.ends_on, COUNT(*) AS people FROM skills_classes c \
                     JOIN skills_trainees t ON t.class_id = c.id GROUP BY c.id, c.organiser, c.ends_on) f \
                     GROUP BY f.organiser, f.ends_on",
                ),
                (
                    Kind::SkillsTrained,
                    "UPDATE figure_days SET latest_value = (SELECT COUNT(*) * 100 FROM skills_trainees t \
                     WHERE t.class_id = -figure_days.latest_id) WHERE kind = 'skills_trained'",
                ),
                (
                    Kind::TitlesForwarded,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'titles_forwarded', '', unit_code, forwarded_on, COUNT(*) * 100, COUNT(*), -MIN(id), 100 \
                     FROM title_applications GROUP BY unit_code, forwarded_on",
                ),
                (
                    Kind::HrService,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'hr_service', '', a.organiser, s.served_on, COUNT(*) * 100, COUNT(*), -MIN(s.id), 100 \
                     FROM hr_services s JOIN hr_actions a ON a.id = s.action_id GROUP BY a.organiser, s.served_on",
                ),
                (
                    Kind::Trainees,
                    "INSERT INTO figure_days (kind, code, unit_code, day, total, records, latest_id, latest_value) \
                     SELECT 'trainees', '', f.unit_code, f.starts_on, COUNT(*) * 100, COUNT(*), MAX(f.fid), 100 \
                     FROM (SELECT -(2 * id) AS fid, unit_code, starts_on FROM traineeships \
                     UNION ALL SELECT -(2 * id + 1) AS fid, unit_code, starts_on FROM graduate_courses) f \
                     GROUP BY f.unit_code, f.starts_on",
                ),
            ],
            &[
                concat!(
                    "INSERT INTO figure_months (kind, code, unit_code, month, last_day, total, records, latest_id, latest_value) \
                     SELECT kind, code, unit_code, ", $month_of, ", MAX(day), SUM(total), SUM(records), 0, 0 \
                     FROM figure_days WHERE kind = $1 GROUP BY kind, code, unit_code, ", $month_of
                ),
                "UPDATE figure_months SET latest_id = d.latest_id, latest_value = d.latest_value FROM figure_days d \
                 WHERE figure_months.kind = $1 AND d.kind = figure_months.kind AND d.code = figure_months.code \
                 AND d.unit_code = figure_months.unit_code AND d.day = figure_months.last_day",
            ],
        )
    };
}
