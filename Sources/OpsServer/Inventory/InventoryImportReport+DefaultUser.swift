extension InventoryImportReport {
    /// Which login the hosts without `ansible_user` got, as a sentence without its full stop; nil when every
    /// imported host names one.
    public var defaultUserSummary: String? {
        let count = defaultUserHosts.count
        guard count > 0 else { return nil }
        let hosts = count == 1 ? "1 host without ansible_user logs" : "\(count) hosts without ansible_user log"
        if let defaultUser { return "\(hosts) in as \(defaultUser), the default user given" }
        return "\(hosts) in as their credential's user (\(InventoryImporter.credentialUser) for a key or password "
            + "read from the file)"
    }
}
