"""Headless Chromium: pick a tool, fill its parameters, preview, launch on loopback sshd targets,
watch the run finish live (no reload), cancel a running run, and no CSP violations anywhere."""
import os
import time

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import Server, cli
from test_browser import browser, console_problems, shot, sign_in  # noqa: F401 (fixture)
from test_run_cli import SSH, TOOLS, claim_marker, fleet, needs_sshd


@pytest.fixture
def lab(data_dir, tmp_path):
    fleet(data_dir, tmp_path, count=3)
    server = Server(data_dir, extra_args=("--tools-dir", TOOLS))
    yield server
    server.stop()


def wait(driver, seconds=20):
    return WebDriverWait(driver, seconds)


def sign_in_admin(driver, server):
    """Signs in and waits for the dashboard, so the next page load carries the session."""
    sign_in(driver, server, "admin", server.admin_password())
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".stats")))


@needs_sshd
def test_preview_then_run_and_watch_it_finish_live(browser, lab):
    sign_in_admin(browser, lab)
    browser.get(lab.url + "/tools/testkit")
    wait(browser).until(EC.presence_of_element_located((By.ID, "run-form")))
    browser.find_element(By.ID, "choice-action-sleep").click()
    seconds = browser.find_element(By.ID, "param-seconds")
    seconds.clear()
    seconds.send_keys("3")
    browser.find_element(By.ID, "pick-q").send_keys("127.0.0.1")
    Select(browser.find_element(By.ID, "pick-group")).select_by_value("fleet")
    Select(browser.find_element(By.ID, "pick-os")).select_by_value("linux")
    assert browser.find_element(By.ID, "pick-count").text == "0 selected · 3 shown of 4"
    browser.find_element(By.ID, "pick-all").click()
    assert browser.find_element(By.ID, "pick-count").text.startswith("3 selected")
    browser.find_element(By.ID, "preview-button").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "preview-summary")))
    assert "3 targets" in browser.find_element(By.ID, "preview-summary").text
    script = browser.find_element(By.CSS_SELECTOR, "pre.script").text
    assert "export PARAM_SECONDS='3'" in script
    assert len(browser.find_element(By.CSS_SELECTOR, "code.sha").text) == 64
    shot(browser, "run-preview")
    browser.find_element(By.ID, "run-button").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "run")))
    first_url = browser.current_url
    # Live: statuses move to running, then succeeded, and output lines appear without a reload.
    wait(browser, 15).until(lambda d: d.find_element(By.ID, "count-running").text == "3"
                            or d.find_element(By.ID, "count-succeeded").text == "3")
    wait(browser, 30).until(lambda d: d.find_element(By.ID, "count-succeeded").text == "3")
    wait(browser, 15).until(lambda d: "done" in d.find_element(By.CSS_SELECTOR, "#output").text)
    assert browser.current_url == first_url
    assert browser.find_element(By.ID, "run-progress").get_attribute("value") == "3"
    assert "succeeded" in browser.find_element(By.ID, "run-status").text
    shot(browser, "run-finished")
    assert console_problems(browser) == []


@needs_sshd
def test_a_workflows_page_counts_targets_and_steps_live(browser, lab, data_dir):
    # setup: four steps on three targets, one at a time; the first target fails at step 2 (claim), and
    # each claim waits 2 s, so the page opens while the run is going on
    sign_in_admin(browser, lab)
    token = cli("token", "create", "--user", "admin", "--name", "steps", data_dir=data_dir).stdout.split()[-1]
    response = requests.post(lab.url + "/api/v1/runs", headers={"Authorization": f"Bearer {token}"}, json={
        "tool": "testkit", "workflow": "four-steps", "groups": ["fleet"], "max_concurrency": 1,
        "parameters": {"marker": claim_marker(), "value": "hi", "seconds": 2}})
    assert response.status_code == 201, response.text
    run_id = response.json()["id"]
    # act
    browser.get(f"{lab.url}/runs/{run_id}")
    browser.execute_script("window.pcmNoReload = true")
    opened = browser.find_element(By.ID, "target-counts").text
    # assert: the headline counts targets and the step bar follows the run, live, to the end
    assert opened.startswith("3 targets"), opened
    wait(browser, 90).until(lambda d: "partially failed" in d.find_element(By.ID, "run-status").text)
    headline = "3 targets · 2 succeeded · 1 failed at step 2 (claim)"
    wait(browser, 10).until(lambda d: d.find_element(By.ID, "target-counts").text == headline)
    # A run that ended says where targets stopped (the headline), not which step it is "at", and no ETA.
    assert not browser.find_element(By.ID, "current-step").is_displayed()
    assert not browser.find_element(By.ID, "eta-part").is_displayed()
    steps = [browser.find_element(By.CSS_SELECTOR, f"#step-{i} .step-count").text for i in range(4)]
    assert steps == ["3 of 3 through", "3 of 3 through · 1 failed", "3 of 3 through · 1 skipped",
                     "3 of 3 through · 1 skipped"], steps
    assert browser.find_element(By.ID, "step-progress-1").get_attribute("value") == "3"
    assert browser.execute_script("return window.pcmNoReload") is True, "the page reloaded"
    shot(browser, "run-steps")
    assert console_problems(browser) == []
    # The server renders the same once reloaded (and without JavaScript).
    browser.refresh()
    assert browser.find_element(By.ID, "target-counts").text == headline


@needs_sshd
def test_cancel_a_running_run_from_its_page(browser, lab):
    sign_in_admin(browser, lab)
    browser.get(lab.url + "/tools/testkit")
    wait(browser).until(EC.presence_of_element_located((By.ID, "run-form")))
    browser.find_element(By.ID, "choice-action-sleep").click()
    browser.find_element(By.ID, "param-seconds").send_keys("120")
    browser.find_element(By.ID, "pick-n1").click()
    browser.find_element(By.ID, "run-button").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "cancel-run")))
    wait(browser, 15).until(lambda d: d.find_element(By.ID, "count-running").text == "1")
    browser.find_element(By.ID, "cancel-run").click()
    browser.switch_to.alert.accept()
    wait(browser, 90).until(lambda d: "cancelled" in d.find_element(By.ID, "run-status").text)
    assert "cancelled" in browser.find_element(By.CSS_SELECTOR, "#executions .status").text
    assert console_problems(browser) == []


@needs_sshd
def test_destructive_actions_ask_for_confirmation_naming_the_targets(browser, lab):
    sign_in_admin(browser, lab)
    browser.get(lab.url + "/tools/testkit")
    wait(browser).until(EC.presence_of_element_located((By.ID, "run-form")))
    browser.find_element(By.ID, "choice-action-danger").click()
    browser.find_element(By.ID, "pick-n1").click()
    browser.find_element(By.ID, "pick-n2").click()
    browser.find_element(By.ID, "run-button").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "confirm")))
    text = browser.find_element(By.CSS_SELECTOR, ".confirm-box").text
    assert "destructive" in text and "2 targets" in text and "n1" in text
    browser.find_element(By.ID, "confirm").click()
    browser.find_element(By.ID, "run-button").click()
    wait(browser, 30).until(lambda d: d.find_elements(By.ID, "run")
                            and d.find_element(By.ID, "count-succeeded").text == "2")
    assert console_problems(browser) == []


@needs_sshd
def test_bad_parameters_are_named_on_the_form(browser, lab):
    sign_in_admin(browser, lab)
    browser.get(lab.url + "/tools/system")
    wait(browser).until(EC.presence_of_element_located((By.ID, "run-form")))
    browser.find_element(By.ID, "choice-action-ping").click()
    browser.find_element(By.ID, "run-button").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "run-error")))
    assert "targets: no target matched" in browser.find_element(By.ID, "run-error").text
    # The form comes back with status 400, which the console reports; nothing else may be there.
    assert [p for p in console_problems(browser) if "status of 400" not in p["message"]] == []


@needs_sshd
def test_a_page_opened_mid_step_shows_the_output_so_far_then_streams_on(browser, lab, data_dir):
    # setup: a step prints three lines slowly, then waits for a marker file (issue 16.1)
    sign_in_admin(browser, lab)
    token = cli("token", "create", "--user", "admin", "--name", "drip", data_dir=data_dir).stdout.split()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    marker = claim_marker()
    response = requests.post(lab.url + "/api/v1/runs", headers=headers, json={
        "tool": "testkit", "action": "drip", "targets": ["n1"], "parameters": {"code": 3, "marker": marker}})
    assert response.status_code == 201, response.text
    run_id = response.json()["id"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        executions = requests.get(f"{lab.url}/api/v1/runs/{run_id}/executions", headers=headers).json()
        # The step prints to stderr right after line 3: wait for that too, or the page (drawn before it) gets it
        # live, interleaved in the same block.
        if "line 3" in executions[0]["stdout"] and "to stderr" in executions[0]["stderr"]:
            break
        time.sleep(0.2)
    assert executions[0]["status"] == "running" and executions[0]["stdout"] == "line 1\nline 2\nline 3\n"
    # act: open the page mid-step, then let the step go on
    browser.get(f"{lab.url}/runs/{run_id}?target=n1")
    log = wait(browser).until(EC.presence_of_element_located((By.ID, "log-0")))
    assert log.text == "line 1\nline 2\nline 3", "drawn with the lines printed so far"
    shot(browser, "run-mid-step")
    open(marker + ".release", "w").close()
    # assert: the rest arrives live, and no line is shown twice
    wait(browser, 60).until(lambda d: "after release" in d.find_element(By.ID, "log-0").text)
    wait(browser, 30).until(lambda d: d.find_element(By.ID, "count-succeeded").text == "1")
    assert browser.find_element(By.ID, "log-0").text == "line 1\nline 2\nline 3\nafter release"
    assert console_problems(browser) == []


@needs_sshd
def test_a_cancelled_steps_output_stays_on_its_page(browser, lab, data_dir):
    sign_in_admin(browser, lab)
    token = cli("token", "create", "--user", "admin", "--name", "drip", data_dir=data_dir).stdout.split()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    response = requests.post(lab.url + "/api/v1/runs", headers=headers, json={
        "tool": "testkit", "action": "drip", "targets": ["n1"], "parameters": {"code": 4, "marker": claim_marker()}})
    run_id = response.json()["id"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if "line 4" in requests.get(f"{lab.url}/api/v1/runs/{run_id}/executions", headers=headers).json()[0]["stdout"]:
            break
        time.sleep(0.2)
    assert requests.post(f"{lab.url}/api/v1/runs/{run_id}/cancel", headers=headers).status_code in (200, 202)
    deadline = time.monotonic() + 60
    while requests.get(f"{lab.url}/api/v1/runs/{run_id}", headers=headers).json()["status"] != "cancelled":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    browser.get(f"{lab.url}/runs/{run_id}?target=n1")
    log = wait(browser).until(EC.presence_of_element_located((By.ID, "log-0")))
    assert log.text == "line 1\nline 2\nline 3\nline 4"
    assert "cancelled" in browser.find_element(By.ID, "run-status").text
    text = requests.get(f"{lab.url}/runs/{run_id}/log.txt", cookies=browser_cookies(browser)).text
    assert "line 4" in text
    assert console_problems(browser) == []


def browser_cookies(driver):
    return {cookie["name"]: cookie["value"] for cookie in driver.get_cookies()}
