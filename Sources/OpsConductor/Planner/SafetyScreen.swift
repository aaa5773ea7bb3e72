/// Refuses requests that no catalog action does and that must never turn into a plan: arbitrary commands,
/// deleting things, accounts and passwords, rebooting hosts, and attempts to talk the planner out of its rules.
/// It runs before anything else and does not depend on the catalog, so a site tool can never make a
/// dangerous request plannable by matching its words.
enum SafetyScreen {
    /// Why a request is refused, for the answer's text and explanation.
    struct Refusal: Sendable, Equatable {
        var words: String
        var reason: String
    }

    /// The refusal for `request`, or nil when planning may go on. `isTarget` says whether a word names a
    /// target or a group (for "reboot web01").
    static func screen(
        _ request: RequestText, isTarget: (String) -> Bool, isModifier: (String) -> Bool = { _ in false }
    ) -> Refusal? {
        if let refusal = shellSyntax(in: request.original) { return refusal }
        // Words of the request and of its quoted values (a command in quotes is still a command).
        var words = [String]()
        for token in request.tokens {
            switch token.kind {
            case .word: words.append(token.key)
            case .quoted, .url:
                words += token.raw.split(whereSeparator: \.isWhitespace).map { RequestText.fold(String($0)) }
            case .path, .assignment: break
            }
        }
        let hasURL = request.tokens.contains { $0.kind == .url }
        // `run "uptime"`: whatever is quoted after run or execute is a command.
        for (index, token) in request.tokens.enumerated() where token.kind == .quoted && index > 0 {
            if ["run", "execute", "exec", "eval"].contains(request.tokens[index - 1].key) {
                return Refusal(
                    words: request.tokens[index - 1].key + " \"…\"",
                    reason: "I don't run commands: I only plan catalog actions with validated parameters.")
            }
        }
        for (index, word) in words.enumerated() {
            let next = index + 1 < words.count ? words[index + 1] : ""
            let rest = Array(words[(index + 1)...].prefix(5))
            if word == "ignore" || word == "disregard" || word == "forget" || word == "ignoring",
                rest.contains(where: injectionTargets.contains)
            {
                return Refusal(words: word, reason: "I follow the catalog's rules and cannot be told to ignore them.")
            }
            if let phrase = injectionPhrases.first(where: { matches($0, words, at: index) }) {
                return Refusal(
                    words: phrase.joined(separator: " "),
                    reason: "I only plan catalog actions; instructions to change how I work are refused.")
            }
            let previous = index > 0 ? words[index - 1] : ""
            let argumentFollows =
                ["-", "/", "~", "$", "'", "\"", "."].contains { next.hasPrefix($0) } || next.contains("://")
            // "run chkdsk /f", "execute sfc /scannow": any program run with arguments.
            if ["run", "execute", "exec"].contains(previous), argumentFollows, !next.isEmpty {
                return Refusal(
                    words: previous + " " + word, reason: "I don't run commands: I only plan catalog actions.")
            }
            // PowerShell cmdlets (Verb-Noun): commands, whatever the noun.
            if let dash = word.firstIndex(of: "-"), cmdletVerbs.contains(String(word[..<dash])), !isTarget(word),
                word[word.index(after: dash)...].allSatisfy(\.isLetter), word.count > dash.utf16Offset(in: word) + 2
            {
                return Refusal(words: word, reason: "That is a PowerShell command; I only plan catalog actions.")
            }
            // A program name is a command at the start of the request (unless it is also a catalog verb, like
            // "shutdown nginx"), after "run"/"sudo", before an argument, or alone at the end.
            let commandPosition =
                commandIntroducers.contains(previous) || argumentFollows || subcommands[word]?.contains(next) == true
                || (next.isEmpty && index == 0)
                || (index == 0 && Lexicon.synonyms[word] == nil && !ordinaryWords.contains(word))
            if (commandWords.contains(word) && commandPosition)
                || word.hasPrefix("/bin/") || word.hasPrefix("/usr/bin/")
            {
                return Refusal(
                    words: word, reason: "I don't run commands: I only plan catalog actions with validated parameters.")
            }
            if ["run", "execute", "exec", "launch", "type", "paste", "eval"].contains(word),
                [
                    "command", "commands", "cmd", "script", "code", "shell", "one-liner", "oneliner", "this",
                    "following",
                    "arbitrary", "snippet", "payload", "binary", "program",
                ].contains(where: { rest.prefix(3).contains($0) })
            {
                return Refusal(
                    words: word + " " + rest.prefix(3).joined(separator: " "),
                    reason: "I don't run arbitrary commands or scripts: only catalog actions with validated parameters."
                )
            }
            if ["write", "generate", "create", "make", "build", "give"].contains(word),
                rest.prefix(4).contains(where: { ["script", "scripts", "code", "command", "one-liner"].contains($0) })
            {
                return Refusal(
                    words: word, reason: "I never write scripts: every plan is an existing catalog action.")
            }
            if let doing = forbiddenVerbs[word] {
                return Refusal(words: word, reason: "No catalog action does that (\(doing)), so I can't plan it.")
            }
            if ["/etc", "/root", "/boot", "/bin", "/sbin", "/usr", "/dev", "/proc", "/sys", "/var/lib", "/home"]
                .contains(where: {
                    word == $0 || word.hasPrefix($0 + "/")
                })
            {
                return Refusal(words: word, reason: "No catalog action reads or changes system files.")
            }
            if sensitiveWords.contains(word) {
                return Refusal(
                    words: word,
                    reason: "That touches accounts, secrets or security settings; no catalog action does it.")
            }
            // "add bob to the docker group": someone added to a group is access granted.
            let membership =
                ["add", "put"].contains(word) && rest.prefix(5).contains("to")
                && rest.prefix(6).contains(where: {
                    ["group", "groups", "sudoers", "admins", "administrators"].contains($0)
                })
            if membership
                || (["create", "add", "new", "make", "open", "give", "set"].contains(word)
                    && rest.prefix(3).contains(where: creationObjects.contains))
            {
                return Refusal(
                    words: word + " " + rest.prefix(3).joined(separator: " "),
                    reason: "No catalog action creates users, files, access or sessions.")
            }
            // "gpupdate /force", "sfc /scannow": a Windows switch after a word that is no verb of ours.
            if word.hasPrefix("/"), (2...16).contains(word.count),
                word.dropFirst().allSatisfy({ $0.isLetter || $0 == "?" }),
                index > 0, Lexicon.synonyms[previous] == nil, !Lexicon.stopWords.contains(previous)
            {
                return Refusal(
                    words: previous + " " + word,
                    reason: "That is a command with a switch; I only plan catalog actions.")
            }
            if word.hasPrefix("-"), word.count >= 2,
                word.dropFirst().first?.isLetter == true || word.dropFirst().first == "-"
                    || Int(word.dropFirst()) != nil
            {
                return Refusal(words: word, reason: "That is a command-line option; I only plan catalog actions.")
            }
            // "shut the db servers down", "bring all web servers down": hosts between the verb and its particle.
            if ["shut", "turn", "switch", "power", "bring", "take"].contains(word),
                let particle = rest.prefix(5).firstIndex(where: { $0 == "down" || $0 == "off" }),
                rest[..<particle].contains(where: { hostWords.contains($0) || isTarget($0) })
            {
                return Refusal(words: word + " … " + rest[particle], reason: "No catalog action powers hosts off.")
            }
            if ["turn", "switch", "power"].contains(word), ["off", "down"].contains(next),
                let object = rest.dropFirst().first(where: { !articles.contains($0) }),
                hostWords.contains(object) || isTarget(object)
            {
                return Refusal(words: word + " " + next, reason: "No catalog action powers hosts off.")
            }
            if word == "roll", next == "back" {
                return Refusal(words: "roll back", reason: "No catalog action rolls changes back on request.")
            }
            if ["power-cycle", "powercycle", "power-off", "hard-reset"].contains(word) {
                return Refusal(
                    words: word, reason: "No catalog action reboots or shuts down hosts; I can restart a service.")
            }
            if ["reboot", "poweroff", "shutdown", "power"].contains(word) || (word == "shut" && next == "down") {
                // "reboot web01", "shut down the web servers": a host, not a service, is the object.
                for object in rest where !articles.contains(object) && !["down", "off", "cycle"].contains(object) {
                    if hostWords.contains(object) || isTarget(object) {
                        return Refusal(
                            words: word + " " + object,
                            reason: "No catalog action reboots or shuts down hosts; I can restart a service.")
                    }
                    if !isModifier(object) { break }
                }
                if rest.allSatisfy({ articles.contains($0) || isModifier($0) }) {
                    return Refusal(
                        words: word, reason: "No catalog action reboots or shuts down hosts; I can restart a service.")
                }
            }
            if ["restart", "bounce", "cycle", "recycle"].contains(word),
                words[..<index].allSatisfy(politeness.contains),
                let object = rest.first(where: { !articles.contains($0) }),
                (hostWords.contains(object) && object != "it" && object != "them") || isTarget(object)
            {
                return Refusal(
                    words: word + " " + object,
                    reason:
                        "No catalog action restarts hosts; name the service to restart (\"restart nginx on \(object)\")."
                )
            }
            if exportVerbs.contains(word), rest.prefix(4).contains(where: exportObjects.contains) {
                return Refusal(words: word, reason: "No catalog action copies or sends data off a host.")
            }
            if hasURL, ["run", "execute", "download", "fetch", "install", "pipe", "script"].contains(word) {
                return Refusal(words: word, reason: "I don't download or run anything from a URL.")
            }
        }
        return nil
    }

    /// Shell operators anywhere in the text: chaining, pipes, substitution, redirection.
    private static func shellSyntax(in text: String) -> Refusal? {
        let operators = ["&&", "||", "$(", "${", ">>", "| ", " |", "|sh", "|bash", "; ", "<(", "2>", "/dev/null"]
        if let found = operators.first(where: { text.contains($0) }) {
            return Refusal(words: found, reason: "That is shell syntax; I only plan catalog actions, never commands.")
        }
        let quotedCommand = text.split(separator: "`", omittingEmptySubsequences: false).enumerated().contains {
            $0.offset % 2 == 1
                && ($0.element.contains(" ") || commandWords.contains(RequestText.fold(String($0.element))))
        }
        if text.contains("`"), quotedCommand {
            return Refusal(words: "`", reason: "That looks like a command; I only plan catalog actions.")
        }
        if text.range(of: #"&\s*(disown|exit|nohup|bg|sh|bash|rm|curl|wget)\b|&\s*$"#, options: .regularExpression)
            != nil
        {
            return Refusal(words: "&", reason: "That runs a command in the background; I only plan catalog actions.")
        }
        if text.range(of: #";\s*[A-Za-z/]"#, options: .regularExpression) != nil {
            return Refusal(words: ";", reason: "That chains commands; I only plan catalog actions, never commands.")
        }
        if text.range(of: #"(^|\s)>\s*\S"#, options: .regularExpression) != nil {
            return Refusal(words: ">", reason: "That is shell redirection; I only plan catalog actions.")
        }
        return nil
    }

    private static func matches(_ phrase: [String], _ words: [String], at index: Int) -> Bool {
        guard index + phrase.count <= words.count else { return false }
        return zip(phrase, words[index...]).allSatisfy { $0 == $1 }
    }
}
