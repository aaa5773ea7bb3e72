"""Issue 17 item 5: an installed binary finds its own files (built-in tools, pages, API document) from any
directory, and a binary copied without them says what is missing."""
import os
import shutil
import subprocess

import requests

from conftest import BINARY, Server, clean_env

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))


def start_server(program, data_dir, env, cwd):
    """conftest.Server, but running `program` from `cwd`."""
    import conftest
    saved_binary, saved_cwd = conftest.BINARY, os.getcwd()
    conftest.BINARY = program
    os.chdir(cwd)
    try:
        return Server(data_dir, env=env)
    finally:
        conftest.BINARY = saved_binary
        os.chdir(saved_cwd)


def install(prefix):
    subprocess.run([os.path.join(REPO, "scripts/install"), str(prefix), "--from", os.path.dirname(BINARY)],
                   check=True, capture_output=True, text=True, timeout=300)
    return str(prefix / "bin" / "pcm-ops")


def test_the_installed_binary_runs_from_an_unrelated_directory(tmp_path, data_dir):
    # setup: installed under a prefix; started from a directory that holds a decoy Tools/ folder
    program = install(tmp_path / "prefix")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "Tools" / "system").mkdir(parents=True)
    (elsewhere / "Tools" / "system" / "tool.yml").write_text("id: decoy\nname: Decoy\n")
    env = clean_env(HOME=str(tmp_path))
    # act
    listed = subprocess.run([program, "tools", "list"], cwd=elsewhere, env=env,
                            capture_output=True, text=True, timeout=120)
    # assert
    assert listed.returncode == 0, listed.stderr
    assert "linux-service" in listed.stdout and "decoy" not in listed.stdout.lower()
    # and the server, started there: pages, static files and the API document come from the installed files
    server = start_server(program, data_dir, env, cwd=elsewhere)
    try:
        assert requests.get(server.url + "/openapi.yaml", timeout=30).status_code == 200
        login_page = requests.get(server.url + "/login", timeout=30)
        assert login_page.status_code == 200
        css = [part.split('"')[0] for part in login_page.text.split('href="')[1:] if ".css" in part.split('"')[0]]
        assert css and requests.get(server.url + css[0], timeout=30).status_code == 200
    finally:
        server.stop()


def test_a_binary_copied_without_its_files_says_what_is_missing(tmp_path, data_dir):
    # setup
    lone = tmp_path / "lone"
    lone.mkdir()
    shutil.copy(BINARY, lone / "pcm-ops")
    # act
    result = subprocess.run([str(lone / "pcm-ops"), "tools", "list"], cwd=tmp_path,
                            env=clean_env(HOME=str(tmp_path)), capture_output=True, text=True, timeout=120)
    # assert
    assert result.returncode != 0
    assert "scripts/install" in result.stderr and "PCMOPS_BUILTIN_TOOLS_DIR" in result.stderr, result.stderr


def test_the_tools_override_still_wins(tmp_path, data_dir):
    program = install(tmp_path / "prefix")
    tools = tmp_path / "builtin"
    shutil.copytree(os.path.join(REPO, "Tools"), tools, symlinks=False)
    shutil.rmtree(tools / "sft-fixer")
    listed = subprocess.run([program, "tools", "list"],
                            env=clean_env(HOME=str(tmp_path), PCMOPS_BUILTIN_TOOLS_DIR=str(tools)),
                            capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert "linux-service" in listed.stdout and "sft-fixer" not in listed.stdout
