//! What the server is given: its settings, and the state every handler shares.

use bmma_app::{App, TextReading};

use crate::i18n::I18n;

/// How this server is deployed.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Mark cookies Secure: set when bmma is reached over HTTPS (directly or through a proxy).
    pub secure_cookies: bool,
    /// The largest file accepted as evidence, in bytes.
    pub max_upload_bytes: u64,
    /// How the words of uploads are read, outside the server.
    pub text_reading: TextReading,
    /// The reverse proxy whose `X-Forwarded-For` names the caller; none by default, and
    /// then the peer's own address counts.
    pub trusted_proxy: Option<Cidr>,
}

/// A block of network addresses, as `ADDRESS/PREFIX` (or one address alone).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: std::net::IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn contains(&self, address: std::net::IpAddr) -> bool {
        use std::net::IpAddr;
        // An IPv4 peer may arrive as an IPv4-mapped IPv6 address.
        let address = match address {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
            v4 => v4,
        };
        match (self.network, address) {
            (IpAddr::V4(net), IpAddr::V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(net) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(net) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

impl std::str::FromStr for Cidr {
    type Err = String;

    fn from_str(text: &str) -> Result<Cidr, String> {
        let (address, prefix) = text.split_once('/').map_or((text, None), |(a, p)| (a, Some(p)));
        let network: std::net::IpAddr =
            address.trim().parse().map_err(|_| format!("'{address}' is not an IP address"))?;
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => bits,
            Some(p) => p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= bits)
                .ok_or_else(|| format!("'{p}' is not a prefix length from 0 to {bits}"))?,
        };
        Ok(Cidr { network, prefix })
    }
}

pub use bmma_app::DEFAULT_MAX_UPLOAD_BYTES;

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            secure_cookies: false,
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            text_reading: TextReading::default(),
            trusted_proxy: None,
        }
    }
}

/// Everything a request handler needs; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The application layer: every use case, over the store and the frameworks.
    pub app: App,
    pub i18n: I18n,
    pub settings: Settings,
}

impl AppState {
    /// The server over `app`, reading the words of uploads as `settings` says.
    pub fn new(app: App, settings: Settings) -> Result<AppState, String> {
        let i18n = I18n::new()?;
        let mut reading = settings.text_reading.clone();
        reading.input_bytes = settings.max_upload_bytes;
        Ok(AppState { app: app.reading_uploads(reading), i18n, settings })
    }
}
