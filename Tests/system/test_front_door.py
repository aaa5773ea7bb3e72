"""The front door against the real binary (issue 18 item 5): half-sent requests, dribbling
clients and idle keep-alive connections are closed after the (short, configured) deadlines, the
per-client cap holds, /health/ready answers while 1,000 idle sockets are open, and the audit log
records the client's own address through the relay."""
import re
import resource
import socket
import time

import requests

from conftest import Server, clean_env, login

HEADER_TIMEOUT = 2
IDLE_TIMEOUT = 3
# Generous: the deadlines are short, but the machine may be loaded.
CLOSED_WITHIN = 40


def connect(server, source="127.0.0.1"):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", server.port))
    return sock


def closed_by_server(sock, within):
    """True once the server has closed `sock` (EOF or reset) within `within` seconds."""
    sock.settimeout(within)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def still_open(sock):
    sock.settimeout(0.2)
    try:
        return sock.recv(1, socket.MSG_PEEK) != b""
    except socket.timeout:
        return True
    except OSError:
        return False


def short_deadlines(data_dir, *extra):
    return Server(data_dir, extra_args=("--header-timeout", str(HEADER_TIMEOUT), "--idle-timeout", str(IDLE_TIMEOUT),
                                        *extra))


def test_half_sent_requests_bodies_and_dribblers_are_closed(data_dir):
    server = short_deadlines(data_dir)
    try:
        # setup: 20 half-sent request headers, 10 half-sent bodies, 5 clients dribbling a header
        started = time.monotonic()
        half_headers = [connect(server, "127.0.0.2") for _ in range(20)]
        for sock in half_headers:
            sock.sendall(b"GET /health/ready HTTP/1.1\r\nHost: x\r\n")
        half_bodies = [connect(server, "127.0.0.3") for _ in range(10)]
        for sock in half_bodies:
            sock.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nusername=a")
        dribblers = [connect(server, "127.0.0.4") for _ in range(5)]
        # act: dribble one byte every 0.3 s for up to 8 header timeouts
        dribble = b"GET /health/ready HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 1000
        open_dribblers = list(dribblers)
        for byte in dribble:
            if not open_dribblers or time.monotonic() - started > 8 * HEADER_TIMEOUT:
                break
            for sock in list(open_dribblers):
                try:
                    sock.sendall(bytes([byte]))
                except OSError:
                    open_dribblers.remove(sock)
            time.sleep(0.3)
        # assert
        assert not open_dribblers, "a dribbling client outlived eight header timeouts"
        assert all(closed_by_server(sock, CLOSED_WITHIN) for sock in half_headers + half_bodies)
        assert time.monotonic() - started >= HEADER_TIMEOUT - 0.5
        assert requests.get(server.url + "/health/ready", timeout=30).status_code == 200
    finally:
        server.stop()


def test_an_idle_keep_alive_connection_is_closed_and_a_busy_one_is_not(data_dir):
    server = short_deadlines(data_dir)
    try:
        # setup: one request answered on a keep-alive connection
        sock = connect(server)
        sock.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.settimeout(30)
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        answered = time.monotonic()
        # act / assert: nothing more is sent, so the server closes it after the idle timeout
        assert closed_by_server(sock, CLOSED_WITHIN)
        assert time.monotonic() - answered >= IDLE_TIMEOUT - 0.5
        # A connection that keeps sending complete requests stays open past both timeouts.
        busy = connect(server)
        busy.settimeout(30)
        for _ in range(4):
            busy.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
            assert busy.recv(4096).startswith(b"HTTP/1.1 200")
            time.sleep(IDLE_TIMEOUT / 2)
        assert still_open(busy)
    finally:
        server.stop()


def raise_file_limit(wanted):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def test_the_per_client_cap_and_ready_with_1000_idle_sockets(data_dir):
    # The server inherits this process's file limit: room for 1,000 sockets on both sides.
    assert raise_file_limit(4096) >= 2200
    server = Server(data_dir, extra_args=("--header-timeout", "30", "--max-connections-per-client", "50"))
    sockets = []
    try:
        # setup: one address opens more than its share; the extra connections are closed at once
        capped = [connect(server, "127.0.0.9") for _ in range(60)]
        time.sleep(1)
        assert sum(1 for sock in capped if still_open(sock)) == 50
        for sock in capped:
            sock.close()
        # act: 1,000 idle sockets from 20 addresses, each within its cap
        for index in range(1000):
            sockets.append(connect(server, f"127.0.1.{10 + index % 20}"))
        time.sleep(1)
        # assert: the server still answers, from another address, and the idle sockets are held open
        started = time.monotonic()
        ready = requests.get(server.url + "/health/ready", timeout=30)
        assert ready.status_code == 200
        assert time.monotonic() - started < 30
        assert sum(1 for sock in sockets[:100] if still_open(sock)) == 100
    finally:
        for sock in sockets:
            sock.close()
        server.stop()


def test_the_audit_log_records_the_client_address_seen_through_the_front_door(data_dir):
    env = clean_env(PCMOPS_ADMIN_PASSWORD="a long admin password 1")
    server = Server(data_dir, env=env)
    try:
        # setup: a wrong password from 127.0.0.23
        import http.client
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30, source_address=("127.0.0.23", 0))
        connection.request("GET", "/login")
        page = connection.getresponse()
        body = page.read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)
        cookie = page.getheader("Set-Cookie").split(";")[0]
        form = f"username=admin&password=wrong+password+here&csrf_token={token}"
        # act
        connection.request("POST", "/login", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
            "X-Forwarded-For": "198.51.100.1"})  # not a trusted proxy: ignored
        assert connection.getresponse().status == 401
        # assert
        admin = login(server.url, "admin", "a long admin password 1")
        audit = admin.get(server.url + "/admin/audit").text
        assert "from 127.0.0.23" in audit
        assert "198.51.100.1" not in audit
    finally:
        server.stop()
