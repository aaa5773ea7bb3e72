import Foundation
import Testing

@testable import OpsWinRM

/// The WinRM emulator started by scripts/test (scripts/lib/winrm.sh), described by `PCMOPS_TEST_WINRM_*`.
struct WinRMTestPeer {
    var httpPort: Int
    var httpsPort: Int
    var controlPort: Int
    var caBundle: String
    var user: String
    var password: String
    var limitedUser: String
    var limitedPassword: String
    var domainUser: String
    var domainPassword: String
    var records: String

    static let current: WinRMTestPeer? = {
        let environment = ProcessInfo.processInfo.environment
        guard let http = environment["PCMOPS_TEST_WINRM_HTTP_PORT"].flatMap(Int.init),
            let https = environment["PCMOPS_TEST_WINRM_HTTPS_PORT"].flatMap(Int.init),
            let control = environment["PCMOPS_TEST_WINRM_CONTROL_PORT"].flatMap(Int.init),
            let ca = environment["PCMOPS_TEST_WINRM_CA"], let user = environment["PCMOPS_TEST_WINRM_USER"],
            let password = environment["PCMOPS_TEST_WINRM_PASSWORD"]
        else { return nil }
        return WinRMTestPeer(
            httpPort: http, httpsPort: https, controlPort: control, caBundle: ca, user: user, password: password,
            limitedUser: environment["PCMOPS_TEST_WINRM_LIMITED_USER"] ?? "",
            limitedPassword: environment["PCMOPS_TEST_WINRM_LIMITED_PASSWORD"] ?? "",
            domainUser: environment["PCMOPS_TEST_WINRM_DOMAIN_USER"] ?? "",
            domainPassword: environment["PCMOPS_TEST_WINRM_DOMAIN_PASSWORD"] ?? "",
            records: environment["PCMOPS_TEST_WINRM_RECORDS"] ?? "")
    }()

    static var isAvailable: Bool { current != nil }

    static func require() throws -> WinRMTestPeer {
        try #require(current, "scripts/test starts the WinRM emulator and sets PCMOPS_TEST_WINRM_*")
    }

    /// A target on emulated host `index` (0 = the first). HTTPS targets use the name the certificate carries.
    func target(
        https: Bool = false, authentication: WinRMAuthentication = .ntlm, host index: Int = 0,
        verification: WinRMEndpoint.TLSVerification? = nil, user: String? = nil, password: String? = nil
    ) -> WinRMTarget {
        let endpoint = WinRMEndpoint(
            host: https ? "localhost" : "127.0.0.1", port: (https ? httpsPort : httpPort) + index,
            scheme: https ? .https : .http, authentication: authentication,
            tlsVerification: verification ?? .caBundle(path: caBundle))
        return WinRMTarget(
            name: "win-\(index)", endpoint: endpoint,
            credential: WinRMCredential(login: user ?? self.user, password: password ?? self.password),
            connectTimeout: .seconds(120), operationTimeout: .seconds(5))
    }

    /// The records of commands the emulator ran whose script contains `marker`.
    func records(containing marker: String) throws -> [[String: Any]] {
        let text = (try? String(contentsOfFile: records, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard line.contains(marker) else { return nil }
            return try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
    }

    /// ``records(containing:)`` once `count` of them are there: the emulator writes a record just after the
    /// command's last answer.
    func awaitRecords(containing marker: String, count: Int = 1) async throws -> [[String: Any]] {
        for _ in 0..<200 {
            let found = try records(containing: marker)
            if found.count >= count { return found }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try records(containing: marker)
    }
}
