/// The variables each Ansible connection plugin reads for the fields PCM-Ops imports, in the order of the
/// plugin's documentation (`ansible-doc -t connection ssh`, options `host`, `port`, `remote_user`,
/// `private_key_file`, `password`).
///
/// Ansible's config manager walks such a list and keeps the last variable that is set
/// (`ConfigManager._loop_entries`), so the legacy `ansible_ssh_*` spellings beat `ansible_*` for `ssh`, and
/// `PlayContext` agrees (`MAGIC_VARIABLE_MAPPING` tries them first). A plugin ignores the others' spellings: a
/// `winrm` host does not read `ansible_ssh_port`.
struct ConnectionVariables: Equatable {
    var address: [String]
    var port: [String]
    var user: [String]
    var privateKeyFile: [String]
    var password: [String]
    /// Where the password comes from when none of ``password`` is set: Ansible threads `PlayContext.password`
    /// (`ansible_ssh_pass`, else `ansible_password`) to every plugin's `password` option, so a `winrm` host
    /// written with `ansible_ssh_pass` still logs in with it.
    var playContextPassword = ["ansible_password", "ansible_ssh_pass"]

    /// The lists for a connection plugin by its short name (`ssh`, `winrm`, …).
    static func of(plugin: String) -> ConnectionVariables {
        switch plugin {
        case "winrm":
            ConnectionVariables(
                address: ["ansible_host", "ansible_winrm_host"], port: ["ansible_port", "ansible_winrm_port"],
                user: ["ansible_user", "ansible_winrm_user"], privateKeyFile: [],
                password: ["ansible_password", "ansible_winrm_pass", "ansible_winrm_password"])
        case "psrp":
            // psrp's documentation does list the winrm spellings for the password.
            ConnectionVariables(
                address: ["ansible_host", "ansible_psrp_host"], port: ["ansible_port", "ansible_psrp_port"],
                user: ["ansible_user", "ansible_psrp_user"], privateKeyFile: [],
                password: ["ansible_password", "ansible_winrm_pass", "ansible_winrm_password"])
        case "paramiko", "paramiko_ssh":
            ConnectionVariables(
                address: ["ansible_host", "ansible_ssh_host", "ansible_paramiko_host"],
                port: ["ansible_port", "ansible_ssh_port", "ansible_paramiko_port"],
                user: ["ansible_user", "ansible_ssh_user", "ansible_paramiko_user"],
                privateKeyFile: [
                    "ansible_private_key_file", "ansible_ssh_private_key_file", "ansible_paramiko_private_key_file",
                ],
                password: [
                    "ansible_password", "ansible_ssh_pass", "ansible_ssh_password", "ansible_paramiko_pass",
                    "ansible_paramiko_password",
                ])
        case "local":
            // Runs on the controller: no address, port, login or secret.
            ConnectionVariables(
                address: [], port: [], user: [], privateKeyFile: [], password: [], playContextPassword: [])
        default:
            ConnectionVariables(
                address: ["ansible_host", "ansible_ssh_host"], port: ["ansible_port", "ansible_ssh_port"],
                user: ["ansible_user", "ansible_ssh_user"],
                privateKeyFile: ["ansible_private_key_file", "ansible_ssh_private_key_file"],
                password: ["ansible_password", "ansible_ssh_pass", "ansible_ssh_password"])
        }
    }
}
