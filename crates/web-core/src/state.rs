//! The state every handler receives: the services and the web settings.

use crate::WebConfig;
use rehber_app::App;
use std::sync::Arc;

/// Shared by all handlers (cheap to clone).
#[derive(Clone, Debug)]
pub struct AppState {
    pub app: App,
    pub config: Arc<WebConfig>,
}
