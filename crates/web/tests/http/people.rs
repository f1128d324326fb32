//! The registries of people over HTTP, on each backend: import by upload with progress and an
//! error workbook; a street's staff reach only their own residents through every page, the
//! export and the API, and each attempt beyond is refused and audited; unmasking is audited.

use crate::common;

use common::{App, get, hidden, logged_in, sheet_cells, spawn_apps, upload_roster as upload};
use linkong_core::access::Role;
use linkong_testkit::{TestClock, resident_id_for};
use serde_json::Value;

/// A csv out-migrant roster: (n, street) per row; row `bad` (if any) has a wrong ID.
fn roster(people: &[(usize, &str)], bad: Option<usize>) -> String {
    let mut csv = String::from(
        "姓名,身份证号码,手机号码,户籍街道,社区（村）,文化程度,务工省份,务工城市,从事行业,职业（工种）,技能特长,外出年限,返区意向,拟创业领域,同意联系,调查日期,返区日期\n",
    );
    for (n, street) in people {
        let mut id = resident_id_for(*n);
        if bad == Some(*n) {
            let last = id.pop().unwrap();
            id.push(if last == '1' { '2' } else { '1' });
        }
        csv.push_str(&format!(
            "居民{n},{id},1390000{n:04},{street},,大专,广东,深圳,C,电工,,3,返区创业,电商,是,2025-03-01,\n"
        ));
    }
    csv
}

/// The person id of the resident named `name`, as the task force sees the list.
async fn person_id(app: &App, client: &reqwest::Client, name: &str) -> String {
    let (_, page) = get(client, app, &format!("/people/migrants?q={name}")).await;
    let marker = format!("\">{name}</a>");
    let end = page.find(&marker).expect("a link to the person");
    let start = page[..end].rfind('/').expect("a person link") + 1;
    page[start..end].to_owned()
}

/// The out-migrant export as `client` downloads it.
async fn migrants_xlsx(app: &App, client: &reqwest::Client) -> Vec<u8> {
    let export = client
        .get(app.url("/people/migrants/export.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 200);
    export.bytes().await.unwrap().to_vec()
}

/// A name a spreadsheet would take for a live link, were it a formula.
const LINK: &str = "=HYPERLINK(\"http://x.example\",\"点此\")";

#[tokio::test]
async fn a_survey_sheet_as_streets_fill_it_imports_and_a_formula_in_a_name_exports_inert() {
    use calamine::{Data, Reader, Xlsx};
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let staff = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        // Common spellings, a sum row and the signatures under the data.
        let mut csv = roster(&[], None);
        let (id1, id2, id3) = (resident_id_for(1), resident_id_for(2), resident_id_for(3));
        let quoted = format!("\"{}\"", LINK.replace('"', "\"\""));
        csv.push_str(&format!(
            "{quoted},{id1},,径河,,初中毕业,广东,深圳,C,电工,,3,观望,,√,2025-03-01,\n\
             居民2,{id2},,径河,,大学本科,广东,深圳,C,电工,,3,有意向返乡创业,电商,同意,2025-03-01,\n\
             居民3,{id3},,径河,,中专,广东,深圳,C,电工,,3,无,,否,2025-03-01,\n\
             合计,,,,,,,,,,,9,,,,,\n\
             填表人：张三,,,审核人：李四,,,,,,,,,,,,,\n"
        ));
        let (_, page) = upload(&app, &staff, "/people/migrants", csv).await;
        assert!(
            page.contains("导入完成") && page.contains("新增 3 人"),
            "{page}"
        );
        assert!(page.contains("跳过第 5 行（合计行）"), "{page}");
        assert!(page.contains("跳过第 6 行（填表人行）"), "{page}");

        // The export shows the name as text: a string cell, no formula anywhere.
        let bytes = migrants_xlsx(&app, &staff).await;
        let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = workbook.sheet_names()[0].clone();
        let cells = workbook.worksheet_range(&sheet).unwrap();
        assert!(
            cells
                .rows()
                .any(|row| row.first() == Some(&Data::String(LINK.to_owned()))),
            "{:?}",
            cells.rows().map(|r| r[0].to_string()).collect::<Vec<_>>()
        );
        let formulas = workbook.worksheet_formula(&sheet).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{formulas:?}"
        );
        let (_, list) = get(&staff, &app, "/people/migrants?intention=undecided").await;
        assert!(list.contains("共 <strong>1</strong> 人"), "{list}");
    }
}

#[tokio::test]
async fn an_upload_with_bad_rows_writes_nothing_and_returns_an_error_workbook() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let staff = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (token, page) = upload(
            &app,
            &staff,
            "/people/migrants",
            roster(&[(1, "径河"), (2, "径河"), (3, "径河")], Some(2)),
        )
        .await;
        assert!(page.contains("未导入"), "{page}");
        assert!(page.contains("第3行B列“身份证号码”"), "{page}");
        let workbook = staff
            .get(app.url(&format!("/imports/{token}/errors.xlsx")))
            .send()
            .await
            .unwrap();
        assert_eq!(workbook.status(), 200);
        assert!(workbook.bytes().await.unwrap().starts_with(b"PK"));
        // Someone else cannot see this import or its workbook.
        let other = logged_in(&app, "jinghe02", Role::UnitStaff, Some("jinghe")).await;
        assert_eq!(get(&other, &app, &format!("/imports/{token}")).await.0, 404);
        assert_eq!(
            get(&other, &app, &format!("/imports/{token}/errors.xlsx"))
                .await
                .0,
            404
        );
        let (_, list) = get(&staff, &app, "/people/migrants").await;
        assert!(list.contains("共 <strong>0</strong> 人"), "nothing written");

        let (_, page) = upload(
            &app,
            &staff,
            "/people/migrants",
            roster(&[(1, "径河"), (2, "径河"), (3, "径河")], None),
        )
        .await;
        assert!(page.contains("导入完成"), "{page}");
        assert!(page.contains("新增 3 人"), "{page}");
        // A street cannot import another street's residents.
        let (_, page) = upload(
            &app,
            &staff,
            "/people/migrants",
            roster(&[(4, "长青")], None),
        )
        .await;
        assert!(
            page.contains("本次以径河街道导入，该行为长青街道户籍"),
            "{page}"
        );
        // A department outside the tasks cannot import at all.
        let swj = logged_in(&app, "swj01", Role::UnitStaff, Some("swj")).await;
        assert_eq!(get(&swj, &app, "/people/migrants/import").await.0, 403);
    }
}

/// GETs `path` from the server at `base` (a restarted or second server): status and body.
async fn get_at(client: &reqwest::Client, base: &str, path: &str) -> (u16, String) {
    let response = client.get(format!("{base}{path}")).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// The id of the account `username`.
async fn user_id(app: &App, username: &str) -> i64 {
    app.db
        .store
        .user_by_name(username)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Starts an import run as the server `server` of `store` does, and writes it out.
async fn run_started(
    store: &linkong_store::Store,
    token: &str,
    owner_id: i64,
    kind: linkong_core::imports::ImportKind,
    server: &str,
) {
    store.begin_import_run(linkong_store::import_runs::NewImportRun {
        token,
        owner_id,
        kind,
        file_name: "名册.csv",
        server,
    });
    store.write_import_run(token).await.unwrap();
}

#[tokio::test]
async fn an_imports_result_and_error_workbook_survive_a_restart_and_stay_the_owners() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let staff = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (refused, _) = upload(
            &app,
            &staff,
            "/people/migrants",
            roster(&[(1, "径河"), (2, "径河")], Some(2)),
        )
        .await;
        let (done, _) = upload(
            &app,
            &staff,
            "/people/migrants",
            roster(&[(1, "径河"), (2, "径河"), (3, "径河")], None),
        )
        .await;

        // A new server on the same database (a restart, or the server next to it) knows both.
        let again = app.serve_again().await;
        let (status, page) = get_at(&staff, &again, &format!("/imports/{done}")).await;
        assert_eq!(status, 200, "{page}");
        assert!(
            page.contains("导入完成") && page.contains("新增 3 人"),
            "{page}"
        );
        assert!(!page.contains("http-equiv=\"refresh\""), "{page}");
        let (_, page) = get_at(&staff, &again, &format!("/imports/{refused}")).await;
        assert!(page.contains("未导入"), "{page}");
        assert!(page.contains("第3行B列“身份证号码”"), "{page}");
        let workbook = staff
            .get(format!("{again}/imports/{refused}/errors.xlsx"))
            .send()
            .await
            .unwrap();
        assert_eq!(workbook.status(), 200);
        assert!(workbook.bytes().await.unwrap().starts_with(b"PK"));

        // Nobody else sees them, there or here.
        let other = logged_in(&app, "jinghe02", Role::UnitStaff, Some("jinghe")).await;
        for base in [app.base.as_str(), again.as_str()] {
            for path in [
                format!("/imports/{done}"),
                format!("/imports/{refused}"),
                format!("/imports/{refused}/errors.xlsx"),
            ] {
                assert_eq!(get_at(&other, base, &path).await.0, 404, "{base}{path}");
            }
        }
    }
}

#[tokio::test]
async fn an_import_whose_server_stopped_shows_interrupted_and_that_nothing_was_written() {
    use linkong_core::imports::{INTERRUPTED, ImportKind};
    use linkong_store::import_runs::RunProgress;
    let clock = TestClock::at(2025, 10, 10, 2);
    for app in spawn_apps(&clock).await {
        let staff = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let owner = user_id(&app, "jinghe01").await;
        // Another server starts an import, beats once with its progress, and is killed.
        let gone = app.db.another_server().await;
        run_started(
            &gone,
            "stoppedrun0001",
            owner,
            ImportKind::Migrants,
            "node-b:8080",
        )
        .await;
        gone.note_import_progress(
            "stoppedrun0001",
            RunProgress {
                rows: 20_000,
                fraction: 0.4,
            },
        );
        gone.write_import_run("stoppedrun0001").await.unwrap();
        drop(gone);

        let (_, page) = get(&staff, &app, "/imports/stoppedrun0001").await;
        assert!(page.contains("已处理 20000 行"), "{page}");
        assert!(
            page.contains("http-equiv=\"refresh\""),
            "still running: {page}"
        );

        // Thirty seconds without a heartbeat: the server is gone, and so is the import.
        clock.advance(chrono::Duration::seconds(31));
        let (status, page) = get(&staff, &app, "/imports/stoppedrun0001").await;
        assert_eq!(status, 200);
        assert!(page.contains("中断"), "{page}");
        assert!(page.contains(INTERRUPTED), "{page}");
        assert!(
            page.contains("/people/migrants/import"),
            "import again: {page}"
        );
        assert!(!page.contains("http-equiv=\"refresh\""), "{page}");
        let other = logged_in(&app, "jinghe02", Role::UnitStaff, Some("jinghe")).await;
        assert_eq!(get(&other, &app, "/imports/stoppedrun0001").await.0, 404);
        let (_, list) = get(&staff, &app, "/people/migrants").await;
        assert!(list.contains("共 <strong>0</strong> 人"), "nothing written");
    }
}

#[tokio::test]
async fn a_server_starting_on_the_address_of_a_stopped_one_marks_its_imports_interrupted_at_once() {
    use linkong_core::imports::{ImportKind, Standing};
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        app.user(
            "jinghe01",
            Role::UnitStaff,
            Some("jinghe"),
            common::STAFF_PASSWORD,
            false,
        )
        .await;
        let owner = user_id(&app, "jinghe01").await;
        let store = app.db.another_server().await;
        for (token, server) in [("mine", "node-a:8080"), ("theirs", "node-b:8080")] {
            run_started(&store, token, owner, ImportKind::Graduates, server).await;
        }
        let restarted = app.db.another_server().await;
        assert_eq!(
            restarted
                .interrupt_import_runs("node-a:8080")
                .await
                .unwrap(),
            vec!["mine".to_owned()]
        );
        let standing = |token| {
            let restarted = restarted.clone();
            async move {
                restarted
                    .import_run(owner, token)
                    .await
                    .unwrap()
                    .unwrap()
                    .standing
            }
        };
        assert_eq!(standing("mine").await, Standing::Interrupted);
        assert_eq!(standing("theirs").await, Standing::Queued);
        assert_eq!(restarted.import_run(owner + 1, "mine").await.unwrap(), None);
    }
}

#[tokio::test]
async fn a_street_reaches_only_its_residents_through_pages_export_and_api() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let rsj = logged_in(&app, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let (_, page) = upload(
            &app,
            &rsj,
            "/people/migrants",
            roster(&[(1, "径河"), (2, "径河"), (3, "长青")], None),
        )
        .await;
        assert!(page.contains("新增 3 人"), "{page}");
        let theirs = person_id(&app, &rsj, "居民3").await;
        let staff = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;

        // List and count: own residents only, numbers masked.
        let (status, list) = get(&staff, &app, "/people/migrants").await;
        assert_eq!(status, 200);
        assert!(list.contains("共 <strong>2</strong> 人"), "{list}");
        assert!(list.contains("居民1") && !list.contains("居民3"));
        assert!(!list.contains(&resident_id_for(1)), "IDs are masked");
        assert!(list.contains(&format!("{}********", &resident_id_for(1)[..6])));
        // Another street by filter, by page, by whole ID: refused or found empty.
        assert_eq!(
            get(&staff, &app, "/people/migrants?street=changqing")
                .await
                .0,
            403
        );
        assert_eq!(
            get(&staff, &app, &format!("/people/migrants/{theirs}"))
                .await
                .0,
            403
        );
        let (_, found) = get(
            &staff,
            &app,
            &format!("/people/migrants?q={}", resident_id_for(3)),
        )
        .await;
        assert!(found.contains("共 <strong>0</strong> 人"), "{found}");
        // Export: own residents, masked; another street or whole numbers refused.
        let bytes = migrants_xlsx(&app, &staff).await;
        let text = sheet_cells(&bytes, "\n");
        assert!(text.contains("居民1") && text.contains("居民2") && !text.contains("居民3"));
        assert!(!text.contains(&resident_id_for(1)), "export masked");
        assert_eq!(
            get(
                &staff,
                &app,
                "/people/migrants/export.xlsx?street=changqing"
            )
            .await
            .0,
            403
        );
        assert_eq!(
            get(&staff, &app, "/people/migrants/export.xlsx?unmasked=1")
                .await
                .0,
            403
        );
        // The API, with the street's token.
        let token = app
            .db
            .store
            .create_token(
                "jinghe01",
                "街道系统",
                linkong_core::access::TokenScopes::of(&[
                    linkong_core::access::TokenScope::Registries,
                ]),
            )
            .await
            .unwrap();
        let api = reqwest::Client::new();
        let body: Value = api
            .get(app.url("/api/v1/people/migrants"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(body["total"], 2, "{body}");
        assert!(
            body["people"][0]["id_masked"]
                .as_str()
                .unwrap()
                .contains("****")
        );
        assert!(body["people"][0].get("id_number_enc").is_none());
        let refused = api
            .get(app.url("/api/v1/people/migrants?street=changqing"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);
        // A department outside the tasks sees no one.
        let swj = logged_in(&app, "swj01", Role::UnitStaff, Some("swj")).await;
        assert_eq!(get(&swj, &app, "/people/migrants").await.0, 403);

        let audit = app.db.store.recent_audit(100).await.unwrap();
        let denied: Vec<&str> = audit
            .iter()
            .filter(|a| a.action == "access.denied" && a.actor == "jinghe01")
            .map(|a| a.target.as_str())
            .collect();
        for target in [
            "street:changqing".to_owned(),
            format!("person:{theirs}"),
            "person:lookup".to_owned(),
            "export:migrants".to_owned(),
        ] {
            assert!(denied.contains(&target.as_str()), "{target} in {denied:?}");
        }
        assert!(
            audit
                .iter()
                .any(|a| a.action == "person.export" && a.actor == "jinghe01")
        );
    }
}

#[tokio::test]
async fn whole_numbers_are_shown_only_to_those_allowed_and_each_time_audited() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let staff = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        upload(
            &app,
            &staff,
            "/people/migrants",
            roster(&[(5, "径河")], None),
        )
        .await;
        let id = person_id(&app, &staff, "居民5").await;
        let (_, page) = get(&staff, &app, &format!("/people/migrants/{id}")).await;
        assert!(
            !page.contains("显示完整号码"),
            "no button without the permission"
        );
        let csrf = hidden(&page, "csrf");
        let unmask = |client: &reqwest::Client, csrf: String| {
            client
                .post(app.url(&format!("/people/migrants/{id}/unmask")))
                .header("Origin", &app.base)
                .form(&[("csrf", csrf)])
                .send()
        };
        assert_eq!(unmask(&staff, csrf.clone()).await.unwrap().status(), 403);
        common::grant_unmask(&app, "jinghe01").await;
        let (_, page) = get(&staff, &app, &format!("/people/migrants/{id}")).await;
        assert!(page.contains("显示完整号码"));
        let shown = unmask(&staff, csrf).await.unwrap().text().await.unwrap();
        assert!(shown.contains(&resident_id_for(5)), "{shown}");
        assert!(shown.contains("13900000005"));
        let audit = app.db.store.recent_audit(20).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|a| a.action == "person.unmask" && a.actor == "jinghe01")
        );
    }
}

#[tokio::test]
async fn a_street_records_a_lecture_and_the_five_ones_of_its_returnees() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let staff = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        upload(
            &app,
            &staff,
            "/people/migrants",
            roster(&[(6, "径河"), (7, "径河")], None),
        )
        .await;
        let csrf = app.csrf(&staff).await;
        let post = |path: &'static str, form: Vec<(&'static str, String)>| {
            staff
                .post(app.url(path))
                .header("Origin", &app.base)
                .form(&form)
                .send()
        };
        let lecture = |attendees: String| {
            vec![
                ("csrf", csrf.clone()),
                ("kind", "lecture".to_owned()),
                ("title", "返乡创业沙龙".to_owned()),
                ("held_on", "2025-09-28".to_owned()),
                ("place", "径河街道".to_owned()),
                ("speaker", String::new()),
                ("attendees", attendees),
            ]
        };
        let refused = post(
            "/people/returnees/trainings",
            lecture("110101199003071234".into()),
        )
        .await
        .unwrap();
        assert_eq!(refused.status(), 422);
        let page = refused.text().await.unwrap();
        assert!(page.contains("参加人员"), "{page}");
        let saved = post(
            "/people/returnees/trainings",
            lecture(format!("{}\n{}", resident_id_for(6), resident_id_for(7))),
        )
        .await
        .unwrap();
        assert_eq!(saved.status(), 303);
        let five = post(
            "/people/returnees/five-ones",
            vec![
                ("csrf", csrf.clone()),
                ("id_number", resident_id_for(6)),
                ("year", "2025".to_owned()),
                ("festival", "mid_autumn".to_owned()),
                ("item0", "1".to_owned()),
                ("item4", "1".to_owned()),
                ("served_on", "2025-10-06".to_owned()),
            ],
        )
        .await
        .unwrap();
        assert_eq!(five.status(), 303);
        let (_, page) = get(&staff, &app, "/people/returnees?year=2025").await;
        assert!(page.contains("共 <strong>2</strong> 人次"), "{page}");
        assert!(page.contains("居民6"), "the five-ones record is listed");
        assert!(!page.contains(&resident_id_for(6)), "masked");
    }
}

#[tokio::test]
async fn the_graduate_roster_exports_only_the_streets_own_and_masked() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let rsj = logged_in(&app, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let mut csv = String::from("姓名,身份证号码,户籍街道,毕业院校,专业,学历,毕业日期\n");
        for (n, street) in [(11, "径河"), (12, "长青")] {
            csv.push_str(&format!(
                "毕业生{n},{},{street},湖北大学,物流管理,本科,2025-06-30\n",
                resident_id_for(n)
            ));
        }
        let (_, page) = upload(&app, &rsj, "/people/graduates", csv).await;
        assert!(page.contains("新增 2 人"), "{page}");
        let staff = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let response = staff
            .get(app.url("/people/graduates/export.xlsx?year=2025"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let text = sheet_cells(&response.bytes().await.unwrap(), "\n");
        assert!(
            text.contains("毕业生11") && !text.contains("毕业生12"),
            "{text}"
        );
        assert!(!text.contains(&resident_id_for(11)), "masked");
        assert_eq!(
            get(
                &staff,
                &app,
                "/people/graduates/export.xlsx?year=2025&street=changqing"
            )
            .await
            .0,
            403
        );
        let (_, list) = get(&staff, &app, "/people/graduates?year=2025").await;
        assert!(list.contains("毕业生11") && !list.contains("毕业生12"));
    }
}
