"""What Ansible itself makes of an inventory: hosts, transitive groups, and the address, port, login and
connection its connection plugin would use. Run as a script with the interpreter that has ansible-core:

    python3 ansible_reference.py INVENTORY  ->  JSON {host: {groups, connection, address, port, user}}

Hosts and groups come from `ansible-inventory -i INVENTORY --list`. The connection values are not in that
output (it lists the variables as written, e.g. both ansible_port and ansible_ssh_port), so they are
resolved from those variables by Ansible's own config manager, the way the task executor does it for the
connection plugin the host names (ansible_connection, default ssh)."""
import json
import os
import subprocess
import sys

# Where each plugin keeps the fields compared (option names differ between plugins).
OPTIONS = {
    "ssh": ("host", "port", "remote_user"),
    "paramiko_ssh": ("remote_addr", "port", "remote_user"),
    "winrm": ("remote_addr", "port", "remote_user"),
    "psrp": ("remote_addr", "port", "remote_user"),
}
ALIASES = {"smart": "ssh", "paramiko": "paramiko_ssh"}
# The option holding http or https, for the Windows plugins.
SCHEMES = {"winrm": "scheme", "psrp": "protocol"}


def inventory_list(path):
    """`ansible-inventory -i PATH --list`, from the same installation as this interpreter's ansible."""
    beside = os.path.join(os.path.dirname(sys.executable), "ansible-inventory")
    command = beside if os.path.exists(beside) else "ansible-inventory"
    listed = subprocess.run([command, "-i", path, "--list"], capture_output=True, text=True, check=True)
    return json.loads(listed.stdout)


def transitive_groups(listing):
    """{host: set of groups containing it directly or through children}, without all and ungrouped."""
    parents = {}
    direct = {}
    for group, body in listing.items():
        if group == "_meta":
            continue
        for child in body.get("children", []):
            parents.setdefault(child, set()).add(group)
        for host in body.get("hosts", []):
            direct.setdefault(host, set()).add(group)
    result = {}
    for host in set(listing["_meta"]["hostvars"]) | set(direct):
        seen = set()
        pending = list(direct.get(host, ()))
        while pending:
            group = pending.pop()
            if group not in seen:
                seen.add(group)
                pending += parents.get(group, ())
        result[host] = sorted(seen - {"all", "ungrouped"})
    return result


def connection_values(host, hostvars):
    from ansible import constants as C
    from ansible.plugins.loader import connection_loader

    connection = str(hostvars.get("ansible_connection", "ssh")).removeprefix("ansible.builtin.")
    connection = ALIASES.get(connection, connection)
    values = {"connection": connection, "address": None, "port": None, "user": None}
    if connection not in OPTIONS:
        return values
    connection_loader.get(connection, class_only=True)  # registers the plugin's options with the config
    variables = dict(hostvars, inventory_hostname=host)
    for field, option in zip(("address", "port", "user"), OPTIONS[connection]):
        value = C.config.get_config_value(
            option, plugin_type="connection", plugin_name=connection, variables=variables)
        values[field] = None if value is None else (int(value) if field == "port" else str(value))
    if connection in SCHEMES:
        # The plugins' own rule when the option is unset (winrm.py _build_winrm_kwargs, psrp.py _psrp_protocol).
        scheme = C.config.get_config_value(
            SCHEMES[connection], plugin_type="connection", plugin_name=connection, variables=variables)
        values["scheme"] = scheme or ("http" if values["port"] == 5985 else "https")
    return values


def main(path):
    listing = inventory_list(path)
    hostvars = listing["_meta"]["hostvars"]
    groups = transitive_groups(listing)
    report = {}
    for host in groups:
        report[host] = {"groups": groups[host], **connection_values(host, hostvars.get(host, {}))}
    print(json.dumps(report, indent=1, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1])
