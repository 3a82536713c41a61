import SluiceAPI
import Testing
@testable import CDC

/// Pure pieces found by the differential run against Debezium 3.0.7 (scripts/debezium-diff.py), each checked
/// against the value Debezium emitted for the same input.
@Suite struct DebeziumQuirksTests {
    @Test func defaultsFromExpressions() {
        #expect(ColumnDefault.value(expression: "42", conversion: .int32) == .int32(42))
        #expect(ColumnDefault.value(expression: "'-3'::integer", conversion: .int32) == .int32(-3))
        #expect(ColumnDefault.value(expression: "nextval('t_id_seq'::regclass)", conversion: .int32) == .int32(0))
        #expect(ColumnDefault.value(expression: "now()", conversion: .timestampMicros) == .int64(0))
        #expect(ColumnDefault.value(expression: "'2020-01-02'::date", conversion: .dateDays) == .int32(18263))
        #expect(ColumnDefault.value(expression: "'ab'::character varying", conversion: .string) == .string("ab"))
        #expect(ColumnDefault.value(expression: "'x''y'::text", conversion: .string) == .string("x'y"))
        #expect(ColumnDefault.value(expression: "1.50", conversion: .decimal(scale: 2))
            == .decimal(ConnectDecimal(unscaled: 150, scale: 2)))
        #expect(ColumnDefault.value(expression: "true", conversion: .boolean) == .boolean(true))
        #expect(ColumnDefault.value(expression: "2.5", conversion: .float64) == .float64(2.5))
        // No default where Debezium gives none, or when the literal does not convert.
        let vsd = DebeziumTypes.variableScaleDecimalSchema(optional: true)
        #expect(ColumnDefault.value(expression: "1.5", conversion: .variableScaleDecimal(vsd)) == nil)
        #expect(ColumnDefault.value(expression: "'abc'::text", conversion: .int32) == nil)
    }

    /// Debezium listed `public.parted_us` before `public.parted_eu` (HashMap buckets 6 and 8).
    @Test func javaHashMapOrder() {
        let sorted = JavaHashMapOrder.sorted([("public.parted_eu", 2), ("public.parted_us", 2)]).map(\.0)
        #expect(sorted == ["public.parted_us", "public.parted_eu"])
        #expect(JavaHashMapOrder.hashCode("abc") == 96354)
    }

    @Test func variableScaleDecimalDropsTrailingFractionZeros() throws {
        let schema = DebeziumTypes.variableScaleDecimalSchema(optional: true)
        func scale(_ text: String) throws -> Value? {
            try ColumnConversion.variableScaleDecimal(schema).convert(text, column: "v").structValue?["scale"]
        }
        #expect(try scale("1.10") == .int32(1))
        #expect(try scale("12.3400") == .int32(2))
        #expect(try scale("0.00") == .int32(0))
        #expect(try scale("100") == .int32(0))
        #expect(try scale("-5000") == .int32(0))
    }

    @Test func pointAsDebeziumGeometry() throws {
        let schema = DebeziumTypes.pointSchema(optional: true)
        let v = try ColumnConversion.point(schema).convert("(1.5,-2)", column: "pt").structValue
        #expect(v?["x"] == .float64(1.5) && v?["y"] == .float64(-2))
        // Debezium's WKB for (1.5,-2), base64 "AQEAAAAAAAAAAAD4PwAAAAAAAADA".
        #expect(v?["wkb"] == .bytes([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0xC0]))
        #expect(v?["srid"] == .null)
        #expect(throws: ConnectError.self) { try ColumnConversion.point(schema).convert("(1.5)", column: "pt") }
    }

    @Test func specialValueSpellings() throws {
        #expect(try ColumnConversion.decimalAsString.convert("NaN", column: "n") == .string("NAN"))
        #expect(try ColumnConversion.decimalAsString.convert("-Infinity", column: "n") == .string("NEGATIVE_INFINITY"))
        #expect(try ColumnConversion.timestampMicros.convert("infinity", column: "t") == .int64(9_223_372_036_825_200_000))
        #expect(try ColumnConversion.timestampMillis.convert("-infinity", column: "t") == .int64(-9_223_372_036_832_400))
    }

    /// Debezium 3.0.7 leaves interval arrays out, gives enum arrays required elements, domains no default, and a
    /// `bit(1)` DEFAULT B'1' the default true.
    @Test func arraysDomainsAndBitDefaults() throws {
        var registry = PgTypeRegistry()
        registry.register(PgType(oid: 90_000, name: "mood", kind: .enumeration(["sad", "ok"])))
        registry.register(PgType(oid: 90_001, name: "_mood", kind: .array(element: 90_000)))
        let converter = PgValueConverter()
        #expect(converter.column(typeOID: 1187, typeModifier: -1, optional: true, registry: registry) == nil)
        let moods = try #require(converter.column(typeOID: 90_001, typeModifier: -1, optional: true, registry: registry))
        #expect(moods.schema.valueSchema?.isOptional == false)
        #expect(converter.column(typeOID: 1007, typeModifier: -1, optional: true, registry: registry)?.schema.valueSchema?.isOptional == true)
        #expect(ColumnDefault.value(expression: "B'1'::\"bit\"", conversion: .bit) == .boolean(true))

        registry.register(PgType(oid: 90_002, name: "money2", kind: .domain(base: PgTypeOID.numeric, typeModifier: (8 << 16 | 2) + 4)))
        let rel = RelationMessage(oid: 1, namespace: "public", name: "t", replicaIdentity: .default, columns: [
            .init(flags: 1, name: "id", typeOID: PgTypeOID.int4, typeModifier: -1),
            .init(flags: 0, name: "dm", typeOID: 90_002, typeModifier: -1),
            .init(flags: 0, name: "n", typeOID: PgTypeOID.numeric, typeModifier: (8 << 16 | 2) + 4),
        ])
        let table = TableSchema(relation: rel, prefix: "p", registry: registry, converter: converter,
                                catalog: .init(primaryKey: ["id"], notNull: ["id"], defaults: ["dm": "3.5", "n": "3.5"]))
        #expect(table.valueSchema.field("dm")?.schema.defaultValue == nil)
        #expect(table.valueSchema.field("n")?.schema.defaultValue == .decimal(ConnectDecimal(unscaled: 350, scale: 2)))
    }

    @Test func moreArraysAndDefaultsAsDebezium() throws {
        let registry = PgTypeRegistry()
        let converter = PgValueConverter()
        for arrayOID: UInt32 in [791, 143] {  // money[], xml[]
            #expect(converter.column(typeOID: arrayOID, typeModifier: -1, optional: true, registry: registry) == nil)
        }
        let (_, numerics) = try #require(converter.column(typeOID: 1231, typeModifier: -1, optional: true, registry: registry))
        #expect(try numerics.convert("{1.10,NaN}", column: "n") == .null)
        guard case .array(let items) = try numerics.convert("{1.10,NULL}", column: "n") else {
            Issue.record("a numeric array without special values converts")
            return
        }
        #expect(items.count == 2)
        #expect(ColumnDefault.value(expression: "'Ab'::citext", conversion: .string, type: PgType(oid: 1, name: "citext")) == nil)
        #expect(ColumnDefault.value(expression: "'Ab'::text", conversion: .string, type: PgType(oid: 25, name: "text")) == .string("Ab"))
        #expect(ColumnDefault.value(expression: "'ok'::mood", conversion: .string, type: PgType(oid: 9, name: "mood", kind: .enumeration(["ok"])))
            == .string("ok"))
    }
}
