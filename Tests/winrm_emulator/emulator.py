"""The emulator: hosts, listeners, certificate, users, record log, control endpoint, state files."""
import json
import logging
import os
import threading

from . import control, server, tls, winrs
from .records import RecordLog
from .users import UserDirectory

log = logging.getLogger("winrm_emulator")


def load_pwsh():
    from .powershell import _interpreter
    return _interpreter()


class Emulator:
    def __init__(self, state_dir, users_file, hosts=1, http_port=0, https_port=0, control_port=0,
                 name_prefix="WINEMU", non_elevated=(), seed=None, settings=None):
        self.state_dir = os.path.abspath(state_dir)
        os.makedirs(self.state_dir, exist_ok=True)
        self.settings = settings or winrs.Settings()
        self.records = RecordLog(os.path.join(self.state_dir, "records.jsonl"))
        names = [f"{name_prefix}-{i:03d}" for i in range(hosts)]
        self.users = UserDirectory.load(users_file, names, non_elevated)
        self.acceptor_users = os.path.join(self.state_dir, "ntlm-acceptor-users")
        self.users.write_acceptor_file(self.acceptor_users)
        # pyspnego's NTLM acceptor reads these at every new context: only NTLMv2, users from the expanded file.
        os.environ["NTLM_USER_FILE"] = self.acceptor_users
        os.environ["LM_COMPAT_LEVEL"] = "5"
        self.pwsh = load_pwsh()
        self.hosts = [winrs.Host(i, name, None, self.settings, self.records) for i, name in enumerate(names)]
        self.seed = seed or {}
        if self.pwsh is not None:
            for host in self.hosts:
                host.state = self._initial_state(host)
        elif self.seed:
            log.warning("host state seed ignored: the PowerShell interpreter (pwsh) is not available")
        self.cert_path, self.key_path, self.certificate_der = tls.generate_certificate(self.state_dir)
        self.server = server.Server(self.users, tls.server_context(self.cert_path, self.key_path),
                                    self.certificate_der, self.records)
        for port_kind, first in (("http", http_port), ("https", https_port)):
            for host, sock in zip(self.hosts, server.bind_consecutive(first, hosts)):
                listener = server.Listener(host, port_kind == "https", sock)
                setattr(host, f"{port_kind}_port", listener.port)
                self.server.add(listener)
        self.control = control.ControlServer(self, control_port)
        self.lock = threading.Lock()

    def _initial_state(self, host):
        document = self.pwsh.HostState.default(host.computer_name).to_dict()
        for key in ("default", str(host.index), host.computer_name):
            seed = self.seed.get("hosts", {}).get(key) if key != "default" else self.seed.get("default")
            if seed:
                document.update(seed)
        document["computer_name"] = host.computer_name  # the name cmd.exe's hostname and NTLM answer with
        return self.pwsh.HostState.from_dict(document)

    def find_host(self, key):
        for host in self.hosts:
            if key == str(host.index) or key.upper() == host.computer_name.upper():
                return host
        return None

    def describe_hosts(self):
        return [{"index": h.index, "name": h.computer_name, "http_port": h.http_port, "https_port": h.https_port}
                for h in self.hosts]

    def host_state_dict(self, host):
        if self.pwsh is None:
            raise RuntimeError("the PowerShell interpreter (pwsh) is not available: no host state")
        if host.state is None:
            host.state = self._initial_state(host)
        return host.state.to_dict()

    def set_host_state(self, host, document):
        if self.pwsh is None:
            raise RuntimeError("the PowerShell interpreter (pwsh) is not available: no host state")
        host.state = self.pwsh.HostState.from_dict(document)

    def dump_states(self):
        directory = os.path.join(self.state_dir, "state")
        os.makedirs(directory, exist_ok=True)
        written = []
        if self.pwsh is None:
            return written
        for host in self.hosts:
            path = os.path.join(directory, f"{host.computer_name}.json")
            _write_json(path, self.host_state_dict(host))
            written.append(path)
        return written

    def ports_document(self):
        first = self.hosts[0]
        return {"pid": os.getpid(), "state_dir": self.state_dir, "http_port": first.http_port,
                "https_port": first.https_port, "control_port": self.control.port, "hosts": self.describe_hosts(),
                "ca": self.cert_path, "cert_sha256": tls.fingerprint_sha256(self.certificate_der),
                "records": self.records.path, "interpreter": self.pwsh is not None}

    def start(self):
        self.control.start()
        threading.Thread(target=self.server.serve_forever, name="accept", daemon=True).start()
        threading.Thread(target=self._reap, name="reaper", daemon=True).start()
        _write_json(os.path.join(self.state_dir, "ports.json"), self.ports_document())

    def _reap(self):
        while not self.server.stopping.wait(5.0):
            for host in self.hosts:
                host.reap_idle()

    def stop(self):
        self.server.stop()
        for host in self.hosts:
            with host.lock:
                shells = list(host.shells.values())
                host.shells.clear()
            for shell in shells:
                shell.close("emulator stopped")
        self.dump_states()
        self.control.stop()


def _write_json(path, document):
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=1, ensure_ascii=False)
    os.replace(temporary, path)
