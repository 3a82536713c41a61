import Testing

@Test func placeholderCDCTests() { #expect(Bool(true)) }
