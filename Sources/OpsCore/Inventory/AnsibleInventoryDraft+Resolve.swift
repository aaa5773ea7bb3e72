extension AnsibleInventoryDraft {
    /// Applies Ansible's group rules and turns every host into an ``InventoryHost`` or a rejection.
    ///
    /// Variables are layered from weakest to strongest: `all`, then the host's groups in Ansible's
    /// `sort_groups` order — by depth below `all` (parents before children), then by `ansible_group_priority`
    /// (default 1, the higher winning), then by name (the alphabetically later winning) — then the host's own
    /// variables. A host listed several times keeps the union of its groups and of its variables, later lines
    /// winning. A host in a group whose `ansible_group_priority` is not a whole number is refused: its variables
    /// cannot be layered as Ansible would.
    func resolve() throws(InventoryError) -> ParsedInventory {
        try checkForCycles()
        var parents: [String: [String]] = [:]
        for name in groupOrder + ["ungrouped"] {
            for child in groups[name]?.children ?? [] { parents[child.name, default: []].append(name) }
        }
        var depths: [String: Int] = ["all": 0]
        var memberships: [String: [String]] = [:]
        for name in ["all", "ungrouped"] + groupOrder {
            for host in groups[name]?.hosts ?? [] { memberships[host, default: []].append(name) }
        }
        var result = ParsedInventory()
        for name in hostOrder {
            let line = hostLines[name] ?? 0
            var member = Set<String>()
            var pending = memberships[name] ?? []
            while let group = pending.popLast() {
                guard member.insert(group).inserted else { continue }
                pending += parents[group] ?? []
            }
            member.remove("all")
            if member.count > 1 { member.remove("ungrouped") }
            if member.isEmpty { member = ["ungrouped"] }
            let ordered = member.sorted { lhs, rhs in
                let left = (depth(of: lhs, parents: parents, memo: &depths), groups[lhs]?.priority ?? 1)
                let right = (depth(of: rhs, parents: parents, memo: &depths), groups[rhs]?.priority ?? 1)
                return left == right ? lhs < rhs : left < right
            }
            if let bad = ordered.first(where: { groups[$0]?.invalidPriority != nil }),
                let text = groups[bad]?.invalidPriority
            {
                result.rejections.append(
                    InventoryRejection(
                        line: line, name: name,
                        reason: "group '\(bad)' has ansible_group_priority \(text), which is not a whole number"))
                continue
            }
            var vars = groups["all"]?.vars ?? [:]
            for group in ordered { vars.merge(groups[group]?.vars ?? [:]) { _, new in new } }
            vars.merge(hostVars[name] ?? [:]) { _, new in new }
            let visibleGroups = ordered.filter { $0 != "ungrouped" }.sorted()
            switch AnsibleHostVariables.host(name: name, line: line, groups: visibleGroups, vars: vars) {
            case .accepted(let host): result.hosts.append(host)
            case .rejected(let rejection): result.rejections.append(rejection)
            }
        }
        result.rejections = (rejections + result.rejections).sorted { $0.line < $1.line }
        result.groups = groupOrder.compactMap { name in
            groups[name].map { group in
                InventoryGroup(
                    name: group.name, directHosts: group.hosts, children: group.children.map(\.name),
                    vars: AnsibleHostVariables.visibleVars(group.vars), line: group.line)
            }
        }
        return result
    }

    /// Depth below `all`: a group without parents sits directly under `all`.
    private func depth(of group: String, parents: [String: [String]], memo: inout [String: Int]) -> Int {
        if let known = memo[group] { return known }
        var deepest = 0
        for parent in parents[group] ?? [] { deepest = max(deepest, depth(of: parent, parents: parents, memo: &memo)) }
        memo[group] = deepest + 1
        return deepest + 1
    }

    /// Refuses `children` loops, which Ansible cannot resolve either; `all` contains every group.
    private func checkForCycles() throws(InventoryError) {
        for name in ["all", "ungrouped"] + groupOrder {
            for child in groups[name]?.children ?? [] where child.name == "all" {
                throw .childrenCycle(line: child.line, cycle: ["all", name, "all"])
            }
        }
        var finished = Set<String>()
        for name in ["ungrouped"] + groupOrder where !finished.contains(name) {
            try visit(name, path: [], finished: &finished)
        }
    }

    private func visit(_ name: String, path: [String], finished: inout Set<String>) throws(InventoryError) {
        let path = path + [name]
        for child in groups[name]?.children ?? [] {
            if let start = path.firstIndex(of: child.name) {
                throw .childrenCycle(line: child.line, cycle: Array(path[start...]) + [child.name])
            }
            if !finished.contains(child.name) { try visit(child.name, path: path, finished: &finished) }
        }
        finished.insert(name)
    }
}
