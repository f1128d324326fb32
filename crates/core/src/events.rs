//! Recruitment events (招聘活动): their kinds. Apart from `jobs` because the plan's registries
//! count events per kind, and the plan sits below jobs.

vocabulary!(
    /// Kinds of recruitment event (招聘活动) in tasks 1.1.2, 1.1.3 and 2.5.4.
    EventKind, "活动类型" {
        CampusFair = "campus_fair", "“就在武汉·职在临空港”校园招聘";
        OtherFair = "other_fair", "其他线上线下招聘活动";
        Community = "community", "“送岗位进社区”招聘活动";
        OutOfCity = "out_of_city", "市外引才活动";
    }
);
