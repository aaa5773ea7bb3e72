"""The record log: one JSON object per line in <state-dir>/records.jsonl, appended as things happen.

kind "command": a command line that ran (written when it ended: exit code, signal, output), with the decoded
PowerShell script and the stdin it received. kind "refused": a request refused before it reached WinRS (401, 413,
415, 400), with the reason.
"""
import json
import threading
import time


def now_iso():
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t * 1000) % 1000:03d}Z"


class RecordLog:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        open(path, "a").close()

    def write(self, record):
        line = json.dumps(record, ensure_ascii=False, sort_keys=True)
        with self.lock, open(self.path, "a", encoding="utf-8") as f:
            f.write(line + "\n")

    def read(self):
        with self.lock, open(self.path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
