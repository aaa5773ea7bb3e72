# Installs what the test suites need when it is missing. Sourced by scripts/test.
# Debian packages: PostgreSQL (distributed-mode suite), Chromium + driver (browser suite).
# PyPI: pytest, requests, selenium, websocket-client (system and browser suites), schemathesis (API fuzzing),
# botocore (SigV4 cross-check), moto[server] (AWS wire protocols), ansible-core (inventories compared with
# ansible-inventory), pyspnego + cryptography (the WinRM emulator's NTLM acceptor and certificate), pywinrm + pypsrp
# (the real clients the emulator is proven against), tree-sitter + tree-sitter-powershell (PowerShell parser).

pcm_need_apt=()
command -v chromium >/dev/null 2>&1 || pcm_need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || pcm_need_apt+=(chromium-driver)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || pcm_need_apt+=(postgresql)
command -v python3 >/dev/null 2>&1 || pcm_need_apt+=(python3 python3-pip)
[ -x /usr/sbin/sshd ] || pcm_need_apt+=(openssh-server)
command -v ssh >/dev/null 2>&1 || pcm_need_apt+=(openssh-client)
command -v sudo >/dev/null 2>&1 || pcm_need_apt+=(sudo)

if [ ${#pcm_need_apt[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${pcm_need_apt[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${pcm_need_apt[@]}" >/dev/null
fi

pcm_need_pip=()
python3 -c "import pytest" 2>/dev/null || pcm_need_pip+=(pytest)
python3 -c "import requests" 2>/dev/null || pcm_need_pip+=(requests)
python3 -c "import selenium" 2>/dev/null || pcm_need_pip+=(selenium)
python3 -c "import yaml" 2>/dev/null || pcm_need_pip+=(pyyaml)
python3 -c "import openapi_spec_validator" 2>/dev/null || pcm_need_pip+=(openapi-spec-validator)
python3 -c "import websocket" 2>/dev/null || pcm_need_pip+=(websocket-client)
command -v schemathesis >/dev/null 2>&1 || pcm_need_pip+=(schemathesis)
python3 -c "import botocore" 2>/dev/null || pcm_need_pip+=(botocore)
command -v moto_server >/dev/null 2>&1 || pcm_need_pip+=("moto[server]")
python3 -c "import spnego" 2>/dev/null || pcm_need_pip+=(pyspnego)
python3 -c "import cryptography" 2>/dev/null || pcm_need_pip+=(cryptography)
python3 -c "import winrm" 2>/dev/null || pcm_need_pip+=(pywinrm)
python3 -c "import pypsrp" 2>/dev/null || pcm_need_pip+=(pypsrp)
python3 -c "import tree_sitter" 2>/dev/null || pcm_need_pip+=(tree-sitter)
python3 -c "import tree_sitter_powershell" 2>/dev/null || pcm_need_pip+=(tree-sitter-powershell)
{ command -v ansible-inventory >/dev/null 2>&1 && python3 -c "import ansible" 2>/dev/null; } || pcm_need_pip+=(ansible-core)
if [ ${#pcm_need_pip[@]} -gt 0 ]; then
  echo "== installing Python packages: ${pcm_need_pip[*]}"
  python3 -m pip install -q "${pcm_need_pip[@]}" || python3 -m pip install -q --break-system-packages "${pcm_need_pip[@]}"
fi
