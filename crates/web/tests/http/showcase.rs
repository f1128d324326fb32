//! The selection round (2.5.2) and the showcase cases (2.5.3) over HTTP, on each backend: a
//! street recommends its returnee business's project, 区人社局 shortlists, sends it up and
//! records the outcome; a street recommends a founder's case with photos and consent, 区人社局
//! collects it and 区委宣传部 publishes it on the portal, where the public finds it (and only
//! it) on `/stories` and `/api/v1/stories`. Both figures show on the progress API and drill
//! down to the rows; the founder's and the business's pages show both. Bad input comes back
//! with the field named and nothing written; another street's staff reach none of it.

use crate::common;

use common::{App, get, logged_in, post, spawn_apps};
use linkong_core::access::{Role, Roster};
use linkong_core::businesses::BusinessDraft;
use linkong_core::people::{MigrantDraft, PersonDraft, validate_migrant};
use linkong_core::plan::Plan;
use linkong_store::people::{ImportRow, RowData};
use linkong_testkit::{PLAN_FILE, TestClock, date, import_rows, resident_id_for, uscc_for};
use serde_json::Value;

/// Posts the case form with its photos as `(name, bytes)`.
async fn post_case(
    client: &reqwest::Client,
    app: &App,
    fields: &[(&'static str, String)],
    photos: Vec<(&str, Vec<u8>)>,
) -> (u16, String, String) {
    let mut form = reqwest::multipart::Form::new().text("csrf", app.csrf(client).await);
    for (name, value) in fields {
        form = form.text(*name, value.clone());
    }
    for (name, bytes) in photos {
        form = form.part(
            "photos",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
    }
    let response = client
        .post(app.url("/staff/showcase"))
        .header("Origin", &app.base)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, response.text().await.unwrap())
}

/// Residents 1 (径河) and 2 (长青) with a business each, registered by their street: the
/// businesses' ids and the first founder's person id.
async fn seed(app: &App) -> ((i64, i64), (i64, i64)) {
    let (store, plan) = (&app.db.store, Plan::parse(PLAN_FILE).unwrap());
    let rows: Vec<ImportRow> = [(1, "径河"), (2, "长青")]
        .into_iter()
        .map(|(n, street)| {
            let draft = MigrantDraft {
                person: PersonDraft {
                    name: format!("返乡能人{n}"),
                    id_number: resident_id_for(n),
                    street: street.into(),
                    ..Default::default()
                },
                province: "浙江".into(),
                city: "杭州".into(),
                section: "F".into(),
                years_away: "5".into(),
                intention: "返区创业".into(),
                business_field: "民宿文旅".into(),
                contact_consent: "是".into(),
                surveyed_on: "2025-02-01".into(),
                ..Default::default()
            };
            let data = validate_migrant(&plan, &draft, date(2025, 6, 1)).unwrap();
            ImportRow {
                row: n + 1,
                sealed: None,
                data: RowData::Migrant(data),
            }
        })
        .collect();
    import_rows(store, "rsj", Roster::Migrants, rows, true)
        .await
        .unwrap()
        .unwrap();
    let mut made = Vec::new();
    for (n, street) in [(1, "jinghe"), (2, "changqing")] {
        let actor = linkong_testkit::account(
            store,
            &format!("{street}_seed"),
            Role::UnitStaff,
            Some(street),
        )
        .await;
        let draft = BusinessDraft {
            name: format!("江畔休闲民宿{n}号"),
            uscc: uscc_for(n),
            licensed_on: "2025-03-01".into(),
            legal_form: "individual_business".into(),
            section: "H".into(),
            forms: vec!["homestay".into(), "rural_tourism".into()],
            street: street.into(),
            site: "慈惠沿江小镇".into(),
            founders: resident_id_for(n),
            keep_founders: false,
        };
        let id = store
            .save_business(&plan, &actor, None, &draft, "")
            .await
            .unwrap();
        let founder = store
            .business(&plan, &actor, id, "")
            .await
            .unwrap()
            .business
            .founders[0]
            .person_id;
        made.push((id, founder));
    }
    (made[0], made[1])
}

/// `unit`'s 2025 figure on `indicator`, as the progress API gives it.
async fn figure(client: &reqwest::Client, app: &App, indicator: &str, unit: &str) -> Value {
    let progress: Value = client
        .get(app.url("/api/v1/progress?year=2025"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let found = progress["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["indicator_code"] == indicator)
        .unwrap()
        .clone();
    found["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_code"] == unit)
        .unwrap()["figure"]["actual"]
        .clone()
}

fn id_after(location: &str, prefix: &str) -> String {
    location
        .trim_start_matches(prefix)
        .trim_end_matches("?saved=1")
        .to_owned()
}

#[tokio::test]
async fn a_street_recommends_a_project_and_the_lead_sends_it_up_and_records_the_outcome() {
    for app in spawn_apps(&TestClock::at(2025, 6, 10, 2)).await {
        let ((jinghe_business, founder), (changqing_business, _)) = seed(&app).await;
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let changqing = logged_in(&app, "changqing01", Role::UnitStaff, Some("changqing")).await;
        let rsj = logged_in(&app, "rsj01", Role::UnitStaff, Some("rsj")).await;

        // The form lists only the street's own businesses; bad input is named, nothing written.
        let (status, form) = get(&jinghe, &app, "/staff/selection/new").await;
        assert_eq!(status, 200);
        assert!(
            form.contains("江畔休闲民宿1号") && !form.contains("江畔休闲民宿2号"),
            "{form}"
        );
        let jb = jinghe_business.to_string();
        let (status, _, page) = post(
            &jinghe,
            &app,
            "/staff/selection",
            &[("business", jb.as_str()), ("title", ""), ("reason", "")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            page.contains("<strong>项目名称</strong>：不能为空"),
            "{page}"
        );
        let cb = changqing_business.to_string();
        let entry = [
            ("business", cb.as_str()),
            ("title", "借用"),
            ("reason", "理由"),
        ];
        let (status, _, _) = post(&jinghe, &app, "/staff/selection", &entry).await;
        assert_eq!(status, 403, "another street's business");
        assert_eq!(
            figure(&rsj, &app, "2.5.2.selected_projects", "jinghe").await,
            0
        );

        let entry = [
            ("business", jb.as_str()),
            ("title", "江畔休闲民宿"),
            ("reason", "带动村民就业 6 人。"),
        ];
        let (status, location, _) = post(&jinghe, &app, "/staff/selection", &entry).await;
        assert_eq!(status, 303);
        let id = id_after(&location, "/staff/selection/");
        assert_eq!(
            figure(&rsj, &app, "2.5.2.selected_projects", "jinghe").await,
            1
        );
        let (_, sources) = get(
            &jinghe,
            &app,
            "/indicators/2.5.2.selected_projects/sources?unit=jinghe&year=2025",
        )
        .await;
        assert!(
            sources.contains(&format!("/staff/selection/{id}")),
            "{sources}"
        );

        // 长青's staff reach neither the entry nor 径河's rows.
        let (status, _) = get(&changqing, &app, &format!("/staff/selection/{id}")).await;
        assert_eq!(status, 403);
        let (_, list) = get(&changqing, &app, "/staff/selection").await;
        assert!(!list.contains("江畔休闲民宿1号"), "{list}");

        // An outcome before it was sent up is refused; shortlisted, sent up, then selected.
        let path = format!("/staff/selection/{id}/move");
        let (status, _, _) = post(&rsj, &app, &path, &[("action", "selected"), ("note", "")]).await;
        assert_eq!(status, 409);
        post(&rsj, &app, &path, &[("action", "shortlist")]).await;
        let send = [
            ("year", "2025"),
            ("route", "other"),
            ("sent_on", "2025-06-30"),
        ];
        let (status, _, page) = post(&rsj, &app, "/staff/selection/send", &send).await;
        assert_eq!(status, 422);
        assert!(
            page.contains("<strong>报送日期</strong>：2025-06-30 晚于今天"),
            "{page}"
        );
        let send = [
            ("year", "2025"),
            ("route", "other"),
            ("sent_on", "2025-06-10"),
        ];
        let (status, location, _) = post(&rsj, &app, "/staff/selection/send", &send).await;
        assert_eq!(
            (status, location.contains("sent=1")),
            (303, true),
            "{location}"
        );
        let (status, _, _) = post(
            &rsj,
            &app,
            &path,
            &[("action", "selected"), ("note", "入选市级优秀项目")],
        )
        .await;
        assert_eq!(status, 303);
        let (_, detail) = get(&jinghe, &app, &format!("/staff/selection/{id}")).await;
        assert!(
            detail.contains("入选（2025-06-10）") && detail.contains("入选市级优秀项目"),
            "{detail}"
        );

        // The founder's page and the business's page show the entry.
        let (_, person) = get(&jinghe, &app, &format!("/people/migrants/{founder}")).await;
        assert!(
            person.contains(&format!("/staff/selection/{id}")),
            "{person}"
        );
        let (_, business) = get(
            &jinghe,
            &app,
            &format!("/staff/businesses/{jinghe_business}"),
        )
        .await;
        assert!(
            business.contains("江畔休闲民宿</a> · 2025 年 · 入选"),
            "{business}"
        );
    }
}

#[tokio::test]
async fn a_consented_case_with_photos_goes_onto_the_portal_and_nothing_else_does() {
    for app in spawn_apps(&TestClock::at(2025, 6, 10, 2)).await {
        let ((jinghe_business, founder), (changqing_business, other)) = seed(&app).await;
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let changqing = logged_in(&app, "changqing01", Role::UnitStaff, Some("changqing")).await;
        let rsj = logged_in(&app, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let xcb = logged_in(&app, "xcb01", Role::UnitStaff, Some("xcb")).await;
        let public = app.client();
        let pick = format!("{jinghe_business}:{founder}");
        let case = |scopes: &'static [&'static str]| {
            let mut fields = vec![
                ("pick", pick.clone()),
                ("title", "从杭州回到径河，把老屋改成了民宿".to_owned()),
                (
                    "story",
                    "她在杭州做了五年民宿管家。\n回乡后改造老屋，带动村里 6 人就业。".to_owned(),
                ),
                ("consent_by", "返乡能人1".to_owned()),
                ("consent_on", "2025-06-01".to_owned()),
            ];
            fields.extend(scopes.iter().map(|s| ("consent_scope", s.to_string())));
            fields
        };
        // Without consent, with a photo that is not an image, for another street: refused.
        let mut unconsented = case(&[]);
        unconsented.retain(|(k, _)| !k.starts_with("consent"));
        let (status, _, page) = post_case(&jinghe, &app, &unconsented, Vec::new()).await;
        assert_eq!(status, 422);
        assert!(
            page.contains("<strong>本人同意</strong>：未登记本人同意"),
            "{page}"
        );
        let (status, _, page) = post_case(
            &jinghe,
            &app,
            &case(&["portal"]),
            vec![("照片.png", b"%PDF-1.4\n%%EOF\n".to_vec())],
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            page.contains("<strong>照片</strong>：第1张：只接受 JPEG 或 PNG 格式的图片"),
            "{page}"
        );
        let mut theirs = case(&["portal"]);
        theirs[0].1 = format!("{changqing_business}:{other}");
        let (status, _, _) = post_case(&jinghe, &app, &theirs, Vec::new()).await;
        assert_eq!(status, 403);
        assert_eq!(
            figure(&rsj, &app, "2.5.3.showcase_cases", "jinghe").await,
            0
        );

        let photo = linkong_demo::photo_png(1);
        let (status, location, _) = post_case(
            &jinghe,
            &app,
            &case(&["portal", "media"]),
            vec![("民宿.png", photo.clone())],
        )
        .await;
        assert_eq!(status, 303);
        let id = id_after(&location, "/staff/showcase/");
        assert_eq!(
            figure(&rsj, &app, "2.5.3.showcase_cases", "jinghe").await,
            1
        );
        let (_, sources) = get(
            &jinghe,
            &app,
            "/indicators/2.5.3.showcase_cases/sources?unit=jinghe&year=2025",
        )
        .await;
        assert!(
            sources.contains(&format!("/staff/showcase/{id}")),
            "{sources}"
        );
        let (status, _) = get(&changqing, &app, &format!("/staff/showcase/{id}")).await;
        assert_eq!(status, 403);

        // Unpublished: not on the portal. 区人社局 may not publish; 区委宣传部 does.
        let (status, _) = get(&public, &app, &format!("/stories/{id}")).await;
        assert_eq!(status, 404);
        let publish = format!("/staff/showcase/{id}/publish");
        let (status, _, _) = post(&rsj, &app, &publish, &[("action", "publish")]).await;
        assert_eq!(status, 403);
        post(
            &rsj,
            &app,
            &format!("/staff/showcase/{id}/move"),
            &[("action", "collect")],
        )
        .await;
        let (status, _, _) = post(&xcb, &app, &publish, &[("action", "publish")]).await;
        assert_eq!(status, 303);

        let (status, list) = get(&public, &app, "/stories").await;
        assert_eq!(status, 200);
        assert!(
            list.contains("从杭州回到径河，把老屋改成了民宿") && list.contains("休闲民宿"),
            "{list}"
        );
        let (status, story) = get(&public, &app, &format!("/stories/{id}")).await;
        assert_eq!(status, 200);
        assert!(
            story.contains(&format!("/stories/{id}/photos/1")) && story.contains("径河"),
            "{story}"
        );
        let image = public
            .get(app.url(&format!("/stories/{id}/photos/1")))
            .send()
            .await
            .unwrap();
        assert_eq!(image.headers()["content-type"], "image/png");
        assert_eq!(image.bytes().await.unwrap().to_vec(), photo);
        let api: Value = public
            .get(app.url("/api/v1/stories"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(api["total"], 1);
        assert_eq!(api["stories"][0]["founder"], "返乡能人1");
        assert!(
            api["stories"][0].get("consent").is_none(),
            "no consent record in public"
        );

        let (_, person) = get(&jinghe, &app, &format!("/people/migrants/{founder}")).await;
        assert!(
            person.contains(&format!("/staff/showcase/{id}")) && person.contains("已在门户发布"),
            "{person}"
        );
        let (_, home) = get(&public, &app, "/").await;
        assert!(
            home.contains("href=\"/stories\""),
            "the portal links the stories"
        );
    }
}
