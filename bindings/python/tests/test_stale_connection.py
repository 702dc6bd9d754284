"""A sync client runs its requests on the calling thread, so nothing watches its pooled
connections between calls. A connection the server closed meanwhile must not be used for the
next send: that send would come back "may have been delivered" though it never arrived."""

from __future__ import annotations

import asyncio
import socket
import threading
from typing import Any, Dict, List

import pytest

import wabakit

ANSWER = b'{"RequestId":"R1","Code":"OK","Message":"OK","MessageId":"m-1"}'


def read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        body += conn.recv(65536)
    return head


class OneAnswerPerConnection:
    """Answers one request per connection, keep-alive promised, then closes the connection."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        self.connections = 0
        self.requests: List[bytes] = []
        self.closed = threading.Event()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            conn, _ = self.sock.accept()
            self.connections += 1
            head = read_request(conn)
            self.requests.append(head)
            conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: keep-alive\r\n"
                         b"content-length: %d\r\n\r\n%s" % (len(ANSWER), ANSWER))
            # Then close: the client keeps this connection in its pool, where it is now dead.
            conn.shutdown(socket.SHUT_WR)
            conn.close()
            self.closed.set()


MESSAGE = {"to": "8613900000000", "template": "summer_sale", "language": "en", "body": ["Tom"]}


def profile(url: str) -> Dict[str, Any]:
    return {"provider": "alibaba", "access_key_id": "ak", "access_key_secret": "sk",
            "cust_space_id": "cams-1", "from": "6580000000", "endpoint": url, "rate_limit": False}


def test_a_connection_closed_between_calls_is_not_used_again() -> None:
    server = OneAnswerPerConnection()
    client = wabakit.Client.from_dict(profile(server.url))
    for n in range(1, 4):
        server.closed.clear()
        assert client.send(MESSAGE).message_id == "m-1"
        # The server has closed this call's connection before the next call starts.
        assert server.closed.wait(5)
        assert server.connections == n
    assert len(server.requests) == 3


def test_a_native_client_serves_sync_or_async_calls_not_both() -> None:
    server = OneAnswerPerConnection()
    client = wabakit.Client.from_dict(profile(server.url))
    client.send(MESSAGE)
    other = wabakit.AsyncClient(client._native)
    with pytest.raises(RuntimeError) as e:
        asyncio.run(other.send(MESSAGE))
    assert str(e.value) == "this client makes sync calls; make an AsyncClient for async ones"
