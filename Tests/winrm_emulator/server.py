"""The listeners: one HTTP and one HTTPS port per emulated host, one thread per TCP connection.

A connection carries its own authentication (auth.ConnectionAuth): NTLM state belongs to the TCP connection, as on
Windows. One selector thread accepts on every listening socket; each accepted connection gets a thread that reads
requests until the client closes it or stays idle for `idle_timeout` seconds.
"""
import base64
import logging
import selectors
import socket
import ssl
import threading

from . import auth, encryption, http11, soap, tls, winrs
from .records import now_iso

log = logging.getLogger("winrm_emulator")
SOAP_CONTENT_TYPE = "application/soap+xml;charset=UTF-8"
IDLE_TIMEOUT = 120.0
TLS_HANDSHAKE_TIMEOUT = 30.0
FRAMING_ALLOWANCE = 4096  # MIME headers and signature of an encrypted body


class Listener:
    def __init__(self, host, tls, sock):
        self.host = host
        self.tls = tls
        self.sock = sock
        self.port = sock.getsockname()[1]


def bind(port, backlog=512):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(backlog)
    sock.setblocking(False)
    return sock


def bind_consecutive(first, count, attempts=200):
    """`count` sockets on consecutive ports from `first`; first=0 finds a free run."""
    if first:
        return [bind(first + i) for i in range(count)]
    for _ in range(attempts):
        probe = bind(0)
        start = probe.getsockname()[1]
        if start + count > 65535:
            probe.close()
            continue
        sockets = [probe]
        try:
            for i in range(1, count):
                sockets.append(bind(start + i))
            return sockets
        except OSError:
            for s in sockets:
                s.close()
    raise OSError(f"no run of {count} free consecutive ports found")


class Server:
    def __init__(self, users, ssl_context, certificate_der, records):
        self.users = users
        self.ssl_context = ssl_context
        self.certificate_der = certificate_der
        self.binding_data = tls.channel_binding_application_data(certificate_der)
        self.records = records
        self.listeners = []
        self.selector = selectors.DefaultSelector()
        self.stopping = threading.Event()
        self.connections = set()
        self.connections_lock = threading.Lock()

    def add(self, listener):
        self.listeners.append(listener)
        self.selector.register(listener.sock, selectors.EVENT_READ, listener)

    def serve_forever(self):
        while not self.stopping.is_set():
            for key, _ in self.selector.select(timeout=0.5):
                listener = key.data
                try:
                    sock, address = listener.sock.accept()
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError as error:
                    log.warning("accept on %s failed: %s", listener.port, error)
                    continue
                sock.setblocking(True)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                threading.Thread(target=self._connection, args=(listener, sock, address), daemon=True,
                                 name=f"conn-{listener.port}-{address[1]}").start()

    def stop(self):
        self.stopping.set()
        for listener in self.listeners:
            listener.sock.close()
        with self.connections_lock:
            connections = list(self.connections)
        for sock in connections:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _connection(self, listener, sock, address):
        with self.connections_lock:
            self.connections.add(sock)
        try:
            if listener.tls:
                sock.settimeout(TLS_HANDSHAKE_TIMEOUT)
                try:
                    sock = self.ssl_context.wrap_socket(sock, server_side=True)
                except (ssl.SSLError, OSError) as error:
                    log.info("TLS handshake from %s on %s failed: %s", address, listener.port, error)
                    return
            sock.settimeout(IDLE_TIMEOUT)
            Handler(self, listener, sock, address).run()
        finally:
            with self.connections_lock:
                self.connections.discard(sock)
            try:
                sock.close()
            except OSError:
                pass


class Handler:
    """One TCP connection: its requests in order, its authentication state."""

    def __init__(self, server, listener, sock, address):
        self.server = server
        self.listener = listener
        self.host = listener.host
        self.connection = http11.Connection(sock)
        self.address = address
        self.auth = auth.ConnectionAuth(server.users, listener.host.computer_name,
                                        server.certificate_der if listener.tls else None,
                                        server.binding_data if listener.tls else None)

    @property
    def scheme(self):
        return "https" if self.listener.tls else "http"

    def run(self):
        try:
            while True:
                request = self.connection.read_head()
                if request is None:
                    return
                if not self._handle(request):
                    return
        except http11.BadRequest as error:
            self._refuse_record(error.status, error.reason)
            self._send_safely(error.status, close=True)
        except (ConnectionError, socket.timeout, ssl.SSLError, OSError):
            return
        except Exception:  # an emulator bug: log it, answer 500, drop the connection
            log.exception("%s:%s %s: internal error", self.scheme, self.listener.port, self.address[0])
            self._send_safely(500, close=True)
        finally:
            self.connection.close()

    def _send_safely(self, status, headers=(), body=b"", close=False):
        try:
            self.connection.send(status, headers, body, close=close)
        except OSError:
            pass

    def _refuse_record(self, status, reason, user=None):
        log.info("%s:%s %s refused %s: %s", self.scheme, self.listener.port, self.address[0], status, reason)
        self.server.records.write({"kind": "refused", "time": now_iso(), "host": self.host.computer_name,
                                   "host_index": self.host.index, "port": self.listener.port, "scheme": self.scheme,
                                   "status": status, "reason": reason, "user": user})

    def _handle(self, request):
        """Answers one request; False when the connection must close."""
        keep_alive = request.keep_alive
        if request.path.lower() != "/wsman":
            self._discard_body(request)
            self._refuse_record(404, f"no WinRM listener at {request.path}")
            self.connection.send(404, close=not keep_alive)
            return keep_alive
        if request.method != "POST":
            self._discard_body(request)
            self._refuse_record(405, f"method {request.method}")
            self.connection.send(405, [("Allow", "POST")], close=not keep_alive)
            return keep_alive
        length = self.connection.body_length(request)
        limit = self.host.settings.max_envelope + FRAMING_ALLOWANCE
        if length > limit:
            # HTTP.sys answers before reading a body this large, then drops the connection.
            self._refuse_record(413, f"request body of {length} bytes exceeds MaxEnvelopeSizekb")
            self.connection.send(413, close=True)
            return False
        try:
            identity, final_token = self.auth.authenticate(request.header("Authorization"))
        except auth.Challenge as challenge:
            self._discard_body(request)
            token = challenge.token
            self.connection.send(401, [("WWW-Authenticate", "Negotiate " + base64.b64encode(token).decode())],
                                 close=not keep_alive)
            return keep_alive
        except auth.Refused as refused:
            self._discard_body(request)
            if refused.anonymous:
                log.debug("%s:%s %s: 401 to a request without credentials", self.scheme, self.listener.port,
                          self.address[0])
            else:
                self._refuse_record(401, refused.reason)
            self.connection.send(401, auth.offers(self.listener.tls), close=not keep_alive)
            return keep_alive
        if (request.header("Expect") or "").lower() == "100-continue":
            self.connection.send_continue()
        body = self.connection.read_body(length, limit)
        extra_headers = []
        if final_token:
            extra_headers.append(("WWW-Authenticate", "Negotiate " + base64.b64encode(final_token).decode()))
        return self._dispatch(request, identity, body, extra_headers, keep_alive)

    def _discard_body(self, request):
        try:
            length = self.connection.body_length(request)
        except http11.BadRequest:
            return
        self.connection.read_body(length, 64 * 1024 * 1024)

    def _dispatch(self, request, identity, body, extra_headers, keep_alive):
        content_type = request.header("Content-Type") or ""
        encrypted = encryption.is_encrypted(content_type)
        if not body:
            # An empty authenticated POST: how pywinrm and pypsrp set up the context used for encryption.
            self.connection.send(200, extra_headers, close=not keep_alive)
            return keep_alive
        if encrypted:
            if identity.context is None:
                self._refuse_record(400, "an encrypted body without an NTLM session", identity.user.principal)
                self.connection.send(400, close=not keep_alive)
                return keep_alive
            try:
                plain = encryption.unwrap(identity.context, content_type, body)
            except encryption.EncryptionError as error:
                # Windows drops the security context of a connection whose message fails its checks.
                self.auth.reset()
                self._refuse_record(400, f"encrypted body refused: {error}", identity.user.principal)
                self.connection.send(400, close=True)
                return False
        else:
            if identity.context is not None and not self.listener.tls:
                # AllowUnencrypted=false: NTLM over HTTP must seal every message.
                self.auth.reset()
                self._refuse_record(401, "unencrypted body over HTTP with NTLM (AllowUnencrypted=false)",
                                    identity.user.principal)
                self.connection.send(401, auth.offers(False), close=not keep_alive)
                return keep_alive
            media = content_type.split(";", 1)[0].strip().lower()
            if media != "application/soap+xml":
                self._refuse_record(415, f"Content-Type {content_type!r}", identity.user.principal)
                self.connection.send(415, close=not keep_alive)
                return keep_alive
            plain = body
        if len(plain) > self.host.settings.max_envelope:
            self._refuse_record(413, f"SOAP envelope of {len(plain)} bytes exceeds MaxEnvelopeSizekb",
                                identity.user.principal)
            self.connection.send(413, close=not keep_alive)
            return keep_alive
        status, xml = self._soap(identity, plain, encrypted)
        data = xml.encode("utf-8")
        if encrypted:
            response_type, data = encryption.wrap(identity.context, data)
        else:
            response_type = SOAP_CONTENT_TYPE
        self.connection.send(status, [("Content-Type", response_type), *extra_headers], data, close=not keep_alive)
        return keep_alive

    def _soap(self, identity, plain, encrypted):
        request = None
        try:
            request = soap.parse(plain)
            transport = {"client_ip": self.address[0], "port": self.listener.port, "scheme": self.scheme,
                         "auth": identity.mechanism, "encrypted": encrypted}
            return 200, winrs.handle(self.host, identity, request, transport)
        except soap.Fault as fault:
            relates_to = request.message_id if request is not None else None
            return 500, soap.fault_envelope(fault, relates_to, self.host.computer_name)
