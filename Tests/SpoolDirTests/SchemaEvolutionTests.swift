import SluiceAPI
import Testing
@testable import SpoolDir

/// The merge of a file's inferred columns into the topic schema, without files or stores.
@Suite struct SchemaEvolutionTests {
    static func value(_ fields: [(String, Schema)]) -> Schema {
        var b = SchemaBuilder.struct().name("com.github.jcustenborder.kafka.connect.model.Value")
        for (n, s) in fields { b.addField(n, s) }
        return b.build()
    }

    /// The schema ColumnInference gives a column of these values.
    static func col(_ values: [String]) -> Schema {
        var c = ColumnInference()
        for v in values { c.observe(v) }
        return c.schema(inferTypes: true)
    }

    @Test func sameTypesChangeNothing() {
        let cur = Self.value([("id", .int64), ("amount", Logical.decimal(scale: 2))])
        let m = SchemaEvolution.merge(cur, Self.value([("id", Self.col(["1", "2"])), ("amount", Self.col(["1.5"]))]))
        #expect(m.changes.isEmpty)
        #expect(m.value === cur)
    }

    @Test func integersWidenToInt64ThenDecimal() {
        let cur = Self.value([("id", .int32), ("qty", .optionalInt32)])
        let m1 = SchemaEvolution.merge(cur, Self.value([("id", Self.col(["3000000000"])), ("qty", Self.col(["1"]))]))
        #expect(m1.value.field("id")?.schema == .int64)
        #expect(m1.value.field("qty")?.schema == .optionalInt32)
        #expect(m1.changes == [.widened(field: "id", from: "INT32", to: "INT64")])
        let m2 = SchemaEvolution.merge(m1.value, Self.value([("id", Self.col(["12345678901234567890123"])), ("qty", Self.col(["2.125"]))]))
        #expect(m2.value.field("id")?.schema == Logical.decimal(scale: 0))
        // Optionality stays what it was: the widened field is still optional.
        #expect(m2.value.field("qty")?.schema == Logical.decimal(scale: 3, optional: true))
        #expect(m2.changes.map(\.description) == ["id INT64 → Decimal(scale=0)", "qty INT32 → Decimal(scale=3)"])
    }

    @Test func decimalScaleOnlyGrows() {
        let cur = Self.value([("p", Logical.decimal(scale: 2))])
        #expect(SchemaEvolution.merge(cur, Self.value([("p", Self.col(["1.5"]))])).changes.isEmpty)
        #expect(SchemaEvolution.merge(cur, Self.value([("p", Self.col(["7"]))])).changes.isEmpty)
        #expect(SchemaEvolution.merge(cur, Self.value([("p", Self.col(["1.2345"]))])).value.field("p")?.schema == Logical.decimal(scale: 4))
    }

    @Test func int32BecomesFloat64ButInt64AndDecimalDoNot() {
        #expect(SchemaEvolution.merge(Self.value([("x", .int32)]), Self.value([("x", Self.col(["1.5e3"]))])).value.field("x")?.schema == .float64)
        // Rounding an int64 or a decimal into a double would change values: they stay, and such values fail per line.
        for cur in [Schema.int64, Logical.decimal(scale: 2)] {
            let m = SchemaEvolution.merge(Self.value([("x", cur)]), Self.value([("x", Self.col(["1.5e3"]))]))
            #expect(m.changes.isEmpty)
            #expect(m.value.field("x")?.schema == cur)
        }
    }

    @Test func incompatibleColumnsKeepTheirType() {
        let cur = Self.value([("order_id", .int64), ("day", Logical.date), ("ok", .boolean), ("note", .string)])
        let file = Self.value([
            ("order_id", Self.col(["1", "not-a-number"])), ("day", Self.col(["2024-01-31T10:00:00"])),
            ("ok", Self.col(["1"])), ("note", Self.col(["42"])),
        ])
        let m = SchemaEvolution.merge(cur, file)
        #expect(m.changes.isEmpty)
        #expect(m.value == cur)
        #expect(!SchemaEvolution.holds(.int64, file.field("order_id")!.schema))
        #expect(SchemaEvolution.holds(.string, file.field("note")!.schema))
        #expect(SchemaEvolution.holds(Logical.timestamp, Logical.date))
    }

    @Test func newColumnsAreAppendedAsOptional() {
        let cur = Self.value([("id", .int32), ("name", .string)])
        // A file may have its columns in another order and with other case: they match by name.
        let file = Self.value([("NAME", Self.col(["a"])), ("region", Self.col(["eu"])), ("id", Self.col(["2"])), ("score", Self.col(["1.5"]))])
        let m = SchemaEvolution.merge(cur, file)
        #expect(m.value.fields.map(\.name) == ["id", "name", "region", "score"])
        #expect(m.value.field("region")?.schema == .optionalString)
        #expect(m.value.field("score")?.schema == Logical.decimal(scale: 1, optional: true))
        #expect(m.changes == [.added(field: "region", type: "STRING"), .added(field: "score", type: "Decimal(scale=1)")])
        #expect(m.value.name == cur.name)
        // Case-sensitive matching makes NAME a new column.
        #expect(SchemaEvolution.merge(cur, file, caseSensitive: true).value.fields.map(\.name) == ["id", "name", "NAME", "region", "score"])
    }

    @Test func missingColumnsStayAndNothingIsDropped() {
        let cur = Self.value([("id", .int32), ("note", .optionalString)])
        let m = SchemaEvolution.merge(cur, Self.value([("id", Self.col(["1"]))]))
        #expect(m.changes.isEmpty)
        #expect(m.value == cur)
    }

    @Test func mergingIsOrderIndependentForWidenings() {
        // Two tasks evolving the same schema from different files converge on the same field types.
        let base = Self.value([("a", .int32), ("b", .int32)])
        let x = SchemaEvolution.merge(base, Self.value([("a", Self.col(["3000000000"])), ("b", Self.col(["1"]))])).value
        let y = SchemaEvolution.merge(base, Self.value([("a", Self.col(["1"])), ("b", Self.col(["0.5"]))])).value
        let xy = SchemaEvolution.merge(x, y).value, yx = SchemaEvolution.merge(y, x).value
        #expect(xy == yx)
        #expect(xy.field("a")?.schema == .int64)
        #expect(xy.field("b")?.schema == Logical.decimal(scale: 1))
    }

    @Test func storedSchemaRoundTripsThroughJSON() throws {
        let v = Self.value([("id", .int64), ("amt", Logical.decimal(scale: 3, optional: true)), ("d", Logical.date), ("t", Logical.optionalTimestamp)])
        #expect(try SchemaJSON.parse(SchemaJSON.serialize(v), key: "state") == v)
    }
}
