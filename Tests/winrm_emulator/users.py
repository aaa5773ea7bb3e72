"""The accounts the emulated hosts accept, read from a pyspnego `NTLM_USER_FILE` (`DOMAIN:USER:PASSWORD` lines).

A line with an empty domain is a local account of every emulated host: Windows accepts it as `user`, `.\\user` or
`HOSTNAME\\user` (and refuses another computer's name). A line with a domain is a domain account: `DOMAIN\\user`,
`user@DOMAIN`, or `user` with no domain. pyspnego's acceptor matches the domain of the NTLM message literally, so the
emulator writes an expanded copy of the file (one line per accepted spelling) and points NTLM_USER_FILE at it.
"""
import hmac
import os


class User:
    def __init__(self, domain, name, password, elevated=True):
        self.domain = domain
        self.name = name
        self.password = password
        self.elevated = elevated

    @property
    def principal(self):
        """How Windows shows the owner of a shell: `user` for a local account, `DOMAIN\\user` otherwise."""
        return f"{self.domain}\\{self.name}" if self.domain else self.name

    def whoami(self, computer_name):
        return f"{(self.domain or computer_name).lower()}\\{self.name.lower()}"


class UserDirectory:
    def __init__(self, users, computer_names):
        self.users = users
        self.computer_names = [c.upper() for c in computer_names]

    @classmethod
    def load(cls, path, computer_names, non_elevated=()):
        limited = {n.lower() for n in non_elevated}
        users = []
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f.read().splitlines(), 1):
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                parts = line.split(":", 2)
                if len(parts) != 3 or not parts[1]:
                    raise ValueError(f"{path}:{number}: expected DOMAIN:USER:PASSWORD")
                domain, name, password = parts
                domain = "" if domain in ("", ".") else domain
                principal = f"{domain}\\{name}" if domain else name
                users.append(User(domain, name, password,
                                  elevated=name.lower() not in limited and principal.lower() not in limited))
        if not users:
            raise ValueError(f"{path}: no users")
        return cls(users, computer_names)

    def write_acceptor_file(self, path):
        """Every spelling the NTLM acceptor must find, in pyspnego's DOMAIN:USER:PASSWORD format."""
        lines = []
        for user in self.users:
            if user.domain:
                spellings = [(user.domain, user.name), ("", f"{user.name}@{user.domain}"), ("", user.name)]
            else:
                spellings = [("", user.name), (".", user.name)] + [(c, user.name) for c in self.computer_names]
            lines += [f"{d}:{n}:{user.password}" for d, n in spellings]
        with open(path, "w", encoding="utf-8") as f:
            os.chmod(path, 0o600)
            f.write("\n".join(lines) + "\n")

    def resolve(self, domain, name, computer_name):
        """The account an NTLM or Basic identity names on the host `computer_name`, or None."""
        domain = (domain or "").strip()
        if not domain and "@" in name:
            name, domain = name.rsplit("@", 1)
        for user in self.users:
            if user.name.lower() != name.lower():
                continue
            if user.domain:
                if not domain or domain.lower() == user.domain.lower():
                    return user
            elif domain in ("", ".") or domain.upper() == computer_name.upper():
                return user
        return None

    def check_basic(self, username, password, computer_name):
        """The local account these Basic credentials name (WinRM's Basic accepts local accounts only), or None."""
        domain = ""
        if "\\" in username:
            domain, username = username.split("\\", 1)
        user = self.resolve(domain, username, computer_name)
        if user is None or user.domain or not hmac.compare_digest(user.password.encode(), password.encode()):
            return None
        return user
