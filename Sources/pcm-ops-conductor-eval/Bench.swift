import Foundation
import OpsConductor
import OpsCore

/// Planning latency with 100 synthetic tools and 10,000 targets (issue 19: p99 ≤ 20 ms, release build).
struct Bench {
    static let goalMilliseconds = 20.0
    let requests: Int
    var verbose = false
    /// Only this template (for profiling).
    var only: Int?

    private static let nouns = [
        "cache", "queue", "mail", "proxy", "dns", "ntp", "ldap", "vault", "kafka", "redis", "mongo", "elastic",
        "kibana", "grafana", "prometheus", "consul", "nomad", "haproxy", "varnish", "squid", "bind", "dhcp", "samba",
        "nfs", "cups", "postfix", "dovecot", "exim", "tomcat", "jetty", "wildfly", "rabbit", "activemq", "zookeeper",
        "etcd", "minio", "ceph", "gluster", "jenkins", "gitlab", "nexus", "artifactory", "sonar", "sentry", "statsd",
        "collectd", "telegraf", "fluentd", "logstash", "filebeat", "auditd", "chrony", "cron", "snmp", "zabbix",
        "nagios", "icinga", "puppet", "salt", "chef", "docker", "containerd", "kubelet", "podman", "libvirt", "qemu",
        "openvpn", "wireguard", "strongswan", "radius", "kerberos", "sssd", "winbind", "iis", "mssql", "exchange",
        "sharepoint", "adfs", "wsus", "sccm", "hyperv", "dfs", "print", "rdp", "citrix", "vmtools", "defender",
        "bits", "wmi", "eventlog", "scheduler", "spooler", "netlogon", "w32time", "lanman", "termservice", "iscsi",
        "msmq", "dtc", "sqlagent",
    ]
    private static let roles = (0..<50).map { "role\($0)" }

    /// Writes the synthetic tools and loads them like any site catalog.
    func catalog() throws -> Catalog {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("conductor-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        for (index, noun) in Self.nouns.prefix(100).enumerated() {
            let platform = index % 2 == 0 ? "linux" : "windows"
            let interpreter = platform == "linux" ? "bash" : "powershell"
            let folder = directory.appendingPathComponent("\(noun)-ctl")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let actions = ["status", "start", "stop", "restart", "update"].map { action in
                """
                  - id: \(action)
                    name: \(action.capitalized) \(noun)
                    description: \(action.capitalized)s the \(noun) component and checks the result.
                    interpreter: \(interpreter)
                    script: |
                      echo \(action)
                    timeout: 60
                    destructive: \(action == "stop" || action == "restart" || action == "update")
                """
            }.joined(separator: "\n")
            let yaml = """
                id: \(noun)-ctl
                name: \(noun.capitalized) control
                description: Status, start, stop, restart or update \(noun) instances on \(platform) hosts.
                category: \(platform)
                platforms: [\(platform)]
                parameters:
                  - name: instance
                    type: string
                    required: true
                    pattern: '^[A-Za-z0-9_.-]+$'
                  - name: version
                    type: string
                    pattern: '^[0-9][0-9.]*$'
                  - name: wait_seconds
                    type: int
                    default: "30"
                    min: 0
                    max: 600
                actions:
                \(actions)
                workflows:
                  - id: safe-restart
                    name: Check and restart \(noun)
                    steps:
                      - action: status
                      - action: restart
                """
            try yaml.write(to: folder.appendingPathComponent("tool.yml"), atomically: true, encoding: .utf8)
        }
        let (tools, errors) = CatalogLoader.load(directories: [directory.path])
        guard errors.isEmpty, tools.count == 100 else { throw EvalError.usage("synthetic catalog: \(errors)") }
        return Catalog(tools: tools)
    }

    func inventory() -> ConductorInventory {
        var targets = [ConductorTarget]()
        var members = [String: [String]]()
        for index in 1...10_000 {
            let name = String(format: "node-%05d", index)
            let role = Self.roles[index % Self.roles.count]
            let group = String(format: "grp-%03d", index % 200)
            let os: OSFamily = index % 3 == 0 ? .windows : .linux
            let tags = [
                "env": ["prod", "staging", "dev"][index % 3], "site": ["east", "west", "north", "south"][index % 4],
                "role": role,
            ]
            targets.append(
                ConductorTarget(
                    name: name, os: os, transport: os == .windows ? "winrm" : "ssh", tags: tags,
                    groups: [group, role + "-servers"]))
            members[group, default: []].append(name)
            members[role + "-servers", default: []].append(name)
        }
        let groups = members.keys.sorted().map { name in
            ConductorGroup(
                name: name, description: "Fleet segment \(name) of the benchmark", members: members[name] ?? [])
        }
        return ConductorInventory(targets: targets, groups: groups)
    }

    func requestTexts() -> [(template: Int, text: String)] {
        var random = SplitMix(seed: 19)
        func node() -> String { String(format: "node-%05d", random.next(10_000) + 1) }
        func noun() -> String { Self.nouns[random.next(100)] }
        func role() -> String { Self.roles[random.next(Self.roles.count)] }
        let templates: [() -> String] = [
            { "restart \(noun()) instance web on \(node())" },
            { "bounce the \(noun()) app1 on the \(role()) servers" },
            { "status of \(noun()) main on prod \(role()) servers in site east" },
            { "update \(noun()) core to version 1.2.3 on grp-\(String(format: "%03d", random.next(200)))" },
            { "check \(noun()) a1 on \(node()), \(node()) and \(node())" },
            { "restart \(noun()) x on all windows servers" },
            { "restrat \(noun()) y on \(node())" },
            { "restart on \(node())" },
            { "rm -rf / on \(node())" },
            { "safe restart \(noun()) z on staging \(role()) servers" },
        ]
        return (0..<requests).map { _ in
            let template = only ?? random.next(templates.count)
            return (template, templates[template]())
        }
    }

    func run() throws -> Bool {
        let catalog = try catalog()
        let inventory = inventory()
        let planner = DeterministicPlanner()
        let clock = ContinuousClock()
        let first = clock.now
        _ = planner.plan("restart cache-ctl x on node-00001", state: nil, catalog: catalog, inventory: inventory)
        let build = clock.now - first
        var latencies = [Double]()
        var kinds = [String: Int]()
        var byTemplate = [Int: (example: String, kind: String, latencies: [Double])]()
        for (template, text) in requestTexts() {
            let start = clock.now
            let (answer, _) = planner.plan(text, state: nil, catalog: catalog, inventory: inventory)
            let elapsed = clock.now - start
            let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            latencies.append(milliseconds)
            kinds[answer.kind.rawValue, default: 0] += 1
            byTemplate[template, default: (text, answer.kind.rawValue, [])].latencies.append(milliseconds)
        }
        if verbose {
            for (template, entry) in byTemplate.sorted(by: { $0.key < $1.key }) {
                let sorted = entry.latencies.sorted()
                print(
                    "  #\(template) p99 \(milliseconds(EvalReport.quantile(sorted, 0.99))) \(entry.kind): \(entry.example)"
                )
            }
        }
        latencies.sort()
        let p99 = EvalReport.quantile(latencies, 0.99)
        print("== bench: 100 tools, 10,000 targets, \(latencies.count) requests")
        print(
            "  first answer (builds the indexes) \(milliseconds(Double(build.components.seconds) * 1000 + Double(build.components.attoseconds) / 1e15))"
        )
        print(
            "  p50 \(milliseconds(EvalReport.quantile(latencies, 0.5)))  p99 \(milliseconds(p99))  max \(milliseconds(latencies.last ?? 0))"
        )
        print("  answers: " + kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        let met = p99 <= Self.goalMilliseconds
        print(met ? "  goal met (p99 ≤ 20 ms)" : "  GOAL NOT MET (p99 > 20 ms)")
        return met
    }
}

/// A small seeded generator, so that every run plans the same requests.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
