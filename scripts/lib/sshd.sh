# Throwaway OpenSSH servers on 127.0.0.1 for the SSH integration suites. Sourced by scripts/test.
#
# As root: a dedicated plain account `pcmops-ssh` (shell /bin/sh, no rc files) runs sshd itself, so
# the server is unprivileged and can log in only as that account; the account is in group `shadow`
# so that sshd can check its password. Otherwise the current user runs sshd and is the login user.
#
# pcm_sshd_start writes $PCM_SSH_DIR/env.json (ports, user, password, key files) and exports
# PCMOPS_TEST_SSH, the path of that file. Three servers run: the target, a bastion for jump tests,
# and the "doubles host" (doubles_port): the same login, but its sessions get PATH with the test
# doubles of Tests/doubles/bin first (systemctl, apt-get, dnf, sudo, … keeping their state under
# doubles_state, never touching the real system), so destructive tool scripts can run over real SSH.
# pcm_sshd_stop stops all three and removes the directory.

PCM_SSH_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

pcm_ssh_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

pcm_ssh_as() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$PCM_SSH_USER" -- "$@"; else "$@"; fi
}

pcm_sshd_start() {
  local sshd=/usr/sbin/sshd
  PCM_SSH_DIR=$(mktemp -d /tmp/pcmops-ssh.XXXXXX)
  chmod 755 "$PCM_SSH_DIR"
  if [ "$(id -u)" -eq 0 ]; then
    PCM_SSH_USER=pcmops-ssh
    # The account is the machine's, shared by every test run on it (two clones tested at once): its password is
    # made once, kept root-only, and reused, so one run starting never changes the password another is using.
    local secret_dir=/var/lib/pcmops-test secret=/var/lib/pcmops-test/ssh-password
    mkdir -p "$secret_dir" && chmod 700 "$secret_dir"
    (
      flock 9
      if ! id "$PCM_SSH_USER" >/dev/null 2>&1; then
        useradd --create-home --home-dir /var/tmp/pcmops-ssh-home --shell /bin/sh "$PCM_SSH_USER"
      fi
      usermod -a -G shadow "$PCM_SSH_USER"
      if [ ! -s "$secret" ]; then
        (umask 077; echo "pcmops-test-$(python3 -c 'import secrets; print(secrets.token_hex(8))')" > "$secret")
      fi
      echo "$PCM_SSH_USER:$(cat "$secret")" | chpasswd
    ) 9>"$secret_dir/lock"
    PCM_SSH_PASSWORD=$(cat "$secret")
    chown "$PCM_SSH_USER" "$PCM_SSH_DIR"
  else
    PCM_SSH_USER=$(id -un)
    PCM_SSH_PASSWORD=""
  fi
  local keys="$PCM_SSH_DIR/keys"
  pcm_ssh_as mkdir -p "$keys"
  # Client keys of every kind the suites use.
  pcm_ssh_as ssh-keygen -q -t ed25519 -N "" -C ed25519 -f "$keys/id_ed25519"
  pcm_ssh_as ssh-keygen -q -t ecdsa -b 256 -N "" -C p256 -f "$keys/id_ecdsa256"
  pcm_ssh_as ssh-keygen -q -t ecdsa -b 384 -N "" -C p384 -f "$keys/id_ecdsa384"
  pcm_ssh_as ssh-keygen -q -t ecdsa -b 521 -N "" -C p521 -f "$keys/id_ecdsa521"
  pcm_ssh_as ssh-keygen -q -t ed25519 -N "test passphrase" -C encrypted -f "$keys/id_ed25519_encrypted"
  pcm_ssh_as ssh-keygen -q -t ecdsa -b 256 -m PEM -N "" -C pem -f "$keys/id_ecdsa_pem"
  pcm_ssh_as ssh-keygen -q -t rsa -b 2048 -N "" -C rsa -f "$keys/id_rsa"
  pcm_ssh_as ssh-keygen -q -t ed25519 -N "" -C stranger -f "$keys/id_stranger"
  cat "$keys"/id_ed25519.pub "$keys"/id_ecdsa256.pub "$keys"/id_ecdsa384.pub "$keys"/id_ecdsa521.pub \
      "$keys"/id_ed25519_encrypted.pub "$keys"/id_ecdsa_pem.pub "$keys"/id_rsa.pub > "$PCM_SSH_DIR/authorized_keys"
  # The doubles host's state: writable by the login user, which runs every session.
  PCM_SSH_DOUBLES_STATE="$PCM_SSH_DIR/doubles-state"
  pcm_ssh_as mkdir -p "$PCM_SSH_DOUBLES_STATE"
  # The doubles themselves: the repository's, or a copy when the login user cannot reach those.
  PCM_SSH_DOUBLES_BIN="$PCM_SSH_REPO/Tests/doubles/bin"
  if ! pcm_ssh_as test -x "$PCM_SSH_DOUBLES_BIN/systemctl" -a -r "$PCM_SSH_REPO/Tests/doubles/lib.sh"; then
    cp -R "$PCM_SSH_REPO/Tests/doubles" "$PCM_SSH_DIR/doubles-copy"
    chmod -R a+rX "$PCM_SSH_DIR/doubles-copy"
    PCM_SSH_DOUBLES_BIN="$PCM_SSH_DIR/doubles-copy/bin"
  fi
  local name
  for name in target bastion doubles; do
    local dir="$PCM_SSH_DIR/$name"
    pcm_ssh_as mkdir -p "$dir"
    pcm_ssh_as ssh-keygen -q -t ed25519 -N "" -f "$dir/host_ed25519"
    pcm_ssh_as ssh-keygen -q -t ecdsa -b 256 -N "" -f "$dir/host_ecdsa"
    local port; port=$(pcm_ssh_free_port)
    cat > "$dir/sshd_config" <<CONFIG
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_ed25519
HostKey $dir/host_ecdsa
PidFile $dir/sshd.pid
AuthorizedKeysFile $PCM_SSH_DIR/authorized_keys
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin no
AllowTcpForwarding yes
LogLevel $([ "$name" = bastion ] && echo DEBUG1 || echo VERBOSE)
MaxStartups 400:30:500
MaxSessions 100
MaxAuthTries 6
LoginGraceTime 60
Subsystem sftp internal-sftp
CONFIG
    if [ "$name" = doubles ]; then
      # SetEnv (OpenSSH 8.7+) overrides the session's default PATH. Tool scripts keep their state
      # (PCMOPS_STATE_DIR for /var/tmp/pcm-ops, PCMOPS_SFTD_DIR for /var/lib/sftd) in there too.
      cat >> "$dir/sshd_config" <<CONFIG
SetEnv "PATH=$PCM_SSH_DOUBLES_BIN:/usr/local/bin:/usr/bin:/bin" "PCMOPS_DOUBLES_STATE=$PCM_SSH_DOUBLES_STATE" "PCMOPS_STATE_DIR=$PCM_SSH_DOUBLES_STATE/pcm-ops" "PCMOPS_SFTD_DIR=$PCM_SSH_DOUBLES_STATE/sftd-lib"
CONFIG
    fi
    pcm_ssh_as "$sshd" -f "$dir/sshd_config" -E "$dir/sshd.log"
    eval "PCM_SSH_${name^^}_PORT=$port"
  done
  local i
  for i in $(seq 1 100); do
    if (exec 3<>/dev/tcp/127.0.0.1/"$PCM_SSH_TARGET_PORT") 2>/dev/null && \
       (exec 3<>/dev/tcp/127.0.0.1/"$PCM_SSH_BASTION_PORT") 2>/dev/null && \
       (exec 3<>/dev/tcp/127.0.0.1/"$PCM_SSH_DOUBLES_PORT") 2>/dev/null; then break; fi
    sleep 0.05
  done
  # A second host key, never served, for mismatch tests.
  pcm_ssh_as ssh-keygen -q -t ed25519 -N "" -f "$PCM_SSH_DIR/other_host_key"
  python3 - "$PCM_SSH_DIR" <<PY
import json, sys
d = sys.argv[1]
json.dump({
  "host": "127.0.0.1", "port": $PCM_SSH_TARGET_PORT, "bastion_port": $PCM_SSH_BASTION_PORT,
  "user": "$PCM_SSH_USER", "password": "$PCM_SSH_PASSWORD", "dir": d, "keys": d + "/keys",
  "target_log": d + "/target/sshd.log", "bastion_log": d + "/bastion/sshd.log",
  "target_host_keys": [d + "/target/host_ed25519.pub", d + "/target/host_ecdsa.pub"],
  "bastion_host_keys": [d + "/bastion/host_ed25519.pub", d + "/bastion/host_ecdsa.pub"],
  "other_host_key": d + "/other_host_key.pub",
  "doubles_port": $PCM_SSH_DOUBLES_PORT, "doubles_state": "$PCM_SSH_DOUBLES_STATE", "doubles_bin": "$PCM_SSH_DOUBLES_BIN",
  "doubles_log": d + "/doubles/sshd.log",
  "doubles_host_keys": [d + "/doubles/host_ed25519.pub", d + "/doubles/host_ecdsa.pub"],
}, open(d + "/env.json", "w"), indent=2)
PY
  export PCMOPS_TEST_SSH="$PCM_SSH_DIR/env.json"
  echo "== sshd (OpenSSH $(ssh -V 2>&1 | cut -d, -f1)) as $PCM_SSH_USER on 127.0.0.1:$PCM_SSH_TARGET_PORT, bastion :$PCM_SSH_BASTION_PORT"
  echo "== sshd doubles host (Tests/doubles/bin first on PATH) on 127.0.0.1:$PCM_SSH_DOUBLES_PORT"
}

pcm_sshd_stop() {
  [ -n "${PCM_SSH_DIR:-}" ] || return 0
  local pidfile
  for pidfile in "$PCM_SSH_DIR"/*/sshd.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  rm -rf "$PCM_SSH_DIR"
  PCM_SSH_DIR=""
}
