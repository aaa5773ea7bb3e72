"""Conductor end to end with the real binary and the deterministic planner: the /conductor chat page in headless
Chromium from a request to a finished run with live progress (no CSP violations, usable at 390 px), the seed
scenario "update stationcontroller on CIS servers" from the chat to a run on the WinRM emulator, and
`pcm-ops conductor` (plan, missing pieces, --dry-run, --yes following the run, --output json)."""
import hashlib
import json
import os
import pty
import re
import select
import subprocess
import time

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import BINARY, Server, clean_env, cli
from test_browser import browser, console_problems, shot, sign_in  # noqa: F401 (fixture)
from test_run_cli import TOOLS, fleet, needs_sshd
from test_winrm_targets import W, add_account, add_target, control, needs_winrm

REQUEST = "testkit sleep with seconds 4 on fleet"


@pytest.fixture
def lab(data_dir, tmp_path):
    fleet(data_dir, tmp_path, count=3)
    server = Server(data_dir, extra_args=("--tools-dir", TOOLS))
    yield server
    server.stop()


def wait(driver, seconds=30):
    return WebDriverWait(driver, seconds)


def text(driver, css):
    return driver.find_element(By.CSS_SELECTOR, css).text


@needs_sshd
def test_the_chat_page_from_request_to_a_finished_run_with_live_progress(browser, lab):
    sign_in(browser, lab, "admin", lab.admin_password())
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".stats")))
    browser.find_element(By.CSS_SELECTOR, "#nav a[href='/conductor']").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "composer")))
    # ask
    browser.find_element(By.ID, "conductor-text").send_keys(REQUEST)
    browser.find_element(By.ID, "send").click()
    card = wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".plan-card")))
    assert "testkit.sleep" in card.text
    assert "seconds" in card.text and "4" in card.text
    assert "3 targets: 3 linux" in card.text
    assert browser.find_elements(By.CSS_SELECTOR, ".plan-card form.preview-form button"), "no preview link"
    assert "?c=" in browser.current_url
    shot(browser, "conductor-plan")
    # the exact rendered scripts: the run form's preview of this plan
    chat = browser.current_url
    browser.find_element(By.CSS_SELECTOR, ".plan-card form.preview-form button").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "preview-summary")))
    assert "3 targets" in text(browser, "#preview-summary")
    assert "export PARAM_SECONDS='4'" in text(browser, "pre.script")
    browser.get(chat)
    wait(browser).until(EC.presence_of_element_located((By.ID, "confirm")))
    # confirm: the card follows the run live
    browser.find_element(By.ID, "confirm").click()
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".run-live[data-run]")))
    page = browser.current_url
    seen_running = False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = text(browser, ".run-live-status")
        if text(browser, ".live-running") not in ("", "0") or text(browser, ".live-current") not in ("", "—"):
            seen_running = True
        if "succeeded" in status or "failed" in status:
            break
        time.sleep(0.1)
    assert "succeeded" in text(browser, ".run-live-status"), browser.find_element(By.CSS_SELECTOR, ".run-live").text
    assert seen_running, "the card never showed a running target"
    assert browser.current_url == page  # live, no reload
    assert text(browser, ".live-done") == "3"
    assert text(browser, ".live-succeeded") == "3"
    assert text(browser, ".live-failed") == "0"
    assert browser.find_element(By.CSS_SELECTOR, ".live-progress").get_attribute("value") == "3"
    assert text(browser, ".live-elapsed") not in ("", "—")
    assert "done" in text(browser, ".live-log")
    run_link = browser.find_element(By.CSS_SELECTOR, ".run-live a.run-link").get_attribute("href")
    assert "/runs/r-" in run_link
    shot(browser, "conductor-run-finished")
    # a phone: no sideways scrolling
    browser.set_window_size(390, 844)
    browser.get(page)
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".run-live[data-run]")))
    wait(browser).until(lambda d: "succeeded" in text(d, ".run-live-status"))
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390, width
    shot(browser, "conductor-phone")
    # the run page agrees: source conductor
    browser.get(run_link)
    wait(browser).until(EC.presence_of_element_located((By.ID, "run")))
    assert "via conductor" in browser.find_element(By.ID, "run").text
    # clear the conversation
    browser.get(page)
    browser.find_element(By.CSS_SELECTOR, ".clear-conversation").click()
    browser.switch_to.alert.accept()
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash-success")))
    assert "Conversation cleared" in text(browser, ".flash-success")
    assert console_problems(browser) == []


@needs_sshd
def test_the_cli_plans_asks_and_launches_following_the_run(lab, data_dir):
    # dry run: the plan, never launched
    shown = cli("conductor", REQUEST, "--dry-run", "--tools-dir", TOOLS, data_dir=data_dir)
    assert "testkit.sleep" in shown.stdout and "targets (3): n1, n2, n3" in shown.stdout
    # missing pieces without a terminal: an error naming them
    missing = cli("conductor", "restart nginx", "--tools-dir", TOOLS, data_dir=data_dir, check=False)
    assert missing.returncode == 1
    assert "targets" in missing.stderr, missing.stderr
    # a refusal
    refused = cli("conductor", "rm -rf / on n1", "--tools-dir", TOOLS, data_dir=data_dir, check=False)
    assert refused.returncode == 1
    # no --yes and no terminal: shown, not launched
    unconfirmed = cli("conductor", REQUEST, "--tools-dir", TOOLS, data_dir=data_dir)
    assert "pass --yes" in unconfirmed.stderr
    runs = json.loads(cli("runs", "list", "--output", "json", data_dir=data_dir).stdout)
    assert runs == []
    # --yes launches and follows the run to its end
    launched = cli("conductor", "testkit sleep with seconds 1 on fleet", "--yes", "--output", "json",
                   "--tools-dir", TOOLS, data_dir=data_dir)
    reply = json.loads(launched.stdout)
    assert reply["kind"] == "plan" and reply["run_id"].startswith("r-"), reply
    runs = json.loads(cli("runs", "list", "--output", "json", data_dir=data_dir).stdout)
    assert [(r["id"], r["status"], r["source"]) for r in runs] == [(reply["run_id"], "succeeded", "conductor")], runs


class Terminal:
    """A process on a pseudo-terminal (stdin and stdout are TTYs), read until a pattern shows up."""

    def __init__(self, args):
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=clean_env(),
                                        close_fds=True)
        os.close(slave)
        self.output = ""

    def expect(self, pattern, seconds=120):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            match = re.search(pattern, self.output)
            if match:
                self.output = self.output[match.end():]
                return match
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.output += os.read(self.master, 65536).decode("utf-8", "replace")
                except OSError:  # the process closed the terminal
                    break
        raise AssertionError(f"{pattern!r} did not show up; got {self.output[-2000:]!r}")

    def send(self, line):
        os.write(self.master, (line + "\n").encode())

    def finish(self, seconds=120):
        """Reads on (a full terminal would block the process) until it exits; its exit status."""
        deadline = time.monotonic() + seconds
        while self.process.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.output += os.read(self.master, 65536).decode("utf-8", "replace")
                except OSError:
                    break
        code = self.process.wait(timeout=max(1, deadline - time.monotonic()))
        os.close(self.master)
        return code


@needs_sshd
def test_on_a_terminal_the_cli_asks_the_questions_and_a_typed_yes_launches(lab, data_dir):
    terminal = Terminal([BINARY, "conductor", "testkit sleep with seconds 1", "--tools-dir", TOOLS,
                         "--data-dir", data_dir])
    try:
        terminal.expect(r"On which targets\?.*fleet")
        terminal.send("fleet")
        terminal.expect(r"targets \(3\): n1, n2, n3")
        terminal.expect(r"Launch it\?")
        terminal.send("yes")
        run_id = terminal.expect(r"Launched run (r-[a-z0-9]+)").group(1)
    finally:
        code = terminal.finish()
    assert code == 0, terminal.output
    runs = json.loads(cli("runs", "list", "--output", "json", data_dir=data_dir).stdout)
    assert [(r["id"], r["status"], r["source"]) for r in runs] == [(run_id, "succeeded", "conductor")], runs


def wait_for_run(url, token, run_id, seconds=240):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = requests.get(f"{url}/api/v1/runs/{run_id}", headers={"Authorization": f"Bearer {token}"},
                           timeout=30).json()
        if run["status"] not in ("queued", "running"):
            return run
        time.sleep(0.5)
    raise AssertionError(f"run {run_id} did not end in {seconds} s")


@needs_winrm
def test_the_seed_scenario_from_the_chat_to_a_run_on_the_winrm_emulator(server, data_dir):
    """"update stationcontroller on CIS servers": Conductor asks for the paths, plans windows-service-update.update
    on the CIS group, and after "yes" the run replaces the binary on the emulated Windows host."""
    host = 2  # its own emulated host: the state is seeded for this test alone
    target_path = "C:\\Program Files\\StationController\\StationController.exe"
    source_path = "\\\\fs01\\drop\\StationController\\StationController.exe"
    old, new = "MZ station controller 1.0", "MZ station controller 2.1"
    state = control(f"/hosts/{host}/state")
    state["directories"] = sorted(set(state.get("directories", [])) | {
        "C:\\Program Files\\StationController", "\\\\fs01\\drop\\StationController"})
    state["files"][target_path] = {"text": old, "version": "1.0.0.0"}
    state["files"][source_path] = {"text": new, "version": "2.1.0.0"}
    state["services"] = [s for s in state["services"] if s["name"] != "StationController"] + [{
        "name": "StationController", "display_name": "Station Controller", "status": "Running",
        "start_type": "Automatic", "binary_path": f'"{target_path}"', "process_name": "StationController"}]
    state["processes"] = [p for p in state["processes"] if p.get("service") != "StationController"]
    control(f"/hosts/{host}/state", "PUT", state)
    add_account(data_dir, "acct")
    add_target(data_dir, "cis-app01", False, [], host=host)
    cli("groups", "add", "cis-servers", "--description", "CIS servers", "--members", "cis-app01", data_dir=data_dir)
    token = cli("token", "create", "--user", "admin", "--name", "chat", data_dir=data_dir).stdout.split()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    api = server.url + "/api/v1/conductor"

    conversation = requests.post(api + "/conversations", headers=headers, timeout=30)
    assert conversation.status_code == 201, conversation.text
    say = api + f"/conversations/{conversation.json()['id']}/messages"
    asked = requests.post(say, headers=headers, json={"text": "update stationcontroller on CIS servers"}, timeout=30)
    assert asked.status_code == 200, asked.text
    assert asked.json()["kind"] == "clarify", asked.json()
    assert "parameters.source_path" in [q["field"] for q in asked.json()["questions"]]
    planned = requests.post(say, headers=headers, timeout=30,
                            json={"text": f"source {source_path} target {target_path}"}).json()
    assert planned["kind"] == "plan", planned
    plan = planned["plans"][0]
    assert (plan["tool"], plan["workflow"], plan["targets"]) == ("windows-service-update", "update", ["cis-app01"])
    assert plan["parameters"]["source_path"] == source_path
    launched = requests.post(say, headers=headers, json={"text": "yes"}, timeout=30).json()
    assert launched.get("run_id"), launched

    run = wait_for_run(server.url, token, launched["run_id"])
    assert run["source"] == "conductor"
    assert run["status"] == "succeeded", run
    after = control(f"/hosts/{host}/state")
    assert after["files"][target_path]["text"] == new
    assert hashlib.sha256(after["files"][target_path]["text"].encode()).hexdigest() == \
        hashlib.sha256(new.encode()).hexdigest()
    assert next(s for s in after["services"] if s["name"] == "StationController")["status"] == "Running"
