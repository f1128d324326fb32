//! Bearer tokens kept within their scopes (issue 15 item 9). Every request that carries
//! `Authorization: Bearer lk_…` passes here first: the token is looked up once, core says what
//! the request reaches ([`Reach::of`]) and whether the token's scopes permit it, and a refusal
//! is audited and answered 403 (JSON: a token's client is a program). Through a token, answers
//! about people have their names masked, whoever the token's user is.

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use linkong_core::access::{PERSON_NAME_FIELDS, Reach, TokenScopes};
use linkong_core::subsidies::mask_name;
use linkong_store::audit::AuditEvent;
use linkong_store::users::User;
use serde_json::Value;

use crate::{AppError, AppState};

/// The user and scopes of the token a request came with, for [`crate::auth::Viewer`].
#[derive(Clone)]
pub struct TokenCaller {
    pub user: User,
    pub scopes: TokenScopes,
}

/// The largest answer whose names are masked in place; a larger one is refused rather than
/// sent in clear.
const MAX_MASKED_BODY: usize = 32 * 1024 * 1024;

pub async fn token_scopes(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(token) = bearer(&request) else {
        return next.run(request).await;
    };
    let (user, scopes) = match state.store.user_for_token(&token).await {
        Ok(Some(found)) => found,
        // An unknown token is refused (and audited) where a signed-in caller is needed.
        Ok(None) => return next.run(request).await,
        Err(e) => return AppError::from(e).into_response(),
    };
    let reach = Reach::of(request.method().is_safe(), request.uri().path());
    if let Err(why) = scopes.permit(reach) {
        let peer = request
            .extensions()
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let ip = crate::limits::client_address(peer, request.headers())
            .map(|ip| ip.to_string())
            .unwrap_or_default();
        let event = AuditEvent::new(
            "token.refused",
            format!("{} {}", request.method(), request.uri().path()),
        )
        .by(Some(user.id), &user.username)
        .from_ip(&ip)
        .detail(format!("scopes={scopes}"));
        if let Err(e) = state.store.audit(event).await {
            return AppError::from(e).into_response();
        }
        return AppError::forbidden(why).into_response();
    }
    request
        .extensions_mut()
        .insert(TokenCaller { user, scopes });
    let response = next.run(request).await;
    if reach == Reach::People {
        return names_masked(response).await;
    }
    response
}

fn bearer(request: &Request) -> Option<String> {
    let value = request
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    Some(value.strip_prefix("Bearer ")?.trim().to_owned())
}

/// A JSON answer about people with every name masked ("张三丰" → "张**").
async fn names_masked(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_MASKED_BODY).await else {
        return AppError::internal("an answer about people too large to mask").into_response();
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return AppError::internal("an answer about people that is not JSON").into_response();
    };
    mask_names(&mut value);
    let Ok(bytes) = serde_json::to_vec(&value) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}

/// Masks, at any depth, the string values of the fields that hold a person's name.
fn mask_names(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                match field {
                    Value::String(name) if PERSON_NAME_FIELDS.contains(&key.as_str()) => {
                        *name = mask_name(name);
                    }
                    other => mask_names(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_names),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_masked_at_any_depth_and_nothing_else_is() {
        let mut value = serde_json::json!({
            "total": 1,
            "people": [{"name": "张三丰", "street_code": "jinghe", "id_masked": "420112********1234"}],
            "case": {"founder_name": "李四", "unit_name": "径河街道"}
        });
        mask_names(&mut value);
        assert_eq!(value["people"][0]["name"], "张**");
        assert_eq!(value["people"][0]["street_code"], "jinghe");
        assert_eq!(value["case"]["founder_name"], "李*");
        assert_eq!(value["case"]["unit_name"], "径河街道");
    }
}
