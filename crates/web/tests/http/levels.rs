//! Job levels, codes, the derived emerging flag, gig posts and the returnee's matches over HTTP,
//! on each backend (issue 16 items 1 and 3c): a gig station's form names every wrong field and
//! posts a gig that job search shows with its rate; a post form refuses a bad occupation code
//! naming it; a reviewer changes the derived flag only with a reason and the post's page says
//! so; a returnee's page lists the jobs near home with reasons, and another street is refused.

use crate::common;

use common::{get, logged_in, post, spawn_apps};
use linkong_core::access::Role;
use linkong_testkit::{
    TestClock, first_migrant_id, import_migrant, publishing_employer, would_be_founder,
};

fn gig(ends_on: &str) -> Vec<(&'static str, String)> {
    vec![
        ("title", "仓库临时分拣".into()),
        ("work_street", "jinghe".into()),
        ("pay_basis", "day".into()),
        ("rate", "180".into()),
        ("starts_on", "2025-10-09".into()),
        ("ends_on", ends_on.into()),
        ("headcount", "6".into()),
        ("contact_name", "王师傅".into()),
        ("contact_phone", "13800138000".into()),
        ("note", "管午饭".into()),
    ]
}

#[tokio::test]
async fn a_gig_station_posts_a_gig_that_search_and_the_returnees_page_show() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &app.db.store;
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (status, page) = get(&jinghe, &app, "/gigs").await;
        assert_eq!(status, 200);
        assert!(page.contains("径河街道零工驿站 · 登记零工"), "{page}");

        // Over 30 days and a bad rate: 422 naming both fields, nothing written.
        let mut bad = gig("2025-12-31");
        bad[3].1 = "很多".into();
        let (status, _, page) = post(&jinghe, &app, "/gigs", &bad).await;
        assert_eq!(status, 422);
        assert!(page.contains("<strong>结束日期</strong>"), "{page}");
        assert!(page.contains("<strong>工价</strong>"), "{page}");
        assert!(store.open_gigs(None).await.unwrap().is_empty());

        let (status, location, _) = post(&jinghe, &app, "/gigs", &gig("2025-10-15")).await;
        assert_eq!((status, location.as_str()), (303, "/gigs?saved=1"));
        let (_, page) = get(&jinghe, &app, "/gigs?saved=1").await;
        assert!(page.contains("零工已发布"), "{page}");
        assert!(page.contains("180 元/天"), "{page}");
        assert!(page.contains("138****8000"), "{page}");

        // Job search shows it with its rate, to anyone.
        let (status, page) = get(&app.client(), &app, "/jobs?street=jinghe").await;
        assert_eq!(status, 200);
        assert!(page.contains("零工驿站 · 在招零工"), "{page}");
        assert!(page.contains("仓库临时分拣"), "{page}");

        // A returnee of 径河: their page lists the gig near home with its reasons.
        import_migrant(store, would_be_founder(3, "返区", "径河")).await;
        let staff = store
            .user_by_name("jinghe01")
            .await
            .unwrap()
            .unwrap()
            .actor();
        let id = first_migrant_id(store, &staff).await;
        let (status, page) = get(&jinghe, &app, &format!("/people/migrants/{id}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("<h2 id=\"matching\">岗位匹配</h2>"), "{page}");
        assert!(page.contains("零工</td><td>仓库临时分拣"), "{page}");
        assert!(page.contains("离家近：径河街道"), "{page}");
        let changqing = logged_in(&app, "changqing01", Role::UnitStaff, Some("changqing")).await;
        let (status, _) = get(&changqing, &app, &format!("/people/migrants/{id}")).await;
        assert_eq!(status, 403);
    }
}

#[tokio::test]
async fn a_reviewer_changes_the_derived_flag_with_a_reason_and_a_bad_code_is_named() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &app.db.store;
        let (_, employer_id, _, post_id) =
            publishing_employer(store, 1, linkong_testkit::date(2025, 10, 10)).await;
        let (_, page) = get(&app.client(), &app, &format!("/jobs/{post_id}")).await;
        assert!(
            page.contains("<dt>岗位层次</dt><dd>普工/技工</dd>"),
            "{page}"
        );
        assert!(page.contains("（按行业代码和职业大类认定）"), "{page}");

        let reviewer = logged_in(&app, "shenhe_web", Role::Reviewer, None).await;
        let path = format!("/review/posts/{post_id}/emerging");
        let (status, _, page) =
            post(&reviewer, &app, &path, &[("emerging", "1"), ("reason", "")]).await;
        assert_eq!(status, 422);
        assert!(page.contains("更改理由"), "{page}");
        let (status, location, _) = post(
            &reviewer,
            &app,
            &path,
            &[("emerging", "1"), ("reason", "核实为企业研发中心岗位")],
        )
        .await;
        assert_eq!((status, location), (303, format!("/jobs/{post_id}")));
        let (_, page) = get(&app.client(), &app, &format!("/jobs/{post_id}")).await;
        assert!(
            page.contains("是（审核更改：核实为企业研发中心岗位（shenhe_web，2025-10-10））"),
            "{page}"
        );
        // A street's staff may not change it.
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (status, _, _) = post(
            &jinghe,
            &app,
            &path,
            &[("emerging", "0"), ("reason", "不是新兴产业")],
        )
        .await;
        assert_eq!(status, 403);

        // The post form names an unknown code and a bad level; where a code is typed, it
        // decides the major group whatever the select says.
        let employer_id = employer_id.to_string();
        let form = |code: &'static str, level: &'static str| {
            vec![
                ("employer_id", employer_id.clone()),
                ("title", "软件工程师".into()),
                ("description", "负责公司业务系统的开发和维护工作。".into()),
                ("occupation_group", "3".into()),
                ("occupation_code", code.into()),
                ("level", level.into()),
                ("industry_section", "C".into()),
                ("industry_code", "6513".into()),
                ("leading_industry", "cyber_security_big_data".into()),
                ("positions", "2".into()),
                ("education", "bachelor".into()),
                ("experience", "fresh".into()),
                ("salary_min", "8000".into()),
                ("salary_max", "12000".into()),
                ("street_code", "jinghe".into()),
                ("contact_name", "李女士".into()),
                ("contact_phone", "13900001111".into()),
                ("valid_from", "2025-10-10".into()),
                ("valid_until", "2025-12-31".into()),
                ("raised_by", "jinghe".into()),
                ("action", "save".into()),
            ]
        };
        let (status, _, page) = post(&jinghe, &app, "/posts", &form("2-77", "boss")).await;
        assert_eq!(status, 422, "{page}");
        assert!(page.contains("<strong>职业代码</strong>"), "{page}");
        assert!(page.contains("<strong>岗位层次</strong>"), "{page}");
        let (status, location, page) =
            post(&jinghe, &app, "/posts", &form("2-02-10-03", "advanced")).await;
        assert_eq!((status, location.as_str()), (303, "/posts"), "{page}");
        let staff = store
            .user_by_name("jinghe01")
            .await
            .unwrap()
            .unwrap()
            .actor();
        let mine = store
            .job_posts(&staff, linkong_store::jobs::PostList::Mine)
            .await
            .unwrap();
        let saved = mine.iter().find(|p| p.title == "软件工程师").unwrap();
        assert_eq!(saved.occupation_group.code(), "2");
        assert_eq!(saved.industry_section, "I");
        assert!(saved.emerging, "software (6513) is derived emerging");
    }
}
