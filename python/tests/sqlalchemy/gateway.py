"""A scripted stand-in for a ByteHouse gateway's login, in front of a real local server.

ByteHouse logs an account's user in as ``account::user``; no local server can have such a user (XML
cannot name one, and clickhouse-local has no SQL user storage). This proxy reads the client's Hello,
checks the login against the one it expects, and passes the Hello on with the local server's own
login; every other byte goes through unchanged, so everything after the login is the real server.
A wrong login gets the server's refusal, since the Hello is then passed on unchanged.

It runs as a process of its own (``start``), as a gateway would: pyodbc keeps Python's interpreter
lock during some driver calls, which would stop a proxy thread in the same process.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import List, Tuple

#: What the gateway prints when it has cut its connections.
CUT = "-- cut --"


def _read_varint(stream: socket.socket) -> Tuple[int, bytes]:
    value, shift, raw = 0, 0, b""
    while True:
        byte = stream.recv(1)
        if not byte:
            raise ConnectionError("the client closed the connection during its Hello")
        raw += byte
        value |= (byte[0] & 0x7F) << shift
        shift += 7
        if not byte[0] & 0x80:
            return value, raw


def _read_exactly(stream: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = stream.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the client closed the connection during its Hello")
        data += chunk
    return data


def _read_string(stream: socket.socket) -> Tuple[str, bytes]:
    size, raw = _read_varint(stream)
    data = _read_exactly(stream, size)
    return data.decode(), raw + data


def _write_string(text: str) -> bytes:
    data, size, prefix = text.encode(), len(text.encode()), b""
    while True:
        byte = size & 0x7F
        size >>= 7
        prefix += bytes([byte | (0x80 if size else 0)])
        if not size:
            return prefix + data


class Gateway:
    """Accepts ``expected_user``/``expected_password`` and logs in to ``port`` as ``user``/``password``."""

    def __init__(self, port: int, expected_user: str, expected_password: str, user: str, password: str) -> None:
        self.target = ("127.0.0.1", port)
        self.expected = (expected_user, expected_password)
        self.login = (user, password)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open: set = set()

    def cut(self) -> None:
        """Cuts every connection, as a network failure or a restarted gateway would."""
        for connection in list(self.open):
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        print(CUT, flush=True)

    def serve_forever(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with client, socket.create_connection(self.target) as server:
            self.open.update((client, server))
            try:
                server.sendall(self._hello(client))
                relay = threading.Thread(target=self._pipe, args=(server, client), daemon=True)
                relay.start()
                self._pipe(client, server)
                relay.join()
            finally:
                self.open.difference_update((client, server))

    def _hello(self, client: socket.socket) -> bytes:
        """The client's Hello, with the local login in place of the expected one."""
        packet, hello = _read_varint(client)
        hello += _read_string(client)[1]  # client name
        for _ in range(3):  # version major, minor, revision
            hello += _read_varint(client)[1]
        hello += _read_string(client)[1]  # database
        user, user_raw = _read_string(client)
        password, password_raw = _read_string(client)
        print(user, flush=True)  # the logins seen, one a line
        if packet == 0 and (user, password) == self.expected:
            return hello + _write_string(self.login[0]) + _write_string(self.login[1])
        return hello + user_raw + password_raw

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            try:
                sink.shutdown(socket.SHUT_WR)
            except OSError:
                pass


class GatewayProcess:
    """The gateway in a child process; ``logins()`` lists the user names it was sent."""

    def __init__(self, port: int, expected_user: str, expected_password: str, user: str, password: str) -> None:
        arguments = [str(port), expected_user, expected_password, user, password]
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), *arguments], stdout=subprocess.PIPE, text=True
        )
        self.port = int(self.process.stdout.readline())
        self._seen: List[str] = []

    def cut(self) -> None:
        """Cuts the connections open through the gateway (and returns when it has); it goes on
        accepting new ones."""
        self.process.send_signal(signal.SIGUSR1)
        while (line := self.process.stdout.readline().strip()) != CUT:
            self._seen.append(line)

    def logins(self) -> List[str]:
        """The logins so far (each connection's Hello is printed before it is passed on)."""
        return self._seen

    def close(self) -> None:
        self.process.terminate()
        output, _ = self.process.communicate(timeout=10)
        self._seen.extend(output.split())


if __name__ == "__main__":
    target, expected_user, expected_password, user, password = sys.argv[1:6]
    gateway = Gateway(int(target), expected_user, expected_password, user, password)
    signal.signal(signal.SIGUSR1, lambda *_: gateway.cut())
    print(gateway.port, flush=True)
    gateway.serve_forever()
