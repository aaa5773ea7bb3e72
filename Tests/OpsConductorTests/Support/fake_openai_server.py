"""A fake OpenAI-compatible chat completions server for the LLM planner's tests.

Listens on 127.0.0.1 only, on a free port it prints on the first line of stdout, and answers
POST /<mode>/v1/chat/completions according to <mode> (see ANSWERS and the modes below). It exits
when its standard input closes, so a test that dies does not leave it behind.
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PLAN = {"kind": "plan", "operation": "linux-service.restart", "parameters": {"unit": "nginx"},
        "targets": {"hosts": ["web01"]}}
ANSWERS = {
    "good": PLAN,
    "mixed": {"kind": "plan", "operation": "linux-service.restart", "parameters": {"unit": "postgresql"},
              "targets": {"groups": ["db-servers"]}},
    "numbers": {"kind": "plan", "operation": "system.disk", "parameters": {"threshold": 85},
                "targets": {"tags": [{"key": "env", "value": "dev"}], "platform": "linux"}},
    "invalid-value": dict(PLAN, parameters={"unit": "nginx; rm -rf /"}),
    "unknown-operation": dict(PLAN, operation="linux-service.nuke"),
    "unknown-host": dict(PLAN, targets={"hosts": ["web99"]}),
    "unknown-parameter": dict(PLAN, parameters={"unit": "nginx", "command": "rm -rf /"}),
    "no-targets": dict(PLAN, targets={}),
    "refuse": {"kind": "refuse", "reason": "Nothing in the catalog does that."},
    "clarify": {"kind": "clarify", "field": "targets"},
    "bad-kind": {"kind": "execute"},
}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        mode = self.path.strip("/").split("/")[0]
        function = request["tools"][0]["function"]
        operations = function["parameters"]["properties"]["operation"]["enum"]
        # The request must constrain the model to the catalog.
        if request.get("model") != "test-model" or "linux-service.restart" not in operations \
                or request["tool_choice"]["function"]["name"] != function["name"]:
            return self.reply(400, {"error": "unexpected request"})
        if mode == "auth" and self.headers.get("Authorization") != "Bearer secret-key":
            return self.reply(401, {"error": "unauthorized"})
        if mode == "slow":
            time.sleep(30)
        if mode == "error":
            return self.reply(500, {"error": "boom"})
        if mode == "garbage":
            return self.reply(200, b"this is not json")
        if mode == "content":
            text = "```json\n" + json.dumps(PLAN) + "\n```"
            return self.reply(200, {"choices": [{"message": {"role": "assistant", "content": text}}]})
        answer = ANSWERS.get(mode, PLAN)
        call = {"id": "call_1", "type": "function",
                "function": {"name": function["name"], "arguments": json.dumps(answer)}}
        self.reply(200, {"choices": [{"message": {"role": "assistant", "tool_calls": [call]}}]})


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
