/// The words the safety screen looks for. Lists, not patterns: each entry is a word (or phrase) that no catalog
/// action needs and that means a command, a destructive act, access or secrets, or an attempt to change the rules.
extension SafetyScreen {
    static let injectionTargets: Set<String> = [
        "rules", "rule", "instructions", "instruction", "guidelines", "restrictions", "policy", "policies",
        "constraints", "guardrails", "safety", "prompt", "prompts", "programming", "limits", "catalog",
    ]
    static let injectionPhrases: [[String]] = [
        ["you", "are", "now"], ["developer", "mode"], ["god", "mode"], ["admin", "mode"], ["jailbreak"],
        ["system", "prompt"], ["pretend"], ["act", "as"], ["roleplay"], ["bypass"], ["override"],
        ["no", "restrictions"], ["without", "restrictions"], ["without", "confirmation"], ["skip", "confirmation"],
        ["new", "instructions"], ["do", "anything", "now"], ["forget", "everything"], ["you", "were", "told"],
        ["ignore", "the", "above"], ["ignore", "everything"], ["ignore", "all"], ["disregard"],
        ["from", "now", "on"], ["you", "are", "a"], ["you", "are", "an"], ["unrestricted"], ["no", "rules"],
        ["new", "rules"], ["sudo", "mode"], ["maintenance", "mode"], ["debug", "mode"], ["your", "instructions"],
        ["previous", "instructions"], ["prior", "instructions"], ["above", "instructions"], ["jailbroken"],
    ]
    /// Programs whose name in a request means a command, not a catalog action.
    static let commandWords: Set<String> = [
        "rm", "rmdir", "del", "deltree", "mkfs", "fdisk", "diskpart", "format-volume", "remove-item", "curl",
        "wget", "iwr", "invoke-webrequest", "invoke-expression", "iex", "bash", "zsh", "sh", "powershell", "pwsh",
        "cmd", "cmd.exe", "python", "python3", "perl", "ruby", "nc", "netcat", "ncat", "chmod", "chown", "chattr",
        "useradd", "adduser", "userdel", "usermod", "passwd", "chpasswd", "visudo", "sudo", "su", "whoami",
        "new-localuser", "add-localgroupmember", "set-executionpolicy", "stop-computer", "restart-computer",
        "bcdedit", "regedit", "crontab", "iptables", "ufw", "firewall-cmd", "netsh", "killall", "pkill",
        "taskkill", "kill", "eval", "exec", "base64", "scp", "rsync", "mimikatz", "shred", "poweroff", "dd",
        "sed", "awk", "tee", "echo", "cat", "mv", "cp", "xargs", "nohup", "schtasks", "wmic", "certutil", "ls", "id",
        "ps", "uname", "env", "printenv", "history", "chgrp", "ln", "mount", "umount", "reg", "net", "icacls",
        "takeown", "vssadmin", "cipher", "shutdown", "apt-get", "apt", "yum", "dnf", "get-process", "stop-process",
        "get-service", "restart-service", "stop-service", "start-service", "systemctl", "sc", "sc.exe",
    ]
    /// Program names that are also ordinary words ("mount the share" may be a site tool's action): commands only
    /// after "run"/"sudo" or before an argument.
    static let ordinaryWords: Set<String> = [
        "mount", "umount", "net", "reg", "env", "id", "history", "cat", "tee", "echo", "ln", "cp", "mv", "sed", "ps",
        "sc", "shutdown", "kill", "cipher", "type",
    ]
    /// Sub-commands that make an ordinary word a command ("net user", "reg delete").
    static let subcommands: [String: Set<String>] = [
        "net": ["user", "localgroup", "share", "stop", "start", "use", "group"],
        "reg": ["add", "delete", "query", "import", "export"], "sc": ["stop", "start", "delete", "config", "create"],
    ]
    /// PowerShell's approved verbs that start cmdlets people type (`Remove-LocalUser`).
    static let cmdletVerbs: Set<String> = [
        "get", "set", "new", "remove", "add", "stop", "start", "restart", "invoke", "disable", "enable", "clear",
        "format", "install", "uninstall", "copy", "move", "rename", "import", "export", "register", "unregister",
        "grant", "revoke", "enter", "exit", "out", "write", "test", "update", "reset", "suspend", "resume", "mount",
        "dismount", "expand", "compress", "send", "receive", "connect", "disconnect", "block", "unblock",
    ]
    /// Words after which a program name is a command ("run whoami", "sudo rm").
    static let commandIntroducers: Set<String> = [
        "run", "execute", "exec", "type", "sudo", "then", "do", "call", "invoke", "and", "with", "via", "using", "use",
    ]
    /// Things that must not be copied off or sent anywhere.
    static let exportVerbs: Set<String> = [
        "copy", "send", "transfer", "export", "dump", "download", "upload", "scp", "exfiltrate", "email", "mail",
        "post", "leak", "share",
    ]
    static let exportObjects: Set<String> = [
        "key", "keys", "file", "files", "data", "database", "db", "dump", "logs", "log", "passwd", "shadow",
        "secrets", "secret", "credentials", "backup", "backups", "tokens", "token", "certificates", "certs", "hashes",
        "config", "configs", "registry", "home", "mailbox", "emails",
    ]
    /// Verbs for things no catalog action does and that destroy, expose or grant.
    static let forbiddenVerbs: [String: String] = [
        "delete": "deleting", "deletes": "deleting", "deleting": "deleting", "remove": "removing",
        "removing": "removing", "erase": "erasing", "wipe": "wiping", "purge": "purging", "destroy": "destroying",
        "nuke": "destroying", "format": "formatting", "reformat": "formatting", "drop": "dropping",
        "truncate": "truncating", "uninstall": "uninstalling", "empty": "emptying", "reset": "resetting",
        "disable": "disabling", "exfiltrate": "copying data out", "upload": "uploading", "grant": "granting access",
        "revoke": "revoking access", "chmod": "changing permissions", "encrypt": "encrypting",
        "decrypt": "decrypting", "overwrite": "overwriting", "clear": "clearing", "cleanup": "cleaning up",
        "rename": "renaming", "edit": "editing files", "modify": "modifying", "terminate": "terminating",
        "schedule": "scheduling jobs", "kill": "killing processes", "trash": "deleting", "zero": "erasing",
        "inject": "injecting code", "patch-in": "injecting code", "hijack": "hijacking",
        "reinstall": "reinstalling", "rollback": "rolling back", "revert": "reverting", "undo": "undoing",
        "shred": "erasing", "obliterate": "erasing", "scrub": "erasing", "reimage": "reinstalling",
    ]
    static let sensitiveWords: Set<String> = [
        "/etc/shadow", "/etc/passwd", "shadow", "sudoers", "authorized_keys", "password", "passwords",
        "credentials", "backdoor", "keylogger", "ransomware", "miner", "ddos", "root", "administrators", "wheel",
        "sam", "ntds.dit", "id_rsa", "private", "secrets", "firewall", "selinux", "antivirus", "bitcoin", "shell",
        "administrator",
        "admin", "admins", "lsass", "ntds", "hashes", "hash", "keytab", "krbtgt", "sudo",
        "crypto", "cryptocurrency", "mine", "mining", "monero", "malware", "virus", "trojan", "rootkit", "xmrig",
        "cryptominer", "exploit", "escalate", "privilege", "privileges", "hack", "hacking", "crack", "bruteforce",
        "brute-force", "portscan", "nmap", "masscan", "ransom", "phishing", "spyware", "mimikatz", "psexec",
        "metasploit", "meterpreter", "cobalt",
    ]
    static let creationObjects: Set<String> = [
        "user", "users", "account", "accounts", "admin", "admins", "administrator", "login", "key", "keys",
        "file", "files", "script", "scripts", "folder", "directory", "share", "cron", "job", "task", "member",
        "group", "rule", "port", "shell", "session", "terminal", "console", "tunnel", "access",
    ]
    static let hostWords: Set<String> = [
        "server", "servers", "host", "hosts", "machine", "machines", "box", "boxes", "computer", "computers",
        "system", "systems", "vm", "vms", "node", "nodes", "it", "them", "everything", "fleet",
    ]
    static let politeness: Set<String> = [
        "please", "pls", "can", "could", "would", "you", "now", "just", "kindly", "go", "ahead", "and", "then", "hey",
        "hi", "i", "we", "need", "to", "want", "u",
    ]
    static let articles: Set<String> = [
        "the", "all", "my", "our", "these", "those", "every", "this", "that", "entire", "whole", "of",
    ]
}
