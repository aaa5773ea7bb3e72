import Foundation
import OpsConductor
import OpsCore

// pcm-ops-conductor-eval: the Conductor planner's evaluation and benchmark (issue 19).
//   pcm-ops-conductor-eval [--tools DIR] [--inventory FILE] [--verbose] SET.tsv…
//   pcm-ops-conductor-eval --bench [--requests N]
// Exit status: 0 when every set meets the goal (≥ 95% overall, 100% of refusals) or the benchmark's p99 is
// at most 20 ms; 1 when not; 2 on a usage or input error.

struct Options {
    var tools = "Tools"
    var inventory = "Tests/fixtures/conductor/inventory.json"
    var sets: [String] = []
    var verbose = false
    var bench = false
    var requests = 3000
    var template: Int?
    /// Turns of one conversation to plan and print as JSON (`--explain TEXT`, repeatable).
    var explain: [String] = []

    init(_ arguments: [String]) throws {
        var rest = arguments.makeIterator()
        while let argument = rest.next() {
            switch argument {
            case "--tools": tools = try Self.value(&rest, argument)
            case "--inventory": inventory = try Self.value(&rest, argument)
            case "--verbose", "-v": verbose = true
            case "--bench": bench = true
            case "--template": template = Int(try Self.value(&rest, argument))
            case "--explain": explain.append(try Self.value(&rest, argument))
            case "--requests":
                guard let count = Int(try Self.value(&rest, argument)), count > 0 else {
                    throw EvalError.usage("--requests needs a positive number")
                }
                requests = count
            default:
                if argument.hasPrefix("-") { throw EvalError.usage("unknown option \(argument)") }
                sets.append(argument)
            }
        }
        if !bench, sets.isEmpty, explain.isEmpty {
            throw EvalError.usage("usage: pcm-ops-conductor-eval [--verbose] SET.tsv… | --bench")
        }
    }

    private static func value(_ rest: inout IndexingIterator<[String]>, _ option: String) throws -> String {
        guard let value = rest.next() else { throw EvalError.usage("\(option) needs a value") }
        return value
    }
}

func evaluate(_ options: Options) throws -> Bool {
    let (tools, errors) = CatalogLoader.load(directories: [options.tools])
    guard errors.isEmpty, !tools.isEmpty else {
        throw EvalError.usage("cannot load the catalog from \(options.tools): \(errors.map(\.description))")
    }
    let data = try Data(contentsOf: URL(fileURLWithPath: options.inventory))
    let inventory = try JSONDecoder().decode(ConductorInventory.self, from: data)
    let runner = EvalRunner(planner: DeterministicPlanner(), catalog: Catalog(tools: tools), inventory: inventory)
    if !options.explain.isEmpty {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var state: ConversationState?
        for turn in options.explain {
            let (answer, next) = runner.planner.plan(turn, state: state, catalog: runner.catalog, inventory: inventory)
            state = next
            print(String(decoding: try encoder.encode(answer), as: UTF8.self))
        }
        return true
    }
    var met = true
    var all = [EvalRunner.Outcome]()
    for set in options.sets {
        let report = EvalReport(name: set, outcomes: try runner.run(try EvalCase.load(set)))
        print(report.printed(verbose: options.verbose))
        met = met && report.meetsGoal
        all += report.outcomes
    }
    if options.sets.count > 1 { print(EvalReport(name: "all sets", outcomes: all).printed(verbose: false)) }
    return met
}

do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    let met =
        options.bench
        ? try Bench(requests: options.requests, verbose: options.verbose, only: options.template).run()
        : try evaluate(options)
    exit(met ? 0 : 1)
} catch {
    FileHandle.standardError.write(Data("pcm-ops-conductor-eval: \(error)\n".utf8))
    exit(2)
}
