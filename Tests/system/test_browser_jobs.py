"""Headless Chromium (issue 16.3): save a job from the Jobs pages, run it through its preview, then "Run again…" a
run and "Rerun on failed targets", each through the preview, the new runs linking to their origin, on loopback sshd
targets; no console error or CSP violation anywhere."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import Server
from test_browser import browser, console_problems, shot, sign_in  # noqa: F401 (fixture)
from test_run_cli import TOOLS, fleet, needs_sshd


@pytest.fixture
def lab(data_dir, tmp_path):
    # n1 and n2 (group fleet) on the test sshd; `down` where nothing listens, so a run has a failed target.
    fleet(data_dir, tmp_path, count=2)
    server = Server(data_dir, extra_args=("--tools-dir", TOOLS))
    yield server
    server.stop()


def wait(driver, seconds=20):
    return WebDriverWait(driver, seconds)


def run_ends(driver, status):
    wait(driver, 60).until(lambda d: status in d.find_element(By.ID, "run-status").text)


def text(driver, element_id):
    return driver.find_element(By.ID, element_id).text


@needs_sshd
def test_save_a_job_run_it_run_again_and_rerun_on_failed_targets(browser, lab):
    problems = []
    sign_in(browser, lab, "admin", lab.admin_password())
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".stats")))

    # Save a job: Jobs in the navigation, New job, the tool, then its form.
    browser.find_element(By.CSS_SELECTOR, "#nav a[href='/jobs']").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "no-jobs")))
    browser.find_element(By.ID, "new-job").click()
    Select(browser.find_element(By.ID, "job-tool")).select_by_value("testkit")
    browser.find_element(By.ID, "choose-tool").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "save-job")))
    browser.find_element(By.ID, "job-name").send_keys("fleet-echo")
    browser.find_element(By.ID, "job-description").send_keys("Echo a value on the fleet and on down")
    browser.find_element(By.ID, "choice-action-echo").click()
    browser.find_element(By.ID, "param-value").send_keys("hello")
    for name in ("n1", "n2", "down"):
        browser.find_element(By.ID, f"pick-{name}").click()
    browser.find_element(By.ID, "override-parameters").click()
    shot(browser, "job-form")
    browser.find_element(By.ID, "save-job").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "job-facts")))
    assert "saved" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert "testkit.echo" in text(browser, "job-facts") and text(browser, "job-version") == "1"
    assert text(browser, "job-overridable") == "parameters"
    problems += console_problems(browser)

    # Run it: the preview first, then the run, which names its job.
    value = browser.find_element(By.CSS_SELECTOR, "#job-run-form input[name='params[value]']")
    assert value.get_attribute("value") == "hello"
    browser.find_element(By.ID, "preview-job").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "preview-summary")))
    assert "testkit.echo (version 1) on 3 targets" in text(browser, "preview-summary")
    shot(browser, "job-preview")
    browser.find_element(By.ID, "run-button").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "run")))
    first_run = browser.find_element(By.ID, "run").get_attribute("data-run")
    run_ends(browser, "partially failed")
    assert text(browser, "run-job") == "Job fleet-echo (version 1)"
    problems += console_problems(browser)

    # Run again…: the tool's form filled in from the run; the new run links to it, and it to the new run.
    browser.find_element(By.ID, "run-again").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "run-again-note")))
    assert first_run in text(browser, "run-again-note")
    assert browser.find_element(By.ID, "choice-action-echo").is_selected()
    assert browser.find_element(By.ID, "param-value").get_attribute("value") == "hello"
    assert [browser.find_element(By.ID, f"pick-{n}").is_selected() for n in ("n1", "n2", "down")] == [True] * 3
    browser.find_element(By.ID, "pick-down").click()
    shot(browser, "run-again-form")
    browser.find_element(By.ID, "preview-button").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "preview-summary")))
    assert "2 targets" in text(browser, "preview-summary")
    browser.find_element(By.ID, "run-button").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "run")))
    second_run = browser.find_element(By.ID, "run").get_attribute("data-run")
    assert second_run != first_run
    run_ends(browser, "succeeded")
    assert text(browser, "rerun-of") == f"Rerun of {first_run}"
    problems += console_problems(browser)

    # Rerun on failed targets: the same preview, on `down` only; then the run.
    browser.get(f"{lab.url}/runs/{first_run}")
    assert second_run in text(browser, "reruns")
    browser.find_element(By.ID, "rerun-failed").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "preview-summary")))
    assert text(browser, "preview-summary").startswith("1 target,")
    assert text(browser, "preview-rerun-of") == f"Started again from run {first_run}."
    assert [row.text.split()[0] for row in browser.find_elements(By.CSS_SELECTOR, "#preview-targets tbody tr")] \
        == ["down"]
    shot(browser, "rerun-preview")
    browser.find_element(By.ID, "run-button").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "run")))
    third_run = browser.find_element(By.ID, "run").get_attribute("data-run")
    run_ends(browser, "failed")
    assert text(browser, "rerun-of") == f"Rerun of {first_run}"
    browser.get(f"{lab.url}/runs/{first_run}")
    assert text(browser, "reruns") == f"Reruns: {second_run}, {third_run}"
    problems += console_problems(browser)

    # The job's page lists its run.
    browser.get(f"{lab.url}/jobs/fleet-echo")
    assert first_run in text(browser, "job-runs")
    browser.get(f"{lab.url}/jobs")
    assert "ready" in browser.find_element(By.CSS_SELECTOR, "#jobs tr[data-job='fleet-echo']").text
    shot(browser, "jobs-list")
    problems += console_problems(browser)

    # At phone width neither page scrolls sideways.
    browser.set_window_size(390, 844)
    for path in ("/jobs", "/jobs/fleet-echo"):
        browser.get(lab.url + path)
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 400, f"{path} scrolls sideways on a phone ({width}px)"
    shot(browser, "job-phone")
    problems += console_problems(browser)
    assert problems == []
