/// The words people use for what catalog actions do. Canonical words are the ones tool authors use in
/// action ids and names (`restart`, `status`, `update`, `health`…): the planner never names a tool here,
/// it only widens a request's words so that they meet the loaded catalog's own vocabulary.
enum Lexicon {
    /// How much a request word counts when choosing an action.
    enum Strength: Double {
        /// check, show, run: says little about which action.
        case weak = 0.4
        case normal = 1.0
    }

    /// One request word (or phrase) and the catalog words it stands for.
    struct Concept: Sendable, Equatable, Codable {
        var words: String
        /// Alternatives: the concept is explained by whichever the operation knows best.
        var canonical: [String]
        var weight: Double
        /// Brought along by another word ("running" → service); never decides alone.
        var implied = false
    }

    /// Words that carry nothing for planning.
    static let stopWords: Set<String> = [
        "a", "an", "the", "please", "pls", "plz", "can", "could", "would", "will", "shall", "should", "must", "you",
        "u", "i", "we", "me", "my", "our", "us", "want", "wanna", "need", "needs", "to", "on", "in", "at", "for",
        "of", "and", "or", "with", "from", "it", "its", "is", "are", "was", "be", "been", "now", "right", "then",
        "also", "too", "just", "only", "all", "every", "each", "any", "some", "that", "this", "these", "those",
        "them", "there", "here", "what", "which", "how", "why", "when", "does", "did", "hey", "hi", "hello",
        "thanks", "thank", "kindly", "quickly", "asap", "again", "across", "via", "using", "by", "as", "so", "if",
        "whether", "still", "currently", "go", "ahead", "lets", "let", "like", "up", "okay", "ok", "whole",
        "entire", "everywhere", "both", "onto", "into", "over", "about", "please,", "yo", "mate", "team", "today",
        "tonight", "immediately", "soon", "one", "ones", "ahh", "pretty", "real", "fast", "boxen", "where",
        "fail", "fails", "failing", "above", "more", "than", "percent", "pct", "%", "seconds", "secs", "s", "sec",
        "use", "new", "newest", "latest", "sure", "make", "set", "being", "guys", "someone", "somebody", "actually",
        "instead", "rather", "yes", "yeah", "yep", "no", "nope", "build", "release", "well", "oh", "same", "ah",
        "hmm", "um", "btw", "too", "either", "ones", "there", "nothing", "none", "something", "anything", "think",
        "guess", "believe", "mind", "wonder", "maybe", "perhaps", "probably", "seems", "seem", "feel", "know",
        "said", "says", "told", "ask", "asked", "tried", "try", "trying", "help", "hope", "sorry", "back",
        "already", "yet", "ever", "really", "very", "quite", "bit", "little", "lot", "lots", "cheers", "ty",
        "thx", "again", "sure", "ensure", "like", "mean", "means", "guys", "folks", "asap", "urgent", "urgently",
        "possible", "possibly", "kindly", "its", "their", "his", "her", "whatever", "but",
        "though", "anyway", "thing",
        "stuff", "has",
        "have", "do", "been", "had", "getting", "got",
        "named", "called", "against", "under", "after", "before", "@",
    ]

    /// A ticket's reference ("TKT-4411", "INC0012345", "CHG-88:"): where the request came from, never a value.
    static func isTicketReference(_ key: String) -> Bool {
        let word = key.hasSuffix(":") ? String(key.dropLast()) : key
        let parts = word.split(separator: "-")
        if parts.count == 2, (2...6).contains(parts[0].count), parts[0].allSatisfy(\.isLetter),
            parts[1].count >= 2, parts[1].allSatisfy(\.isNumber)
        {
            return true
        }
        let prefix = word.prefix { $0.isLetter }
        return ["inc", "chg", "req", "ritm", "task", "sr", "tkt", "ticket"].contains(String(prefix))
            && word.count - prefix.count >= 4 && word.dropFirst(prefix.count).allSatisfy(\.isNumber)
    }

    /// Short forms in the lexicon that typos are never corrected to ("stauts" is status, not stat).
    static let abbreviations: Set<String> = [
        "rstart", "rstrt", "rst", "chk", "stat", "stats", "sts", "upd", "upd8", "updt", "inst", "instl",
    ]

    /// Nouns that mean "machines" without naming which.
    static let targetNouns: Set<String> = [
        "server", "servers", "host", "hosts", "machine", "machines", "box", "boxes", "node", "nodes", "vm", "vms",
        "instance", "instances", "computer", "computers", "fleet", "targets", "group", "groups", "system",
        "systems", "ones", "members", "member", "cluster", "clusters", "env", "environment", "site", "srv", "srvs",
        "svr", "svrs", "boxen", "hosts", "vms",
    ]

    /// Verbs for things the built-in catalog does not do; a request whose only verb is one of these (and not a
    /// word of a loaded tool) is refused rather than turned into a question.
    static let unsupportedVerbs: Set<String> = [
        "configure", "reconfigure", "change", "enable", "mount", "unmount", "umount", "move", "rename", "compress",
        "zip", "unzip", "extract", "archive", "backup", "restore", "migrate", "clone", "provision", "resize",
        "attach", "detach", "join", "register", "deregister", "sync", "synchronize", "send", "email", "scan",
        "tail", "grep", "search", "lock", "unlock", "block", "allow", "whitelist", "blacklist", "apply", "write",
        "append", "tweak", "tune", "optimize", "optimise", "flush", "downgrade", "defragment", "defrag", "chown",
        "delegate", "transfer", "print", "open", "close", "login", "log", "ssh", "rdp", "connect", "upload",
        "tell", "joke", "translate", "compile", "recompile", "weather", "sing", "draw", "explain", "summarize",
        "calculate",
    ]

    /// Words meaning "every target".
    static let everything: Set<String> = ["all", "every", "everything", "everywhere", "entire", "whole"]

    /// Words describing a state ("nginx is down, fix it"): they count less than the verb beside them.
    static let stateWords: Set<String> = [
        "running", "active", "alive", "down", "dead", "stopped", "started", "working", "broken", "up", "installed",
        "crashed",
    ]

    /// Verbs that say little about which action is meant.
    static let weakVerbs: Set<String> = [
        "check", "show", "get", "see", "view", "look", "query", "inspect", "examine", "display", "run", "do",
        "perform", "tell", "give", "report", "verify", "validate", "confirm", "list", "find", "chk",
    ]

    /// Single words → canonical catalog words.
    static let synonyms: [String: [String]] = [
        "restart": ["restart"], "bounce": ["restart"], "cycle": ["restart"], "recycle": ["restart"],
        // Abbreviations people type in tickets and chat.
        "rstart": ["restart"], "rstrt": ["restart"], "rst": ["restart"],
        "chk": ["check", "status", "verify", "health", "detect"],
        "stat": ["status"], "stats": ["status"], "sts": ["status"], "upd": ["update"], "upd8": ["update"],
        "updt": ["update"], "inst": ["install"], "instl": ["install"],
        "kick": ["restart"], "reboot": ["restart"], "reload": ["restart"], "respawn": ["restart"],
        "restarts": ["restart"], "rerun": ["restart"], "kickstart": ["restart"],
        "start": ["start"], "launch": ["start"], "resume": ["start"], "begin": ["start"],
        "stop": ["stop"], "halt": ["stop"], "shutdown": ["stop"], "pause": ["stop"], "suspend": ["stop"],
        "status": ["status", "state", "detect"], "state": ["status"], "running": ["status"], "active": ["status"],
        "alive": ["ping", "status"], "down": ["status"], "dead": ["status"],
        "stopped": ["status"], "started": ["status"], "working": ["status"], "crashed": ["status"],
        "statuses": ["status"], "check": ["check", "status", "verify", "health", "detect"],
        "show": ["status"], "get": ["status"], "see": ["status"], "view": ["status"], "look": ["status"],
        "query": ["status"], "inspect": ["status", "detect"], "examine": ["status"], "display": ["status"],
        "verify": ["verify", "check", "status"], "validate": ["verify", "validation", "check"],
        "confirm": ["verify"], "report": ["report", "status"], "list": ["status"], "find": ["status", "detect"],
        "update": ["update"], "upgrade": ["update"], "patch": ["update", "patching"], "bump": ["update"],
        "deploy": ["update", "install"], "rollout": ["update"], "push": ["update"], "refresh": ["update", "refresh"],
        "replace": ["replace", "update"], "swap": ["replace", "update"],
        "install": ["install"], "add": ["install"], "setup": ["install"],
        "health": ["health"], "healthcheck": ["health", "check"], "sanity": ["health"], "checkup": ["health"],
        "diagnostics": ["health", "detect"], "wellbeing": ["health"],
        "ping": ["ping"], "reachable": ["ping"], "reach": ["ping"], "reached": ["ping"], "unreachable": ["ping"],
        "reachability": ["ping"], "responding": ["ping"],
        "respond": ["ping"], "online": ["ping"], "pingable": ["ping"], "connectivity": ["ping"],
        "disk": ["disk"], "disks": ["disk"], "space": ["disk"], "storage": ["disk"], "df": ["disk"],
        "filesystem": ["disk"], "filesystems": ["disk"], "partition": ["disk"], "drive": ["disk"],
        "drives": ["disk"], "usage": ["usage"],
        "memory": ["memory"], "ram": ["memory"], "mem": ["memory"],
        "uptime": ["uptime"], "load": ["uptime", "load"], "busy": ["uptime", "load"], "cpu": ["uptime", "load"],
        "boot": ["uptime"],
        "prep": ["prep"], "prepare": ["prep"], "preparation": ["prep"], "prepatch": ["prep"], "pre": ["prep"],
        "post": ["post"], "postpatch": ["post"], "aftercare": ["post"],
        "fix": ["fix", "repair"], "fixer": ["fix"], "repair": ["repair", "fix"], "heal": ["repair", "fix"],
        "remediate": ["repair", "fix"], "mend": ["repair"], "reenroll": ["repair", "enroll"],
        "enroll": ["repair", "enroll"], "enrol": ["repair", "enroll"], "enrollment": ["enroll", "repair"],
        "detect": ["detect"], "diagnose": ["detect"], "troubleshoot": ["detect"], "investigate": ["detect"],
        "broken": ["fix", "repair"], "sft": ["sft"], "scaleft": ["sft", "scaleft"], "sftd": ["sft", "sftd"],
        "qc": ["qc"], "kernel": ["kernel"], "kernels": ["kernel"], "stage": ["stage"], "download": ["stage"],
        "binary": ["binary"], "exe": ["process", "binary"], "executable": ["binary"], "dll": ["binary"],
        "package": ["package"], "packages": ["package"], "pkg": ["package"], "rpm": ["package"],
        "deb": ["package"], "apt": ["package"], "yum": ["package"], "dnf": ["package"],
        "version": ["version", "package"], "versions": ["version", "package"],
        "installed": ["status"],
        "service": ["service"], "services": ["service"], "daemon": ["service"], "daemons": ["service"],
        "unit": ["service", "unit"], "units": ["service", "unit"], "svc": ["service"], "systemd": ["service"],
        "process": ["process"], "processes": ["process"], "proc": ["process"], "pid": ["process"],
        "safe": ["safe"], "safely": ["safe"], "carefully": ["safe"], "compare": ["compare"],
        "comparison": ["compare"], "final": ["final"], "initial": ["initial"], "snapshot": ["initial", "report"],
    ]

    /// Phrases (matched before single words) → canonical words.
    static let phrases: [([String], [String])] = [
        (["turn", "off", "and", "on"], ["restart"]), (["stop", "and", "start"], ["restart"]),
        (["bring", "up"], ["start"]), (["fire", "up"], ["start"]), (["spin", "up"], ["start"]),
        (["turn", "on"], ["start"]), (["shut", "down"], ["stop"]), (["take", "down"], ["stop"]),
        (["bring", "down"], ["stop"]), (["turn", "off"], ["stop"]),
        (["health", "check"], ["health", "check"]), (["is", "it", "up"], ["status"]),
        (["what", "version"], ["status"]), (["which", "version"], ["status"]), (["is", "installed"], ["status"]),
        (["before", "patching"], ["prep"]), (["pre", "patching"], ["prep"]), (["patch", "prep"], ["prep", "qc"]),
        (["patching", "prep"], ["prep", "qc"]), (["after", "patching"], ["post"]),
        (["post", "patching"], ["post", "qc"]), (["patch", "post"], ["post", "qc"]),
        (["patching", "post"], ["post", "qc"]), (["roll", "out"], ["update"]),
        (["free", "space"], ["disk"]), (["load", "average"], ["uptime"]), (["how", "long"], ["uptime"]),
        (["been", "up"], ["uptime"]), (["new", "build"], ["update"]), (["new", "version"], ["update"]),
        (["new", "binary"], ["update", "binary"]), (["get", "the", "latest"], ["update"]),
        (["get", "latest"], ["update"]),
        (["up", "to", "date"], ["update"]),
    ]

    /// Further meanings a word brings along, weighing half ("running" is about a service).
    static let implies: [String: [String]] = [
        "running": ["service"], "active": ["service"], "down": ["service"], "dead": ["service"],
        "stopped": ["service"], "started": ["service"], "installed": ["package"], "version": ["package"],
        "what version": ["package"], "which version": ["package"], "is installed": ["package"],
        "is it up": ["service"], "sftd": ["service"],
    ]

    /// Lexicon words that are also names of things to act on ("restart sftd"): a concept and a value.
    static let alsoValues: Set<String> = ["sftd"]

    /// Words naming a platform.
    static let platforms: [String: String] = [
        "linux": "linux", "unix": "linux", "ubuntu": "linux", "debian": "linux", "rhel": "linux",
        "centos": "linux", "redhat": "linux", "windows": "windows", "win": "windows", "win32": "windows",
        "microsoft": "windows",
    ]

    /// Common ways of writing tag values (`production` for `prod`).
    static let tagValueSynonyms: [String: [String]] = [
        "production": ["prod", "production", "prd"], "prod": ["prod", "production", "prd"],
        "prd": ["prod", "production"], "staging": ["staging", "stage", "stg"], "stage": ["staging", "stage", "stg"],
        "stg": ["staging", "stage"], "development": ["dev", "development"], "dev": ["dev", "development"],
        "testing": ["test", "testing", "qa"], "test": ["test", "testing"], "qa": ["qa", "test"],
    ]

    /// The forms a word may take before lookup: itself, without a plural or -ing/-ed ending.
    static func stems(_ word: String) -> [String] {
        var result = [word]
        func add(_ stem: String) { if stem.count >= 3, !result.contains(stem) { result.append(stem) } }
        if word.hasSuffix("ies") { add(String(word.dropLast(3)) + "y") }
        if word.hasSuffix("es") { add(String(word.dropLast(2))) }
        if word.hasSuffix("s"), !word.hasSuffix("ss") { add(String(word.dropLast())) }
        if word.hasSuffix("ing") {
            let base = String(word.dropLast(3))
            add(base)
            add(base + "e")
            if base.count > 3, let last = base.last, base.dropLast().last == last { add(String(base.dropLast())) }
        }
        if word.hasSuffix("ed") {
            let base = String(word.dropLast(2))
            add(base)
            add(String(word.dropLast()))
            // "logged" → log, "stopped" → stop.
            if base.count > 3, let last = base.last, base.dropLast().last == last { add(String(base.dropLast())) }
        }
        return result
    }
}
