"""A small HTTP/1.1 server connection: requests in, responses out, kept alive (NTLM state lives on the connection).

Windows answers through HTTP.sys: `Server: Microsoft-HTTPAPI/2.0`, Content-Length on every response, keep-alive
unless the client asks to close.
"""
import email.utils

MAX_LINE = 65536
MAX_HEADERS = 100
REASONS = {100: "Continue", 200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found",
           405: "Method Not Allowed", 411: "Length Required", 413: "Request Entity Too Large",
           415: "Unsupported Media Type", 500: "Internal Server Error", 505: "HTTP Version Not Supported"}


class BadRequest(Exception):
    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Request:
    def __init__(self, method, target, version, headers):
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers  # list of (name, value), names as sent
        self.body = b""

    def header(self, name):
        """The value of a header (several values joined with ", "), or None."""
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        return ", ".join(values) if values else None

    @property
    def path(self):
        return self.target.split("?", 1)[0]

    @property
    def keep_alive(self):
        connection = (self.header("Connection") or "").lower()
        if self.version == "HTTP/1.0":
            return "keep-alive" in connection
        return "close" not in connection


class Connection:
    def __init__(self, sock):
        self.sock = sock
        self.reader = sock.makefile("rb", buffering=65536)

    def _line(self):
        line = self.reader.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise BadRequest(400, "line too long")
        return line

    def read_head(self):
        """The next request's line and headers, or None when the client closed the connection."""
        line = self._line()
        while line in (b"\r\n", b"\n"):  # RFC 9112 §2.2: ignore empty lines before a request
            line = self._line()
        if not line:
            return None
        parts = line.decode("latin-1").rstrip("\r\n").split(" ")
        if len(parts) != 3:
            raise BadRequest(400, "malformed request line")
        method, target, version = parts
        if version not in ("HTTP/1.1", "HTTP/1.0"):
            raise BadRequest(505, "unsupported HTTP version")
        headers = []
        while True:
            line = self._line()
            if not line:
                return None
            if line in (b"\r\n", b"\n"):
                break
            if len(headers) >= MAX_HEADERS:
                raise BadRequest(400, "too many headers")
            text = line.decode("latin-1").rstrip("\r\n")
            if text[:1] in (" ", "\t") or ":" not in text:
                raise BadRequest(400, "malformed header")
            name, value = text.split(":", 1)
            headers.append((name.strip(), value.strip()))
        return Request(method, target, version, headers)

    def body_length(self, request):
        """Content-Length, or -1 for a chunked body."""
        encoding = (request.header("Transfer-Encoding") or "").lower()
        if encoding:
            if encoding != "chunked":
                raise BadRequest(400, "unsupported transfer encoding")
            return -1
        length = request.header("Content-Length")
        if length is None:
            if request.method == "POST":
                raise BadRequest(411, "Content-Length required")
            return 0
        if not length.isdigit():
            raise BadRequest(400, "bad Content-Length")
        return int(length)

    def read_body(self, length, limit):
        if length >= 0:
            body = self.reader.read(length)
            if len(body) != length:
                raise ConnectionError("client closed the connection mid-body")
            return body
        chunks, total = [], 0
        while True:
            size_line = self._line().split(b";", 1)[0].strip()
            try:
                size = int(size_line, 16)
            except ValueError:
                raise BadRequest(400, "bad chunk size") from None
            if size == 0:
                while self._line() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            total += size
            if total > limit:
                raise BadRequest(413, "request body exceeds the maximum envelope size")
            chunk = self.reader.read(size)
            if len(chunk) != size:
                raise ConnectionError("client closed the connection mid-chunk")
            chunks.append(chunk)
            self._line()

    def send_continue(self):
        self.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")

    def send(self, status, headers=(), body=b"", close=False):
        lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Unknown')}"]
        lines += [f"{k}: {v}" for k, v in headers]
        lines += ["Server: Microsoft-HTTPAPI/2.0", f"Date: {email.utils.formatdate(usegmt=True)}",
                  f"Content-Length: {len(body)}"]
        if close:
            lines.append("Connection: close")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    def close(self):
        try:
            self.reader.close()
        finally:
            self.sock.close()
