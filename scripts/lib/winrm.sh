# Throwaway WinRM emulator (Tests/winrm_emulator) on 127.0.0.1 for the WinRM suites. Sourced by scripts/test.
#
# pcm_winrm_start [HOSTS] starts one emulator process serving HOSTS emulated Windows hosts (default 3), each with an
# HTTP and an HTTPS listener on consecutive ports, and exports:
#   PCMOPS_TEST_WINRM_STATE           its state directory: ports.json, ca.pem, records.jsonl, state/, emulator.log
#   PCMOPS_TEST_WINRM_HTTP_PORT       HTTP port of the first host (NTLM/Negotiate with message encryption)
#   PCMOPS_TEST_WINRM_HTTPS_PORT      HTTPS port of the first host (NTLM with channel binding, or Basic)
#   PCMOPS_TEST_WINRM_CONTROL_PORT    the control endpoint (host state, open shells, records; see its README)
#   PCMOPS_TEST_WINRM_CA              the throwaway certificate, to trust as a CA bundle (CN and SAN localhost)
#   PCMOPS_TEST_WINRM_CERT_SHA256     its SHA-256 fingerprint (AA:BB:…)
#   PCMOPS_TEST_WINRM_RECORDS         the record log (JSON lines: every command line, script and stdin)
#   PCMOPS_TEST_WINRM_USER / _PASSWORD                 a local administrator (elevated sessions)
#   PCMOPS_TEST_WINRM_LIMITED_USER / _LIMITED_PASSWORD a local account whose sessions are not elevated
#   PCMOPS_TEST_WINRM_DOMAIN_USER / _DOMAIN_PASSWORD   a domain account, EMULAB\pcmops-domain (NTLM only)
# Host i listens on HTTP_PORT+i and HTTPS_PORT+i; ports.json lists them with their computer names.
# pcm_winrm_stop stops it (the final host states land in $PCMOPS_TEST_WINRM_STATE/state/ first) and removes the
# directory.

PCM_WINRM_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

pcm_winrm_start() {
  local hosts=${1:-3}
  PCM_WINRM_DIR=$(mktemp -d /tmp/pcmops-winrm.XXXXXX)
  local secret
  secret=$(python3 -c 'import secrets; print(secrets.token_hex(6))')
  export PCMOPS_TEST_WINRM_USER=pcmops PCMOPS_TEST_WINRM_PASSWORD="Adm-$secret!"
  export PCMOPS_TEST_WINRM_LIMITED_USER=pcmops-limited PCMOPS_TEST_WINRM_LIMITED_PASSWORD="Lim-$secret!"
  export PCMOPS_TEST_WINRM_DOMAIN_USER='EMULAB\pcmops-domain' PCMOPS_TEST_WINRM_DOMAIN_PASSWORD="Dom-$secret!"
  (umask 077; cat >"$PCM_WINRM_DIR/users" <<USERS
:$PCMOPS_TEST_WINRM_USER:$PCMOPS_TEST_WINRM_PASSWORD
:$PCMOPS_TEST_WINRM_LIMITED_USER:$PCMOPS_TEST_WINRM_LIMITED_PASSWORD
EMULAB:pcmops-domain:$PCMOPS_TEST_WINRM_DOMAIN_PASSWORD
USERS
  )
  local state="$PCM_WINRM_DIR/state"
  PYTHONPATH="$PCM_WINRM_REPO/Tests${PYTHONPATH:+:$PYTHONPATH}" python3 -m winrm_emulator --state-dir "$state" \
    --users "$PCM_WINRM_DIR/users" --non-elevated "$PCMOPS_TEST_WINRM_LIMITED_USER" --hosts "$hosts" \
    >"$PCM_WINRM_DIR/stdout.log" 2>"$PCM_WINRM_DIR/stderr.log" &
  echo $! >"$PCM_WINRM_DIR/emulator.pid"
  # Generous: a loaded 2-core machine takes seconds to generate the RSA key and bind.
  for _ in $(seq 1 600); do
    [ -s "$state/ports.json" ] && break
    if ! kill -0 "$(cat "$PCM_WINRM_DIR/emulator.pid")" 2>/dev/null; then
      echo "WinRM emulator exited:" >&2; cat "$PCM_WINRM_DIR/stderr.log" >&2
      return 1
    fi
    sleep 0.1
  done
  if [ ! -s "$state/ports.json" ]; then
    echo "WinRM emulator not ready after 60 s" >&2; cat "$PCM_WINRM_DIR/stderr.log" >&2
    return 1
  fi
  eval "$(python3 - "$state/ports.json" <<'PY'
import json, shlex, sys
p = json.load(open(sys.argv[1]))
for name, value in (("HTTP_PORT", p["http_port"]), ("HTTPS_PORT", p["https_port"]),
                    ("CONTROL_PORT", p["control_port"]), ("CA", p["ca"]), ("CERT_SHA256", p["cert_sha256"]),
                    ("RECORDS", p["records"]), ("STATE", p["state_dir"])):
    print(f"export PCMOPS_TEST_WINRM_{name}={shlex.quote(str(value))}")
PY
)"
  echo "== WinRM emulator ($hosts hosts) on 127.0.0.1: http :$PCMOPS_TEST_WINRM_HTTP_PORT, https :$PCMOPS_TEST_WINRM_HTTPS_PORT, control :$PCMOPS_TEST_WINRM_CONTROL_PORT"
}

pcm_winrm_stop() {
  [ -n "${PCM_WINRM_DIR:-}" ] || return 0
  local pid
  pid=$(cat "$PCM_WINRM_DIR/emulator.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$PCM_WINRM_DIR"
  PCM_WINRM_DIR=""
}
