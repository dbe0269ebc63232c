// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "GapFlow",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gapflow", targets: ["gapflow"]),
        .library(name: "GapFlow", targets: ["GapFlow"]),
        .library(name: "GapFlowSQLite", targets: ["GapFlowSQLite"]),
        .library(name: "GapFlowPostgres", targets: ["GapFlowPostgres"]),
        .library(name: "GapFlowDocuments", targets: ["GapFlowDocuments"]),
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
        .systemLibrary(
            name: "CMicroHTTPD",
            pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"]), .brew(["libmicrohttpd"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        // The engine: definitions, the pure step, the store port, the scheduler, read models. No store, no door.
        .target(name: "GapFlow", dependencies: ["CCrypto"]),
        // The embedded store, the only importer of SQLite.
        .target(name: "GapFlowSQLite", dependencies: ["GapFlow", "CSQLite"]),
        // The shared store for more than one machine, the only importer of libpq.
        .target(name: "GapFlowPostgres", dependencies: ["GapFlow", "CLibPQ"]),
        // Agendas, papers, minutes, reports, diagrams, calendars: built from read models, never from a store.
        .target(name: "GapFlowDocuments", dependencies: ["GapFlow"]),
        // The web door: `gapflow serve`, HTTP on libmicrohttpd, sessions, pages and the JSON API.
        .target(name: "GapFlowWeb", dependencies: ["GapFlow", "GapFlowDocuments", "CMicroHTTPD", "CCrypto"]),
        // The command-line door.
        .target(name: "GapFlowCLI", dependencies: ["GapFlow", "GapFlowSQLite", "GapFlowPostgres", "GapFlowDocuments"]),
        // The binary joins the two doors: `gapflow serve` hands the CLI's store and settings to the web front.
        .executableTarget(name: "gapflow", dependencies: ["GapFlow", "GapFlowCLI", "GapFlowWeb"]),
        .executableTarget(
            name: "gapflow-bench",
            dependencies: ["GapFlow", "GapFlowSQLite", "GapFlowPostgres", "GapFlowDocuments", "GapFlowWeb", "CSQLite", "CLibPQ"]),
        .testTarget(name: "GapFlowTests", dependencies: ["GapFlow", "GapFlowSQLite", "GapFlowDocuments"], exclude: ["Fixtures"]),
        .testTarget(
            name: "GapFlowCLITests", dependencies: ["GapFlowCLI", "GapFlow", "GapFlowSQLite", "GapFlowPostgres", "GapFlowDocuments"]),
        // The store conformance suite: every contract test runs against every store.
        .testTarget(name: "GapFlowWebTests", dependencies: ["GapFlowWeb", "GapFlow", "GapFlowSQLite"]),
        .testTarget(name: "GapFlowStoreTests", dependencies: ["GapFlow", "GapFlowSQLite", "GapFlowPostgres"]),
    ],
    swiftLanguageModes: [.v6]
)
