//! Starting and stopping the server.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use ivs_participant_token::token::PublicKey;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::app::router;
use crate::config::ServerConfig;
use crate::state::State;

/// A server running on a background thread with its own runtime. Dropping it shuts the
/// server down gracefully.
#[derive(Debug)]
pub struct RunningServer {
    url: String,
    state: Arc<State>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RunningServer {
    /// The base URL, such as `http://127.0.0.1:41234`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The stages that exist.
    pub fn stages(&self) -> &[String] {
        &self.state.config.stages
    }

    /// The public key tokens verify with.
    pub fn public_key(&self) -> PublicKey {
        self.state.key.public_key()
    }

    /// The public key's ARN, the tokens' `kid`.
    pub fn kid(&self) -> &str {
        &self.state.kid
    }

    /// Stops accepting connections, finishes those under way, and waits.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.stop_now();
    }
}

/// Binds and serves until `shutdown` completes; `ready` learns the bound address first.
pub async fn serve(
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
    ready: impl FnOnce(SocketAddr, &State),
) -> std::io::Result<()> {
    let listener = TcpListener::bind(config.bind).await?;
    let state = Arc::new(State::new(config));
    ready(listener.local_addr()?, &state);
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Starts a server on a background thread and answers once it listens.
///
/// ```no_run
/// let server = ivs_reference_server::spawn(Default::default()).unwrap();
/// println!("{} serves {:?}", server.url(), server.stages());
/// ```
pub fn spawn(config: ServerConfig) -> std::io::Result<RunningServer> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("ivs-reference-server".into())
        .spawn(move || {
            runtime.block_on(async move {
                let listener = match TcpListener::bind(config.bind).await {
                    Ok(l) => l,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let state = Arc::new(State::new(config));
                let addr = listener.local_addr();
                let _ = ready_tx.send(addr.map(|a| (a, state.clone())));
                let _ = axum::serve(listener, router(state))
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await;
            });
        })?;
    let (addr, state) = ready_rx
        .recv()
        .map_err(|_| std::io::Error::other("the server thread ended before listening"))??;
    Ok(RunningServer {
        url: format!("http://{addr}"),
        state,
        stop: Some(stop),
        thread: Some(thread),
    })
}

/// Completes on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
