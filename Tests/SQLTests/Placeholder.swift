import Testing

@Test func placeholderSQLTests() { #expect(Bool(true)) }
