"""The control endpoint (loopback HTTP, unauthenticated; its port is `control_port` in ports.json):

    GET  /hosts                       the emulated hosts: index, name, http_port, https_port
    GET  /hosts/<name|index>/state    the host's HostState.to_dict()
    PUT  /hosts/<name|index>/state    replace it with HostState.from_dict(body)
    GET  /hosts/<name|index>/shells   its open shells and their commands (leak checks)
    GET  /records[?host=<name>]       the record log as a JSON array
    POST /dump                        write every host's state to <state-dir>/state/<name>.json (as SIGUSR1 does)
"""
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ControlServer:
    def __init__(self, emulator, port=0):
        self.emulator = emulator
        handler = type("Handler", (_Handler,), {"emulator": emulator})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]

    def start(self):
        threading.Thread(target=self.httpd.serve_forever, name="control", daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    emulator = None
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def _reply(self, status, document):
        body = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _route(self):
        parsed = urllib.parse.urlsplit(self.path)
        return [p for p in parsed.path.split("/") if p], urllib.parse.parse_qs(parsed.query)

    def _host(self, key):
        host = self.emulator.find_host(key)
        if host is None:
            self._reply(404, {"error": f"no host {key!r}"})
        return host

    def do_GET(self):
        parts, query = self._route()
        if parts == ["hosts"]:
            return self._reply(200, self.emulator.describe_hosts())
        if parts == ["records"]:
            records = self.emulator.records.read()
            if "host" in query:
                records = [r for r in records if r.get("host") in query["host"]]
            return self._reply(200, records)
        if len(parts) == 3 and parts[0] == "hosts" and parts[2] in ("state", "shells"):
            host = self._host(parts[1])
            if host is None:
                return None
            if parts[2] == "shells":
                return self._reply(200, host.describe_shells())
            try:
                return self._reply(200, self.emulator.host_state_dict(host))
            except RuntimeError as error:
                return self._reply(503, {"error": str(error)})
        return self._reply(404, {"error": f"no route {self.path}"})

    def do_PUT(self):
        parts, _ = self._route()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if len(parts) == 3 and parts[0] == "hosts" and parts[2] == "state":
            host = self._host(parts[1])
            if host is None:
                return None
            try:
                self.emulator.set_host_state(host, json.loads(body))
            except (ValueError, TypeError, KeyError) as error:
                return self._reply(400, {"error": f"{type(error).__name__}: {error}"})
            except RuntimeError as error:
                return self._reply(503, {"error": str(error)})
            return self._reply(200, self.emulator.host_state_dict(host))
        return self._reply(404, {"error": f"no route {self.path}"})

    def do_POST(self):
        parts, _ = self._route()
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if parts == ["dump"]:
            return self._reply(200, {"written": self.emulator.dump_states()})
        return self._reply(404, {"error": f"no route {self.path}"})
