// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Xuequ",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "xuequ", targets: ["xuequ"]),
        .library(name: "XuequStore", targets: ["XuequStore"]),
        .library(name: "XuequCore", targets: ["XuequCore"]),
        .library(name: "LibPQ", targets: ["LibPQ"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // libpq, the PostgreSQL C client library (Debian: libpq-dev).
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // COIN-OR CBC, the mixed-integer solver, through its C interface (Debian: coinor-libcbc-dev):
        // the header's types here; the library is loaded at run time by MIP (not linked).
        .systemLibrary(
            name: "CLibCBC",
            providers: [.apt(["coinor-libcbc-dev"])]
        ),
        // A mixed-integer model and its solution, solved by CBC. Knows nothing of teachers.
        .target(name: "MIP", dependencies: ["CLibCBC"]),
        // A small Swift layer over libpq. Knows nothing of teachers.
        .target(
            name: "LibPQ",
            dependencies: ["CLibPQ", .product(name: "Logging", package: "swift-log")]
        ),
        // The domain: value types, policy, pure rules, CSV and table formats. No database import.
        .target(name: "XuequCore"),
        // PostgreSQL persistence: migrator, stores, imports.
        .target(
            name: "XuequStore",
            dependencies: ["LibPQ", "XuequCore", "MIP", .product(name: "Logging", package: "swift-log")]
        ),
        // The management CLI and nightly batch.
        .executableTarget(
            name: "xuequ",
            dependencies: [
                "XuequStore", "XuequCore", "LibPQ", "MIP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Test helpers: a private PostgreSQL database per test, cloned from a migrated template.
        .target(
            name: "XuequTestSupport",
            dependencies: ["LibPQ", "XuequStore"]
        ),
        .testTarget(name: "LibPQTests", dependencies: ["LibPQ", "XuequTestSupport"]),
        .testTarget(name: "XuequCoreTests", dependencies: ["XuequCore"]),
        .testTarget(name: "MIPTests", dependencies: ["MIP"]),
        .testTarget(name: "XuequStoreTests", dependencies: ["XuequStore", "XuequCore", "LibPQ", "XuequTestSupport"]),
        .testTarget(name: "XuequCLITests", dependencies: ["XuequTestSupport", "LibPQ"]),
    ]
)
