//! The public portal's header: who is signed in, if anyone, and where their own pages are.

use crate::auth::MaybeViewer;

/// The public header: who is logged in, if anyone.
pub struct PortalNav {
    pub signed_in: Option<String>,
    pub home: String,
}

impl PortalNav {
    pub fn of(viewer: &MaybeViewer) -> PortalNav {
        PortalNav {
            signed_in: viewer.0.as_ref().map(|v| v.user.display_name.clone()),
            home: viewer
                .0
                .as_ref()
                .map_or("/me/login".into(), |v| crate::auth::landing(&v.user)),
        }
    }
}
