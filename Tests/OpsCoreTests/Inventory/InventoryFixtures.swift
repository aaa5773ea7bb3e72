/// Realistic inventories shared by the parser tests: the same estate written as YAML and as INI.
///
/// The estate: a bastion outside any group; `datacenter` holding `web` and `db`, and `db` holding
/// `db_primary` (three levels of children); `windows` hosts over WinRM; `monitoring` re-listing hosts that
/// already sit in other groups. `all` sets the user and port that the groups then override.
enum InventoryFixtures {
    static let dbPassword = "S3cr3t-Pa55!"
    static let windowsPassword = "W1nd0ws-Pa55"

    static let productionYAML = """
        # Production estate
        all:
          vars:
            ansible_user: deploy
            ansible_port: 22
            env: prod
          hosts:
            bastion.example.com:
              ansible_host: 203.0.113.10
              ansible_connection: local
          children:
            datacenter:
              vars:
                region: eu-west
                ansible_ssh_private_key_file: /keys/dc.pem
              children:
                web:
                  vars:
                    role: web
                    ansible_port: 2222
                  hosts:
                    web[01:03].example.com:
                    web02.example.com:
                      ansible_port: 2200
                      Team: Payments
                db:
                  vars:
                    role: db
                  children:
                    db_primary:
                      vars:
                        role: db-primary
                      hosts:
                        db1.example.com:
                          ansible_host: 10.0.0.11
                          ansible_password: "\(dbPassword)"
            windows:
              vars:
                ansible_connection: winrm
                ansible_port: 5986
                ansible_user: Administrator
              hosts:
                win[a:b].example.com:
                  ansible_ssh_pass: \(windowsPassword)
            monitoring:
              hosts:
                web01.example.com:
                  monitored: "true"
                db1.example.com:

        """

    static let productionINI = """
        # Production estate
        bastion.example.com ansible_host=203.0.113.10 ansible_connection=local

        [web]
        web[01:03].example.com
        web02.example.com ansible_port=2200 Team=Payments

        [web:vars]
        role=web
        ansible_port=2222

        [db_primary]
        db1.example.com ansible_host=10.0.0.11 ansible_password="\(dbPassword)"

        [db_primary:vars]
        role=db-primary

        [db:children]
        db_primary

        [db:vars]
        role=db

        [datacenter:children]
        web
        db

        [datacenter:vars]
        region=eu-west
        ansible_ssh_private_key_file=/keys/dc.pem

        [windows]
        win[a:b].example.com ansible_ssh_pass='\(windowsPassword)'

        [windows:vars]
        ansible_connection=winrm
        ansible_port=5986
        ansible_user=Administrator

        ; hosts already listed above, watched by the monitoring stack
        [monitoring]
        web01.example.com monitored=true
        db1.example.com

        [all:vars]
        ansible_user=deploy
        ansible_port=22
        env=prod

        """

    /// The line (1-based) of the first line in `text` containing `fragment`.
    static func line(of fragment: String, in text: String) -> Int? {
        text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(fragment) }.map {
            $0 + 1
        }
    }
}
