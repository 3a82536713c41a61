import SluiceAPI

/// The Connect schemas and values of the Oracle program that produced `ProtobufGoldens` (same names).
enum ProtobufCases {
    static func s(_ st: Schema, _ values: [Value]) -> Value { .structure(Struct(schema: st, values: values)) }
    static func dec(_ text: String) -> Value { .decimal(ConnectDecimal(text)!) }

    static let all: [(String, Schema, Value)] = {
        var out: [(String, Schema, Value)] = []
        let decimal = SchemaBuilder(type: .bytes).name(Logical.decimalName).version(1).parameter("scale", "2")
            .parameter("connect.decimal.precision", "10").build()
        let pay = SchemaBuilder.struct().name("com.acme.Payment").version(3).doc("A payment")
            .field("id", .int64).field("amount", decimal).field("paid_at", Logical.optionalTimestamp).field("qty", .int16).build()
        out.append(("payment", pay, s(pay, [.int64(42), dec("-12.34"), .int64(1_700_000_000_123), .int16(7)])))
        out.append(("payment-nulls", pay, s(pay, [.int64(0), dec("0.00"), .null, .int16(-1)])))

        let ten = SchemaBuilder.struct().name("bench.Row").field("b", .boolean).field("i8", .int8).field("i16", .int16)
            .field("i32", .int32).field("i64", .int64).field("f32", .float32).field("f64", .float64).field("s", .string)
            .field("by", .bytes).field("os", .optionalString).build()
        out.append(("ten", ten, s(ten, [.boolean(true), .int8(-5), .int16(300), .int32(-70000), .int64(1 << 40), .float32(1.5),
                                       .float64(-2.25), .string("h\u{E9}llo"), .bytes([1, 2, 3]), .null])))

        let inner = SchemaBuilder.struct().name("x.Inner").field("a", .int32).field("b", .optionalString).build()
        let coll = SchemaBuilder.struct().name("x.Coll")
            .field("ints", SchemaBuilder.array(.int32).build()).field("strs", SchemaBuilder.array(.string).optional().build())
            .field("inner", inner).field("inners", SchemaBuilder.array(inner).build())
            .field("m", SchemaBuilder.map(.string, .int32).build()).field("mi", SchemaBuilder.map(.int32, .string).optional().build())
            .field("d", Logical.date).field("tm", Logical.time).field("oi", .optionalInt32).build()
        let in1 = s(inner, [.int32(1), .string("x")])
        out.append(("coll", coll, s(coll, [
            .array([.int32(1), .int32(-1), .int32(300)]), .array([.string("a"), .string("b")]), in1,
            .array([in1, s(inner, [.int32(2), .null])]),
            .map([MapEntry(.string("k1"), .int32(1)), MapEntry(.string("k2"), .int32(-2))]), .map([MapEntry(.int32(5), .string("five"))]),
            .int32(19000), .int32(3_723_004), .int32(9),
        ])))

        let unnamed = SchemaBuilder.struct().field("line", .string).build()
        out.append(("unnamed", unnamed, s(unnamed, [.string("hi")])))
        out.append(("string", .string, .string("hi")))
        out.append(("optstring", .optionalString, .string("hi")))
        out.append(("int64", .int64, .int64(5)))

        let val = SchemaBuilder.struct().name("srv.inv.customers.Value").optional().field("id", .int32).field("email", .optionalString).build()
        let en = SchemaBuilder(type: .string).optional().name("io.debezium.data.Enum").version(1)
            .parameter("allowed", "true,last,false,incremental").defaultValue(.string("false")).build()
        let src = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source").field("version", .string)
            .field("connector", .string).field("ts_ms", .int64).field("snapshot", en).field("lsn", .optionalInt64).build()
        let env = SchemaBuilder.struct().name("srv.inv.customers.Envelope").version(2).field("before", val).field("after", val)
            .field("source", src).field("op", .string).field("ts_ms", .optionalInt64).build()
        out.append(("envelope", env, s(env, [.null, s(val, [.int32(1), .string("a@b.c")]),
                                             s(src, [.string("3.0.7"), .string("postgresql"), .int64(1_700_000_000_000), .string("false"), .int64(123)]),
                                             .string("c"), .int64(1_700_000_000_001)])))

        let sin = SchemaBuilder.struct().name("inner").field("x", .int32).build()
        let sin2 = SchemaBuilder.struct().name("b.Inner2").field("y", .int32).build()
        let same = SchemaBuilder.struct().name("a.Outer").field("inner", sin).field("Inner2", sin2).build()
        out.append(("samename", same, s(same, [s(sin, [.int32(1)]), s(sin2, [.int32(2)])])))

        let nested = SchemaBuilder.struct().field("q", .int32).build()
        let nested2 = SchemaBuilder.struct().optional().field("r", .boolean).build()
        let v = SchemaBuilder.struct().name("p.V").field("z", .int64).build()
        let d2 = SchemaBuilder.struct().name("p.D2")
            .field("d", Logical.decimal(scale: 3)).field("od", Logical.decimal(scale: 1, optional: true))
            .field("odate", Logical.optionalDate).field("otime", Logical.optionalTime)
            .field("ts", Logical.timestamp).field("ots", Logical.optionalTimestamp)
            .field("nested", nested).field("nested2", nested2)
            .field("mm", SchemaBuilder.map(.string, v).build())
            .field("named", SchemaBuilder.map(.string, .string).name("p.MyMap").build())
            .field("i8s", SchemaBuilder.array(.int8).build())
            .field("ob", .optionalBoolean).field("of", .optionalFloat64).field("oby", .optionalBytes)
            .field("withdoc", SchemaBuilder(type: .int32).doc("the doc").build())
            .field("withparams", SchemaBuilder(type: .string).name("io.debezium.data.Enum").version(1).parameter("allowed", "a,b").build())
            .build()
        out.append(("d2", d2, s(d2, [dec("123456789012345678901234.567"), .null, .null, .null, .int64(-1500), .null,
                                     s(nested, [.int32(3)]), .null, .map([MapEntry(.string("k"), s(v, [.int64(5)]))]), .map([]),
                                     .array([.int8(1), .int8(-1)]), .null, .null, .null, .int32(1), .string("a")])))
        out.append(("bool", .boolean, .boolean(true)))
        out.append(("int8", .int8, .int8(3)))
        out.append(("bytes", .bytes, .bytes([9])))
        out.append(("float32", .float32, .float32(1)))
        out.append(("int32", .int32, .int32(1)))
        out.append(("float64", .float64, .float64(1)))

        let na = SchemaBuilder.struct().field("b", .int32).build()
        let nn = SchemaBuilder.struct().field("a", na).field("m", SchemaBuilder.map(.string, .int32).build()).build()
        out.append(("unnamed-nested", nn, s(nn, [s(na, [.int32(1)]), .map([])])))
        let e = SchemaBuilder.struct().name("e.Empty").field("x", .string).build()
        out.append(("empty-values", e, s(e, [.string("")])))

        let oin = SchemaBuilder.struct().name("o.In").field("d", Logical.decimal(scale: 2)).field("i16", .int16).build()
        let ord = SchemaBuilder.struct().name("o.Order").field("ts", Logical.timestamp).field("inner", oin)
            .field("arr", SchemaBuilder.array(.int8).build()).build()
        out.append(("order", ord, s(ord, [.int64(0), s(oin, [dec("1.28"), .int16(0)]), .array([])])))
        return out
    }()
}
