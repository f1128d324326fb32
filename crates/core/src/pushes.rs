//! Job pushes (岗位推送; issue 16 items 4–5, plan 1.1.4 "精准推送就业岗位" and 2.5.4 "主动推送岗位信息"):
//! a post put before one person on purpose — by a street officer from a push list or a
//! graduate's 1131 page, or by an employer inviting a candidate who consented to be found. Each
//! push goes to the person's portal messages (and to the SMS outbox when they have a phone), and
//! is followed through the stages pushed → viewed → applied → hired.
//!
//! What is decided here: the channels and stages, the message a push sends, and the funnel's
//! rates. The store keeps the pushes and answers who may see them.

use serde::Serialize;

vocabulary!(
    /// Where a push was made.
    Channel, "推送渠道" {
        PushList = "push_list", "街道推送清单";
        ServicePage = "service_page", "1131服务页";
        ReturneePage = "returnee_page", "返乡人员页";
        Invitation = "invitation", "单位邀约";
    }
);

vocabulary!(
    /// How far a push has come: each stage includes the ones after it.
    Stage, "推送阶段" {
        Pushed = "pushed", "已推送";
        Viewed = "viewed", "已查看";
        Applied = "applied", "已投递";
        Hired = "hired", "已录用";
    }
);

vocabulary!(
    /// How a message reaches its person.
    Delivery, "送达方式" {
        Portal = "portal", "门户消息";
        Sms = "sms", "短信";
    }
);

/// A push's stage from what followed it: a push whose person applied counts as viewed.
pub fn stage_of(viewed: bool, applied: bool, hired: bool) -> Stage {
    match (viewed, applied, hired) {
        (_, _, true) => Stage::Hired,
        (_, true, false) => Stage::Applied,
        (true, false, false) => Stage::Viewed,
        (false, false, false) => Stage::Pushed,
    }
}

/// The message a push sends: a title, and a body that names the post, the employer and why.
pub fn message(
    channel: Channel,
    title: &str,
    employer: &str,
    reasons: &[String],
) -> (String, String) {
    let heading = match channel {
        Channel::Invitation => format!("{employer}邀请您投递“{title}”"),
        _ => format!("为您推荐岗位：{title}"),
    };
    let why = if reasons.is_empty() {
        String::new()
    } else {
        format!("推荐理由：{}。", reasons.join("；"))
    };
    let body = format!("{employer}正在招聘“{title}”。{why}登录临空港就业创业服务平台查看并投递。");
    (heading, body)
}

/// The SMS text of a message: short, no link beyond the site's name, no personal data.
pub fn sms_text(title: &str) -> String {
    let shortened: String = title.chars().take(30).collect();
    format!("【临空港就业】{shortened}。详情请登录临空港就业创业服务平台“我的求职”查看。")
}

/// Counts per stage of a set of pushes, each push counted in its stage and every stage before.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Funnel {
    pub pushed: i64,
    pub viewed: i64,
    pub applied: i64,
    pub hired: i64,
}

impl Funnel {
    /// Adds one push that reached `stage`.
    pub fn add(&mut self, stage: Stage) {
        self.pushed += 1;
        if stage != Stage::Pushed {
            self.viewed += 1;
        }
        if matches!(stage, Stage::Applied | Stage::Hired) {
            self.applied += 1;
        }
        if stage == Stage::Hired {
            self.hired += 1;
        }
    }

    pub fn count(&self, stage: Stage) -> i64 {
        match stage {
            Stage::Pushed => self.pushed,
            Stage::Viewed => self.viewed,
            Stage::Applied => self.applied,
            Stage::Hired => self.hired,
        }
    }

    /// The share of pushes that reached `stage`, as a percentage with one decimal ("—" for none).
    pub fn rate(&self, stage: Stage) -> String {
        if self.pushed == 0 {
            return "—".into();
        }
        let share = self.count(stage) as f64 * 100.0 / self.pushed as f64;
        format!("{:.1}%", share)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_push_counts_in_its_stage_and_every_stage_before() {
        let mut funnel = Funnel::default();
        for stage in [Stage::Pushed, Stage::Viewed, Stage::Applied, Stage::Hired] {
            funnel.add(stage);
        }
        assert_eq!(
            funnel,
            Funnel {
                pushed: 4,
                viewed: 3,
                applied: 2,
                hired: 1
            }
        );
        assert_eq!(funnel.rate(Stage::Hired), "25.0%");
        assert_eq!(Funnel::default().rate(Stage::Hired), "—");
    }

    #[test]
    fn applying_without_opening_the_post_counts_as_viewed() {
        assert_eq!(stage_of(false, true, false), Stage::Applied);
        assert_eq!(stage_of(true, true, true), Stage::Hired);
        assert_eq!(stage_of(true, false, false), Stage::Viewed);
        assert_eq!(stage_of(false, false, false), Stage::Pushed);
    }

    #[test]
    fn the_message_says_what_and_why_and_the_sms_carries_no_person() {
        let reasons = vec!["专业匹配：会计学 ↔ 会计".to_owned()];
        let (title, body) = message(Channel::PushList, "出纳", "临空港物流公司", &reasons);
        assert_eq!(title, "为您推荐岗位：出纳");
        assert!(
            body.contains("推荐理由：专业匹配：会计学 ↔ 会计。"),
            "{body}"
        );
        let (title, _) = message(Channel::Invitation, "出纳", "临空港物流公司", &[]);
        assert_eq!(title, "临空港物流公司邀请您投递“出纳”");
        let sms = sms_text(&title);
        assert!(
            sms.starts_with("【临空港就业】临空港物流公司邀请您投递"),
            "{sms}"
        );
    }
}
