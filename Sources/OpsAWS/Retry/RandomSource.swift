/// Where retry jitter comes from. Tests pass a fixed sequence; production uses `SystemRandomSource`.
public protocol RandomSource: Sendable {
    /// A number in `0 ..< 1`.
    func nextUnitInterval() -> Double
}

/// Uniform randomness from the standard library's system generator.
public struct SystemRandomSource: RandomSource {
    /// The system source.
    public init() {}

    /// A uniformly distributed number in `0 ..< 1`.
    public func nextUnitInterval() -> Double {
        Double.random(in: 0..<1)
    }
}
