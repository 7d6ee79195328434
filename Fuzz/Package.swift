// swift-tools-version: 6.1
// libFuzzer targets for Clientele's readers and for a whole import (issue 6).
//
// A package of its own, depending on the root package by path, so that the main Package.swift and
// CI stay untouched. Build and run through ./run.sh (release, -sanitize=fuzzer,address):
//
//     Fuzz/run.sh csv 600        # or json, xml, import; Fuzz/run-all.sh 600 runs each in turn
//
// Each executable defines LLVMFuzzerTestOneInput and no main: libFuzzer provides it.
import PackageDescription

let package = Package(
    name: "ClienteleFuzz",
    dependencies: [
        .package(name: "Clientele", path: ".."),
    ],
    targets: [
        // Shared by the targets: chunked sources, a memory sink, invariant failures.
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "Clientele", package: "Clientele")]),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzJSON", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzImport", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzXML", dependencies: ["FuzzSupport"]),
    ]
)
