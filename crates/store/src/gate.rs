//! Refusals: every "no" core gives is written to the audit log before it reaches the person.
//! Functions that read or write rows ask core themselves; [`Store::enter`] is the door of the
//! pages that are served whole or not at all (core's [`Gate`]s).

use linkong_core::access::{Actor, Gate, Roster};

use crate::audit::AuditEvent;
use crate::{Error, Store};

/// What the audit log names as the target of a refused gate.
fn target(gate: Gate<'_>) -> String {
    match gate {
        Gate::Area { path, .. } | Gate::Api { path } => path.to_owned(),
        Gate::Administration => "admin".into(),
        Gate::ProgressForm { unit } => format!("unit:{unit}"),
        Gate::IndicatorSources { indicator, unit } => format!("sources:{indicator}:{unit}"),
        Gate::ReportingRates => "reports:rates".into(),
        Gate::PostReview => "job_posts:review".into(),
        Gate::Complaints => "complaints".into(),
        Gate::ExpertForm { .. } => "experts:new".into(),
        Gate::WindowForm { .. } => "window:new".into(),
        Gate::FailureCaseForm { .. } => "failure:new".into(),
        Gate::MentoringForm { .. } => "mentoring:new".into(),
        Gate::LoanForm { .. } => "loan:new".into(),
        Gate::MarketInspectionForm { .. } => "market_inspection:new".into(),
        Gate::MarketOrderLead { .. } => "market_order:lead".into(),
        Gate::StudentVisitForm { .. } => "student_visit:new".into(),
        Gate::TalentTripForm { .. } => "talent_trip:new".into(),
        Gate::SkillsForm { .. } => "skills:new".into(),
        Gate::TraineeshipBaseForm { .. } => "traineeship_base:new".into(),
        Gate::RosterImport { roster, .. } => match roster {
            Roster::Migrants => "import:migrants".into(),
            Roster::Graduates => "import:graduates".into(),
        },
        Gate::InsuranceImport => "import:insurance".into(),
        Gate::CampusForm => "campus:new".into(),
        Gate::TitleForm { .. } => "titles:new".into(),
        Gate::HrActionForm { .. } => "hr_actions:new".into(),
    }
}

impl Store {
    /// Refuses an action, auditing the attempt; returns the error to hand back.
    pub(crate) async fn deny(&self, actor: &Actor, target: String, why: &str, ip: &str) -> Error {
        let event = AuditEvent::new("access.denied", target)
            .by(Some(actor.user_id), &actor.username)
            .detail(why)
            .from_ip(ip);
        if let Err(e) = self.audit(event).await {
            return e;
        }
        Error::forbidden(why.to_owned())
    }

    /// Lets the actor through `gate` if core allows it; otherwise refuses, auditing the attempt.
    pub async fn enter(&self, actor: &Actor, gate: Gate<'_>, ip: &str) -> crate::Result<()> {
        match actor.may_pass(gate) {
            Ok(()) => Ok(()),
            Err(why) => Err(self.deny(actor, target(gate), why, ip).await),
        }
    }
}
