//! Starting and stopping the server.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use ivs_participant_token::token::PublicKey;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch, Semaphore};
use tokio::task::JoinSet;
use tower::Service as _;

use crate::app::router;
use crate::config::ServerConfig;
use crate::connection::{refuse, refuse_now, WriteDeadline};
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

    /// How many stages the server holds now: the configured ones and those CreateStage
    /// made, less those DeleteStage removed.
    pub fn stage_count(&self) -> usize {
        self.state.stages.len()
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
/// A configuration that can never work ([`ServerConfig::validate`]) is refused before
/// anything is bound, with an error naming the setting; a bind that fails names the
/// address.
pub async fn serve(
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
    ready: impl FnOnce(SocketAddr, &State),
) -> std::io::Result<()> {
    let listener = bind(&config).await?;
    let state = Arc::new(State::new(config));
    ready(listener.local_addr()?, &state);
    serve_on(listener, state, shutdown).await;
    Ok(())
}

async fn bind(config: &ServerConfig) -> std::io::Result<TcpListener> {
    config
        .validate()
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()))?;
    TcpListener::bind(config.bind).await.map_err(|e| {
        std::io::Error::new(e.kind(), format!("cannot listen on {}: {e}", config.bind))
    })
}

/// The serve loop. Every wait on a client is bounded: a connection must deliver a
/// request's headers within `header_timeout` (hyper's header-read timeout, which also
/// closes a keep-alive connection idle that long), the body within `body_timeout` (the
/// handler's), and a write may wait for the client to read at most `write_timeout`
/// ([`WriteDeadline`]). At most `max_connections` are served at once; as many more are
/// accepted and wait for a slot, each at most `header_timeout` from its accept, then
/// are answered 503; beyond those, a connection is answered 503 at once. So a client
/// gets a slot or a refusal within one header timeout, however many stalled clients
/// came before it. When `shutdown` completes the listener closes, each connection is
/// asked to finish the request under way, and after `shutdown_grace` those still open
/// are dropped.
async fn serve_on(
    listener: TcpListener,
    state: Arc<State>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let app = router(state.clone());
    let max_connections = state.config.max_connections;
    let slots = Arc::new(Semaphore::new(max_connections));
    let queue = Arc::new(Semaphore::new(max_connections));
    let (closing, closed) = watch::channel(false);
    let mut connections = JoinSet::new();
    let header_timeout = state.config.header_timeout;
    let write_timeout = state.config.write_timeout;
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, say: wait a little rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // A free slot is taken here, in the accept loop, so that which connection
        // waits and which is refused at once does not depend on tasks' timing.
        let (slot, in_queue) = match slots.clone().try_acquire_owned() {
            Ok(slot) => (Some(slot), None),
            Err(_) => match queue.clone().try_acquire_owned() {
                Ok(place) => (None, Some(place)),
                Err(_) => {
                    refuse_now(stream, max_connections);
                    continue;
                }
            },
        };
        let app = app.clone();
        let slots = slots.clone();
        let mut closed = closed.clone();
        connections.spawn(async move {
            let _slot = match slot {
                Some(slot) => slot,
                None => {
                    let waited = tokio::select! {
                        slot = tokio::time::timeout(header_timeout, slots.acquire_owned()) => slot,
                        _ = closed.changed() => return,
                    };
                    let Ok(Ok(slot)) = waited else {
                        refuse(stream, max_connections, write_timeout).await;
                        return;
                    };
                    drop(in_queue);
                    slot
                }
            };
            let service = hyper::service::service_fn(move |request| app.clone().call(request));
            let io = TokioIo::new(WriteDeadline::new(stream, write_timeout));
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(io, service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = closed.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = closing.send(true);
    let drained = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(state.config.shutdown_grace, drained)
        .await
        .is_err()
    {
        tracing::warn!(
            open = connections.len(),
            "shutdown grace period over: closing the connections still open"
        );
        connections.abort_all();
    }
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
                let listener = match bind(&config).await {
                    Ok(l) => l,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let state = Arc::new(State::new(config));
                let addr = listener.local_addr();
                let _ = ready_tx.send(addr.map(|a| (a, state.clone())));
                serve_on(listener, state, async {
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
