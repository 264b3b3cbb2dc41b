// swift-tools-version:6.0
import PackageDescription

/// One set of settings for every target: Swift 6 language mode keeps strict concurrency on.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// Linux only (Glibc, C libraries from Debian packages): no `platforms:` line, since every
// platform it names would be a claim nothing here builds or tests.
let package = Package(
    name: "srochno",
    products: [
        .executable(name: "srochno-fcgi", targets: ["srochno-fcgi"]),
        .executable(name: "srochno-migrate", targets: ["srochno-migrate"]),
        .executable(name: "srochno-autoclose", targets: ["srochno-autoclose"]),
        .executable(name: "srochno-reconcile", targets: ["srochno-reconcile"]),
        .executable(name: "srochno-notify", targets: ["srochno-notify"]),
        .executable(name: "srochno-adopt", targets: ["srochno-adopt"]),
    ],
    targets: [
        // C libraries from Debian packages, module maps only.
        .systemLibrary(name: "CFastCGI", pkgConfig: "fcgi", providers: [.apt(["libfcgi-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // Pure business rules, validation, JSON and time: no I/O, no C imports. The release
        // number (top-level VERSION, linked as Build/VERSION) compiled in as `BuildVersion`.
        .target(name: "SrochnoCore", resources: [.embedInCode("Build/VERSION")], swiftSettings: swiftSettings),
        // The operating system once: configuration loading, files with secrets, clocks, the
        // CSPRNG and one-shot digests (SHA-256, HMAC-SHA256), stderr logging.
        .target(name: "SrochnoSystem", dependencies: ["SrochnoCore", "CCrypto"], swiftSettings: swiftSettings),
        // Thin libpq layer: connection, typed prepared statements, results, transactions, deadlines.
        .target(name: "SrochnoPostgres", dependencies: ["CLibPQ", "SrochnoSystem"], swiftSettings: swiftSettings),
        // Settings: parsed from SROCHNO_* names and loaded from the config file, the environment
        // and secret files, in one place for every executable.
        .target(
            name: "SrochnoConfig",
            dependencies: ["SrochnoCore", "SrochnoSystem", "SrochnoTelegramAuth"],
            swiftSettings: swiftSettings
        ),
        // Ordered sql/ migrations applied under an advisory lock (srochno-migrate).
        .target(
            name: "SrochnoMigrations", dependencies: ["SrochnoCore", "SrochnoPostgres", "SrochnoSystem"], swiftSettings: swiftSettings),
        // Telegram Mini App initData verification (HMAC and Ed25519 third-party mode).
        .target(name: "SrochnoTelegramAuth", dependencies: ["SrochnoCore", "SrochnoSystem", "CCrypto"], swiftSettings: swiftSettings),
        // FastCGI transport and the pre-forking worker pool.
        .target(name: "SrochnoFastCGI", dependencies: ["SrochnoCore", "SrochnoSystem", "CFastCGI"], swiftSettings: swiftSettings),
        // Outbound HTTPS on libcurl's easy interface: fixed TLS policy, timeouts and size cap.
        .target(name: "SrochnoHTTPClient", dependencies: ["SrochnoCore", "CCurl"], swiftSettings: swiftSettings),
        // Telegram Bot API calls (messages, Stars invoices and transactions) over SrochnoHTTPClient.
        .target(name: "SrochnoBotAPI", dependencies: ["SrochnoCore", "SrochnoHTTPClient"], swiftSettings: swiftSettings),
        // Crypto Pay API calls (fiat invoices, their status) and its webhook signature over SrochnoHTTPClient.
        .target(
            name: "SrochnoCryptoPay", dependencies: ["SrochnoCore", "SrochnoHTTPClient", "SrochnoSystem"], swiftSettings: swiftSettings),
        // Every statement with its bindings and row decoding, and the transactions that use them
        // (orders, settlement, takes, the ledger, users, reviews); no HTTP.
        .target(
            name: "SrochnoStore",
            dependencies: ["SrochnoCore", "SrochnoConfig", "SrochnoPostgres", "SrochnoSystem"],
            swiftSettings: swiftSettings
        ),
        // Oneshot jobs run by systemd timers: the `Job` shape, one `main` for all, the closer and
        // the payment reconciliation (which asks Crypto Pay and the Bot API).
        .target(
            name: "SrochnoJobs",
            dependencies: [
                "SrochnoBotAPI", "SrochnoCore", "SrochnoConfig", "SrochnoCryptoPay", "SrochnoPostgres", "SrochnoStore", "SrochnoSystem",
            ],
            swiftSettings: swiftSettings
        ),
        // The notification sender: fan-out, per-executor waits and digests, the Bot API calls at
        // a rate, and the srochno-notify service around them.
        .target(
            name: "SrochnoNotifications",
            dependencies: ["SrochnoBotAPI", "SrochnoCore", "SrochnoConfig", "SrochnoPostgres", "SrochnoStore", "SrochnoSystem"],
            swiftSettings: swiftSettings
        ),
        // The switch-over: the old backend's database imported, resumable, and verified (srochno-adopt).
        .target(
            name: "SrochnoAdoption",
            dependencies: ["SrochnoCore", "SrochnoConfig", "SrochnoPostgres", "SrochnoStore", "SrochnoSystem"],
            swiftSettings: swiftSettings
        ),
        // Routes by area, request decoding, response encoding, the composition of one worker.
        .target(
            name: "SrochnoAPI",
            dependencies: [
                "SrochnoCore", "SrochnoConfig", "SrochnoPostgres", "SrochnoStore", "SrochnoSystem", "SrochnoTelegramAuth",
                "SrochnoCryptoPay", "SrochnoBotAPI",
            ],
            // The OpenAPI document, compiled in as `PackageResources.openapi_json` (no Bundle, no Foundation).
            resources: [.embedInCode("OpenAPI/openapi.json")],
            swiftSettings: swiftSettings
        ),

        // One small main.swift each, linking only what it uses.
        .executableTarget(
            name: "srochno-fcgi",
            dependencies: ["SrochnoAPI", "SrochnoConfig", "SrochnoFastCGI", "SrochnoStore", "SrochnoSystem", "SrochnoCore"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "srochno-migrate",
            dependencies: ["SrochnoConfig", "SrochnoCore", "SrochnoMigrations", "SrochnoPostgres", "SrochnoSystem"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "srochno-autoclose", dependencies: ["SrochnoJobs"], swiftSettings: swiftSettings),
        .executableTarget(name: "srochno-reconcile", dependencies: ["SrochnoJobs"], swiftSettings: swiftSettings),
        .executableTarget(name: "srochno-notify", dependencies: ["SrochnoNotifications"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "srochno-adopt",
            dependencies: ["SrochnoAdoption", "SrochnoConfig", "SrochnoCore", "SrochnoPostgres", "SrochnoSystem"],
            swiftSettings: swiftSettings
        ),

        // Helpers shared by the test targets: real threads, subprocesses, an Ed25519 test key,
        // loopback fake HTTP servers, and stateful fakes of Crypto Pay and the Bot API's payment
        // methods (JSON from SrochnoCore, webhook signatures from SrochnoSystem's digests).
        .target(
            name: "SrochnoTestSupport",
            dependencies: ["SrochnoCore", "SrochnoSystem", "SrochnoTelegramAuth", "CCrypto"],
            path: "Tests/SrochnoTestSupport",
            swiftSettings: swiftSettings
        ),
        // The old backend's schema (Tests/Fixtures) in a scratch database, and a market of it with
        // every quirk, for the srochno-adopt suites.
        .target(
            name: "SrochnoAdoptionFixtures",
            dependencies: ["SrochnoCore", "SrochnoPostgres", "SrochnoStore", "SrochnoTestSupport"],
            path: "Tests/SrochnoAdoptionFixtures",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SrochnoCoreTests", dependencies: ["SrochnoCore"], swiftSettings: swiftSettings),
        // No database: the import's decisions (contacts, statuses, preferences, invoices) and its array parameters.
        .testTarget(name: "SrochnoAdoptionTests", dependencies: ["SrochnoAdoption", "SrochnoCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SrochnoConfigTests", dependencies: ["SrochnoConfig", "SrochnoCore", "SrochnoTelegramAuth"], swiftSettings: swiftSettings),
        // A loopback fake server inside the test process; never a real third party.
        .testTarget(
            name: "SrochnoHTTPClientTests",
            dependencies: ["SrochnoHTTPClient", "SrochnoBotAPI", "SrochnoCore", "SrochnoTestSupport"],
            swiftSettings: swiftSettings
        ),
        // The same loopback fake server (SrochnoTestSupport) standing in for Crypto Pay.
        .testTarget(
            name: "SrochnoCryptoPayTests",
            dependencies: ["SrochnoCryptoPay", "SrochnoCore", "SrochnoHTTPClient", "SrochnoTestSupport"],
            swiftSettings: swiftSettings
        ),
        // No server: results are built with libpq's PQmakeEmptyPGresult.
        .testTarget(name: "SrochnoPostgresTests", dependencies: ["SrochnoPostgres", "CLibPQ"], swiftSettings: swiftSettings),
        // No libfcgi: request reading and response writing through a test `FastCGIStreams`.
        .testTarget(name: "SrochnoFastCGITests", dependencies: ["SrochnoFastCGI", "SrochnoCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SrochnoTelegramAuthTests",
            dependencies: ["SrochnoTelegramAuth", "SrochnoTestSupport", "CCrypto"],
            swiftSettings: swiftSettings
        ),
        // A scratch PostgreSQL database per test; loopback fakes (SrochnoTestSupport) stand in
        // for Crypto Pay and the Bot API.
        .testTarget(
            name: "SrochnoDatabaseTests",
            dependencies: [
                "SrochnoAPI", "SrochnoConfig", "SrochnoStore", "SrochnoJobs", "SrochnoMigrations", "SrochnoSystem", "SrochnoPostgres",
                "SrochnoTelegramAuth", "SrochnoTestSupport", "SrochnoCryptoPay", "SrochnoBotAPI", "SrochnoNotifications",
                "SrochnoAdoption", "SrochnoAdoptionFixtures",
            ],
            swiftSettings: swiftSettings
        ),
        // No stack: the embedded OpenAPI document against `Bounds` (`@testable` for `PackageResources`).
        .testTarget(name: "SrochnoAPITests", dependencies: ["SrochnoAPI", "SrochnoCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SrochnoEndToEndTests",
            // SrochnoAPI only for `API.routeList` (the OpenAPI document must cover every route) and,
            // `@testable`, the embedded document the server must answer byte for byte.
            // SrochnoSystem signs the Crypto Pay webhooks of adopted invoices.
            dependencies: [
                "SrochnoCore", "SrochnoPostgres", "SrochnoTelegramAuth", "SrochnoAPI", "SrochnoTestSupport", "SrochnoAdoptionFixtures",
                "SrochnoSystem",
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
