import Fluent
import Foundation

/// Where a run came from (issue 16.3): the job that launched it, the run it is a rerun of, and the targets, groups and
/// selector it was asked for (so "Run again" offers them, not only the targets they matched). Columns of `runs`, apart
/// from ``Run`` so that migrations which read runs through that model keep working on databases older than them.
public final class RunOrigin: Model, @unchecked Sendable {
    public static let schema = "runs"

    @ID(key: .id) public var id: UUID?
    @OptionalField(key: "job_id") public var jobID: UUID?
    /// The job's name and version when it launched the run (the job may be renamed, edited or deleted later).
    @OptionalField(key: "job_name") public var jobName: String?
    @OptionalField(key: "job_version") public var jobVersion: Int?
    /// The public id of the run this one was started again from ("Run again", "Rerun on failed targets").
    @OptionalField(key: "rerun_of") public var rerunOf: String?
    /// ``RunSelection`` as JSON; nil on runs older than the column.
    @OptionalField(key: "selection") public var selectionJSON: String?
    /// Read only here (written with the run).
    @OptionalField(key: "public_id") public var publicID: String?
    @Timestamp(key: "created_at", on: .none) public var createdAt: Date?

    public init() {}
}

/// The targets a run was asked for, as asked: names, groups, a selector.
public struct RunSelection: Sendable, Codable, Hashable {
    public var targets: [String]
    public var groups: [String]
    public var selector: String?

    public init(targets: [String] = [], groups: [String] = [], selector: String? = nil) {
        self.targets = targets
        self.groups = groups
        self.selector = selector
    }

    var json: String {
        (try? String(decoding: JSONEncoder.sorted.encode(self), as: UTF8.self)) ?? "{}"
    }

    init?(json: String?) {
        guard let json, let decoded = try? JSONDecoder().decode(Self.self, from: Data(json.utf8)) else { return nil }
        self = decoded
    }
}

/// What a run records about the job that launched it.
public struct JobLink: Sendable, Hashable {
    public var id: UUID
    public var name: String
    public var version: Int
}
