//! A TCP forwarder between the application and its PostgreSQL server that a test can cut (every
//! connection dropped, new ones refused) and restore, as a network partition or a database
//! restart would.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

pub struct Proxy {
    pub addr: SocketAddr,
    cut: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

fn pump(mut from: TcpStream, mut to: TcpStream) {
    let mut buffer = [0u8; 16 * 1024];
    loop {
        match from.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if to.write_all(&buffer[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(Shutdown::Both);
    let _ = from.shutdown(Shutdown::Both);
}

impl Proxy {
    /// Forwards a new local port to the test PostgreSQL server (`TEST_DATABASE_URL`'s host).
    pub fn to_postgres() -> Self {
        let admin = url::Url::parse(&super::postgres_admin_url()).expect("URL");
        let target = format!(
            "{}:{}",
            admin.host_str().unwrap_or("127.0.0.1"),
            admin.port().unwrap_or(5432)
        );
        let target = std::net::ToSocketAddrs::to_socket_addrs(&target)
            .expect("address")
            .next()
            .expect("one address");
        Self::start(target)
    }

    /// Forwards a new local port to `target`.
    pub fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("proxy port");
        let addr = listener.local_addr().expect("proxy address");
        let cut = Arc::new(AtomicBool::new(false));
        let open: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (cut_flag, streams) = (cut.clone(), open.clone());
        thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                // The flag is read and the connection registered under the lock that `cut`
                // takes: a connection is either refused or dropped by the cut, never missed.
                let mut open = streams.lock().expect("streams");
                if cut_flag.load(Ordering::SeqCst) {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(target) else {
                    continue;
                };
                if let (Ok(c), Ok(s)) = (client.try_clone(), server.try_clone()) {
                    open.extend([c, s]);
                }
                drop(open);
                let (c2, s2) = match (client.try_clone(), server.try_clone()) {
                    (Ok(c), Ok(s)) => (c, s),
                    _ => continue,
                };
                thread::spawn(move || pump(client, s2));
                thread::spawn(move || pump(server, c2));
            }
        });
        Self { addr, cut, open }
    }

    /// Drops every forwarded connection and refuses new ones.
    pub fn cut(&self) {
        let mut open = self.open.lock().expect("streams");
        self.cut.store(true, Ordering::SeqCst);
        for stream in open.drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    /// Forwards new connections again.
    pub fn restore(&self) {
        self.cut.store(false, Ordering::SeqCst);
    }
}
