"""Fixtures for the system suites: the real pcm-ops binary, a real server on a free loopback port."""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest
import requests

BINARY = os.environ.get("PCMOPS_BINARY", os.path.join(os.path.dirname(__file__), "../../.build/debug/pcm-ops"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PCMOPS_") or k == "PCMOPS_BINARY"}
    # No test may reach real AWS: AWS calls go to a closed loopback port unless a test points them at moto.
    env = {k: v for k, v in env.items() if not k.startswith("AWS_")}
    env.update({"AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_EC2_METADATA_DISABLED": "true"})
    env.update(extra)
    return env


def cli(*args, data_dir=None, env=None, stdin=None, check=True):
    """Runs `pcm-ops ARGS`; returns the CompletedProcess."""
    command = [BINARY, *args]
    if data_dir is not None:
        command += ["--data-dir", data_dir]
    result = subprocess.run(command, input=stdin, capture_output=True, text=True, env=env or clean_env(), timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"{command} exited {result.returncode}\nstdout:{result.stdout}\nstderr:{result.stderr}")
    return result


class Server:
    """A `pcm-ops serve` process with its own data directory."""

    def __init__(self, data_dir, extra_args=(), env=None):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.stdout_path = os.path.join(data_dir + "-logs", f"stdout-{self.port}.log")
        self.stderr_path = os.path.join(data_dir + "-logs", f"stderr-{self.port}.log")
        os.makedirs(data_dir + "-logs", exist_ok=True)
        self.stdout = open(self.stdout_path, "w")
        self.stderr = open(self.stderr_path, "w")
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [BINARY, "serve", "--port", str(self.port), "--data-dir", data_dir, *extra_args],
            stdout=self.stdout, stderr=self.stderr, env=env or clean_env())
        self.ready_after = self.wait_ready()

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited {self.process.returncode}: {self.read_stderr()}")
            try:
                if requests.get(self.url + "/health/ready", timeout=1).status_code == 200:
                    return time.monotonic() - self.started
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise AssertionError("server not ready in time: " + self.read_stderr())

    def read_stdout(self):
        if not self.stdout.closed:
            self.stdout.flush()
        with open(self.stdout_path) as f:
            return f.read()

    def read_stderr(self):
        if not self.stderr.closed:
            self.stderr.flush()
        with open(self.stderr_path) as f:
            return f.read()

    def admin_password(self):
        match = re.search(r"Password: (\S+)", self.read_stdout())
        return match.group(1) if match else None

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.stdout.close()
        self.stderr.close()
        return self.process.returncode


def login(base_url, username, password):
    """Signs in through the HTML form; returns the requests session."""
    session = requests.Session()
    page = session.get(base_url + "/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = session.post(base_url + "/login", data={"username": username, "password": password, "csrf_token": token},
                            allow_redirects=False)
    session.last_status = response.status_code
    return session


def csrf_of(session, base_url):
    page = session.get(base_url + "/")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


@pytest.fixture
def data_dir():
    path = tempfile.mkdtemp(prefix="pcmops-system-")
    yield os.path.join(path, "data")
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def server(data_dir):
    srv = Server(data_dir)
    yield srv
    srv.stop()
