# Throwaway moto_server (PyPI moto[server]) on 127.0.0.1 for the AWS suites: the real STS, EC2, IAM and
# Organizations wire protocols. Sourced by scripts/test.
#
# pcm_moto_start starts two servers and exports their URLs:
#   PCMOPS_TEST_MOTO_URL       no signature checking
#   PCMOPS_TEST_MOTO_AUTH_URL  signature checking on after the first $PCM_MOTO_FREE_CALLS requests
#                              (INITIAL_NO_AUTH_ACTION_COUNT), which the tests spend creating IAM users
#                              and their keys (one per partition: aws and aws-us-gov keys differ); after
#                              that a request signed wrongly is refused, as by AWS.
# pcm_moto_stop stops both.

PCM_MOTO_FREE_CALLS=${PCM_MOTO_FREE_CALLS:-6}

pcm_moto_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

pcm_moto_wait() {
  local url=$1
  for _ in $(seq 1 100); do
    python3 -c "import urllib.request,sys; urllib.request.urlopen('$url/moto-api/', timeout=1)" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "moto_server at $url did not start" >&2
  return 1
}

pcm_moto_start() {
  PCM_MOTO_DIR=$(mktemp -d /tmp/pcmops-moto.XXXXXX)
  local port auth_port
  port=$(pcm_moto_port)
  auth_port=$(pcm_moto_port)
  moto_server -H 127.0.0.1 -p "$port" >"$PCM_MOTO_DIR/moto.log" 2>&1 &
  echo $! >"$PCM_MOTO_DIR/moto.pid"
  INITIAL_NO_AUTH_ACTION_COUNT=$PCM_MOTO_FREE_CALLS moto_server -H 127.0.0.1 -p "$auth_port" \
    >"$PCM_MOTO_DIR/moto-auth.log" 2>&1 &
  echo $! >"$PCM_MOTO_DIR/moto-auth.pid"
  export PCMOPS_TEST_MOTO_URL="http://127.0.0.1:$port"
  export PCMOPS_TEST_MOTO_AUTH_URL="http://127.0.0.1:$auth_port"
  export PCMOPS_TEST_MOTO_FREE_CALLS=$PCM_MOTO_FREE_CALLS
  pcm_moto_wait "$PCMOPS_TEST_MOTO_URL" && pcm_moto_wait "$PCMOPS_TEST_MOTO_AUTH_URL" || return 1
  echo "== moto_server $(python3 -c 'import moto; print(moto.__version__)') on $PCMOPS_TEST_MOTO_URL, signature-checking on $PCMOPS_TEST_MOTO_AUTH_URL"
}

pcm_moto_stop() {
  [ -n "${PCM_MOTO_DIR:-}" ] || return 0
  for pid in "$PCM_MOTO_DIR"/*.pid; do kill "$(cat "$pid")" 2>/dev/null || true; done
  rm -rf "$PCM_MOTO_DIR"
  PCM_MOTO_DIR=""
}
