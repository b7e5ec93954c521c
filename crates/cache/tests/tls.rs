//! A hub served over TLS, as an organisation puts `optout serve` behind its own certificate:
//! the app refuses a certificate it cannot trust, with words that say so, and syncs once the
//! organisation's CA is among the system's trusted roots.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use optout_cache::Syncer;
use optout_client::{Error, Link};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use support::World;
use tokio::net::{TcpListener, TcpStream};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tls").join(name)
}

/// Terminates TLS for 127.0.0.1 with a certificate from the test CA and passes the bytes on to
/// the hub at `upstream`; returns the `https://` URL.
async fn tls_in_front_of(upstream: &str) -> String {
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(fixture("hub.pem")).unwrap().map(Result::unwrap).collect();
    let key = PrivateKeyDer::from_pem_file(fixture("hub.key")).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let upstream = upstream.trim_start_matches("http://").to_owned();
    tokio::spawn(async move {
        loop {
            let (client, _) = listener.accept().await.unwrap();
            let (acceptor, upstream) = (acceptor.clone(), upstream.clone());
            tokio::spawn(async move {
                // A client that does not trust the certificate hangs up during the handshake.
                let Ok(mut client) = acceptor.accept(client).await else { return };
                let mut hub = TcpStream::connect(&upstream).await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut client, &mut hub).await;
            });
        }
    });
    url
}

#[tokio::test]
async fn a_hub_behind_tls_is_refused_until_its_certificate_is_trusted_then_syncs() {
    let world = World::demo(20).await;
    let (url, token) = world.serve().await;
    let https = tls_in_front_of(&url).await;

    let error = World::remote(&https, &token).whoami().await.unwrap_err();
    let Error::Unreachable(message) = &error else { panic!("{error:?}") };
    assert!(message.contains("certificate"), "the admin is told why: {message}");

    // The organisation's CA joins the trusted roots (here through SSL_CERT_FILE, as on a
    // machine whose administrator installed it).
    std::env::set_var("SSL_CERT_FILE", fixture("ca.pem"));
    let remote = World::remote(&https, &token);
    assert_eq!(remote.whoami().await.unwrap().name, "ada");
    let sync = Syncer::new(world.cache("desk").await, remote);
    sync.pull(|_| true).await.unwrap();
    assert_eq!(sync.cache().opt_outs().await.unwrap(), world.hub_opt_outs().await);
}
