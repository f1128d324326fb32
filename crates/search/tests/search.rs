//! What a job seeker gets from the index: which posts, in which order, how they are shown.

mod common;

use common::{ids, index_of, job, query, sorted_ids, today};
use linkong_search::{JobIndex, JobQuery, Sort};

fn sample() -> JobIndex {
    index_of(vec![
        job(1, "机电工程师", "泾河新城制造公司", "负责设备维护"),
        job(2, "财务会计", "西咸商贸公司", "负责日常账务"),
        job(3, "审计助理", "华信会计师事务所", "协助审计项目"),
        job(4, "Web前端开发", "秦创原科技", "使用 JavaScript 与 Vue"),
        job(5, "货车司机", "陕西物流", "持 A2 驾照，熟悉西安路线"),
        job(6, "仓库管理员", "陕西物流", "夜班，负责出入库"),
    ])
}

#[test]
fn two_character_words_are_found_inside_longer_words() {
    let index = sample();
    assert_eq!(sorted_ids(&index, &query("电工")), [1]);
    assert_eq!(sorted_ids(&index, &query("会计")), [2, 3]);
    assert_eq!(sorted_ids(&index, &query("前端")), [4]);
    assert_eq!(sorted_ids(&index, &query("司机")), [5]);
}

#[test]
fn latin_words_match_as_case_insensitive_substrings() {
    let index = sample();
    assert_eq!(sorted_ids(&index, &query("java")), [4]);
    assert_eq!(sorted_ids(&index, &query("JAVASCRIPT")), [4]);
    assert_eq!(sorted_ids(&index, &query("a2")), [5]);
}

#[test]
fn single_characters_and_long_phrases_match_too() {
    let index = sample();
    assert_eq!(sorted_ids(&index, &query("审")), [3]);
    assert_eq!(sorted_ids(&index, &query("熟悉西安路线")), [5]);
    assert_eq!(
        sorted_ids(&index, &query("熟悉西安线路")),
        Vec::<i64>::new()
    );
}

#[test]
fn every_term_must_occur_somewhere_in_the_post() {
    let index = sample();
    assert_eq!(sorted_ids(&index, &query("陕西物流 夜班")), [6]);
    assert_eq!(sorted_ids(&index, &query("物流")), [5, 6]);
    assert_eq!(sorted_ids(&index, &query("会计 审计")), [3]);
    assert_eq!(sorted_ids(&index, &query("会计 司机")), Vec::<i64>::new());
}

#[test]
fn no_terms_finds_every_valid_post() {
    let index = sample();
    assert_eq!(sorted_ids(&index, &query("   ")), [1, 2, 3, 4, 5, 6]);
    let all = index.search(&query("")).expect("the search answers");
    assert_eq!(all.total, 6);
    assert_eq!(index.num_docs(), 6);
}

#[test]
fn each_filter_excludes_posts_that_do_not_fit() {
    let mut posts = Vec::new();
    for id in 1..=6 {
        posts.push(job(id, "普工", "泾河工厂", "流水线"));
    }
    posts[0].industry = "C".to_owned();
    posts[1].leading = "new_energy".to_owned();
    posts[2].street = "chongwen".to_owned();
    posts[3].education = "bachelor".to_owned();
    posts[4].emerging = true;
    posts[5].salary_max = 9000;
    let index = index_of(posts);
    let everything = [1, 2, 3, 4, 5, 6];
    let with = |change: fn(&mut JobQuery)| {
        let mut asked = query("普工");
        change(&mut asked);
        sorted_ids(&index, &asked)
    };

    assert_eq!(with(|_| {}), everything);
    assert_eq!(with(|q| q.industry = Some("C".into())), [1]);
    assert_eq!(with(|q| q.industry = Some("I".into())), [2, 3, 4, 5, 6]);
    assert_eq!(with(|q| q.leading = Some("new_energy".into())), [2]);
    assert_eq!(with(|q| q.street = Some("chongwen".into())), [3]);
    assert_eq!(with(|q| q.street = Some("jinghe".into())), [1, 2, 4, 5, 6]);
    assert_eq!(with(|q| q.education = Some("bachelor".into())), [4]);
    assert_eq!(with(|q| q.emerging = Some(true)), [5]);
    assert_eq!(with(|q| q.emerging = Some(false)), [1, 2, 3, 4, 6]);
    assert_eq!(with(|q| q.salary_at_least = Some(6001)), [6]);
    assert_eq!(with(|q| q.salary_at_least = Some(6000)), everything);
    assert_eq!(
        with(|q| {
            q.street = Some("jinghe".into());
            q.emerging = Some(true);
        }),
        [5]
    );
}

#[test]
fn expired_posts_are_not_found_but_posts_ending_today_are() {
    let mut ends_today = job(1, "保安", "物业公司", "白班");
    ends_today.valid_until = today();
    let mut ended_yesterday = job(2, "保安", "物业公司", "夜班");
    ended_yesterday.valid_until = today().pred_opt().expect("a real date");
    let index = index_of(vec![ends_today, ended_yesterday]);

    assert_eq!(sorted_ids(&index, &query("保安")), [1]);
    assert_eq!(sorted_ids(&index, &query("")), [1]);
    let tomorrow = JobQuery {
        today: today().succ_opt().expect("a real date"),
        ..query("保安")
    };
    assert_eq!(sorted_ids(&index, &tomorrow), Vec::<i64>::new());
}

#[test]
fn the_daily_sweep_removes_expired_posts_and_searches_still_leave_them_out() {
    let day = |offset: i64| today() + chrono::Duration::days(offset);
    let mut posts = Vec::new();
    for (id, last_day) in [(1, -3), (2, -1), (3, 0), (4, 1), (5, 30)] {
        let mut post = job(id, "保安", "物业公司", "白班");
        post.valid_until = day(last_day);
        posts.push(post);
    }
    let index = index_of(posts);
    let on = |offset: i64, text: &str| JobQuery {
        today: day(offset),
        ..query(text)
    };
    // Before any sweep, the filter alone hides them.
    assert_eq!(sorted_ids(&index, &on(0, "保安")), [3, 4, 5]);

    assert_eq!(index.remove_expired(today()).expect("the sweep"), 2);
    assert_eq!(index.num_docs(), 3);
    assert_eq!(sorted_ids(&index, &on(0, "保安")), [3, 4, 5]);
    assert_eq!(sorted_ids(&index, &on(0, "")), [3, 4, 5]);
    assert_eq!(index.search(&on(0, "")).expect("answers").total, 3);
    // A later day, not swept yet, is filtered as before; an earlier one finds what is left.
    assert_eq!(sorted_ids(&index, &on(1, "保安")), [4, 5]);
    assert_eq!(sorted_ids(&index, &on(2, "")), [5]);
    assert_eq!(sorted_ids(&index, &on(-1, "保安")), [3, 4, 5]);
    // The same day again removes nothing; an earlier day never undoes a sweep.
    assert_eq!(index.remove_expired(today()).expect("the sweep"), 0);
    assert_eq!(index.remove_expired(day(-5)).expect("the sweep"), 0);

    // A post already expired on the swept day is not indexed; a valid one is, as usual.
    let mut stale = job(6, "保安", "物业公司", "夜班");
    stale.valid_until = day(-1);
    let mut fresh = job(7, "保安", "物业公司", "夜班");
    fresh.valid_until = day(0);
    // And a post changed to an expired date leaves the index.
    let mut ended = job(5, "保安", "物业公司", "白班");
    ended.valid_until = day(-2);
    index
        .apply(vec![stale, fresh, ended], &[], 2)
        .expect("indexed");
    assert_eq!(sorted_ids(&index, &on(0, "保安")), [3, 4, 7]);
    assert_eq!(sorted_ids(&index, &on(0, "")), [3, 4, 7]);
    assert_eq!(index.last_seq(), 2);

    // The next day's sweep removes what ended today, and keeps the sequence.
    assert_eq!(index.remove_expired(day(1)).expect("the sweep"), 2);
    assert_eq!(sorted_ids(&index, &on(1, "")), [4]);
    assert_eq!(index.last_seq(), 2);
}

#[test]
fn newest_sort_puts_the_latest_post_first() {
    let mut posts = vec![
        job(1, "厨师", "餐馆", ""),
        job(2, "厨师", "餐馆", ""),
        job(3, "厨师", "餐馆", ""),
    ];
    posts[0].published_at = 300;
    posts[1].published_at = 100;
    posts[2].published_at = 200;
    let index = index_of(posts);
    let newest = JobQuery {
        sort: Sort::Newest,
        ..query("厨师")
    };
    assert_eq!(ids(&index, &newest), [1, 3, 2]);
}

#[test]
fn salary_sort_puts_the_best_paid_first_and_the_newest_among_equals() {
    let mut posts = vec![
        job(1, "焊工", "工厂", ""),
        job(2, "焊工", "工厂", ""),
        job(3, "焊工", "工厂", ""),
        job(4, "焊工", "工厂", ""),
    ];
    posts[0].salary_max = 5000;
    posts[1].salary_max = 12000;
    posts[2].salary_max = 8000;
    posts[3].salary_max = 8000;
    posts[2].published_at = 10;
    posts[3].published_at = 20;
    let index = index_of(posts);
    let best_paid = JobQuery {
        sort: Sort::Salary,
        ..query("焊工")
    };
    assert_eq!(ids(&index, &best_paid), [2, 4, 3, 1]);
}

#[test]
fn relevance_ranks_a_title_match_above_a_description_mention() {
    let index = index_of(vec![
        job(1, "仓库管理员", "物流公司", "偶尔协助会计整理单据"),
        job(2, "会计", "财务公司", "负责账务处理"),
        job(3, "出纳", "会计服务公司", "现金管理"),
    ]);
    let found = ids(&index, &query("会计"));
    assert_eq!(found, [2, 3, 1]);
    let scored = index.search(&query("会计")).expect("the search answers");
    assert!(scored.hits[0].score > scored.hits[2].score);
}

#[test]
fn a_lone_word_ranks_and_scores_as_the_same_word_beside_a_filter() {
    // After the day's sweep a query of one word and nothing else runs as one union of its
    // substring and word clauses; with a filter, as a required substring and optional words.
    let index = index_of(vec![
        job(
            1,
            "仓库管理员",
            "物流公司",
            "偶尔协助会计整理单据，会计凭证装订",
        ),
        job(2, "会计", "财务公司", "负责账务处理"),
        job(3, "出纳", "会计服务公司", "现金管理"),
        job(4, "会计师", "事务所", "注册会计师优先，会计"),
        job(5, "司机", "物流公司", "无"),
        job(6, "财务报表分析", "集团", "编制财务报表"),
        job(
            7,
            "保安",
            "物业",
            "缴纳五险一金，五险一金齐全，另有五险一金补充",
        ),
        job(8, "普工（五险一金）", "工厂", "包吃住"),
    ]);
    index.remove_expired(today()).expect("the sweep");
    for word in ["会计", "财务报表", "物流", "五险一金"] {
        let alone = index.search(&query(word)).expect("answers");
        let beside = JobQuery {
            street: Some("jinghe".into()),
            ..query(word)
        };
        let beside = index.search(&beside).expect("answers");
        assert_eq!(alone.total, beside.total, "{word}");
        let ranked = |hits: &linkong_search::JobHits| -> Vec<(i64, f32)> {
            hits.hits.iter().map(|hit| (hit.id, hit.score)).collect()
        };
        let (alone, beside) = (ranked(&alone), ranked(&beside));
        assert_eq!(alone.len(), beside.len(), "{word}");
        for ((id, score), (other_id, other_score)) in alone.iter().zip(&beside) {
            assert_eq!(id, other_id, "{word}: {alone:?} against {beside:?}");
            assert!(
                (score - other_score).abs() < 1e-4,
                "{word}: {alone:?} against {beside:?}"
            );
        }
    }
    // Title matches first (会计师 also holds the word 会计 in its title and twice more in its
    // description), then the employer's, then a mention in the description.
    assert_eq!(ids(&index, &query("会计")), [4, 2, 3, 1]);
    // A term of several words (五险 and 一金) ranks by where it occurs alone: the title's one
    // mention above the description's three.
    assert_eq!(ids(&index, &query("五险一金")), [8, 7]);
}

#[test]
fn relevance_ties_go_to_the_newest_post() {
    let mut posts = vec![job(1, "保洁", "物业", ""), job(2, "保洁", "物业", "")];
    posts[0].published_at = 500;
    posts[1].published_at = 100;
    let index = index_of(posts);
    assert_eq!(ids(&index, &query("保洁")), [1, 2]);
    assert_eq!(ids(&index, &query("")), [1, 2]);
}

#[test]
fn pages_follow_offset_and_limit_and_total_counts_all_matches() {
    let posts = (1..=25).map(|id| job(id, "普工", "工厂", "")).collect();
    let index = index_of(posts);
    let page = |offset, limit| {
        let asked = JobQuery {
            sort: Sort::Newest,
            offset,
            limit,
            ..query("普工")
        };
        index.search(&asked).expect("the search answers")
    };

    let first = page(0, 10);
    assert_eq!(first.total, 25);
    let first_ids: Vec<i64> = first.hits.iter().map(|hit| hit.id).collect();
    assert_eq!(first_ids, (16..=25).rev().collect::<Vec<_>>());
    let last = page(20, 10);
    assert_eq!(last.total, 25);
    let last_ids: Vec<i64> = last.hits.iter().map(|hit| hit.id).collect();
    assert_eq!(last_ids, [5, 4, 3, 2, 1]);
    let beyond = page(100, 10);
    assert_eq!((beyond.total, beyond.hits.len()), (25, 0));
    let count_only = page(0, 0);
    assert_eq!((count_only.total, count_only.hits.len()), (25, 0));
    let huge = page(usize::MAX, usize::MAX);
    assert_eq!((huge.total, huge.hits.len()), (25, 0));
}

#[test]
fn hits_show_marked_and_escaped_title_and_snippet() {
    let description = format!(
        "{}需持证上岗，<电工证> & 'C1' 驾照",
        "岗位职责：".repeat(30)
    );
    let index = index_of(vec![job(
        1,
        "<b>高级电工</b>",
        "泾河\"电力\"公司",
        &description,
    )]);
    let found = index.search(&query("电工 c1")).expect("the search answers");
    let hit = &found.hits[0];

    assert_eq!(hit.title_html, "&lt;b&gt;高级<mark>电工</mark>&lt;/b&gt;");
    assert!(hit.snippet_html.starts_with('…'), "{}", hit.snippet_html);
    assert!(
        hit.snippet_html.ends_with(
            "需持证上岗，&lt;<mark>电工</mark>证&gt; &amp; &#39;<mark>C1</mark>&#39; 驾照"
        ),
        "{}",
        hit.snippet_html
    );
}

#[test]
fn without_terms_the_snippet_is_the_start_of_the_description() {
    let description = "a<b".repeat(100);
    let index = index_of(vec![job(1, "普工", "工厂", &description)]);
    let found = index.search(&query("")).expect("the search answers");
    let expected = format!("{}…", "a&lt;b".repeat(40));
    assert_eq!(found.hits[0].snippet_html, expected);
    assert_eq!(found.hits[0].title_html, "普工");
}

#[test]
fn query_syntax_characters_are_plain_text() {
    let index = index_of(vec![
        job(1, "普工", "工厂", r#"备注："(*:^~ 无特殊含义"#),
        job(2, "普工", "工厂", "AND OR NOT title:会计 [1 TO 2]"),
    ]);
    assert_eq!(sorted_ids(&index, &query(r#""(*:^~"#)), [1]);
    assert_eq!(sorted_ids(&index, &query("title:会计")), [2]);
    assert_eq!(sorted_ids(&index, &query("[1")), [2]);
    assert_eq!(sorted_ids(&index, &query("*")), [1]);
    assert_eq!(sorted_ids(&index, &query("\" ( ~ :")), [1]);
}

#[test]
fn very_long_and_strange_queries_neither_fail_nor_panic() {
    let index = sample();
    let long = "会计".repeat(5_000);
    assert_eq!(sorted_ids(&index, &query(&long)), Vec::<i64>::new());
    // Only the first eight terms count: the two that occur nowhere are ignored.
    let many_terms = "会 计 师 事 务 所 审 计 不存在 没有".to_owned();
    assert_eq!(sorted_ids(&index, &query(&many_terms)), [3]);
    for strange in [
        "\u{0}",
        "\u{FEFF}",
        "🦀🦀",
        "İ",
        "ß",
        "\u{301}",
        "\r\n\t",
        "a\u{200B}b",
    ] {
        index.search(&query(strange)).expect("the search answers");
    }
}

#[test]
fn the_index_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<JobIndex>();
    let index = std::sync::Arc::new(sample());
    let searches: Vec<_> = (0..4)
        .map(|_| {
            let index = index.clone();
            std::thread::spawn(move || sorted_ids(&index, &query("会计")))
        })
        .collect();
    for search in searches {
        assert_eq!(search.join().expect("the search thread ends"), [2, 3]);
    }
}

#[test]
fn a_hit_carries_what_a_card_shows_as_the_post_was_indexed() {
    let mut post = job(7, "仓库管理员", "径河物流有限公司", "负责仓库出入库管理。");
    post.street = "changqing".to_owned();
    post.education = "associate".to_owned();
    post.experience = "y1_3".to_owned();
    post.positions = 3;
    post.emerging = true;
    post.salary_min = 4500;
    post.salary_max = 6500;
    post.published_at = 1_748_736_000;
    let index = index_of(vec![post.clone()]);

    let found = index.search(&query("仓库")).expect("the search answers");

    assert_eq!(found.hits[0].post, post);
}

#[test]
fn a_changed_post_shows_its_new_card_fields() {
    let index = index_of(vec![job(1, "电工", "泾河电力", "维修线路。")]);
    let mut changed = job(1, "电工", "泾河电力", "维修线路。");
    changed.emerging = true;
    changed.positions = 5;
    index
        .apply(vec![changed], &[], 2)
        .expect("the change is applied");

    let found = index.search(&query("电工")).expect("the search answers");
    assert_eq!(found.total, 1);
    assert!(found.hits[0].post.emerging);
    assert_eq!(found.hits[0].post.positions, 5);
}
