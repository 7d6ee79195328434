// swift-tools-version: 6.1
// Clientele: bulk migration of e-commerce customer accounts.
//
// Layers, each depending only on the ones above it:
//   CZlib (C)  →  ClienteleIO (bytes, gzip, files)  →  ClienteleFormats (CSV, JSON, XML via CLibXML2;
//   no domain)
//   →  ClienteleModel (canonical record, validation, normalization)
//   →  Clientele (pipeline: reconcile, archive, report)  →  ClienteleCLI (arguments only)
import PackageDescription

let package = Package(
    name: "Clientele",
    products: [
        .library(name: "Clientele", targets: ["Clientele"]),
        .executable(name: "clientele", targets: ["ClienteleCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // MARK: - C system libraries
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]),

        // Small C helpers for syscalls Swift cannot reach directly (renameat2).
        .target(name: "CClienteleSystem", path: "Sources/CClienteleSystem"),

        // MARK: - Core layers
        .target(name: "ClienteleIO", dependencies: ["CZlib", "CClienteleSystem"]),
        .target(name: "ClienteleFormats", dependencies: ["ClienteleIO", "CLibXML2"]),
        .target(
            name: "ClienteleModel",
            dependencies: [
                "ClienteleFormats",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .target(
            name: "Clientele",
            dependencies: [
                "ClienteleIO", "ClienteleFormats", "ClienteleModel",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // MARK: - Command-line tool
        .executableTarget(
            name: "ClienteleCLI",
            dependencies: [
                "Clientele",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // MARK: - Tests
        .target(
            name: "ClienteleTestSupport",
            dependencies: ["ClienteleIO"],
            path: "Tests/ClienteleTestSupport"),
        .testTarget(
            name: "ClienteleIOTests",
            dependencies: ["ClienteleIO", "ClienteleTestSupport"]),
        .testTarget(
            name: "ClienteleFormatsTests",
            dependencies: [
                "ClienteleFormats", "ClienteleTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(
            name: "ClienteleModelTests",
            dependencies: ["ClienteleModel", "ClienteleTestSupport"]),
        .testTarget(
            name: "ClienteleTests",
            dependencies: [
                "Clientele", "ClienteleTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(
            name: "ClienteleGoldenTests",
            dependencies: ["ClienteleTestSupport"],
            exclude: ["Cases"]),
    ]
)
