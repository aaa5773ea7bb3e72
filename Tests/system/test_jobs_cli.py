"""`pcm-ops jobs list|show|run NAME` against real sshd (issue 16.3): jobs saved through the API are listed, shown
and run from the command line as `pcm-ops run` runs (live, exit codes, `--output json`); a runner changes only what
the job allows; a job the inventory broke refuses to run and says why."""
import json

import pytest
import requests

from conftest import Server, cli
from test_run_cli import TOOLS, fleet, needs_sshd


@pytest.fixture
def lab(data_dir, tmp_path):
    fleet(data_dir, tmp_path, count=2)
    server = Server(data_dir, extra_args=("--tools-dir", TOOLS))
    yield server
    server.stop()


def jobs(data_dir, *args, check=False):
    return cli("jobs", *args, "--tools-dir", TOOLS, data_dir=data_dir, check=check)


def save(lab, data_dir, body):
    token = cli("token", "create", "--user", "admin", "--name", "jobs", data_dir=data_dir).stdout.split()[-1]
    response = requests.post(lab.url + "/api/v1/jobs", headers={"Authorization": f"Bearer {token}"}, json=body)
    assert response.status_code == 201, response.text
    return response.json()


@needs_sshd
def test_list_show_and_run_a_job_as_text_and_json(lab, data_dir):
    # setup
    save(lab, data_dir, {"name": "fleet-echo", "description": "Echo on the fleet", "tool": "testkit",
                         "action": "echo", "groups": ["fleet"], "parameters": {"value": "hello"},
                         "overridable": ["parameters"]})
    # act
    listed = jobs(data_dir, "list", check=True).stdout
    listed_json = json.loads(jobs(data_dir, "list", "--output", "json", check=True).stdout)
    shown = jobs(data_dir, "show", "fleet-echo", check=True).stdout
    shown_json = json.loads(jobs(data_dir, "show", "fleet-echo", "--output", "json", check=True).stdout)
    text = jobs(data_dir, "run", "fleet-echo", check=True)
    report = json.loads(jobs(data_dir, "run", "fleet-echo", "--param", "value=bye", "--output", "json",
                             check=True).stdout)
    # assert
    assert "fleet-echo  testkit.echo  group fleet  admin  1        ready" in listed, listed
    assert [j["name"] for j in listed_json] == ["fleet-echo"] and listed_json[0]["problems"] == []
    assert "job fleet-echo (version 1): ready" in shown and "may change  parameters" in shown
    assert shown_json["parameters"] == {"value": "hello"} and shown_json["owner"] == "admin"
    assert "testkit.echo: succeeded" in text.stdout and "job fleet-echo (version 1)" in text.stdout
    assert report["job"] == "fleet-echo" and report["job_version"] == 1 and report["source"] == "cli"
    assert [e["stdout"] for e in report["executions"]] == ["bye", "bye"]
    history = json.loads(cli("runs", "list", "--output", "json", data_dir=data_dir).stdout)
    assert [r.get("job") for r in history] == ["fleet-echo", "fleet-echo"]


@needs_sshd
def test_a_runner_changes_only_what_the_job_allows_and_gives_the_secrets_it_asks_for(lab, data_dir):
    # setup: the token is secret and the job stores none; it lets nothing else change
    save(lab, data_dir, {"name": "n1-secret", "tool": "testkit", "action": "secret", "targets": ["n1"]})
    # act
    retargeted = jobs(data_dir, "run", "n1-secret", "--target", "n2")
    limited = jobs(data_dir, "run", "n1-secret", "--max-concurrency", "1")
    preview = jobs(data_dir, "run", "n1-secret", "--param", "token=topsecret", "--dry-run")
    given = jobs(data_dir, "run", "n1-secret", "--param", "token=topsecret", "--output", "json")
    # assert
    assert retargeted.returncode == 1
    assert "targets: job 'n1-secret' runs on its own targets" in retargeted.stderr
    assert limited.returncode == 1 and "max_concurrency: job 'n1-secret' sets its limits" in limited.stderr
    assert preview.returncode == 0 and "export PARAM_TOKEN='***'" in preview.stdout
    assert "topsecret" not in preview.stdout
    assert given.returncode == 0, given.stdout + given.stderr
    executions = json.loads(given.stdout)["executions"]
    assert executions[0]["stdout"] == "the token is ***\n", "the secret is redacted from the output"


@needs_sshd
def test_a_broken_or_unknown_job_refuses_to_run_and_says_why(lab, data_dir):
    # setup: the job's only target is removed from the inventory
    save(lab, data_dir, {"name": "n2-ping", "tool": "system", "action": "ping", "targets": ["n2"]})
    cli("targets", "rm", "n2", data_dir=data_dir)
    # act
    listed = jobs(data_dir, "list", check=True).stdout
    shown = jobs(data_dir, "show", "n2-ping", check=True).stdout
    refused = jobs(data_dir, "run", "n2-ping")
    unknown = jobs(data_dir, "run", "ghost")
    # assert
    assert "broken: targets: no target named 'n2'" in listed
    assert "problems (edit the job to fix them):\n  - targets: no target named 'n2'" in shown
    assert refused.returncode == 1
    assert "error: job 'n2-ping' cannot run until it is edited: targets: no target named 'n2'" in refused.stderr
    assert unknown.returncode == 1 and "error: no job named 'ghost'" in unknown.stderr
    assert json.loads(cli("runs", "list", "--output", "json", data_dir=data_dir).stdout) == []
