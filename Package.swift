// swift-tools-version:6.2
import PackageDescription

/// Sluice: a Kafka Connect–compatible runtime and connector suite in one native binary.
///
/// Layering (see README "Layout"): C shims → thin owned wrappers (Kafka, SQL) → the plugin API (SluiceAPI) →
/// connectors (depend on SluiceAPI and SQL only, never on Runtime or librdkafka) → Runtime → Plugins bundle → `sluice`.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    // Exclusivity is checked in debug builds (every test run); release builds skip the run-time checks, which cost
    // 6–9 % of the hot record threads (`swift_beginAccess` on class properties, measured in session 11).
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "sluice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
        .executable(name: "sluice-bench", targets: ["SluiceBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // Already in the graph through Hummingbird; named for NIOSSLPKCS12Bundle (PKCS#12 key stores for https).
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Already in the graph through swift-nio-ssl's and Hummingbird's dependencies; named for HMAC/SHA-2 (SCRAM
        // for the distributed worker's own Kafka group client).
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // C system-library shims: modulemap + shim header only.
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CMariaDB", pkgConfig: "mysqlclient", providers: [.apt(["default-libmysqlclient-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),

        // The plugin contract: data model, records, connector/task/converter/transformation protocols, ConfigDef, JSON.
        .target(name: "SluiceAPI", dependencies: [.product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        // Java-compatible behaviour shared by plugins: Java's toString of Connect values, base64, the proleptic
        // Gregorian calendar (one implementation each, so every plugin prints and parses like Kafka Connect).
        .target(name: "JavaCompat", dependencies: ["SluiceAPI"], swiftSettings: strict),
        // One blocking HTTP/1.1 client with TLS over OpenSSL (PEM/PKCS#12 stores, host name checks) for the plugins
        // that call HTTP from plain threads: the Elasticsearch sink and the Schema Registry client.
        .target(name: "BlockingHTTP", dependencies: ["SluiceAPI", "COpenSSL"], swiftSettings: strict),
        // Converters users name in worker configs (JsonConverter, StringConverter, ...).
        .target(name: "Converters", dependencies: ["SluiceAPI", "JavaCompat"], swiftSettings: strict),
        // Confluent Schema Registry: Avro schema model, AvroData-compatible Connect↔Avro mapping, the registry client,
        // the registry's state machine (ids, versions, compatibility, `_schemas` records) and AvroConverter.
        .target(name: "SchemaRegistry", dependencies: ["SluiceAPI", "JavaCompat", "Converters", "BlockingHTTP"], swiftSettings: strict),
        // Thin owned wrappers over C libraries.
        .target(name: "Kafka", dependencies: ["CRdKafka", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .target(name: "SQL", dependencies: ["SluiceAPI", "CLibPQ", "CMariaDB", "CSQLite", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),

        // Plugins.
        .target(name: "Transforms", dependencies: ["SluiceAPI", "JavaCompat"], swiftSettings: strict),
        .target(name: "FileStream", dependencies: ["SluiceAPI", "JavaCompat"], swiftSettings: strict),
        .target(name: "SpoolDir", dependencies: ["SluiceAPI", "JavaCompat", "CZlib", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .target(name: "JDBCSink", dependencies: ["SluiceAPI", "SQL", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .target(name: "JDBCSource", dependencies: ["SluiceAPI", "SQL", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .target(name: "Elasticsearch", dependencies: ["SluiceAPI", "JavaCompat", "BlockingHTTP", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .target(name: "CDC", dependencies: ["SluiceAPI", "JavaCompat", "SQL", "CLibPQ", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),

        // Distributed mode's building blocks: Kafka group-membership wire client, Connect protocol, assignor,
        // Kafka-backed config/offset/status stores.
        .target(
            name: "ConnectCluster",
            dependencies: [
                "SluiceAPI", "Kafka", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // The worker: herders, stores, REST, metrics.
        .target(
            name: "Runtime",
            dependencies: [
                "SluiceAPI", "Converters", "SchemaRegistry", "Kafka", "ConnectCluster",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // Every built-in plugin, listed explicitly (Swift has no ServiceLoader).
        .target(
            name: "Plugins",
            dependencies: ["SluiceAPI", "Converters", "SchemaRegistry", "Transforms", "FileStream", "SpoolDir", "JDBCSink", "JDBCSource", "CDC", "Elasticsearch", "Runtime"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "sluice",
            dependencies: ["Runtime", "Plugins", "Kafka", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict,
            // jemalloc replaces glibc's malloc for the whole process (Debian's libjemalloc-dev). Records are made on
            // a source task's thread and read and released on sink threads; glibc's per-thread arenas made those
            // threads contend for each other's arena locks, and the direct pipeline spent ~40 % more CPU (BENCHMARKS.md).
            linkerSettings: [.linkedLibrary("jemalloc")]
        ),
        .executableTarget(
            name: "SluiceBench",
            dependencies: ["SluiceAPI", "Converters", "SchemaRegistry", "Kafka", "Runtime", "Plugins", "SQL", "SpoolDir", "JDBCSink", "JDBCSource", "CDC", "Transforms", "Elasticsearch", "TestSupport", "WorkerTestSupport", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/SluiceBench",
            swiftSettings: strict
        ),

        // Test helpers: real PostgreSQL/MariaDB servers in temp dirs, free ports, embedded Kafka, HTTP client.
        .target(name: "TestSupport", dependencies: ["SluiceAPI", "Kafka", "SQL", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),

        // Test helpers that run real workers (in-process over HTTP, or as `sluice` child processes).
        .target(
            name: "WorkerTestSupport",
            dependencies: ["Runtime", "Plugins", "SluiceAPI", "TestSupport", .product(name: "Logging", package: "swift-log"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            swiftSettings: strict),

        .testTarget(name: "ConnectClusterTests", dependencies: ["ConnectCluster", "Kafka", "SluiceAPI", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "SluiceAPITests", dependencies: ["SluiceAPI"], swiftSettings: strict),
        .testTarget(name: "JavaCompatTests", dependencies: ["JavaCompat", "SluiceAPI"], swiftSettings: strict),
        .testTarget(name: "ConvertersTests", dependencies: ["Converters", "JavaCompat", "SluiceAPI"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "SchemaRegistryTests", dependencies: ["SchemaRegistry", "SluiceAPI", "Converters", "JavaCompat"], swiftSettings: strict),
        .testTarget(name: "KafkaTests", dependencies: ["Kafka", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "SQLTests", dependencies: ["SQL", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "FileStreamTests", dependencies: ["FileStream", "JavaCompat", "SluiceAPI"], swiftSettings: strict),
        .testTarget(name: "TransformsTests", dependencies: ["Transforms", "JavaCompat", "SluiceAPI"], swiftSettings: strict),
        .testTarget(name: "SpoolDirTests", dependencies: ["SpoolDir", "SluiceAPI", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "JDBCTests", dependencies: ["JDBCSink", "JDBCSource", "SQL", "SluiceAPI", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ElasticsearchTests", dependencies: ["Elasticsearch", "BlockingHTTP", "SluiceAPI", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "CDCTests", dependencies: ["CDC", "SQL", "SluiceAPI", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "RuntimeTests",
            dependencies: [
                "Runtime", "Plugins", "SluiceAPI", "Converters", "SchemaRegistry", "BlockingHTTP", "Kafka", "TestSupport", "WorkerTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        // Sluice's Debezium PostgreSQL source against Debezium 3.0.7 itself (scripts/debezium-diff.py, scripts/reference.sh).
        .testTarget(name: "DebeziumCompatTests", swiftSettings: strict),
        // Kafka Connect 3.9.0 (scripts/reference.sh) and Sluice side by side: same REST requests, same records, answers
        // and bytes compared; documented deviations live in COMPATIBILITY.md.
        .testTarget(
            name: "CompatTests",
            dependencies: ["Runtime", "Plugins", "SluiceAPI", "SchemaRegistry", "Kafka", "TestSupport", "WorkerTestSupport"],
            swiftSettings: strict
        ),
        // End-to-end pipelines across connectors, Kafka and databases, driven over REST like a user would.
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["Runtime", "Plugins", "SluiceAPI", "Kafka", "SQL", "TestSupport", "WorkerTestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
    ]
)
