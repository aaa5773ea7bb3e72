"""python3 -m winrm_emulator --state-dir DIR [--users FILE] [--hosts N] [--http-port P] [--https-port P] …"""
import argparse
import json
import logging
import os
import signal
import sys
import threading

from .emulator import Emulator
from .winrs import Settings


def main(argv=None):
    parser = argparse.ArgumentParser(prog="winrm_emulator", description=__doc__)
    parser.add_argument("--state-dir", required=True, help="ports.json, ca.pem, records.jsonl, state/ go here")
    parser.add_argument("--users", default=os.environ.get("NTLM_USER_FILE"),
                        help="DOMAIN:USER:PASSWORD lines (default: $NTLM_USER_FILE)")
    parser.add_argument("--non-elevated", action="append", default=[], metavar="USER",
                        help="an account whose sessions are not elevated (repeatable)")
    parser.add_argument("--hosts", type=int, default=1, help="emulated hosts, on consecutive ports")
    parser.add_argument("--http-port", type=int, default=0, help="first HTTP port (0: any free run)")
    parser.add_argument("--https-port", type=int, default=0, help="first HTTPS port (0: any free run)")
    parser.add_argument("--control-port", type=int, default=0)
    parser.add_argument("--name-prefix", default="WINEMU", help="computer names are PREFIX-000, PREFIX-001, …")
    parser.add_argument("--seed", help="JSON: {\"default\": {...}, \"hosts\": {\"NAME or index\": {...}}}")
    parser.add_argument("--max-envelope-kb", type=int, default=500, help="MaxEnvelopeSizekb (default 500)")
    parser.add_argument("--max-timeout-ms", type=int, default=60000, help="MaxTimeoutms (default 60000)")
    parser.add_argument("--max-shells-per-user", type=int, default=30, help="MaxShellsPerUser (default 30)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if not args.users:
        parser.error("no users: pass --users or set NTLM_USER_FILE")
    if args.hosts < 1:
        parser.error("--hosts must be at least 1")
    os.makedirs(args.state_dir, exist_ok=True)
    logging.basicConfig(filename=os.path.join(args.state_dir, "emulator.log"),
                        level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(threadName)s %(levelname)s %(message)s")
    seed = None
    if args.seed:
        with open(args.seed, encoding="utf-8") as f:
            seed = json.load(f)
    settings = Settings(max_envelope=args.max_envelope_kb * 1024, max_timeout=args.max_timeout_ms / 1000.0,
                        max_shells_per_user=args.max_shells_per_user)
    emulator = Emulator(args.state_dir, args.users, hosts=args.hosts, http_port=args.http_port,
                        https_port=args.https_port, control_port=args.control_port, name_prefix=args.name_prefix,
                        non_elevated=args.non_elevated, seed=seed, settings=settings)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    signal.signal(signal.SIGUSR1, lambda *_: threading.Thread(target=emulator.dump_states, daemon=True).start())
    emulator.start()
    document = emulator.ports_document()
    print(f"winrm emulator ready: http 127.0.0.1:{document['http_port']} https 127.0.0.1:{document['https_port']} "
          f"control 127.0.0.1:{document['control_port']} hosts {args.hosts} state {emulator.state_dir}", flush=True)
    stopped.wait()
    emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
