//! A fast loopback stub for the comparison: keep-alive, TCP_NODELAY (without it, Nagle and
//! delayed ACKs stall every call ~40 ms), one fixed JSON answer that both vendors' clients
//! accept as success. Prints its URL, then serves until Ctrl-C.
//!
//! `cargo run --release -p wabakit-bench --bin stub`

use axum::serve::ListenerExt;

#[tokio::main]
async fn main() {
    let app = wabakit_bench::stub_app();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    println!("http://{}", listener.local_addr().expect("addr"));
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .expect("serve");
}
