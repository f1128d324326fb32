//! Demo stories of showcase cases (task 2.5.3): a title and a story for a returnee, by the
//! start-up field of the business they opened, told the way a street's write-up would.

/// A showcase case's title and story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoStory {
    pub title: String,
    pub story: String,
}

/// What a returnee in `field` did, as (what they came back to, what it became).
fn deeds(field: &str) -> (&'static str, &'static str) {
    match field {
        "农产品电商" => (
            "把家乡的莲藕、草莓和米面搬上直播间",
            "如今店里每天发出三百多单，带着十几户乡亲一起做电商",
        ),
        "特色种养殖" => (
            "流转水田发展稻虾共作",
            "合作社入社农户三十多户，亩均收入翻了一番",
        ),
        "民宿文旅" => (
            "把自家老屋改成了临江民宿",
            "节假日一房难求，还带动村里开起了农家乐和采摘园",
        ),
        "软件外包" => (
            "在孵化基地租下两个工位做软件外包",
            "团队已有二十多人，一半是刚毕业的大学生",
        ),
        "物流配送" => (
            "买了三辆冷链车做同城配送",
            "服务临空港周边两百多家商超和餐馆",
        ),
        _ => ("从一间小门面做起", "生意越做越稳，还雇了好几位街坊"),
    }
}

/// The story of `name`, who worked in `city` and came back to `street` to start `business`.
pub fn story_of(name: &str, city: &str, street: &str, business: &str, field: &str) -> DemoStory {
    let (began, became) = deeds(field);
    let surname: String = name.chars().take(1).collect();
    DemoStory {
        title: format!("从{city}回到{street}：{name}的返乡创业路"),
        story: format!(
            "{name}在{city}打拼多年，积累了经验也攒下了一些积蓄。听说区里对返乡创业有场地、补贴和贷款支持，\
             {surname}决定回到{street}，{began}。\n\n创业之初并不顺利：资金紧张、客源不稳。街道的创业指导员\
             帮{surname}申请了一次性创业补贴和创业担保贷款，专家团队上门指导经营。\n\n如今，{business}{became}。\
             {name}说：“家乡的政策好、机会多，欢迎在外的老乡回来一起干。”"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_story_tells_where_the_returnee_came_from_and_what_they_built() {
        let s = story_of(
            "王建国",
            "深圳",
            "柏泉街道",
            "柏泉绿野种养殖专业合作社",
            "特色种养殖",
        );
        assert_eq!(s.title, "从深圳回到柏泉街道：王建国的返乡创业路");
        assert!(s.story.contains("稻虾共作") && s.story.contains("柏泉绿野种养殖专业合作社"));
        assert!(s.title.chars().count() <= 40);
    }
}
