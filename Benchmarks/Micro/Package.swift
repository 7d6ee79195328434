// swift-tools-version: 6.1
// Micro-benchmarks of Clientele's readers and gzip, in MB/s (ordo-one/benchmark).
//
// A separate package so that `swift test` in the root stays light:
//   cd Benchmarks/Micro && swift package benchmark
// See ../README.md.
import PackageDescription

let package = Package(
    name: "ClienteleMicroBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        // Named, so the product reference below does not depend on the clone's directory name.
        .package(name: "Clientele", path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "FormatsBenchmarks",
            dependencies: [
                .product(name: "Clientele", package: "Clientele"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/FormatsBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
