// Captures Confluent ProtobufConverter 7.0.16 outputs for Tests/SchemaRegistryTests/ProtobufGoldens.swift: for each
// case, the registered .proto text (golden/<case>.proto), the record bytes (golden/<case>.hex) and what the converter
// reads back (stdout: "back schema"/"back value"). Run from an empty directory after scripts/reference.sh setup-confluent:
//   java -cp "$(scripts/reference.sh classpath)" scripts/protobuf-oracle.java        # main cases
//   java -cp "$(scripts/reference.sh classpath)" scripts/protobuf-oracle.java more   # the second batch
// The Swift side of each case is in Tests/SchemaRegistryTests/ProtobufCases.swift (same names).
import io.confluent.connect.protobuf.ProtobufConverter;
import io.confluent.kafka.schemaregistry.testutil.MockSchemaRegistry;
import io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.apache.kafka.connect.data.*;
import org.apache.kafka.connect.data.Date;
import java.util.*;
import java.math.BigDecimal;

public class Oracle {
  static int n = 0;
  static void run(String name, Schema s, Object v) throws Exception {
    n++;
    String scope = "o" + n;
    SchemaRegistryClient client = new io.confluent.kafka.schemaregistry.client.MockSchemaRegistryClient(java.util.List.of(new io.confluent.kafka.schemaregistry.protobuf.ProtobufSchemaProvider()));
    ProtobufConverter c = new ProtobufConverter(client);
    Map<String,Object> cfg = new HashMap<>();
    cfg.put("schema.registry.url", "http://unused");
    c.configure(cfg, false);
    byte[] b = c.fromConnectData("t", s, v);
    System.out.println("=== " + name);
    for (String subj : client.getAllSubjects()) {
      var m = client.getLatestSchemaMetadata(subj);
      System.out.println("subject " + subj + " id " + m.getId() + " type " + m.getSchemaType());
      System.out.println("<<" + m.getSchema() + ">>");
    }
    new java.io.File("golden").mkdirs();
    for (String subj : client.getAllSubjects()) java.nio.file.Files.writeString(java.nio.file.Path.of("golden/" + name + ".proto"), client.getLatestSchemaMetadata(subj).getSchema());
    StringBuilder sb = new StringBuilder();
    if (b != null) for (byte x : b) sb.append(String.format("%02x", x));
    System.out.println("bytes " + sb);
    SchemaAndValue back = c.toConnectData("t", b);
    System.out.println("back schema " + describe(back.schema()));
    System.out.println("back value " + back.value());
    java.nio.file.Files.writeString(java.nio.file.Path.of("golden/" + name + ".hex"), sb.toString());
  }
  static String describe(Schema s) {
    if (s == null) return "null";
    StringBuilder sb = new StringBuilder();
    sb.append(s.type());
    if (s.name() != null) sb.append(" name=").append(s.name());
    if (s.version() != null) sb.append(" v=").append(s.version());
    if (s.doc() != null) sb.append(" doc=").append(s.doc());
    if (s.isOptional()) sb.append(" opt");
    if (s.defaultValue() != null) sb.append(" def=").append(s.defaultValue());
    if (s.parameters() != null && !s.parameters().isEmpty()) sb.append(" params=").append(s.parameters());
    switch (s.type()) {
      case STRUCT: sb.append(" {"); for (Field f : s.fields()) sb.append(f.name()).append(": ").append(describe(f.schema())).append("; "); sb.append("}"); break;
      case ARRAY: sb.append(" [").append(describe(s.valueSchema())).append("]"); break;
      case MAP: sb.append(" <").append(describe(s.keySchema())).append(", ").append(describe(s.valueSchema())).append(">"); break;
      default:
    }
    return sb.toString();
  }
  public static void main(String[] a) throws Exception {
    if (a.length == 0 || !a[0].equals("more")) { main0(); return; }
    Schema d2 = SchemaBuilder.struct().name("p.D2")
      .field("d", Decimal.schema(3)).field("od", Decimal.builder(1).optional().build())
      .field("odate", Date.builder().optional().build()).field("otime", Time.builder().optional().build())
      .field("ts", Timestamp.SCHEMA).field("ots", Timestamp.builder().optional().build())
      .field("nested", SchemaBuilder.struct().field("q", Schema.INT32_SCHEMA).build())
      .field("nested2", SchemaBuilder.struct().optional().field("r", Schema.BOOLEAN_SCHEMA).build())
      .field("mm", SchemaBuilder.map(Schema.STRING_SCHEMA, SchemaBuilder.struct().name("p.V").field("z", Schema.INT64_SCHEMA).build()).build())
      .field("named", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).name("p.MyMap").build())
      .field("i8s", SchemaBuilder.array(Schema.INT8_SCHEMA).build())
      .field("ob", Schema.OPTIONAL_BOOLEAN_SCHEMA).field("of", Schema.OPTIONAL_FLOAT64_SCHEMA).field("oby", Schema.OPTIONAL_BYTES_SCHEMA)
      .field("withdoc", SchemaBuilder.int32().doc("the doc").build())
      .field("withparams", SchemaBuilder.string().name("io.debezium.data.Enum").version(1).parameter("allowed", "a,b").build())
      .build();
    Struct v = new Struct(d2).put("d", new BigDecimal("123456789012345678901234.567")).put("ts", new java.util.Date(-1500L))
      .put("nested", new Struct(d2.field("nested").schema()).put("q", 3))
      .put("mm", Map.of("k", new Struct(d2.field("mm").schema().valueSchema()).put("z", 5L)))
      .put("named", Map.of()).put("i8s", Arrays.asList((byte)1, (byte)-1)).put("withdoc", 1).put("withparams", "a");
    run("d2", d2, v);
    run("bool", Schema.BOOLEAN_SCHEMA, true);
    run("int8", Schema.INT8_SCHEMA, (byte) 3);
    run("bytes", Schema.BYTES_SCHEMA, new byte[]{9});
    run("float32", Schema.FLOAT32_SCHEMA, 1.0f);
    run("int32", Schema.INT32_SCHEMA, 1);
    run("float64", Schema.FLOAT64_SCHEMA, 1.0);
    run("null", Schema.OPTIONAL_STRING_SCHEMA, null);
    Schema nn = SchemaBuilder.struct().field("a", SchemaBuilder.struct().field("b", Schema.INT32_SCHEMA).build()).field("m", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build()).build();
    run("unnamed-nested", nn, new Struct(nn).put("a", new Struct(nn.field("a").schema()).put("b", 1)).put("m", Map.of()));
    Schema e = SchemaBuilder.struct().name("e.Empty").field("x", Schema.STRING_SCHEMA).build();
    run("empty-values", e, new Struct(e).put("x", ""));
    Schema oin = SchemaBuilder.struct().name("o.In").field("d", Decimal.schema(2)).field("i16", Schema.INT16_SCHEMA).build();
    Schema ord = SchemaBuilder.struct().name("o.Order").field("ts", Timestamp.SCHEMA).field("inner", oin).field("arr", SchemaBuilder.array(Schema.INT8_SCHEMA).build()).build();
    run("order", ord, new Struct(ord).put("ts", new java.util.Date(0L)).put("inner", new Struct(oin).put("d", new BigDecimal("1.28")).put("i16", (short) 0)).put("arr", Arrays.asList()));
    Schema key = SchemaBuilder.struct().name("srv.inv.customers.Key").field("id", Schema.INT32_SCHEMA).build();
    runKey("key", key, new Struct(key).put("id", 7));
  }
  static void runKey(String name, Schema s, Object v) throws Exception {
    SchemaRegistryClient client = new io.confluent.kafka.schemaregistry.client.MockSchemaRegistryClient(java.util.List.of(new io.confluent.kafka.schemaregistry.protobuf.ProtobufSchemaProvider()));
    ProtobufConverter c = new ProtobufConverter(client);
    c.configure(Map.of("schema.registry.url", "http://unused"), true);
    byte[] b = c.fromConnectData("t", s, v);
    System.out.println("=== " + name + " subjects " + client.getAllSubjects());
  }
  public static void main0() throws Exception {
    Schema dec = Decimal.builder(2).parameter("connect.decimal.precision", "10").build();
    Schema pay = SchemaBuilder.struct().name("com.acme.Payment").version(3).doc("A payment")
      .field("id", Schema.INT64_SCHEMA).field("amount", dec)
      .field("paid_at", Timestamp.builder().optional().build()).field("qty", Schema.INT16_SCHEMA).build();
    Struct p = new Struct(pay).put("id", 42L).put("amount", new BigDecimal("-12.34")).put("paid_at", new java.util.Date(1700000000123L)).put("qty", (short) 7);
    run("payment", pay, p);
    Struct p2 = new Struct(pay).put("id", 0L).put("amount", new BigDecimal("0.00")).put("qty", (short) -1);
    run("payment-nulls", pay, p2);

    Schema ten = SchemaBuilder.struct().name("bench.Row")
      .field("b", Schema.BOOLEAN_SCHEMA).field("i8", Schema.INT8_SCHEMA).field("i16", Schema.INT16_SCHEMA)
      .field("i32", Schema.INT32_SCHEMA).field("i64", Schema.INT64_SCHEMA).field("f32", Schema.FLOAT32_SCHEMA)
      .field("f64", Schema.FLOAT64_SCHEMA).field("s", Schema.STRING_SCHEMA).field("by", Schema.BYTES_SCHEMA)
      .field("os", Schema.OPTIONAL_STRING_SCHEMA).build();
    Struct t = new Struct(ten).put("b", true).put("i8", (byte) -5).put("i16", (short) 300).put("i32", -70000).put("i64", 1L << 40)
      .put("f32", 1.5f).put("f64", -2.25).put("s", "héllo").put("by", new byte[]{1,2,3}).put("os", null);
    run("ten", ten, t);

    Schema inner = SchemaBuilder.struct().name("x.Inner").field("a", Schema.INT32_SCHEMA).field("b", Schema.OPTIONAL_STRING_SCHEMA).build();
    Schema coll = SchemaBuilder.struct().name("x.Coll")
      .field("ints", SchemaBuilder.array(Schema.INT32_SCHEMA).build())
      .field("strs", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
      .field("inner", inner)
      .field("inners", SchemaBuilder.array(inner).build())
      .field("m", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build())
      .field("mi", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).optional().build())
      .field("d", Date.SCHEMA).field("tm", Time.SCHEMA)
      .field("oi", Schema.OPTIONAL_INT32_SCHEMA).build();
    Struct in1 = new Struct(inner).put("a", 1).put("b", "x");
    Map<String,Integer> m = new LinkedHashMap<>(); m.put("k1", 1); m.put("k2", -2);
    Map<Integer,String> mi = new LinkedHashMap<>(); mi.put(5, "five");
    Struct cv = new Struct(coll).put("ints", Arrays.asList(1, -1, 300)).put("strs", Arrays.asList("a", "b"))
      .put("inner", in1).put("inners", Arrays.asList(in1, new Struct(inner).put("a", 2)))
      .put("m", m).put("mi", mi).put("d", new java.util.Date(19000L * 86400000L)).put("tm", new java.util.Date(3723004L)).put("oi", 9);
    run("coll", coll, cv);

    Schema unnamed = SchemaBuilder.struct().field("line", Schema.STRING_SCHEMA).build();
    run("unnamed", unnamed, new Struct(unnamed).put("line", "hi"));
    run("string", Schema.STRING_SCHEMA, "hi");
    run("optstring", Schema.OPTIONAL_STRING_SCHEMA, "hi");
    run("int64", Schema.INT64_SCHEMA, 5L);

    Schema val = SchemaBuilder.struct().name("srv.inv.customers.Value").optional().field("id", Schema.INT32_SCHEMA).field("email", Schema.OPTIONAL_STRING_SCHEMA).build();
    Schema src = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source").field("version", Schema.STRING_SCHEMA).field("connector", Schema.STRING_SCHEMA)
      .field("ts_ms", Schema.INT64_SCHEMA).field("snapshot", SchemaBuilder.string().optional().name("io.debezium.data.Enum").version(1).parameter("allowed", "true,last,false,incremental").defaultValue("false").build())
      .field("lsn", Schema.OPTIONAL_INT64_SCHEMA).build();
    Schema env = SchemaBuilder.struct().name("srv.inv.customers.Envelope").version(2)
      .field("before", val).field("after", val).field("source", src).field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
    Struct ev = new Struct(env).put("after", new Struct(val).put("id", 1).put("email", "a@b.c"))
      .put("source", new Struct(src).put("version", "3.0.7").put("connector", "postgresql").put("ts_ms", 1700000000000L).put("snapshot", "false").put("lsn", 123L))
      .put("op", "c").put("ts_ms", 1700000000001L);
    run("envelope", env, ev);

    Schema samename = SchemaBuilder.struct().name("a.Outer").field("inner", SchemaBuilder.struct().name("inner").field("x", Schema.INT32_SCHEMA).build()).field("Inner2", SchemaBuilder.struct().name("b.Inner2").field("y", Schema.INT32_SCHEMA).build()).build();
    run("samename", samename, new Struct(samename).put("inner", new Struct(samename.field("inner").schema()).put("x", 1)).put("Inner2", new Struct(samename.field("Inner2").schema()).put("y", 2)));
  }
}
