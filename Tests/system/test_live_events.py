"""Live run events from a real server over SSE and WebSocket while a run is going on real sshd:
every event once, in order, resumable from a sequence number; a finished run replays and closes."""
import json
import os
import threading
import time

import pytest
import requests
import websocket

from conftest import Server, cli
from test_run_cli import SSH, TOOLS, fleet, needs_sshd


@pytest.fixture
def live(data_dir, tmp_path):
    fleet(data_dir, tmp_path, count=3)
    server = Server(data_dir, extra_args=("--tools-dir", TOOLS))
    token = cli("token", "create", "--user", "admin", "--name", "live", data_dir=data_dir).stdout.split()[-1]
    yield server, {"Authorization": f"Bearer {token}"}
    server.stop()


def start(server, headers, seconds=2, targets=("n1", "n2", "n3")):
    response = requests.post(server.url + "/api/v1/runs", headers=headers, json={
        "tool": "testkit", "action": "sleep", "targets": list(targets), "parameters": {"seconds": seconds}})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def read_sse(url, headers, stop_after=None, timeout=60):
    """Reads an SSE stream into [(id, event, data)] until it closes (or `stop_after` events)."""
    events, current = [], {}
    with requests.get(url, headers=headers, stream=True, timeout=timeout) as response:
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        for line in response.iter_lines(decode_unicode=True):
            if line == "":
                if "id" in current:
                    events.append((int(current["id"]), current.get("event"), json.loads(current["data"])))
                    if stop_after and len(events) >= stop_after:
                        return events
                current = {}
            elif ": " in line:
                key, value = line.split(": ", 1)
                current[key] = value
    return events


def text_of(events, target):
    return "".join(e[2]["text"] for e in events if e[1] == "output" and e[2]["target"] == target)


@needs_sshd
def test_sse_streams_a_run_live_and_resumes_without_gap_or_duplicate(live):
    server, headers = live
    run_id = start(server, headers)
    url = f"{server.url}/api/v1/runs/{run_id}/events"
    first = read_sse(url, headers, stop_after=4)
    last_seen = first[-1][0]
    rest = read_sse(url, {**headers, "Last-Event-ID": str(last_seen)})
    events = first + rest
    ids = [e[0] for e in events]
    assert ids == sorted(set(ids)), "in order, each once"
    assert rest[0][0] > last_seen
    assert events[-1][1] == "run.finished" and events[-1][2]["status"] == "succeeded"
    for target in ("n1", "n2", "n3"):
        assert text_of(events, target) == "started\ndone\n"
    # A finished run replays everything and closes; the replay matches the live view.
    replay = read_sse(url, headers)
    assert [text_of(replay, t) for t in ("n1", "n2", "n3")] == ["started\ndone\n"] * 3
    assert replay[-1][1] == "run.finished"


@needs_sshd
def test_websocket_streams_live_and_resumes_with_after(live):
    server, headers = live
    run_id = start(server, headers)
    ws_url = server.url.replace("http", "ws") + f"/api/v1/runs/{run_id}/ws"
    socket = websocket.create_connection(ws_url, header=[f"Authorization: {headers['Authorization']}"], timeout=30)
    first = [json.loads(socket.recv()) for _ in range(3)]
    socket.close()
    resumed = websocket.create_connection(ws_url + f"?after={first[-1]['seq']}",
                                          header=[f"Authorization: {headers['Authorization']}"], timeout=30)
    rest = []
    while True:
        try:
            frame = resumed.recv()
        except websocket.WebSocketConnectionClosedException:
            break
        if not frame:
            break
        rest.append(json.loads(frame))
    seqs = [m["seq"] for m in first + rest]
    assert seqs == sorted(set(seqs))
    assert rest[-1]["kind"] == "run.finished"
    assert all(isinstance(m["data"], dict) for m in first + rest)


@needs_sshd
def test_streams_need_a_signed_in_viewer(live):
    server, headers = live
    run_id = start(server, headers, seconds=0)
    assert requests.get(f"{server.url}/api/v1/runs/{run_id}/events").status_code == 401
    with pytest.raises(websocket.WebSocketBadStatusException):
        websocket.create_connection(server.url.replace("http", "ws") + f"/api/v1/runs/{run_id}/ws", timeout=10)


@needs_sshd
def test_twenty_clients_see_the_same_events(live):
    server, headers = live
    run_id = start(server, headers, seconds=1)
    url = f"{server.url}/api/v1/runs/{run_id}/events"
    results = [None] * 20

    def client(index):
        results[index] = read_sse(url, headers)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    texts = {tuple(text_of(events, t) for t in ("n1", "n2", "n3")) for events in results}
    assert texts == {("started\ndone\n",) * 3}
    assert all(events[-1][1] == "run.finished" for events in results)


@needs_sshd
def test_cli_follows_a_run_on_a_remote_server(live, tmp_path):
    server, headers = live
    run_id = start(server, headers, seconds=2, targets=("n1",))
    token = headers["Authorization"].split()[1]
    followed = cli("runs", "show", run_id, "--follow", "--server", server.url, "--token", token,
                   data_dir=str(tmp_path / "elsewhere"))
    assert "n1 | started" in followed.stdout and "n1 | done" in followed.stdout
    assert "run finished: succeeded" in followed.stdout
    refused = cli("runs", "show", run_id, "--follow", "--server", server.url, "--token", "pcmops_wrong",
                  data_dir=str(tmp_path / "elsewhere"), check=False)
    assert refused.returncode == 1 and "401" in refused.stderr
    missing = cli("runs", "show", "r-0000000000", "--follow", "--server", server.url, "--token", token,
                  data_dir=str(tmp_path / "elsewhere"), check=False)
    assert missing.returncode == 1 and "404" in missing.stderr


@needs_sshd
def test_stopping_the_server_cancels_its_runs_instead_of_leaving_them_running(data_dir, tmp_path):
    fleet(data_dir, tmp_path, count=2)
    server = Server(data_dir, extra_args=("--tools-dir", TOOLS))
    token = cli("token", "create", "--user", "admin", "--name", "stop", data_dir=data_dir).stdout.split()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    run_id = start(server, headers, seconds=120, targets=("n1", "n2"))
    deadline = time.monotonic() + 30
    while requests.get(f"{server.url}/api/v1/runs/{run_id}", headers=headers).json()["counts"]["running"] < 2:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    started = time.monotonic()
    assert server.stop() == 0
    assert time.monotonic() - started < 15
    shown = json.loads(cli("runs", "show", run_id, "--output", "json", data_dir=data_dir).stdout)
    assert shown["status"] == "cancelled"
    assert {e["status"] for e in shown["executions"]} == {"cancelled"}
    assert all("the server is shutting down" in e["error"] for e in shown["executions"])
