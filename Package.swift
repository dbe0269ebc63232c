// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "GapFlow",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gapflow", targets: ["gapflow"]),
        .library(name: "GapFlow", targets: ["GapFlow"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        .target(name: "GapFlow", dependencies: ["CSQLite", "CCrypto"]),
        .target(name: "GapFlowCLI", dependencies: ["GapFlow"]),
        .executableTarget(name: "gapflow", dependencies: ["GapFlowCLI"]),
        .executableTarget(name: "gapflow-bench", dependencies: ["GapFlow", "CSQLite"]),
        .testTarget(name: "GapFlowTests", dependencies: ["GapFlow"], exclude: ["Fixtures"]),
        .testTarget(name: "GapFlowCLITests", dependencies: ["GapFlowCLI", "GapFlow"]),
    ],
    swiftLanguageModes: [.v6]
)
