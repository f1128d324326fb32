//! The task force's steering over HTTP, on both backends: the dashboard's lag flag opens a
//! filled supervision form; an item without a time limit is refused (422, field named, nothing
//! written); the street answers with a PDF, another street cannot see it; the task force closes
//! it; a meeting decision without an owner is refused; the minutes list the item and freeze the
//! quarter's figures; a publicity item with a bad link is refused.

use crate::common;

use common::{App, get, logged_in, post, spawn_apps};
use linkong_core::access::Role;
use linkong_core::record::RecordDraft;
use linkong_testkit::TestClock;

/// 径河 records 1 of its 35 人次 on 2.2.1 (seriously lagging by mid-October).
async fn lagging_street(app: &App) {
    let jinghe =
        linkong_testkit::account(&app.db.store, "jinghe-rec", Role::UnitStaff, Some("jinghe"))
            .await;
    let draft = RecordDraft {
        indicator_code: "2.2.1.guidance".into(),
        unit_code: "jinghe".into(),
        value: "1".into(),
        occurred_on: "2025-03-10".into(),
        description: "创业沙龙".into(),
    };
    app.db
        .store
        .add_record(&jinghe, &linkong_testkit::plan(), &draft, None, None, "")
        .await
        .unwrap();
}

fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html.find(from).unwrap_or_else(|| panic!("no {from}"));
    let rest = &html[start..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

#[tokio::test]
async fn a_lag_flag_becomes_a_supervision_item_answered_closed_and_listed_in_the_minutes() {
    for app in spawn_apps(&TestClock::at(2025, 10, 15, 2)).await {
        app.db.clock.set(TestClock::at(2025, 10, 15, 2).now());
        lagging_street(&app).await;
        let task_force = logged_in(&app, "zhuanban", Role::TaskForce, None).await;
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let changqing = logged_in(&app, "changqing01", Role::UnitStaff, Some("changqing")).await;

        // The lag flag of 径河 on 2.2.1 links to a filled form.
        let (status, dashboard) = get(&task_force, &app, "/dashboard?year=2025").await;
        assert_eq!(status, 200);
        let lagging = between(&dashboard, "id=\"lagging\"", "</section>");
        let row = between(lagging, "2.2.1.guidance", "</tr>");
        assert!(
            row.contains("径河街道") && row.contains("严重滞后"),
            "{row}"
        );
        let link =
            between(row, "/staff/steering/supervision/new?unit=jinghe", "\"").replace("&#38;", "&");
        let (status, form) = get(&task_force, &app, &link).await;
        assert_eq!(status, 200);
        assert!(
            form.contains("2.2.1.guidance 为返区人员提供创业指导：2025 年完成率 2.9%"),
            "{form}"
        );
        // A street cannot open the form.
        assert_eq!(get(&jinghe, &app, &link).await.0, 403);

        let mut fields = vec![
            ("unit", "jinghe"),
            ("indicator", "2.2.1.guidance"),
            ("problem", "创业指导人次严重滞后"),
            ("action", "十个工作日内组织宣讲并反馈"),
            ("working_days", ""),
        ];
        let (status, _, page) =
            post(&task_force, &app, "/staff/steering/supervision", &fields).await;
        assert_eq!(status, 422);
        assert!(
            page.contains("<strong>办理时限</strong>：请填写办理时限（工作日）"),
            "{page}"
        );
        let (_, overview) = get(&task_force, &app, "/staff/steering").await;
        assert!(overview.contains("暂无督办事项"), "nothing written");

        fields[4] = ("working_days", "10");
        let (status, location, _) =
            post(&task_force, &app, "/staff/steering/supervision", &fields).await;
        assert_eq!(status, 303);
        let (_, item) = get(&jinghe, &app, &location).await;
        assert!(item.contains("2025-10-29（10 个工作日）"), "{item}");
        assert!(item.contains("反馈办理情况"));
        assert_eq!(get(&changqing, &app, &location).await.0, 403);
        // The dashboard now shows the flag as supervised, and the street's page the open item.
        let (_, dashboard) = get(&task_force, &app, "/dashboard?year=2025").await;
        assert!(dashboard.contains("已督办 #"), "{dashboard}");
        let (_, unit) = get(&jinghe, &app, "/units/jinghe?year=2025").await;
        assert!(unit.contains("督办事项（未办结 1 项）"), "{unit}");

        // The street answers with a PDF.
        let csrf = app.csrf(&jinghe).await;
        let pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".to_vec();
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .text("response", "10 月 22 日已组织创业宣讲，35 人次参加。")
            .part(
                "evidence",
                reqwest::multipart::Part::bytes(pdf.clone()).file_name("签到表.pdf"),
            );
        let response = jinghe
            .post(app.url(&format!("{location}/answer")))
            .header("Origin", &app.base)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 303);
        let evidence = task_force
            .get(app.url(&format!("{location}/evidence")))
            .send()
            .await
            .unwrap();
        assert_eq!(evidence.bytes().await.unwrap().to_vec(), pdf);

        let decide = format!("{location}/decide");
        let (status, _, _) = post(
            &task_force,
            &app,
            &decide,
            &[("verdict", "close"), ("note", "已整改，同意办结。")],
        )
        .await;
        assert_eq!(status, 303);
        let (_, item) = get(&task_force, &app, &location).await;
        assert!(item.contains("已办结"), "{item}");

        // A second item, due the next working day, is left unanswered.
        let (_, overdue_at, _) = post(
            &task_force,
            &app,
            "/staff/steering/supervision",
            &[
                ("unit", "changqing"),
                ("indicator", ""),
                ("problem", "未按时报送三季度工作报告"),
                ("action", "补报并说明原因"),
                ("working_days", "1"),
            ],
        )
        .await;

        // A decision without an owner is refused; then the minutes are recorded.
        app.db.clock.set(TestClock::at(2025, 10, 21, 2).now());
        // Sessions idle across the jump have expired: sign in again.
        let task_force = logged_in(&app, "zhuanban2", Role::TaskForce, None).await;
        let jinghe = logged_in(&app, "jinghe02", Role::UnitStaff, Some("jinghe")).await;
        let mut meeting = vec![
            ("held_on", "2025-10-20"),
            ("quarter", "2025Q3"),
            ("chair", "分管副区长"),
            ("attendee", "rsj"),
            ("attendee", "jinghe"),
            ("minutes", "通报三季度进展。"),
            ("decision_text_1", "径河街道补办创业宣讲"),
            ("decision_owner_1", ""),
            ("decision_due_1", "2025-10-31"),
        ];
        let (status, _, page) = post(&task_force, &app, "/staff/steering/meetings", &meeting).await;
        assert_eq!(status, 422);
        assert!(
            page.contains("<strong>责任单位</strong>：第 1 项：请选择责任单位"),
            "{page}"
        );
        meeting[7] = ("decision_owner_1", "jinghe");
        let (status, minutes_at, _) =
            post(&task_force, &app, "/staff/steering/meetings", &meeting).await;
        assert_eq!(status, 303);
        let (_, minutes) = get(&jinghe, &app, &minutes_at).await;
        assert!(minutes.contains("2025年第三季度"), "{minutes}");
        assert!(
            minutes.contains("径河街道补办创业宣讲（责任单位：径河街道；完成时限：2025-10-31）")
        );
        let listed = between(&minutes, "督办事项（会议召开时）", "</section>");
        assert!(
            listed.contains("径河街道") && listed.contains("已办结"),
            "{listed}"
        );
        let figures = between(&minutes, "已冻结", "</section>");
        assert!(figures.contains("1.1.1.positions"), "{figures}");

        // The decision is open on 径河's page; 径河 records its follow-up (an empty one is
        // refused naming the field), and the minutes and the API show it carried out.
        let (_, unit_page) = get(&jinghe, &app, "/units/jinghe").await;
        assert!(
            unit_page.contains("联席会议议定事项（未落实 1 项）"),
            "{unit_page}"
        );
        let done_at = format!(
            "{}/done",
            between(&minutes, "/staff/steering/decisions/", "/done")
        );
        let (status, _, page) = post(
            &jinghe,
            &app,
            &done_at,
            &[("note", " "), ("done_on", "2025-10-21")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            page.contains("<strong>落实情况</strong>：不能为空"),
            "{page}"
        );
        let (status, back, _) = post(
            &jinghe,
            &app,
            &done_at,
            &[("note", "已补办创业宣讲一场"), ("done_on", "2025-10-21")],
        )
        .await;
        assert_eq!(status, 303);
        assert!(back.starts_with(&minutes_at), "{back}");
        let (_, minutes) = get(&task_force, &app, &minutes_at).await;
        assert!(
            minutes.contains("已落实</span> 2025-10-21：已补办创业宣讲一场"),
            "{minutes}"
        );
        let (_, unit_page) = get(&jinghe, &app, "/units/jinghe").await;
        assert!(!unit_page.contains("联席会议议定事项"), "{unit_page}");
        let meeting_id = minutes_at.rsplit('/').next().unwrap();
        let (status, json) = get(
            &jinghe,
            &app,
            &format!("/api/v1/steering/meetings/{meeting_id}"),
        )
        .await;
        assert_eq!(status, 200);
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["decisions"][0]["done_on"], "2025-10-21");
        assert_eq!(json["items"][0]["status"], "已办结");

        // The overdue item is in the consolidated report of the quarter.
        let overdue_id = overdue_at.rsplit('/').next().unwrap();
        let (status, report) = get(&task_force, &app, "/reports/2025Q4/district").await;
        assert_eq!(status, 200);
        let overdue = between(&report, "逾期未办结的督办事项", "</table>");
        assert!(
            overdue.contains(&format!("督办 #{overdue_id}")) && overdue.contains("长青街道"),
            "{overdue}"
        );
        assert!(
            !overdue.contains("径河街道"),
            "the closed one is not overdue: {overdue}"
        );
        // … and in its workbook, on a sheet of its own with the working days it is late.
        let sheet = overdue_sheet(&task_force, &app, "/reports/2025Q4/district.xlsx").await;
        assert_eq!(sheet.len(), 3, "title, header and one item: {sheet:?}");
        let line = &sheet[2];
        assert_eq!(
            (line[0].as_str(), line[1].as_str(), line[3].as_str()),
            (
                format!("#{overdue_id}").as_str(),
                "长青街道",
                "未按时报送三季度工作报告"
            )
        );
        // Raised 2025-10-15, due the next working day; late by 2025-10-21 (the clock's day).
        assert_eq!(line[6], "2025-10-16");
        assert_eq!(line[7], "3");

        // Publicity: a link that is no web address is refused.
        let publicity = [
            ("unit", "rmtzx"),
            ("kind", "article"),
            ("title", "学子东西湖行走进网安基地"),
            ("outlet", "东西湖发布"),
            ("published_on", "2025-07-16"),
            ("link", "javascript:alert(1)"),
        ];
        let (status, _, page) =
            post(&task_force, &app, "/staff/steering/publicity", &publicity).await;
        assert_eq!(status, 422);
        assert!(page.contains("<strong>链接</strong>"), "{page}");
        let mut good = publicity;
        good[5] = ("link", "https://example.org/news/1");
        let (status, _, _) = post(&task_force, &app, "/staff/steering/publicity", &good).await;
        assert_eq!(status, 303);
        let (_, overview) = get(&task_force, &app, "/staff/steering").await;
        assert!(
            overview.contains("第3季度 <strong>1</strong> 篇"),
            "{overview}"
        );
    }
}

/// The rows of the district workbook's overdue sheet, each cell as text.
async fn overdue_sheet(client: &reqwest::Client, app: &App, path: &str) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("逾期督办事项").unwrap();
    range
        .rows()
        .map(|row| row.iter().map(|c| c.to_string()).collect())
        .collect()
}
