import Vapor

/// Why a job could not be read, saved, changed or run; each case knows its HTTP status.
public enum JobError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field of the job, or of a run's overrides, is not valid: a 400 naming it.
    case invalid(field: String, message: String)
    /// A new job names a tool, action, workflow, target or group that does not exist: a 404, as for runs.
    case unknown(field: String, message: String)
    /// A change names one that does not exist: a 422 (on a job's own path, 404 is for the job), as for groups.
    case unusable(field: String, message: String)
    case notFound(String)
    case duplicate(String)
    /// Only the job's owner or an admin may change it.
    case notEditable(job: String, owner: String)
    /// The catalog or the inventory changed under the job so that it cannot run as saved: a 409 listing why.
    case broken(job: String, problems: [String])
    /// The change was made against an older version of the job than the stored one.
    case versionConflict(job: String, given: Int, current: Int)

    public var description: String {
        switch self {
        case .invalid(let field, let message), .unknown(let field, let message), .unusable(let field, let message):
            "\(field): \(message)"
        case .notFound(let name): "no job named '\(name)'"
        case .duplicate(let name): "a job named '\(name)' already exists"
        case .notEditable(let job, let owner):
            "job '\(job)' belongs to \(owner); only its owner or an admin may change it"
        case .broken(let job, let problems):
            "job '\(job)' cannot run until it is edited: " + problems.joined(separator: "; ")
        case .versionConflict(let job, let given, let current):
            "job '\(job)' was changed meanwhile: it is at version \(current), not \(given); reload it and try again"
        }
    }
}

extension JobError: AbortError {
    public var status: HTTPResponseStatus {
        switch self {
        case .invalid: .badRequest
        case .notFound, .unknown: .notFound
        case .unusable: .unprocessableEntity
        case .notEditable: .forbidden
        case .duplicate, .broken, .versionConflict: .conflict
        }
    }

    public var reason: String { description }
}
