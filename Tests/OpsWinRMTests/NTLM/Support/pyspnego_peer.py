#!/usr/bin/env python3
"""A WinRM-side NTLM peer for the Swift interop tests: pyspnego's acceptor, driven over stdin/stdout.

One JSON request per line on stdin, one JSON answer per line on stdout; bytes travel as Base64.

    {"op": "start", "protocol": "ntlm"|"negotiate", "users": ["DOMAIN:user:password", ...],
     "cbt": <Base64 application data of the expected channel bindings> | null}
    {"op": "step", "token": ...}          -> {"token": ... | null, "complete": bool, "principal": ...}
    {"op": "wrap", "data": ...}           -> {"header": ..., "data": ...}     (server -> client message)
    {"op": "unwrap", "header": ..., "data": ...} -> {"data": ...}             (client -> server message)
    {"op": "wrap_body", "data": ...}      -> {"content_type": ..., "body": ...} (pypsrp's WinRM framing)
    {"op": "unwrap_body", "body": ...}    -> {"data": ...}

Every answer has "ok"; a failure answers {"ok": false, "error": "<exception type>: <message>"}.
The acceptor is the one the WinRM emulator uses, so what passes here passes there.
"""

import base64
import json
import os
import sys
import tempfile

import spnego
import spnego.channel_bindings
from pypsrp.encryption import WinRMEncryption


def b64(data):
    return base64.b64encode(data).decode() if data is not None else None


def unb64(text):
    return base64.b64decode(text) if text is not None else None


def main():
    context = None
    user_file = tempfile.NamedTemporaryFile("w", suffix=".ntlm-users", delete=False)
    user_file.close()
    os.environ["NTLM_USER_FILE"] = user_file.name
    try:
        for line in sys.stdin:
            request = json.loads(line)
            try:
                op = request["op"]
                if op == "start":
                    with open(user_file.name, "w") as users:
                        users.write("\n".join(request["users"]) + "\n")
                    bindings = None
                    if request.get("cbt") is not None:
                        bindings = spnego.channel_bindings.GssChannelBindings(application_data=unb64(request["cbt"]))
                    context = spnego.server(protocol=request["protocol"], channel_bindings=bindings)
                    answer = {}
                elif op == "step":
                    token = context.step(unb64(request["token"]))
                    answer = {"token": b64(token), "complete": context.complete, "principal": context.client_principal}
                elif op == "wrap":
                    wrapped = context.wrap_winrm(unb64(request["data"]))
                    answer = {"header": b64(wrapped.header), "data": b64(wrapped.data)}
                elif op == "unwrap":
                    answer = {"data": b64(context.unwrap_winrm(unb64(request["header"]), unb64(request["data"])))}
                elif op == "wrap_body":
                    content_type, body = WinRMEncryption(context, WinRMEncryption.SPNEGO).wrap_message(
                        unb64(request["data"])
                    )
                    answer = {"content_type": content_type, "body": b64(body)}
                elif op == "unwrap_body":
                    encryption = WinRMEncryption(context, WinRMEncryption.SPNEGO)
                    answer = {"data": b64(encryption.unwrap_message(unb64(request["body"]), "Encrypted Boundary"))}
                else:
                    raise ValueError("unknown op %r" % op)
                answer["ok"] = True
            except Exception as error:  # the Swift test asserts on the failure
                answer = {"ok": False, "error": "%s: %s" % (type(error).__name__, error)}
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()
    finally:
        os.unlink(user_file.name)


if __name__ == "__main__":
    main()
