//! What an API token may do (issue 15 item 9: data exchange with the municipal platform). A
//! token is set its scopes when it is created (`linkong token create … --scope …`); every
//! request made with it is classified by what it reaches ([`Reach::of`]) and let through only
//! when a scope permits it. A session (a person at a browser) is not limited by scopes.
//!
//! - `aggregates` (the default): the plan, progress by indicator and unit, the quarterly
//!   reports and every registry's aggregates — no row of any registry;
//! - `registries`: also the registries' rows, with people's names masked (ID and phone numbers
//!   are masked for everyone already);
//! - `write`: may also POST, PUT, PATCH or DELETE.
//!
//! No scope shows a person's data in clear: unmasking is for a person at the console, whose
//! every unmask is audited against their name.

use std::fmt;

use crate::field::FieldError;

/// One thing a token may be allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenScope {
    Aggregates,
    Registries,
    Write,
}

impl TokenScope {
    pub const ALL: [TokenScope; 3] = [
        TokenScope::Aggregates,
        TokenScope::Registries,
        TokenScope::Write,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TokenScope::Aggregates => "aggregates",
            TokenScope::Registries => "registries",
            TokenScope::Write => "write",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TokenScope::Aggregates => "汇总数据",
            TokenScope::Registries => "台账明细（个人信息脱敏）",
            TokenScope::Write => "写入",
        }
    }

    pub fn parse(code: &str) -> Option<TokenScope> {
        let code = code.trim();
        TokenScope::ALL
            .into_iter()
            .find(|s| s.code().eq_ignore_ascii_case(code))
    }
}

/// The scopes a token holds. Every token reads aggregates; the others are added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TokenScopes {
    registries: bool,
    write: bool,
}

impl TokenScopes {
    /// Read-only aggregates: what a token gets when no scope is named.
    pub const AGGREGATES: TokenScopes = TokenScopes {
        registries: false,
        write: false,
    };

    pub fn of(scopes: &[TokenScope]) -> TokenScopes {
        TokenScopes {
            registries: scopes.contains(&TokenScope::Registries),
            write: scopes.contains(&TokenScope::Write),
        }
    }

    /// Parses scope codes as typed (`--scope registries --scope write`, or `registries,write`);
    /// none named is [`TokenScopes::AGGREGATES`]. An unknown code is an error naming it.
    pub fn parse<'a>(codes: impl IntoIterator<Item = &'a str>) -> Result<TokenScopes, FieldError> {
        let mut scopes = Vec::new();
        for code in codes.into_iter().flat_map(|c| c.split([',', '，'])) {
            if code.trim().is_empty() {
                continue;
            }
            let scope = TokenScope::parse(code).ok_or_else(|| FieldError {
                field: "权限",
                message: format!(
                    "“{}”不是令牌权限，可选 aggregates、registries、write",
                    code.trim()
                ),
            })?;
            scopes.push(scope);
        }
        Ok(TokenScopes::of(&scopes))
    }

    /// The scopes as stored and listed: `aggregates`, `aggregates,registries,write`.
    pub fn codes(self) -> String {
        self.held()
            .iter()
            .map(|s| s.code())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn held(self) -> Vec<TokenScope> {
        TokenScope::ALL
            .into_iter()
            .filter(|s| match s {
                TokenScope::Aggregates => true,
                TokenScope::Registries => self.registries,
                TokenScope::Write => self.write,
            })
            .collect()
    }

    /// May a request that reaches `reach` be made with this token? The refusal says why.
    pub fn permit(self, reach: Reach) -> Result<(), &'static str> {
        let (allowed, why) = match reach {
            Reach::Aggregates => (true, ""),
            Reach::Rows | Reach::People => (
                self.registries,
                "该令牌只能读取汇总数据（权限 aggregates），不能读取台账明细或个人信息",
            ),
            Reach::PersonInClear => (false, "令牌不能读取明文个人信息（姓名、身份证号、手机号）"),
            Reach::Page => (false, "令牌只能用于 /api/ 数据接口；网页请登录后使用"),
            Reach::Write => (
                self.write,
                "该令牌为只读令牌，不能提交、修改或删除数据（需要 write 权限）",
            ),
        };
        if allowed { Ok(()) } else { Err(why) }
    }
}

impl fmt::Display for TokenScopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.codes())
    }
}

/// What a request reaches, as far as token scopes are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The plan, progress, the quarterly reports, registry aggregates, the API's document.
    Aggregates,
    /// A registry's rows that are not about people (posts, projects, carriers, policies …).
    Rows,
    /// Rows about people: through a token their names are masked ([`PERSON_NAME_FIELDS`]).
    People,
    /// A person's ID or phone number in clear (an unmask).
    PersonInClear,
    /// A page of the web console (HTML), which shows names in clear.
    Page,
    /// Anything that is not a GET or HEAD.
    Write,
}

/// API paths that hold nothing but aggregates: the plan, progress, reports, registry figures.
const AGGREGATE_PATHS: [&str; 7] = [
    "/api/openapi.json",
    "/api/v1/plan",
    "/api/v1/progress",
    "/api/v1/reports/",
    "/api/v1/registries",
    "/api/v1/exchange/",
    "/api/v1/hr-actions",
];

/// API paths whose rows are about things, not people (or about people who published
/// themselves: the public expert pool, published showcase stories).
const ROW_PATHS: [&str; 12] = [
    "/api/v1/jobs",
    "/api/v1/projects",
    "/api/v1/carriers",
    "/api/v1/policies",
    "/api/v1/stories",
    "/api/v1/experts",
    "/api/v1/subsidies/notices",
    "/api/v1/contest/",
    "/api/v1/businesses",
    "/api/v1/steering",
    "/api/v1/traineeships/bases",
    "/api/v1/gigs",
];

/// The JSON fields that hold a person's name in the API's answers about people; a token's
/// answer has them masked ("张三丰" → "张**").
pub const PERSON_NAME_FIELDS: [&str; 8] = [
    "name",
    "person_name",
    "resident_name",
    "founder_name",
    "borrower_name",
    "visitor_name",
    "applicant_name",
    "contact_name",
];

impl Reach {
    /// What a request reaches, by its method (`safe`: GET or HEAD) and path. An API path not
    /// named as aggregates or as rows about things is taken to be about people, so that a
    /// registry added later is masked until it is classified.
    pub fn of(safe: bool, path: &str) -> Reach {
        if path.ends_with("/unmask") {
            return Reach::PersonInClear;
        }
        if !safe {
            return Reach::Write;
        }
        // A prefix is whole path segments: `/api/v1/plan` is not `/api/v1/planets`.
        let under = |prefix: &&str| {
            let prefix = prefix.trim_end_matches('/');
            path == prefix
                || path
                    .strip_prefix(prefix)
                    .is_some_and(|r| r.starts_with('/'))
        };
        if !path.starts_with("/api/") {
            Reach::Page
        } else if AGGREGATE_PATHS.iter().any(under) {
            Reach::Aggregates
        } else if ROW_PATHS.iter().any(under) {
            Reach::Rows
        } else {
            Reach::People
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(codes: &[&str]) -> TokenScopes {
        TokenScopes::parse(codes.iter().copied()).unwrap()
    }

    #[test]
    fn a_token_without_a_named_scope_reads_aggregates_only() {
        let token = scopes(&[]);
        assert_eq!(token, TokenScopes::AGGREGATES);
        assert_eq!(token.codes(), "aggregates");
        assert!(token.permit(Reach::of(true, "/api/v1/plan")).is_ok());
        assert!(token.permit(Reach::of(true, "/api/v1/progress")).is_ok());
        assert!(
            token
                .permit(Reach::of(true, "/api/v1/reports/quarterly/2025Q3"))
                .is_ok()
        );
        assert!(
            token
                .permit(Reach::of(true, "/api/v1/registries/loans.issued"))
                .is_ok()
        );
        assert!(token.permit(Reach::of(true, "/api/v1/jobs")).is_err());
        assert!(
            token
                .permit(Reach::of(true, "/api/v1/people/migrants"))
                .is_err()
        );
    }

    #[test]
    fn a_read_only_token_may_not_write_and_says_so_in_chinese() {
        for token in [scopes(&["aggregates"]), scopes(&["registries"])] {
            let why = token.permit(Reach::of(false, "/records")).unwrap_err();
            assert!(why.contains("只读"), "{why}");
        }
        assert!(
            scopes(&["write"])
                .permit(Reach::of(false, "/records"))
                .is_ok()
        );
    }

    #[test]
    fn a_registries_token_reads_rows_and_people_but_never_a_person_in_clear() {
        let token = scopes(&["registries"]);
        assert_eq!(Reach::of(true, "/api/v1/jobs/3"), Reach::Rows);
        assert_eq!(Reach::of(true, "/api/v1/people/migrants"), Reach::People);
        assert!(token.permit(Reach::Rows).is_ok());
        assert!(token.permit(Reach::People).is_ok());
        let all = scopes(&["aggregates,registries", "write"]);
        assert_eq!(all.codes(), "aggregates,registries,write");
        let clear = Reach::of(false, "/people/migrants/3/unmask");
        assert_eq!(clear, Reach::PersonInClear);
        assert!(all.permit(clear).is_err());
    }

    #[test]
    fn a_token_is_for_the_api_not_the_console_pages() {
        let all = scopes(&["registries", "write"]);
        assert_eq!(Reach::of(true, "/people/migrants"), Reach::Page);
        assert!(all.permit(Reach::Page).is_err());
    }

    #[test]
    fn an_api_path_nobody_classified_is_taken_to_be_about_people() {
        assert_eq!(Reach::of(true, "/api/v1/visits"), Reach::People);
        // A prefix is a path segment, not any string that starts alike.
        assert_eq!(Reach::of(true, "/api/v1/planets"), Reach::People);
    }

    #[test]
    fn an_unknown_scope_is_named() {
        let error = TokenScopes::parse(["registry"]).unwrap_err();
        assert_eq!(error.field, "权限");
        assert!(error.message.contains("“registry”"), "{}", error.message);
    }
}
