//! The upload of the social-insurance enrolment list (参保名单) over HTTP, on each backend:
//! 区人社局 uploads it and follows the import to its end; a wrong row writes nothing and gives
//! an error workbook; a street's staff are refused (403) the form and the upload.

use crate::common;

use common::{App, get, logged_in, spawn_apps};
use linkong_core::access::Role;
use linkong_testkit::{TestClock, resident_id_for, uscc_for};

/// A csv list of people 1..=n at employer 1; row `bad` (if any) ends before it starts.
fn list(n: usize, bad: Option<usize>) -> String {
    let mut csv = String::from(
        "姓名,公民身份号码,单位统一社会信用代码,单位名称,参保险种,参保开始年月,参保终止年月\n",
    );
    for i in 1..=n {
        let ended = if bad == Some(i) { "2024-12" } else { "" };
        csv.push_str(&format!(
            "参保人{i},{},{},临空港企业1,失业、工伤、养老,2025-01,{ended}\n",
            resident_id_for(i),
            uscc_for(1)
        ));
    }
    csv
}

/// Uploads `csv` and follows the import to its end; returns (status of the upload, token, page).
async fn upload(app: &App, client: &reqwest::Client, csv: String) -> (u16, String, String) {
    let csrf = app.csrf(client).await;
    let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
        "file",
        reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("参保名单.csv"),
    );
    let response = client
        .post(app.url("/staff/insurance/import"))
        .header("Origin", &app.base)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    if status != 303 {
        return (status, String::new(), response.text().await.unwrap());
    }
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let token = location.trim_start_matches("/imports/").to_owned();
    for _ in 0..600 {
        let page = client
            .get(app.url(&location))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if !page.contains("http-equiv=\"refresh\"") {
            return (status, token, page);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import did not finish");
}

#[tokio::test]
async fn rsj_uploads_the_list_and_a_wrong_row_writes_nothing() {
    for app in spawn_apps(&TestClock::at(2025, 12, 1, 2)).await {
        let rsj = logged_in(&app, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let (status, form) = get(&rsj, &app, "/staff/insurance").await;
        assert_eq!(status, 200);
        assert!(form.contains("<label for=\"file\">"), "{form}");
        let (status, template) = get(&rsj, &app, "/staff/insurance/template.xlsx").await;
        assert_eq!(status, 200, "{template}");

        let (_, token, page) = upload(&app, &rsj, list(3, Some(2))).await;
        assert!(page.contains("未导入"), "{page}");
        assert!(page.contains("第3行G列“参保终止年月”"), "{page}");
        let workbook = rsj
            .get(app.url(&format!("/imports/{token}/errors.xlsx")))
            .send()
            .await
            .unwrap();
        assert_eq!(workbook.status(), 200);
        assert!(
            app.db
                .store
                .enrolments_at_employers(&[uscc_for(1)])
                .await
                .unwrap()
                .is_empty()
        );

        let (_, _, page) = upload(&app, &rsj, list(3, None)).await;
        assert!(page.contains("导入完成"), "{page}");
        assert!(page.contains("新增 3 条"), "{page}");
        assert_eq!(
            app.db
                .store
                .enrolments_at_employers(&[uscc_for(1)])
                .await
                .unwrap()
                .len(),
            3
        );
        let (_, _, page) = upload(&app, &rsj, list(3, None)).await;
        assert!(page.contains("未变化 3 条"), "{page}");
    }
}

#[tokio::test]
async fn a_streets_staff_may_not_open_or_post_the_upload() {
    for app in spawn_apps(&TestClock::at(2025, 12, 1, 2)).await {
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        assert_eq!(get(&jinghe, &app, "/staff/insurance").await.0, 403);
        let (status, _, _) = upload(&app, &jinghe, list(2, None)).await;
        assert_eq!(status, 403);
        assert!(
            app.db
                .store
                .enrolments_at_employers(&[uscc_for(1)])
                .await
                .unwrap()
                .is_empty()
        );
        let recent = app.db.store.recent_audit(10).await.unwrap();
        assert!(
            recent
                .iter()
                .filter(|r| r.action == "access.denied" && r.target == "import:insurance")
                .count()
                >= 2
        );
    }
}
