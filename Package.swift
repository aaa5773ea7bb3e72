// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "pcm-ops",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pcm-ops", targets: ["pcm-ops"])
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-ssh.git", from: "0.15.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.29.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.0"),
        .package(url: "https://github.com/vapor/swift-openapi-vapor.git", from: "1.2.0"),
    ],
    targets: [
        .target(
            name: "OpsCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "OpsSSH",
            dependencies: [
                "OpsCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSH", package: "swift-nio-ssh"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "OpsWinRM",
            dependencies: [
                "OpsCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "OpsAWS",
            dependencies: [
                "OpsCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(name: "OpsConductor", dependencies: ["OpsCore"]),
        // The Conductor planner's evaluation and benchmark (scripts/eval-conductor).
        .executableTarget(name: "pcm-ops-conductor-eval", dependencies: ["OpsConductor", "OpsCore"]),
        .target(
            name: "OpsServer",
            dependencies: [
                "OpsCore",
                "OpsSSH",
                "OpsAWS",
                "OpsWinRM",
                "OpsConductor",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Plot", package: "Plot"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIVapor", package: "swift-openapi-vapor"),
            ],
            // The built-in catalog ships with the program (Tools/ at the root is a link to it).
            resources: [.copy("Public"), .copy("openapi.yaml"), .copy("Tools")],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .executableTarget(
            name: "pcm-ops",
            dependencies: [
                "OpsCore",
                "OpsServer",
                "OpsAWS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "OpsTestSupport", dependencies: ["OpsCore"], path: "Tests/OpsTestSupport"),
        .testTarget(name: "OpsCoreTests", dependencies: ["OpsCore", "OpsTestSupport"]),
        .testTarget(name: "OpsSSHTests", dependencies: ["OpsSSH", "OpsTestSupport"]),
        .testTarget(
            name: "OpsConductorTests", dependencies: ["OpsConductor", "OpsCore", "OpsTestSupport"],
            exclude: ["Support/fake_openai_server.py"]),
        .testTarget(
            name: "OpsWinRMTests", dependencies: ["OpsWinRM", "OpsCore", "OpsTestSupport"], exclude: ["NTLM/Support"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "OpsAWSTests",
            dependencies: ["OpsAWS", "OpsCore"],
            exclude: ["sigv4_botocore_crosscheck.py"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "OpsServerTests",
            dependencies: [
                "OpsServer",
                "OpsTestSupport",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ]
)
