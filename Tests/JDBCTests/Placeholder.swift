import Testing

@Test func placeholderJDBCTests() { #expect(Bool(true)) }
